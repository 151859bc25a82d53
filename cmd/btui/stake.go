package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// newCmdStake is the `btui stake` group.
func newCmdStake(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "stake <command>",
		Aliases: []string{"st"},
		Short:   "Stake, unstake, move, transfer and swap stake; list positions",
		Long: `Stake TAO on a hotkey in a subnet (buying the subnet's alpha from its pool), and back. Every
trade shows the price, the expected amount, the slippage and the fee before confirming, and by
default trades with a limit price of the current price ± --tolerance (0.005): the chain stops the
trade at that price. --unsafe trades at any price; --allow-partial fills what fits within the limit.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCmdStakeAdd(f, nil),
		newCmdStakeRemove(f, nil),
		newCmdStakeMove(f, nil),
		newCmdStakeTransfer(f, nil),
		newCmdStakeSwap(f, nil),
		newCmdStakeList(f, nil),
	)
	return cmd
}

// stakeHotkeyFlags binds the hotkey a stake command acts on: --hotkey-ss58 (btcli's
// --include-hotkeys / --hotkey-ss58-address) or, by default, the wallet's hotkey.
func stakeHotkeyFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "hotkey-ss58", "", "the hotkey to stake on: SS58, wallet/hotkey, //Dev, a hotkey name of the wallet, or another wallet's name for its hotkey (default: --wallet-hotkey; aliases --hotkey-ss58-address, --include-hotkeys)")
	cmd.Flags().StringVar(p, "hotkey-ss58-address", "", "same as --hotkey-ss58")
	cmd.Flags().StringVar(p, "include-hotkeys", "", "same as --hotkey-ss58")
	_ = cmd.Flags().MarkHidden("hotkey-ss58-address")
	_ = cmd.Flags().MarkHidden("include-hotkeys")
}

// stakeHotkey resolves the hotkey of a stake command.
func stakeHotkey(f *Factory, flag string) (wallet.AccountID, error) {
	if flag != "" {
		return resolveAccount(f, "--hotkey-ss58", flag, roleHotkey)
	}
	return hotkeyOf(f, f.WalletName(), f.HotkeyName())
}

// checkStakeTrade checks the flags of a stake trade: exactly one of --amount and --all, and
// the trade flags (--limit-price only with --offline).
func checkStakeTrade(cmd *cobra.Command, amount string, all bool, trade *tradeOptions, offline bool) error {
	if err := checkAmountOrAll(amount, all); err != nil {
		return err
	}
	if err := trade.check(cmd); err != nil {
		return err
	}
	if !offline {
		return trade.checkOnline()
	}
	return nil
}

// offlineAmount is --amount of a command signed with --offline: --all (the whole balance or
// position) needs the chain.
func offlineAmount(amount string, all bool, what string) (uint64, error) {
	if all {
		return 0, offlineRefuse("--all", what+" is read from the chain", "give --amount")
	}
	return parseTAOAmount("--amount", amount)
}

// stakeAccounts resolves the coldkey that signs a stake command (the wallet's) and the hotkey
// it acts on (--hotkey-ss58, default the wallet's hotkey).
func stakeAccounts(f *Factory, walletName, hotkeyFlag string) (cold, hot wallet.AccountID, err error) {
	if cold, err = coldkeyOf(f, walletName); err != nil {
		return cold, hot, err
	}
	hot, err = stakeHotkey(f, hotkeyFlag)
	return cold, hot, err
}

// requireHotkeyOnChain fails (exit 5) when the hotkey account does not exist.
func (s *chainSession) requireHotkeyOnChain(hk wallet.AccountID) (protocol.DelegateInfo, error) {
	dels, err := s.m.Delegates(s.ctx)
	if err != nil {
		return protocol.DelegateInfo{}, chainErr(err)
	}
	for _, d := range dels {
		if d.Hotkey == hk {
			return d, nil
		}
	}
	return protocol.DelegateInfo{}, withCode(ExitNotFound, fmt.Errorf("hotkey %s does not exist on the chain: it must be registered on a subnet first (btui subnets register)", hk))
}

// stakeOf returns the alpha a coldkey holds on (hotkey, netuid).
func (s *chainSession) stakeOf(cold, hot wallet.AccountID, netuid uint16) (uint64, error) {
	st, err := s.m.StakesByColdkey(s.ctx, cold)
	if err != nil {
		return 0, chainErr(err)
	}
	for _, p := range st {
		if p.Hotkey == hot && p.Netuid == netuid {
			return p.Alpha, nil
		}
	}
	return 0, nil
}

// positionAfter reports a position after a trade.
func (s *chainSession) positionAfter(cold, hot wallet.AccountID, netuid uint16) (any, []previewLine, error) {
	a, err := s.stakeOf(cold, hot, netuid)
	if err != nil {
		return nil, nil, err
	}
	free, err := s.free(cold)
	if err != nil {
		return nil, nil, err
	}
	return stakeAfterJSON{Stake: a, Free: free}, []previewLine{{"stake", alphaAmount(a)}, {"free", tao(free)}}, nil
}

type stakeAfterJSON struct {
	Stake uint64 `json:"stake"` // alpha on the position
	Free  uint64 `json:"free"`  // the coldkey's free TAO
}

// stakeOfflineArgs resolves what stake add and stake remove sign with --offline, in the order
// their errors are reported: the amount (what names it in the --all refusal), the limit price,
// the coldkey signer and the hotkey.
func stakeOfflineArgs(f *Factory, walletName, hotkey, amountFlag string, all bool, what string, trade tradeOptions) (amount, limit uint64, sg txSigner, hot wallet.AccountID, err error) {
	if amount, err = offlineAmount(amountFlag, all, what); err != nil {
		return
	}
	if limit, err = trade.offlineLimit(true, false); err != nil {
		return
	}
	if sg, err = coldkeySigner(f, walletName); err != nil {
		return
	}
	hot, err = stakeHotkey(f, hotkey)
	return
}
