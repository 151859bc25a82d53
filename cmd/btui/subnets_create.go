package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type subnetsCreateOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	MaxLock        string
	Password       passwordOptions
}

func newCmdSubnetsCreate(f *Factory, runF func(*subnetsCreateOptions) error) *cobra.Command {
	opts := &subnetsCreateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a subnet owned by the wallet's coldkey",
		Long: `Create a subnet: the wallet's coldkey pays the lock cost (btui subnets burn-cost), which seeds
the subnet's pool, and becomes the owner; the wallet's hotkey (--wallet-hotkey) is the owner
hotkey at uid 0. A new subnet emits nothing and cannot be staked on until its owner runs
btui subnets start. --max-lock fails the call if the cost rose above it meanwhile.

JSON (--json): the transaction result (docs/json.md) with preview {"owner", "owner_hotkey",
"lock_cost", "fee", "balance", "balance_after", "max_lock"} and after {"netuid"}.`,
		Example: `  btui subnets create --wallet-name owner --wallet-hotkey default --yes`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return subnetsCreateRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.MaxLock, "max-lock", "", "fail if the lock cost is above this many TAO")
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type subnetsCreatePreviewJSON struct {
	Owner        string `json:"owner"`
	OwnerHotkey  string `json:"owner_hotkey"`
	LockCost     uint64 `json:"lock_cost"`
	Fee          uint64 `json:"fee"`
	Balance      uint64 `json:"balance"`
	BalanceAfter uint64 `json:"balance_after"`
	MaxLock      uint64 `json:"max_lock"`
}

type subnetsCreateAfterJSON struct {
	Netuid uint16 `json:"netuid"`
}

func subnetsCreateRun(o *subnetsCreateOptions) error {
	f := o.f
	cold, hot, err := walletAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	var maxLock uint64
	if o.MaxLock != "" {
		if maxLock, err = parseTAOAmount("--max-lock", o.MaxLock); err != nil {
			return err
		}
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	cost, err := s.m.NetworkLockCost(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	if maxLock != 0 && cost > maxLock {
		return usageErrorf("creating a subnet costs %s now, above --max-lock %s; nothing was submitted", tao(cost), tao(maxLock))
	}
	free, err := s.free(cold)
	if err != nil {
		return err
	}
	if err := needFunds(cold, free, cost, info.TxFee, "the subnet lock"); err != nil {
		return err
	}
	pv := subnetsCreatePreviewJSON{Owner: cold.SS58(), OwnerHotkey: hot.SS58(), LockCost: cost, Fee: info.TxFee, Balance: free,
		BalanceAfter: free - cost - info.TxFee, MaxLock: maxLock}
	return runTx(s, txRequest{
		Command: "subnets create", Title: "Create a subnet owned by " + cold.SS58(), Signer: cold,
		Call: protocol.RegisterNetwork{Hotkey: hot, LimitLock: maxLock},
		Preview: []previewLine{{"owner hotkey", hot.SS58()}, {"lock cost", tao(cost)}, {"fee", tao(info.TxFee)},
			balanceAfterLine(pv.BalanceAfter, free)},
		PreviewJSON: pv,
		Unlock:      coldkeyUnlock(f, o.Wallet, o.Password),
		After: func(info *protocol.TxInfo) (any, []previewLine, error) {
			v, ok := eventAttr(info, "NetworkAdded", "netuid")
			if !ok {
				return nil, nil, fmt.Errorf("no NetworkAdded event in transaction %s", info.Hash)
			}
			netuid, err := strconv.ParseUint(v, 10, 16)
			if err != nil {
				return nil, nil, fmt.Errorf("NetworkAdded netuid %q: %v", v, err)
			}
			return subnetsCreateAfterJSON{Netuid: uint16(netuid)}, []previewLine{{"netuid", v},
				{"next", "btui subnets start --netuid " + v}}, nil
		},
	})
}
