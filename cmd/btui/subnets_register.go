package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

type subnetsRegisterOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Netuid         uint16
	MaxBurn        string
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdSubnetsRegister(f *Factory, runF func(*subnetsRegisterOptions) error) *cobra.Command {
	opts := &subnetsRegisterOptions{f: f}
	cmd := &cobra.Command{
		Use:     "register",
		Aliases: []string{"burned-register"},
		Short:   "Register the wallet's hotkey on a subnet by burning TAO",
		Long: `Register the wallet's hotkey (--wallet-hotkey) on a subnet, paying the current registration burn
from the coldkey (btcli's subnets register). The burn decays over time and rises with every
registration; --max-burn fails the call if it is higher than that when the block runs. When the
subnet is full, the lowest-emission non-immune uid is replaced.

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey",
"coldkey", "burn", "fee", "balance", "balance_after", "slots_left", "replaces_uid"} and after
{"uid"}.`,
		Example: `  btui subnets register --netuid 1 --wallet-name miner --wallet-hotkey default --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet to register on"); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return subnetsRegisterRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.MaxBurn, "max-burn", "", "fail if the burn is above this many TAO")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

// uidAfter reads the uid from the registration's NeuronRegistered event.
func uidAfter(info *protocol.TxInfo) (any, []previewLine, error) {
	v, ok := eventAttr(info, "NeuronRegistered", "uid")
	if !ok {
		return nil, nil, fmt.Errorf("no NeuronRegistered event in transaction %s", info.Hash)
	}
	uid, err := strconv.ParseUint(v, 10, 16)
	if err != nil {
		return nil, nil, fmt.Errorf("NeuronRegistered uid %q: %v", v, err)
	}
	return registerAfterJSON{UID: uint16(uid)}, []previewLine{{"uid", v}}, nil
}

type registerPreviewJSON = ops.RegisterPreview

type registerAfterJSON struct {
	UID uint16 `json:"uid"`
}

func subnetsRegisterRun(o *subnetsRegisterOptions) error {
	var maxBurn uint64
	var err error
	if o.MaxBurn != "" {
		if maxBurn, err = parseTAOAmount("--max-burn", o.MaxBurn); err != nil {
			return err
		}
	}
	if o.Offline.Offline {
		return subnetsRegisterOffline(o, maxBurn)
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := planBurnedRegister(s, o.Wallet, o.Hotkey, o.Netuid, maxBurn)
	if err != nil {
		return err
	}
	return runTx(s, p.request("subnets register", coldkeyUnlock(o.f, o.Wallet, o.Password), uidAfter))
}

// planBurnedRegister is ops.PlanBurnedRegister for the wallet's hotkey: the one preparation of
// `btui subnets register` and the console's Register page.
func planBurnedRegister(s *chainSession, walletName, hotkey string, netuid uint16, maxBurn uint64) (txPlan, error) {
	cold, hot, err := walletAccounts(s.f, walletName, hotkey)
	if err != nil {
		return txPlan{}, err
	}
	p, err := ops.PlanBurnedRegister(s.ctx, s.c, ops.RegisterInput{Cold: cold, Hot: hot, Netuid: netuid, MaxBurn: maxBurn})
	return fromOps(p), opsErr(err)
}

// subnetsRegisterOffline is `btui subnets register --offline`: burned_register of the wallet's
// hotkey, signed by its coldkey, from the flags alone. --max-burn needs a runtime with
// register_limit (the chain then enforces it); without one the limit is a comparison with the
// current burn, which offline cannot make.
func subnetsRegisterOffline(o *subnetsRegisterOptions, maxBurn uint64) error {
	sg, hot, err := coldkeySignerFor(o.f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	if maxBurn != 0 {
		m, err := loadMetadataFile(o.Offline.Metadata)
		if err != nil {
			return err
		}
		if _, _, err := m.Call("SubtensorModule", "register_limit"); err != nil {
			return offlineRefuse("--max-burn", "this runtime has no register_limit, so the limit is a comparison with the current burn",
				"drop --max-burn to register at whatever the burn is when the block runs")
		}
	}
	return o.Offline.runOffline(o.ctx, "subnets register", o.Password, offlineTx{
		Title:  fmt.Sprintf("Register hotkey %s on subnet %d by burning TAO", hot, o.Netuid),
		Signer: sg, Call: protocol.BurnedRegister{Netuid: o.Netuid, Hotkey: hot, LimitPrice: maxBurn},
	})
}
