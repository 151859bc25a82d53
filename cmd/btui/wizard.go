package main

import (
	"context"
	"fmt"
	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/spf13/cobra"
	"slices"
	"strconv"
	"strings"
)

// `btui stake wizard` (btcli's stake wizard): a guided add, move or remove on a terminal. It
// only asks questions and reads the chain; the trade itself is the matching stake command, run
// with the answers as flags, so the wizard shows the very same preview and confirmation (and
// prints that command line, for a script next time).

type stakeWizardOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdStakeWizard(f *Factory) *cobra.Command {
	opts := &stakeWizardOptions{f: f}
	return &cobra.Command{
		Use:   "wizard",
		Short: "Stake, move or unstake step by step (terminal only)",
		Long: `Ask, one question at a time, what to do with the wallet's stake: add (stake TAO on a hotkey in
a subnet), move (to another subnet or hotkey) or remove (unstake). Each question shows what the
chain holds: the free balance, the subnets with their prices, the wallet's positions. The answers
become a btui stake add, move or remove command, printed and then run, with its usual preview,
tolerance and confirmation.

It needs a terminal; scripts use the stake commands directly.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			return stakeWizardRun(opts)
		},
	}
}

// wizardAsk asks a question with a default (shown in brackets; an empty answer takes it).
func wizardAsk(f *Factory, question, def string) (string, error) {
	p := question
	if def != "" {
		p += " [" + def + "]"
	}
	ans, err := f.IO.PromptLine(p + ": ")
	if err != nil {
		return "", err
	}
	if ans = strings.TrimSpace(ans); ans == "" {
		ans = def
	}
	return ans, nil
}

// wizardNetuid asks for a netuid among the listed ones until a valid one is given.
func wizardNetuid(f *Factory, question string, valid map[uint16]bool, def string) (string, error) {
	for {
		ans, err := wizardAsk(f, question, def)
		if err != nil {
			return "", err
		}
		n, perr := strconv.ParseUint(ans, 10, 16)
		if perr == nil && valid[uint16(n)] {
			return ans, nil
		}
		fmt.Fprintf(f.IO.ErrOut, "  %q is not one of the subnets listed above\n", ans)
	}
}

func stakeWizardRun(o *stakeWizardOptions) error {
	f := o.f
	if !f.IO.CanPrompt() || f.Opts.Yes || f.Opts.JSON {
		return usageErrorf("the stake wizard asks questions on a terminal (and not with --yes or --json): in scripts use btui stake add, move or remove")
	}
	w := f.IO.ErrOut
	walletName := f.WalletName()
	cold, err := coldkeyOf(f, walletName)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	acct, err := s.c.Account(s.ctx, cold)
	if err != nil {
		return chainErr(err)
	}
	nets, err := s.m.Subnets(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	stakes, err := s.m.StakesByColdkey(s.ctx, cold)
	if err != nil {
		return chainErr(err)
	}
	fmt.Fprintf(w, "wallet %s (%s): %s free\n", walletName, cold, tao(acct.Free))
	live := map[uint16]bool{}
	t := textTable{Head: []string{"NETUID", "PRICE (TAO/α)", "TAO IN", "NEURONS"}, Right: []bool{true, true, true, true}, Shrink: -1}
	for _, n := range nets {
		if n.Root {
			continue
		}
		live[n.Netuid] = true
		taoIn := tao(n.TaoIn)
		if _, ok := s.c.(*chainclient.Subtensor); ok && slices.Contains(chainclient.SubnetsUnreadOnSubtensor, "tao_in") {
			taoIn = "–" // a subtensor node's listing does not read the pools
		}
		t.add(strconv.Itoa(int(n.Netuid)), protocol.TAODecimal(n.Price), taoIn, fmt.Sprintf("%d/%d", n.Neurons, n.MaxNeurons))
	}
	var held []protocol.StakeInfo
	heldNets := map[uint16]bool{}
	for _, st := range stakes {
		if st.Alpha > 0 && live[st.Netuid] {
			held = append(held, st)
			heldNets[st.Netuid] = true
		}
	}
	if len(held) > 0 {
		fmt.Fprintln(w, "positions:")
		for i, st := range held {
			fmt.Fprintf(w, "  %d) subnet %d on %s: %s (%s)\n", i+1, st.Netuid, st.Hotkey, alphaAmount(st.Alpha), tao(st.TaoValue))
		}
	}
	action, err := wizardAsk(f, "add, move or remove stake? (a/m/r)", "a")
	if err != nil {
		return err
	}
	action = strings.ToLower(action)
	var args []string
	switch {
	case strings.HasPrefix(action, "a"):
		fmt.Fprintln(w, "subnets:")
		t.render(w, f.IO.Width)
		netuid, err := wizardNetuid(f, "subnet to stake on", live, "")
		if err != nil {
			return err
		}
		hot, err := wizardAsk(f, "hotkey (SS58, wallet/hotkey, or a hotkey name of "+walletName+")", f.HotkeyName())
		if err != nil {
			return err
		}
		amount, err := wizardAsk(f, "TAO to stake (or all)", "")
		if err != nil {
			return err
		}
		args = []string{"stake", "add", "--netuid", netuid, "--hotkey-ss58", hot}
		args = append(args, wizardAmount(amount)...)
	case strings.HasPrefix(action, "m"), strings.HasPrefix(action, "r"):
		if len(held) == 0 {
			return usageErrorf("wallet %s holds no stake on a live subnet: add some first (btui stake add, or answer a)", walletName)
		}
		pick, err := wizardAsk(f, "which position (number)", "1")
		if err != nil {
			return err
		}
		i, perr := strconv.Atoi(pick)
		if perr != nil || i < 1 || i > len(held) {
			return usageErrorf("position %q: give a number from 1 to %d", pick, len(held))
		}
		st := held[i-1]
		amount, err := wizardAsk(f, "alpha to "+map[bool]string{true: "move", false: "unstake"}[strings.HasPrefix(action, "m")]+" (or all)", "all")
		if err != nil {
			return err
		}
		if strings.HasPrefix(action, "r") {
			args = []string{"stake", "remove", "--netuid", strconv.Itoa(int(st.Netuid)), "--hotkey-ss58", st.Hotkey.SS58()}
			args = append(args, wizardAmount(amount)...)
			break
		}
		fmt.Fprintln(w, "subnets:")
		t.render(w, f.IO.Width)
		dest, err := wizardNetuid(f, "destination subnet", live, strconv.Itoa(int(st.Netuid)))
		if err != nil {
			return err
		}
		destHot, err := wizardAsk(f, "destination hotkey", st.Hotkey.SS58())
		if err != nil {
			return err
		}
		args = []string{"stake", "move", "--origin-netuid", strconv.Itoa(int(st.Netuid)), "--hotkey-ss58", st.Hotkey.SS58(),
			"--dest-netuid", dest, "--dest-hotkey", destHot}
		args = append(args, wizardAmount(amount)...)
	default:
		return usageErrorf("%q: answer a (add), m (move) or r (remove)", action)
	}
	tol, err := wizardAsk(f, "price tolerance: a fraction of the price, or unsafe for any price", "0.005")
	if err != nil {
		return err
	}
	if strings.EqualFold(tol, "unsafe") {
		args = append(args, "--unsafe")
	} else {
		args = append(args, "--tolerance", tol)
	}
	args = append(args, "--wallet-name", walletName)
	fmt.Fprintf(w, "\nbtui %s\n\n", strings.Join(quoteArgs(args), " "))
	// The stake command opens the chain through the same factory; it is already open.
	sub := NewRootCmd(f)
	sub.SetArgs(append(args, globalArgs(f)...))
	sub.SetIn(f.IO.In)
	sub.SetOut(f.IO.Out)
	sub.SetErr(f.IO.ErrOut)
	return sub.ExecuteContext(o.ctx)
}

// wizardAmount turns an amount answer into --amount A or --all.
func wizardAmount(a string) []string {
	if strings.EqualFold(strings.TrimSpace(a), "all") {
		return []string{"--all"}
	}
	return []string{"--amount", strings.TrimSpace(a)}
}

// globalArgs repeats the global flags the wizard was started with, for the stake command it
// runs (defining a new command tree resets the flag variables it binds).
func globalArgs(f *Factory) []string {
	var out []string
	for _, kv := range [][2]string{{"--datadir", f.Opts.DataDir}, {"--node", f.Opts.Node}, {"--wallet-path", f.Opts.WalletPath}} {
		if kv[1] != "" {
			out = append(out, kv[0], kv[1])
		}
	}
	if f.Opts.AllowDevPath {
		out = append(out, "--allow-dev-path")
	}
	return out
}

// quoteArgs quotes the arguments a shell would split.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\*?;&|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}
