package main

import "github.com/spf13/cobra"

// newCmdSudo is the `btui sudo` group.
func newCmdSudo(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sudo <command>",
		Short: "Get and set subnet hyperparameters and delegate takes",
		Long: `Subnet hyperparameters are set by the subnet owner (within the owner bounds) or by the chain's
sudo account (within the root bounds); btui subnets hyperparameters says who may set each. On the
devnet the sudo account is //Alice: --wallet-name //Alice signs with it.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdSudoSet(f, nil), newCmdSudoGet(f), newCmdSudoSetTake(f, nil), newCmdSudoGetTake(f, nil))
	return cmd
}

// newCmdSudoGet is btui subnets hyperparameters under btcli's name.
func newCmdSudoGet(f *Factory) *cobra.Command {
	cmd := newCmdSubnetsHyperparameters(f, nil)
	cmd.Use, cmd.Aliases = "get", nil
	cmd.Short = "Show a subnet's hyperparameters (same as btui subnets hyperparameters)"
	return cmd
}
