package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

type subnetsCreateOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	MaxLock        string
	Password       passwordOptions
	Offline        offlineOptions
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
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
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
	if o.Offline.Offline {
		// The runtime mapping decides (and refuses: subtensor's register_network takes no
		// limit on the lock cost, which moves with the chain).
		return o.Offline.runOffline(o.ctx, "subnets create", o.Password, offlineTx{
			Title:  fmt.Sprintf("Create a subnet owned by %s", cold),
			Signer: txSigner{wallet: o.Wallet, account: cold}, Call: protocol.RegisterNetwork{Hotkey: hot, LimitLock: maxLock}})
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := ops.PlanCreateSubnet(s.ctx, s.c, ops.SubnetCreateInput{Owner: cold, Hot: hot, MaxLock: maxLock})
	if err != nil {
		return opsErrAs(err, map[string]string{"Hot": "--wallet-hotkey"})
	}
	return runTx(s, fromOps(p).request("subnets create", coldkeyUnlock(f, o.Wallet, o.Password),
		func(info *protocol.TxInfo) (any, []previewLine, error) {
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
		}))
}
