package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// btcli's multi-target stake flags. `stake add` and `stake remove` act on one (netuid, hotkey)
// position; btcli users also write
//
//	--netuids 1,2,3   --all-netuids   --include-hotkeys a,b   --all-hotkeys [--exclude-hotkeys a,b]
//
// These run the command once per position, in order (netuid, then hotkey), each with its own
// preview and confirmation (or --yes), stopping at the first failure. With --json the results
// are one document: {"command", "ok", "results": [transaction result...]}.
//
// Elsewhere --netuids takes a single netuid, as --netuid does.

// addNetuidsFlags gives every command with --netuid a hidden --netuids; on stake add and
// remove it also adds the multi-target flags and runs the command per position.
func addNetuidsFlags(root *cobra.Command, f *Factory) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Flags().Lookup("netuid") == nil || c.RunE == nil {
			return
		}
		fs := &stakeFanout{f: f, cmd: c, orig: c.RunE}
		c.Flags().StringVar(&fs.netuids, "netuids", "", "btcli's --netuids: the subnet (on stake add/remove a comma-separated list)")
		_ = c.Flags().MarkHidden("netuids")
		path := c.CommandPath()
		fs.multi = path == "btui stake add" || path == "btui stake remove"
		if fs.multi {
			c.Flags().BoolVar(&fs.allNetuids, "all-netuids", false, "every subnet (add: every live subnet; remove: every subnet where the position exists)")
			c.Flags().BoolVar(&fs.allHotkeys, "all-hotkeys", false, "every hotkey of the wallet (remove: those with a position)")
			c.Flags().StringVar(&fs.exclude, "exclude-hotkeys", "", "with --all-hotkeys: leave out these hotkeys (comma-separated names or SS58)")
		}
		c.RunE = fs.run
	}
	walk(root)
}

type stakeFanout struct {
	f     *Factory
	cmd   *cobra.Command
	orig  func(*cobra.Command, []string) error
	multi bool

	netuids    string
	allNetuids bool
	allHotkeys bool
	exclude    string
}

type stakeFanoutJSON struct {
	Command string            `json:"command"`
	OK      bool              `json:"ok"`
	Results []json.RawMessage `json:"results"`
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (fs *stakeFanout) run(c *cobra.Command, args []string) error {
	fl := c.Flags()
	netuids := splitList(fs.netuids)
	include := ""
	if l := fl.Lookup("include-hotkeys"); l != nil && l.Changed {
		include = l.Value.String()
	}
	hotkeys := splitList(include)
	multi := len(netuids) > 1 || fs.allNetuids || fs.allHotkeys || len(hotkeys) > 1
	if l := fl.Lookup("offline"); multi && l != nil && l.Changed {
		return offlineRefuse("several positions (--netuids/--include-hotkeys lists, --all-netuids, --all-hotkeys)",
			"the positions are read from the chain and each needs its own nonce", "sign one position per run, each with its own --netuid, hotkey and --nonce")
	}
	switch {
	case fs.netuids != "" && fl.Changed("netuid"):
		return usageErrorf("give the subnet with --netuid or --netuids, not both")
	case !multi && len(netuids) == 1:
		if err := fl.Set("netuid", netuids[0]); err != nil {
			return usageErrorf("--netuids %q: %v", fs.netuids, explainFlagError(c, fmt.Errorf("invalid argument %q for \"--netuid\" flag: %v", netuids[0], err)))
		}
		return fs.orig(c, args)
	case !multi:
		if fs.exclude != "" {
			return usageErrorf("--exclude-hotkeys needs --all-hotkeys")
		}
		return fs.orig(c, args)
	case !fs.multi:
		return usageErrorf("%s acts on one subnet: give one --netuid", c.CommandPath())
	case fs.allNetuids && (len(netuids) > 0 || fl.Changed("netuid")):
		return usageErrorf("--all-netuids and --netuid(s) contradict each other: give one")
	case fs.allHotkeys && (include != "" || fl.Changed("hotkey-ss58")):
		return usageErrorf("--all-hotkeys and --include-hotkeys/--hotkey-ss58 contradict each other: give one")
	case fs.exclude != "" && !fs.allHotkeys:
		return usageErrorf("--exclude-hotkeys needs --all-hotkeys")
	}
	targets, err := fs.targets(c, netuids, hotkeys)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return withCode(ExitNotFound, fmt.Errorf("no position matches: nothing to do"))
	}
	return fs.each(c, args, targets)
}

type stakeTarget struct{ netuid, hotkey string }

