package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type completionOptions struct {
	f     *Factory
	Shell string
}

// newCmdCompletion prints a shell completion script. The scripts call back into btui for
// dynamic values: wallet names, hotkey names and the chain's netuids (registerCompletions).
func newCmdCompletion(f *Factory) *cobra.Command {
	opts := &completionOptions{f: f}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell. Completion covers commands and flags, and asks btui
for wallet names (--wallet-name, --dest, ...), hotkey names of the selected wallet (--wallet-hotkey,
--hotkey-ss58, ...) and the chain's netuids (--netuid, --origin-netuid, --dest-netuid; from the
embedded devnet or --node).

  bash:        source <(btui completion bash)        # or save to /etc/bash_completion.d/btui
               (the bash script needs the bash-completion package: apt install bash-completion,
               brew install bash-completion@2; without it bash reports _get_comp_words_by_ref)
  zsh:         btui completion zsh > "${fpath[1]}/_btui"
  fish:        btui completion fish > ~/.config/fish/completions/btui.fish
  powershell:  btui completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      usageArgs(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			root, out := cmd.Root(), opts.f.IO.Out
			switch opts.Shell {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return usageErrorf("unknown shell %q: use bash, zsh, fish or powershell", opts.Shell)
		},
	}
}

// completionFunc is cobra's dynamic completion signature.
type completionFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

// completeWallets lists wallet names (and the dev names) under the wallet path.
func completeWallets(f *Factory) completionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		if ks, err := f.Keystore(); err == nil {
			if names, err := ks.Wallets(); err == nil {
				out = append(out, names...)
			}
		}
		for _, d := range []string{"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"} {
			out = append(out, d+"\tdev account")
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeHotkeys lists the hotkey names of the selected wallet.
func completeHotkeys(f *Factory) completionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		if ks, err := f.Keystore(); err == nil {
			if w, err := ks.Wallet(f.WalletName()); err == nil {
				for _, h := range w.Hotkeys {
					if h.Err == nil {
						out = append(out, h.Name+"\t"+h.Info.Address())
					}
				}
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeNetuids lists the chain's subnets with their owner and neuron count.
func completeNetuids(f *Factory) completionFunc {
	return func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		s, err := openChain(cmd.Context(), f)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer s.Close()
		nets, err := s.m.Subnets(s.ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		out := make([]string, 0, len(nets))
		for _, n := range nets {
			desc := fmt.Sprintf("%d neurons, price %s", n.Neurons, tao(n.Price))
			if n.Root {
				desc = "root"
			}
			out = append(out, strconv.Itoa(int(n.Netuid))+"\t"+desc)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// registerCompletions attaches the dynamic completions to every flag and argument that takes a
// wallet, a hotkey or a netuid. Call it once the whole tree is built.
func registerCompletions(root *cobra.Command, f *Factory) {
	byFlag := map[string]completionFunc{
		"wallet-name": completeWallets(f), "dest": completeWallets(f), "ss58": completeWallets(f),
		"wallet-hotkey": completeHotkeys(f), "hotkey-ss58": completeHotkeys(f), "dest-hotkey": completeHotkeys(f),
		"netuid": completeNetuids(f), "origin-netuid": completeNetuids(f), "dest-netuid": completeNetuids(f),
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		register := func(fl *pflag.Flag) {
			if fn, ok := byFlag[fl.Name]; ok {
				_ = c.RegisterFlagCompletionFunc(fl.Name, fn)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(register)
		c.PersistentFlags().VisitAll(register)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, path := range [][]string{{"wallet", "balance"}, {"wallet", "transfer"}} {
		if c, _, err := root.Find(path); err == nil && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeWallets(f)
		}
	}
	if c, _, err := root.Find([]string{"wallet", "swap-hotkey"}); err == nil && c.ValidArgsFunction == nil {
		c.ValidArgsFunction = completeHotkeys(f)
	}
}
