package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type subnetsRegisterOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	Netuid         uint16
	MaxBurn        string
	Password       passwordOptions
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
	addTxFlags(cmd, &opts.Password)
	return cmd
}

// registration is what both registrations check before submitting.
type registration struct {
	cold, hot wallet.AccountID
	si        protocol.SubnetInfo
	h         protocol.Hyperparams
	fee, free uint64
}

// registrationPreflight checks what the chain would refuse: no such subnet, root, registration
// off, already registered, a hotkey of another coldkey.
func registrationPreflight(s *chainSession, walletName, hotkey string, netuid uint16, pow bool) (*registration, error) {
	f := s.f
	r := &registration{}
	var err error
	if r.cold, r.hot, err = walletAccounts(f, walletName, hotkey); err != nil {
		return nil, err
	}
	if r.si, err = s.subnetInfo(netuid); err != nil {
		return nil, err
	}
	if r.si.Root {
		return nil, usageErrorf("the root network (netuid 0) has no registration: stake on root with btui stake add --netuid 0")
	}
	if r.h, err = s.m.Hyperparameters(s.ctx, netuid); err != nil {
		return nil, chainErr(err)
	}
	if !r.h.RegistrationAllowed {
		return nil, usageErrorf("registration is disabled on subnet %d; nothing was submitted", netuid)
	}
	if pow && !r.h.PowRegistrationAllowed {
		return nil, usageErrorf("proof-of-work registration is disabled on subnet %d: use btui subnets register (burned); nothing was submitted", netuid)
	}
	mg, err := s.m.Metagraph(s.ctx, netuid)
	if err != nil {
		return nil, chainErr(err)
	}
	for _, n := range mg.Neurons {
		if n.Hotkey == r.hot {
			return nil, usageErrorf("hotkey %s is already registered on subnet %d as uid %d; nothing was submitted", r.hot, netuid, n.UID)
		}
	}
	dels, err := s.m.Delegates(s.ctx)
	if err != nil {
		return nil, chainErr(err)
	}
	for _, d := range dels {
		if d.Hotkey == r.hot && d.Owner != r.cold {
			return nil, usageErrorf("hotkey %s belongs to coldkey %s, not to wallet %q: register a hotkey of your own; nothing was submitted", r.hot, d.Owner, walletName)
		}
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return nil, chainErr(err)
	}
	r.fee = info.TxFee
	if r.free, err = s.free(r.cold); err != nil {
		return nil, err
	}
	return r, nil
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
