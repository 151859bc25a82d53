package main

import "github.com/spf13/cobra"

// addCommands attaches every command group. One line per group; each group lives in its own
// files (`wallet_*.go`, `mechanism_*.go`, ...).
func addCommands(root *cobra.Command, f *Factory) {
	root.AddCommand(
		newCmdMechanism(f),
		withWalletChainCommands(f, newCmdWallet(f)),
		newCmdChain(f),
		newCmdDevnet(f),
		newCmdNode(f, nil),
		newCmdBench(f),
		newCmdSubnets(f),
		newCmdStake(f),
		newCmdWeights(f),
		newCmdSudo(f),
		newCmdAxon(f),
		newCmdConfig(f),
		newCmdCompletion(f),
		newCmdVersion(f),
		newCmdUtils(f),
	)
	attachDevnetSimulate(root, f)
	registerCompletions(root, f)
}
