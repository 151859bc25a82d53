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
		newCmdTx(f),
	)
	attachDevnetSimulate(root, f)
	attachBtcliCommands(root, f)
	addNetuidsFlags(root, f)
}

// attachBtcliCommands adds the commands btcli has to their groups (wallet history, subnets
// check-start and price, stake wizard).
func attachBtcliCommands(root *cobra.Command, f *Factory) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "wallet":
			c.AddCommand(newCmdWalletHistory(f, nil))
		case "stake":
			c.AddCommand(newCmdStakeWizard(f))
		case "subnets":
			c.AddCommand(newCmdSubnetsCheckStart(f, nil), newCmdSubnetsPrice(f, nil))
		}
	}
}