// targets lists the (netuid, hotkey) pairs, checked and in order.
func (fs *stakeFanout) targets(c *cobra.Command, netuids, hotkeys []string) ([]stakeTarget, error) {
	f := fs.f
	remove := c.Name() == "remove"
	var nets []uint16
	for _, n := range netuids {
		v, err := strconv.ParseUint(n, 10, 16)
		if err != nil {
			return nil, usageErrorf("--netuids: %q is not a netuid (give integers from 0 to 65535, comma-separated)", n)
		}
		nets = append(nets, uint16(v))
	}
	if len(nets) == 0 && !fs.allNetuids {
		if !c.Flags().Changed("netuid") {
			return nil, usageErrorf("--netuid is required: the subnet (or --netuids LIST, --all-netuids)")
		}
		v, _ := strconv.ParseUint(c.Flags().Lookup("netuid").Value.String(), 10, 16)
		nets = []uint16{uint16(v)}
	}
	// Hotkeys: as given, every hotkey of the wallet, or the one selected.
	type hk struct {
		label string
		id    wallet.AccountID
	}
	var hks []hk
	switch {
	case fs.allHotkeys:
		ks, err := f.Keystore()
		if err != nil {
			return nil, err
		}
		info, err := ks.Wallet(f.WalletName())
		if err != nil {
			return nil, err
		}
		excl := map[string]bool{}
		for _, e := range splitList(fs.exclude) {
			excl[e] = true
		}
		for _, h := range info.Hotkeys {
			if h.Err != nil || excl[h.Name] || excl[h.Info.Address()] {
				continue
			}
			hks = append(hks, hk{h.Name, h.Info.AccountID})
		}
	case len(hotkeys) > 0:
		for _, h := range hotkeys {
			id, err := resolveAccount(f, "--include-hotkeys", h, roleHotkey)
			if err != nil {
				return nil, err
			}
			hks = append(hks, hk{h, id})
		}
	default:
		flag := c.Flags().Lookup("hotkey-ss58").Value.String()
		id, err := stakeHotkey(f, flag)
		if err != nil {
			return nil, err
		}
		hks = []hk{{id.SS58(), id}}
	}
	s, err := openChain(c.Context(), f)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if fs.allNetuids && !remove {
		all, err := s.m.Subnets(s.ctx)
		if err != nil {
			return nil, chainErr(err)
		}
		for _, n := range all {
			if !n.Root {
				nets = append(nets, n.Netuid)
			}
		}
	}
	// For remove, keep the positions that exist.
	held := map[stakeTarget]bool{}
	if remove {
		cold, err := coldkeyOf(f, f.WalletName())
		if err != nil {
			return nil, err
		}
		stakes, err := s.m.StakesByColdkey(s.ctx, cold)
		if err != nil {
			return nil, chainErr(err)
		}
		for _, st := range stakes {
			if st.Alpha > 0 {
				held[stakeTarget{strconv.Itoa(int(st.Netuid)), st.Hotkey.SS58()}] = true
				if fs.allNetuids {
					nets = append(nets, st.Netuid)
				}
			}
		}
	}
	sort.Slice(nets, func(i, j int) bool { return nets[i] < nets[j] })
	var out []stakeTarget
	seen := map[stakeTarget]bool{}
	for _, n := range nets {
		for _, h := range hks {
			t := stakeTarget{strconv.Itoa(int(n)), h.id.SS58()}
			if seen[t] || (remove && (fs.allNetuids || fs.allHotkeys) && !held[t]) {
				continue
			}
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// each runs the command once per target.
func (fs *stakeFanout) each(c *cobra.Command, args []string, targets []stakeTarget) error {
	f := fs.f
	doc := stakeFanoutJSON{Command: strings.TrimPrefix(c.CommandPath(), "btui "), OK: true, Results: []json.RawMessage{}}
	realOut := f.IO.Out
	defer func() { f.IO.Out = realOut }()
	var runErr error
	for i, t := range targets {
		fmt.Fprintf(f.IO.ErrOut, "--- %d/%d: subnet %s, hotkey %s\n", i+1, len(targets), t.netuid, t.hotkey)
		if err := c.Flags().Set("netuid", t.netuid); err != nil {
			return err
		}
		if err := c.Flags().Set("hotkey-ss58", t.hotkey); err != nil {
			return err
		}
		var buf bytes.Buffer
		if f.Opts.JSON {
			f.IO.Out = &buf
		}
		runErr = fs.orig(c, args)
		if f.Opts.JSON && buf.Len() > 0 {
			doc.Results = append(doc.Results, json.RawMessage(bytes.TrimSpace(buf.Bytes())))
		}
		if runErr != nil {
			doc.OK = false
			if i > 0 || len(doc.Results) > 0 {
				runErr = fmt.Errorf("%w (stopped at %d of %d: subnet %s, hotkey %s; the ones before were submitted)", runErr, i+1, len(targets), t.netuid, t.hotkey)
			}
			break
		}
	}
	if f.Opts.JSON && len(doc.Results) > 0 {
		f.IO.Out = realOut
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(realOut, string(b)+"\n"); err != nil {
			return err
		}
	}
	return runErr
}
