package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient"
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
	if len(args) > 0 && strings.HasPrefix(args[0], cobra.ShellCompRequestCmd) {
		// Only a shell's completion request needs the dynamic completions: attaching them walks
		// every flag of every command, a tenth of an ordinary command's start-up.
		registerCompletions(root, f)
	}
	args = btcliShorthands(root, args)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	errOut := f.IO.ErrOut // --quiet silences f.IO.ErrOut, never the final error
	err := checkUnknownCommand(root, args)
	if err == nil {
		if cmd, _, ferr := root.Find(args); ferr == nil {
			args, err = rewriteHyperparamArg(cmd.CommandPath(), args)
			root.SetArgs(args)
		}
	}
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if errors.Is(err, chainclient.ErrNodeUnreachable) {
		if ns := f.nodeSetting(); ns.Source != "" && ns.Source != "--node" {
			err = fmt.Errorf("%w (the node %q comes from %s)", err, ns.Value, ns.Source)
		}
	}
	if errors.Is(err, chainclient.ErrUnauthorized) {
		err = fmt.Errorf("%w\non another machine than the node's, set BTUI_NODE_TOKEN to the contents of the node's token file (docs/rpc.md)", err)
	}
	if err != nil && f.Opts.No && errors.Is(err, errDeclined) {
		fmt.Fprintln(errOut, "not submitted: --no answers no to every prompt")
		return ExitOK
	}
	if interrupted(ctx, err) {
		fmt.Fprintln(errOut, "interrupted")
		return ExitInterrupted
	}
	if err != nil {
		fmt.Fprintln(errOut, "error: "+err.Error())
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

	"subtensor.network":        "node",
	"subtensor.chain-endpoint": "node",
	"stake-all":                "all",
	"unstake-all":              "all",
	"no-prompt":                "yes",
	"json-output":              "json",
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
			if err := applyGlobalFlags(cmd, f); err != nil {
				return err
			}
			return checkNetworkForCommand(cmd, f)
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
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: explainFlagError(cmd, err)}
	})
	root.Version = buildVersion().String()
	root.SetVersionTemplate("btui {{.Version}}\n")
	pf := root.PersistentFlags()
	o := f.Opts
	nonEmptyVarP(pf, &o.DataDir, "datadir", "", "embedded devnet directory (default $XDG_DATA_HOME/btui/devnet; env BTUI_DATADIR)")
	nonEmptyVarP(pf, &o.Node, "node", "", "the chain: finney, test, archive, local (ws://127.0.0.1:9944), a ws:// or wss:// subtensor node, or an http:// btui node; default the embedded devnet (aliases --network, --chain, --subtensor.network, --subtensor.chain_endpoint; env BTUI_NODE)")
	nonEmptyVarP(pf, &o.WalletPath, "wallet-path", "p", "wallet directory (alias --wallet.path; default $XDG_DATA_HOME/btui/wallets; env BTUI_WALLET_PATH)")
	nonEmptyVarP(pf, &o.WalletName, "wallet-name", "", "wallet name (aliases --name, --wallet.name; env BTUI_WALLET_NAME; default \"default\")")
	nonEmptyVarP(pf, &o.Hotkey, "wallet-hotkey", "H", "hotkey name (aliases --hotkey, --wallet.hotkey; env BTUI_WALLET_HOTKEY; default \"default\")")
	pf.BoolVar(&o.JSON, "json", false, "print exactly one JSON document on stdout (alias --json-output)")
	pf.BoolVarP(&o.Yes, "yes", "y", false, "never prompt; assume yes to confirmations (alias --no-prompt)")
	pf.BoolVar(&o.No, "no", false, "answer no to every confirmation: print the preview and exit 0 without submitting")
	pf.BoolVarP(&o.Quiet, "quiet", "q", false, "print only results and errors (no previews, progress or warnings on stderr)")
	pf.BoolVar(&o.Verbose, "verbose", false, "also print where the wallets and the chain were taken from, on stderr")
	pf.BoolVar(&o.AllowDevPath, "allow-dev-path", false, "accept a //path outside the six dev accounts (//Alice ... //Ferdie) where an address is expected")
	pf.Var(devSchemeFlag{o}, "crypto-type", "scheme of dev names (//Alice) used as an address or signer: ecdsa (the default, funded at genesis) or sr25519 (polkadot.js and btcli's //Alice)")

	_ = root.RegisterFlagCompletionFunc("wallet-name", completeWalletNames(f))
	_ = root.RegisterFlagCompletionFunc("wallet-hotkey", completeHotkeyNames(f))
	addCommands(root, f)
	return root
}
