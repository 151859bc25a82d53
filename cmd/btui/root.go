package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Run executes btui with args and returns the process exit code.
func Run(ctx context.Context, io *IOStreams, args []string) int {
	return RunFactory(ctx, NewFactory(io), args)
}

// RunFactory executes btui with a prepared factory (tests set light KDF parameters or chain
// options on it), prints the error once to stderr, releases what the factory opened and
// returns the exit code.
func RunFactory(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			fmt.Fprintln(f.IO.ErrOut, "interrupted")
		} else {
			fmt.Fprintln(f.IO.ErrOut, "error: "+err.Error())
		}
	}
	return exitCode(err)
}

// flagAliases maps btcli spellings to btui's flag names.
var flagAliases = map[string]string{
	"name":          "wallet-name",
	"wallet.name":   "wallet-name",
	"hotkey":        "wallet-hotkey",
	"wallet.hotkey": "wallet-hotkey",
	"wallet.path":   "wallet-path",
	"network":       "node",
	"chain":         "node",
	"no-prompt":     "yes",
	"json-output":   "json",
}

func normalizeFlag(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	name = strings.ReplaceAll(name, "_", "-")
	if to, ok := flagAliases[name]; ok {
		name = to
	}
	return pflag.NormalizedName(name)
}

// NewRootCmd builds the whole command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "btui",
		Short: "Terminal wallet and operator console for a Bittensor-style devnet",
		Long: `btui manages coldkeys and hotkeys, balances, stake, subnets and weights on an embedded
devnet chain (or a running ` + "`btui node`" + `). Run it without arguments on a terminal for the
full-screen console; every action is also a command.

` + exitCodeHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			readDryRun(f, cmd)
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.IO.IsStdinTTY() || !f.IO.IsStdoutTTY() {
				cmd.SetOut(f.IO.ErrOut)
				_ = cmd.Help()
				return usageErrorf("no terminal for the TUI: run a subcommand (see above)")
			}
			return runTUI(cmd.Context(), f)
		},
	}
	root.SetGlobalNormalizationFunc(normalizeFlag)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	pf := root.PersistentFlags()
	o := f.Opts
	pf.StringVar(&o.DataDir, "datadir", "", "embedded devnet directory (default $XDG_DATA_HOME/btui/devnet; env BTUI_DATADIR)")
	pf.StringVar(&o.Node, "node", "", "URL of a running btui node, e.g. http://127.0.0.1:9944 (aliases --network, --chain; env BTUI_NODE)")
	pf.StringVarP(&o.WalletPath, "wallet-path", "p", "", "wallet directory (alias --wallet.path; default $XDG_DATA_HOME/btui/wallets; env BTUI_WALLET_PATH)")
	pf.StringVar(&o.WalletName, "wallet-name", "", "wallet name (aliases --name, --wallet.name; env BTUI_WALLET_NAME; default \"default\")")
	pf.StringVarP(&o.Hotkey, "wallet-hotkey", "H", "", "hotkey name (aliases --hotkey, --wallet.hotkey; env BTUI_WALLET_HOTKEY; default \"default\")")
	pf.BoolVar(&o.JSON, "json", false, "print exactly one JSON document on stdout (alias --json-output)")
	pf.BoolVarP(&o.Yes, "yes", "y", false, "never prompt; assume yes to confirmations (alias --no-prompt)")

	_ = root.RegisterFlagCompletionFunc("wallet-name", completeWalletNames(f))
	_ = root.RegisterFlagCompletionFunc("wallet-hotkey", completeHotkeyNames(f))
	addCommands(root, f)
	return root
}
