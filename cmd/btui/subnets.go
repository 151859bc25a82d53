package main

import (
	"github.com/spf13/cobra"
)

// newCmdSubnets is the `btui subnets` group.
func newCmdSubnets(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "subnets <command>",
		Aliases: []string{"subnet", "s"},
		Short:   "List, inspect, create and register on subnets",
		Args:    usageArgs(cobra.NoArgs),
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCmdSubnetsList(f, nil),
		newCmdSubnetsShow(f, nil),
		newCmdSubnetsCreate(f, nil),
		newCmdSubnetsStart(f, nil),
		newCmdSubnetsRegister(f, nil),
		newCmdSubnetsPowRegister(f, nil),
		newCmdSubnetsHyperparameters(f, nil),
		newCmdSubnetsBurnCost(f, nil),
		newCmdSubnetsSetIdentity(f),
	)
	return cmd
}

// netuidFlag binds --netuid (btcli's spelling), a subnet id 0..65535.
func netuidFlag(cmd *cobra.Command, p *uint16, usage string) {
	cmd.Flags().Uint16Var(p, "netuid", 0, usage)
}
