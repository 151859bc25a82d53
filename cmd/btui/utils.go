package main

import "github.com/spf13/cobra"

// newCmdUtils is the `btui utils` group (btcli's utils).
func newCmdUtils(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "utils <command>",
		Short: "Conversions and other helpers",
		Args:  usageArgs(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdUtilsConvert(f, nil))
	return cmd
}
