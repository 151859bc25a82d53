package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

// newCmdDevnet is the `btui devnet` group: create and drive the devnet.
func newCmdDevnet(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "devnet <command>",
		Short: "Create, reset, advance, fund, pause and snapshot the devnet",
		Long: `Drive the devnet: the embedded chain at --datadir, or a running node with --node URL (env
BTUI_NODE). Devnet time moves only through blocks: a running producer (btui node, the TUI),
btui devnet advance N, or the block a one-shot command seals for its own transaction.

pause and resume set a stored flag that every producer honours (explicit blocks still happen).
faucet mints TAO with a sudo call signed locally by the devnet's sudo dev key (//Alice).
Destructive commands (reset, restore) ask for confirmation, or need --yes without a terminal.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for \"btui devnet\": run btui devnet --help", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(
		newCmdDevnetInit(f, nil),
		newCmdDevnetReset(f, nil),
		newCmdDevnetAdvance(f, nil),
		newCmdDevnetFaucet(f, nil),
		newCmdDevnetPause(f, nil),
		newCmdDevnetResume(f, nil),
		newCmdDevnetSnapshot(f, nil),
		newCmdDevnetSnapshots(f, nil),
		newCmdDevnetRestore(f, nil),
		newCmdDevnetGenesis(f, nil),
	)
	return cmd
}

// readGenesisFile reads and validates a genesis JSON file.
func readGenesisFile(path string) (*protocol.Genesis, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("read genesis file: %w", err))
	}
	g, err := protocol.ParseGenesis(b)
	if err != nil {
		return nil, fmt.Errorf("genesis file %s: %w", path, err)
	}
	return g, nil
}

// confirmDestructive asks before a destructive change, unless --yes. Without a terminal it
// fails and names --yes; it never blocks.
func confirmDestructive(f *Factory, question string) error {
	if f.Opts.Yes {
		return nil
	}
	if f.Opts.No {
		fmt.Fprintln(f.IO.ErrOut, question+"? [y/N] n (--no)")
		return errDeclined
	}
	if !f.IO.CanPrompt() {
		return usageErrorf("%s: pass --yes to confirm (there is no terminal to ask on)", question)
	}
	ok, err := f.IO.Confirm(question + "?")
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("aborted: nothing was changed")
	}
	return nil
}
