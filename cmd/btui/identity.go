package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// btui wallet set-identity and btui subnets set-identity (subtensor's set_identity and
// set_subnet_identity, with btcli's flag names). The identities show in wallet overview and
// subnets show.

type setIdentityOptions struct {
	f        *Factory
	ctx      context.Context
	Wallet   string
	Identity protocol.Identity
	Password passwordOptions
	Offline  offlineOptions
}

func newCmdWalletSetIdentity(f *Factory) *cobra.Command {
	o := &setIdentityOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set-identity",
		Short: "Set the wallet's on-chain identity (name, URL, GitHub, image, Discord, description)",
		Long: `Set (or replace) the on-chain identity of the wallet's coldkey: subtensor's set_identity,
signed by the coldkey. The coldkey must own a registered hotkey (or a subnet). Fields left out
are stored empty; each is at most 256 bytes (description and additional 1024).

JSON (--json): the transaction result (docs/json.md) with preview {"coldkey", "identity", "fee"}.`,
		Example: `  btui wallet set-identity --wallet-name owner --id-name "Open Lab" --web-url https://example.org --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.ctx, o.Wallet = cmd.Context(), f.WalletName()
			return setIdentityRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Identity.Name, "id-name", "", "display name (btcli's --id-name)")
	fl.StringVar(&o.Identity.URL, "web-url", "", "web site")
	fl.StringVar(&o.Identity.GithubRepo, "github", "", "GitHub repository or profile")
	fl.StringVar(&o.Identity.Image, "image-url", "", "image (avatar) URL")
	fl.StringVar(&o.Identity.Discord, "discord", "", "Discord handle")
	fl.StringVar(&o.Identity.Description, "description", "", "description")
	fl.StringVar(&o.Identity.Additional, "additional", "", "additional information")
	addTxFlags(f, cmd, &o.Password, &o.Offline)
	return cmd
}

func setIdentityRun(o *setIdentityOptions) error {
	if o.Offline.Offline {
		sg, err := coldkeySigner(o.f, o.Wallet)
		if err != nil {
			return err
		}
		return o.Offline.runOffline(o.ctx, "wallet set-identity", o.Password, offlineTx{
			Title: fmt.Sprintf("Set the identity of coldkey %s to %q", sg.account, o.Identity.Name), Signer: sg, Call: protocol.SetIdentity{Identity: o.Identity}})
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "wallet set-identity",
		func(s *chainSession, cold wallet.AccountID) (ops.Plan, error) {
			p, err := ops.PlanSetIdentity(s.ctx, s.c, ops.IdentityInput{Cold: cold, Identity: o.Identity})
			return p, opsErr(err)
		})
}

type setSubnetIdentityOptions struct {
	f        *Factory
	ctx      context.Context
	Wallet   string
	Netuid   uint16
	Identity protocol.SubnetIdentity
	Password passwordOptions
	Offline  offlineOptions
}

func newCmdSubnetsSetIdentity(f *Factory) *cobra.Command {
	o := &setSubnetIdentityOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set-identity",
		Short: "Set a subnet's on-chain identity (its owner only)",
		Long: `Set (or replace) the identity of subnet --netuid: subtensor's set_subnet_identity, signed by the
subnet owner's coldkey. Fields left out are stored empty; each is at most 256 bytes
(description and additional 1024).

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "identity", "fee"}.`,
		Example: `  btui subnets set-identity --netuid 2 --subnet-name "Open Lab" --subnet-url https://example.org --wallet-name owner --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet whose identity to set"); err != nil {
				return err
			}
			o.ctx, o.Wallet = cmd.Context(), f.WalletName()
			return setSubnetIdentityRun(o)
		},
	}
	fl := cmd.Flags()
	fl.Uint16Var(&o.Netuid, "netuid", 0, "the subnet")
	fl.StringVar(&o.Identity.SubnetName, "subnet-name", "", "the subnet's name")
	fl.StringVar(&o.Identity.GithubRepo, "github-repo", "", "GitHub repository")
	fl.StringVar(&o.Identity.SubnetContact, "subnet-contact", "", "contact (e-mail, handle)")
	fl.StringVar(&o.Identity.SubnetURL, "subnet-url", "", "web site")
	fl.StringVar(&o.Identity.Discord, "discord", "", "Discord")
	fl.StringVar(&o.Identity.Description, "description", "", "description")
	fl.StringVar(&o.Identity.LogoURL, "logo-url", "", "logo URL")
	fl.StringVar(&o.Identity.Additional, "additional", "", "additional information")
	addTxFlags(f, cmd, &o.Password, &o.Offline)
	return cmd
}

func setSubnetIdentityRun(o *setSubnetIdentityOptions) error {
	if o.Offline.Offline {
		sg, err := coldkeySigner(o.f, o.Wallet)
		if err != nil {
			return err
		}
		return o.Offline.runOffline(o.ctx, "subnets set-identity", o.Password, offlineTx{
			Title:  fmt.Sprintf("Set the identity of subnet %d to %q", o.Netuid, o.Identity.SubnetName),
			Signer: sg, Call: protocol.SetSubnetIdentity{Netuid: o.Netuid, SubnetIdentity: o.Identity}})
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "subnets set-identity",
		func(s *chainSession, owner wallet.AccountID) (ops.Plan, error) {
			if _, err := s.subnetInfo(o.Netuid); err != nil {
				return ops.Plan{}, err
			}
			p, err := ops.PlanSetSubnetIdentity(s.ctx, s.c, ops.SubnetIdentityInput{Owner: owner, Netuid: o.Netuid, Identity: o.Identity})
			return p, opsErr(err)
		})
}

// printIdentity is an identity's human lines (nothing when id is nil).
func printIdentity(w io.Writer, id *protocol.Identity) {
	if id == nil {
		return
	}
	fmt.Fprintf(w, "identity %q", id.Name)
	for _, kv := range [][2]string{{"url", id.URL}, {"github", id.GithubRepo}, {"discord", id.Discord}, {"image", id.Image}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "  %s %s", kv[0], kv[1])
		}
	}
	fmt.Fprintln(w)
	if id.Description != "" {
		fmt.Fprintf(w, "  %s\n", id.Description)
	}
}

// printSubnetIdentity is a subnet identity's human lines (nothing when id is nil).
func printSubnetIdentity(w io.Writer, id *protocol.SubnetIdentity) {
	if id == nil {
		return
	}
	fmt.Fprintf(w, "identity %q", id.SubnetName)
	for _, kv := range [][2]string{{"url", id.SubnetURL}, {"github", id.GithubRepo}, {"contact", id.SubnetContact}, {"discord", id.Discord}, {"logo", id.LogoURL}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "  %s %s", kv[0], kv[1])
		}
	}
	fmt.Fprintln(w)
	if id.Description != "" {
		fmt.Fprintf(w, "  %s\n", id.Description)
	}
}
