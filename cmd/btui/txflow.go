package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The shared machinery of the operator commands (wallet balance/transfer, stake, subnets,
// weights, sudo, axon): opening the chain, resolving accounts, parsing amounts, and the
// transaction flow preview → confirm → unlock → sign → submit and wait → receipt.

// chainSession is one command's connection to the chain.
type chainSession struct {
	f   *Factory
	ctx context.Context
	c   chainclient.Client
	m   chainclient.Client
}

// openChain connects to --node (or BTUI_NODE) or opens the embedded devnet at --datadir,
// through the factory.
func openChain(ctx context.Context, f *Factory) (*chainSession, error) {
	c, err := f.Client()
	if err != nil {
		if errors.Is(err, chainclient.ErrInvalidURL) {
			return nil, usageErrorf("--node: %v", err)
		}
		return nil, err
	}
	return &chainSession{f: f, ctx: ctx, c: c, m: c}, nil
}

// Close releases the chain (the factory's client).
func (s *chainSession) Close() { _ = s.f.Close() }

// chainErr gives chain errors their exit codes: a rejected transaction 3, a missing subnet,
// block or transaction 5, anything else 1.
func chainErr(err error) error {
	if err == nil {
		return nil
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	if _, ok := protocol.CodeOf(err); ok {
		return withCode(ExitRejected, err)
	}
	if errors.Is(err, protocol.ErrNotFound) {
		return withCode(ExitNotFound, err)
	}
	return devnetOnlyErr(err)
}

// subnetInfo returns a subnet's row, with a clear not-found error (exit 5).
func (s *chainSession) subnetInfo(netuid uint16) (protocol.SubnetInfo, error) {
	si, err := s.m.Subnet(s.ctx, netuid)
	if errors.Is(err, protocol.ErrNotFound) {
		return si, withCode(ExitNotFound, fmt.Errorf("subnet %d does not exist (it was never created or has been dissolved): btui subnets list shows the live ones", netuid))
	}
	return si, chainErr(err)
}

// ---- Accounts ----

// isDevName reports whether s names a dev account ("//Alice").
func isDevName(s string) bool { return strings.HasPrefix(s, "//") }

// devAccount is the account of dev name under the global --crypto-type (devPair).
func devAccount(f *Factory, name string) (wallet.AccountID, error) {
	kp, err := devPair(f, name)
	if err != nil {
		return wallet.AccountID{}, withCode(ExitUsage, err)
	}
	defer kp.Zero()
	return kp.AccountID(), nil
}

// coldkeyOf returns a wallet's coldkey account without a password. A dev name ("//Alice")
// stands for the dev account.
func coldkeyOf(f *Factory, walletName string) (wallet.AccountID, error) {
	if isDevName(walletName) {
		return devAccount(f, walletName)
	}
	ks, err := f.Keystore()
	if err != nil {
		return wallet.AccountID{}, err
	}
	p, err := ks.ColdkeyPublic(walletName)
	if err != nil {
		return wallet.AccountID{}, err
	}
	return p.AccountID, nil
}

// hotkeyOf returns a hotkey's account without a password. A dev wallet's hotkey is its dev
// account; a dev name as hotkey is that dev account.
func hotkeyOf(f *Factory, walletName, hotkey string) (wallet.AccountID, error) {
	if isDevName(hotkey) {
		return devAccount(f, hotkey)
	}
	if isDevName(walletName) {
		return devAccount(f, walletName)
	}
	ks, err := f.Keystore()
	if err != nil {
		return wallet.AccountID{}, err
	}
	p, err := ks.HotkeyPublic(walletName, hotkey)
	if err != nil {
		return wallet.AccountID{}, err
	}
	return p.AccountID, nil
}

// walletAccounts returns a wallet's coldkey and one of its hotkeys without a password (dev
// names as in coldkeyOf and hotkeyOf).
func walletAccounts(f *Factory, walletName, hotkey string) (cold, hot wallet.AccountID, err error) {
	if cold, err = coldkeyOf(f, walletName); err != nil {
		return cold, hot, err
	}
	hot, err = hotkeyOf(f, walletName, hotkey)
	return cold, hot, err
}

// accountRole says how a bare name in an address argument is read.
type accountRole int

const (
	roleColdkey accountRole = iota // a bare name is a wallet: its coldkey
	roleHotkey                     // a bare name is a hotkey of the selected wallet
)

// resolveAccount reads an address argument: an SS58 address, a dev name (//Alice),
// wallet/hotkey, or a bare name — a wallet's coldkey (roleColdkey), or a hotkey of the selected
// wallet and else a wallet's hotkey (roleHotkey). flag names the argument in errors.
func resolveAccount(f *Factory, flag, s string, role accountRole) (wallet.AccountID, error) {
	s = strings.TrimSpace(s)
	if role == roleHotkey && s != "" && !isDevName(s) && !strings.Contains(s, "/") && !looksLikeSS58(s) {
		if _, ssErr := wallet.ParseAddress(s); ssErr != nil {
			id, err := hotkeyOf(f, f.WalletName(), s)
			if errors.Is(err, keystore.ErrNotFound) {
				// Not a hotkey of the selected wallet: a wallet of that name stands for its
				// hotkey (--wallet-hotkey, default "default").
				if wid, werr := hotkeyOf(f, s, f.HotkeyName()); werr == nil {
					return wid, nil
				}
			}
			if err != nil {
				if errors.Is(err, keystore.ErrInvalidName) {
					return id, usageErrorf("%s: %q is neither an SS58 address nor a hotkey name", flag, s)
				}
				if errors.Is(err, keystore.ErrNotFound) && isBase58(s) {
					// Not a hotkey or wallet name here, and written like an address: the
					// address is what is wrong (a short or mistyped SS58).
					return id, usageErrorf("%s: %q is not a valid SS58 address (%v), nor a hotkey of wallet %q or a wallet", flag, s, ssErr, f.WalletName())
				}
				return id, fmt.Errorf("%s: %w", flag, err)
			}
			return id, nil
		}
	}
	id, _, err := resolveAddress(f, s)
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			return id, err
		}
		return id, fmt.Errorf("%s: %w", flag, err)
	}
	return id, nil
}

// signerKey unlocks the key that signs: the coldkey of walletName (or the hotkey when
// hotkey != ""). A dev name stands for the dev key. The caller must Zero it.
func signerKey(f *Factory, walletName, hotkey string, pw passwordOptions) (wallet.Pair, error) {
	if hotkey != "" && isDevName(hotkey) {
		return devPair(f, hotkey)
	}
	if isDevName(walletName) {
		return devPair(f, walletName)
	}
	ks, err := f.Keystore()
	if err != nil {
		return nil, err
	}
	var key *keystore.Key
	if hotkey != "" {
		key, err = ks.LoadHotkey(walletName, hotkey, walletPasswordFunc(f, pw, fmt.Sprintf("hotkey %q of wallet %q", hotkey, walletName)))
	} else {
		key, err = ks.LoadColdkey(walletName, walletColdkeyPasswordFunc(f, ks, walletName, pw))
	}
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	return key.Pair, nil
}

// ---- Amounts ----

// parseTAOAmount parses a positive TAO amount with up to 9 decimals exactly (never through a
// float) into rao. flag names it in errors.
func parseTAOAmount(flag, s string) (uint64, error) {
	v, err := protocol.ParseTAO(s)
	if err != nil {
		return 0, usageErrorf("%s: %v", flag, err)
	}
	if v == 0 {
		return 0, usageErrorf("%s must be more than zero", flag)
	}
	if v > protocol.MaxSupply {
		return 0, usageErrorf("%s %s TAO is more than the maximum supply of %s", flag, protocol.TAODecimal(v), tao(protocol.MaxSupply))
	}
	return v, nil
}

// checkAmountOrAll fails (exit 2) unless exactly one of --amount and --all was given.
func checkAmountOrAll(amount string, all bool) error {
	if (amount == "") == !all {
		return usageErrorf("give exactly one of --amount and --all")
	}
	return nil
}

// amountOrAll parses --amount (TAO, or alpha for unstaking) into rao; with --all it is 0 until
// the chain's state says how much.
func amountOrAll(amount string, all bool) (uint64, error) {
	if all {
		return 0, nil
	}
	return parseTAOAmount("--amount", amount)
}

// parseDecimal parses a non-negative decimal with at most decimals fraction digits into an
// integer scaled by 10^decimals.
func parseDecimal(s string, decimals int) (uint64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, errors.New("is empty")
	case strings.HasPrefix(s, "-"):
		return 0, errors.New("is negative: amounts are positive")
	case strings.HasPrefix(s, "+"):
		return 0, errors.New("has a sign: write the plain number")
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" && frac == "" || dot && frac == "" && whole == "" {
		return 0, errors.New("is not a number")
	}
	if len(frac) > decimals {
		return 0, fmt.Errorf("has %d decimals, at most %d are allowed", len(frac), decimals)
	}
	digits := func(t string) bool {
		for _, c := range t {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	if !digits(whole) || !digits(frac) {
		return 0, errors.New("is not a decimal number (digits and one '.' only)")
	}
	scale := uint64(1)
	for range decimals {
		scale *= 10
	}
	var w uint64
	if whole != "" {
		var err error
		if w, err = strconv.ParseUint(whole, 10, 64); err != nil {
			return 0, errors.New("is too large")
		}
	}
	hi, lo := bits.Mul64(w, scale)
	if hi != 0 {
		return 0, errors.New("is too large")
	}
	var fv uint64
	if frac != "" {
		fv, _ = strconv.ParseUint(frac+strings.Repeat("0", decimals-len(frac)), 10, 64)
	}
	sum, carry := bits.Add64(lo, fv, 0)
	if carry != 0 {
		return 0, errors.New("is too large")
	}
	return sum, nil
}

// formatDecimal renders v/10^decimals without trailing zeros.
func formatDecimal(v uint64, decimals int) string {
	s := strconv.FormatUint(v, 10)
	if decimals == 0 {
		return s
	}
	for len(s) <= decimals {
		s = "0" + s
	}
	w, fr := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	if fr == "" {
		return w
	}
	return w + "." + fr
}

// tao renders rao as TAO ("1.5 TAO").
func tao(rao uint64) string { return protocol.FormatTAO(rao) }

// alphaAmount renders alpha rao as alpha ("1.5 α").
func alphaAmount(a uint64) string { return formatDecimal(a, 9) + " α" }

// ---- The transaction flow ----

// previewLine is one line of a preview or result shown to people.
type previewLine struct{ Label, Value string }

func printLines(w io.Writer, lines []previewLine) { printLinesIndent(w, "  ", lines) }

func printLinesIndent(w io.Writer, indent string, lines []previewLine) {
	width := 0
	for _, l := range lines {
		width = max(width, len(l.Label))
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%s%-*s  %s\n", indent, width, l.Label, l.Value)
	}
}

// txRequest is one transaction a command wants to send.
type txRequest struct {
	Command string           // "stake add"
	Title   string           // "Stake 10 TAO on 5F... in subnet 1"
	Signer  wallet.AccountID // who signs (known without a password)
	Call    protocol.Call
	Preview []previewLine // what it will do, for people
	// PreviewJSON is the command's preview object in the JSON result.
	PreviewJSON any
	// Unlock returns the signing key; the flow zeroes it.
	Unlock func() (wallet.Pair, error)
	// After, if set, reads the state after a successful inclusion (balances, stake, the new
	// netuid or uid from the events) for the result.
	After func(info *protocol.TxInfo) (any, []previewLine, error)
	// Sim is the plan's own dry run of the call, when it made one (ops' plans do).
	Sim *protocol.Simulation
}

// txPlan is a checked transaction and its preview, as its command confirms, unlocks and
// submits it with runTx: an ops plan (fromOps) or, for the actions ops does not plan yet, the
// command's own preparation. The console builds its confirmations from the same ops plans.
type txPlan struct {
	Title       string
	Signer      wallet.AccountID
	Call        protocol.Call
	Preview     []previewLine
	PreviewJSON any
	Sim         *protocol.Simulation // the chain's dry run, for plans made by ops
}

// request is the command's transaction for p.
func (p txPlan) request(command string, unlock func() (wallet.Pair, error), after func(*protocol.TxInfo) (any, []previewLine, error)) txRequest {
	return txRequest{Command: command, Title: p.Title, Signer: p.Signer, Call: p.Call, Preview: p.Preview,
		PreviewJSON: p.PreviewJSON, Unlock: unlock, After: after, Sim: p.Sim}
}

// txResultJSON is the JSON result of every transaction command.
type txResultJSON struct {
	Command     string            `json:"command"`
	Network     string            `json:"network"`
	GenesisHash protocol.Hash     `json:"genesis_hash"`
	OK          bool              `json:"ok"`
	Signer      wallet.AccountID  `json:"signer"`
	Call        protocol.CallInfo `json:"call"`
	Preview     any               `json:"preview"`
	Tx          txRefJSON         `json:"tx"`
	Receipt     protocol.Receipt  `json:"receipt"`
	Events      []protocol.Event  `json:"events"`
	After       any               `json:"after"`
}

// txRefJSON locates an included transaction.
type txRefJSON struct {
	Hash   protocol.TxHash `json:"hash"`
	Block  uint64          `json:"block"`
	Index  uint32          `json:"index"`
	Nonce  uint64          `json:"nonce"`
	Expiry uint64          `json:"expiry"`
}

// runTx shows the preview, asks for confirmation (or needs --yes without a terminal), unlocks
// the key, signs, submits and waits for inclusion, and prints the receipt and events. A
// rejected transaction or a failed call exits 3 with the receipt's code and message.
func runTx(s *chainSession, req txRequest) error {
	errOut := s.f.IO.ErrOut
	f := s.f
	if f.Opts.DryRun {
		return dryRun(s, req, req.Sim)
	}
	netw, err := s.network()
	if err != nil {
		return chainErr(err)
	}
	kp, err := confirmUnlock(s, req, netw, netw.prompt())
	if err != nil {
		return err
	}
	info, err := signSubmit(s, kp, req.Call)
	kp.Zero()
	if err != nil {
		return err
	}
	res := resultOf(req, netw, info)
	var afterLines []previewLine
	if req.After != nil && res.OK {
		a, lines, err := req.After(info)
		if err != nil {
			fmt.Fprintf(errOut, "warning: the transaction is included but reading the state after it failed: %v\n", err)
		} else {
			res.After, afterLines = a, lines
		}
	}
	if f.Opts.JSON {
		if err := walletPrintJSON(f.IO.Out, res); err != nil {
			return err
		}
	} else {
		printReceipt(f.IO.Out, info, afterLines)
	}
	if !res.OK {
		r := info.Receipt
		return withCode(ExitRejected, fmt.Errorf("the chain rejected the call in block %d: %s (code %d %s); only the fee of %s was charged",
			info.Height, r.Message, uint32(r.Code), r.CodeName, tao(r.Fee+r.Tip)))
	}
	return nil
}

// confirmUnlock prints the request's title, preview and network, asks question (the answer
// must be yes; --yes skips it, a session without a terminal needs --yes), unlocks the key and
// checks that it is the request's signer. The caller zeroes the key.
func confirmUnlock(s *chainSession, req txRequest, netw txNetwork, question string) (wallet.Pair, error) {
	f := s.f
	errOut := f.IO.ErrOut
	fmt.Fprintln(errOut, req.Title)
	printLines(errOut, req.Preview)
	printLines(errOut, []previewLine{netw.line()})
	if !f.Opts.Yes {
		if err := canPrompt(f, "confirmation of the transaction above", "add --yes to submit it without asking"); err != nil {
			return nil, err
		}
		ok, err := f.IO.Confirm(question)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errDeclined
		}
	}
	kp, err := req.Unlock()
	if err != nil {
		return nil, err
	}
	if kp.AccountID() != req.Signer {
		kp.Zero()
		return nil, fmt.Errorf("the unlocked key %s is not the expected signer %s", kp.AccountID(), req.Signer)
	}
	return kp, nil
}

// signSubmit signs call with kp, submits it and waits for its inclusion (a rejection is exit 3).
func signSubmit(s *chainSession, kp wallet.Pair, call protocol.Call) (*protocol.TxInfo, error) {
	txBytes, err := chainclient.Sign(s.ctx, s.c, kp, call, chainclient.SignOptions{})
	if err != nil {
		return nil, chainErr(err)
	}
	fmt.Fprintln(s.f.IO.ErrOut, "submitted; waiting for inclusion...")
	info, err := s.c.SubmitAndWait(s.ctx, txBytes)
	if err != nil {
		var te *protocol.TxError
		if errors.As(err, &te) {
			return nil, withCode(ExitRejected, fmt.Errorf("the chain rejected the transaction: %s (code %d %s); nothing was changed", te.Msg, te.Code, te.Code))
		}
		return nil, chainErr(err)
	}
	return info, nil
}

// resultOf is the JSON result of an included transaction on netw.
func resultOf(req txRequest, netw txNetwork, info *protocol.TxInfo) txResultJSON {
	res := txResultJSON{
		Command: req.Command, Network: netw.Name, GenesisHash: netw.Genesis, OK: info.Receipt.OK(), Signer: info.Signer, Call: info.Call, Preview: req.PreviewJSON,
		Tx:      txRefJSON{Hash: info.Hash, Block: info.Height, Index: info.Index, Nonce: info.Nonce, Expiry: info.Expiry},
		Receipt: info.Receipt, Events: info.Events,
	}
	if res.Events == nil {
		res.Events = []protocol.Event{}
	}
	return res
}

// printReceipt is the human result of a transaction.
func printReceipt(w io.Writer, info *protocol.TxInfo, after []previewLine) {
	status := "ok"
	if !info.Receipt.OK() {
		status = fmt.Sprintf("FAILED: %s (code %d %s)", info.Receipt.Message, uint32(info.Receipt.Code), info.Receipt.CodeName)
	}
	lines := []previewLine{
		{"transaction", info.Hash.String()},
		{"block", fmt.Sprintf("%d (index %d)", info.Height, info.Index)},
		{"result", status},
		{"fee", tao(info.Receipt.Fee + info.Receipt.Tip)},
	}
	printLines(w, lines)
	if len(info.Events) > 0 {
		fmt.Fprintln(w, "  events:")
		for _, e := range info.Events {
			fmt.Fprintf(w, "    %s\n", formatEvent(e))
		}
	}
	if len(after) > 0 {
		fmt.Fprintln(w, "  after:")
		printLinesIndent(w, "    ", after)
	}
}

// formatEvent renders an event as "module.Name key=value ...".
func formatEvent(e protocol.Event) string { return eventLine(e) }

// ---- Reads ----

// printJSONOr prints v as the one JSON document with --json, or calls human.
func printJSONOr(f *Factory, v any, human func(w io.Writer)) error {
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, v)
	}
	human(f.IO.Out)
	return nil
}

// u16Fraction renders a u16 proportion (x/65535) with 4 decimals.
func u16Fraction(v uint16) string {
	return strconv.FormatFloat(float64(v)/65535, 'f', 4, 64) // display only
}

// requireFlag fails with a usage error naming flag unless it was given.
func requireFlag(changed bool, flag, hint string) error {
	if !changed {
		return usageErrorf("%s is required: %s", flag, hint)
	}
	return nil
}

// addTxFlags adds the flags every transaction command has: the password sources, the traps
// for secrets on the command line, --dry-run, and --offline with the values it needs
// (offline.go), checked before the command runs.
func addTxFlags(f *Factory, cmd *cobra.Command, pw *passwordOptions, off *offlineOptions) {
	addPasswordFlags(cmd, pw)
	secretFlagTraps(cmd)
	addDryRunFlag(cmd)
	addOfflineFlags(f, cmd, off, false)
	cmd.Long += "\n\n" + offlineHelp
	if cmd.PreRunE != nil {
		panic("addTxFlags: " + cmd.Name() + " has its own PreRunE")
	}
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := checkSecretFlagTraps(cmd); err != nil {
			return err
		}
		return off.check()
	}
}

// coldkeyUnlock returns the Unlock of a transaction signed by a wallet's coldkey.
func coldkeyUnlock(f *Factory, walletName string, pw passwordOptions) func() (wallet.Pair, error) {
	return func() (wallet.Pair, error) { return signerKey(f, walletName, "", pw) }
}

// hotkeyUnlock returns the Unlock of a transaction signed by a hotkey.
func hotkeyUnlock(f *Factory, walletName, hotkey string, pw passwordOptions) func() (wallet.Pair, error) {
	return func() (wallet.Pair, error) { return signerKey(f, walletName, hotkey, pw) }
}

// free returns an account's free balance.
func (s *chainSession) free(id wallet.AccountID) (uint64, error) {
	a, err := s.c.Account(s.ctx, id)
	return a.Free, chainErr(err)
}

// coverFee reads who's free balance and fails (exit 2, nothing submitted) unless it covers
// fee; what names the transaction in that error.
func (s *chainSession) coverFee(who wallet.AccountID, fee uint64, what string) (free uint64, err error) {
	if free, err = s.free(who); err != nil {
		return 0, err
	}
	return free, needFunds(who, free, 0, fee, what)
}

// needFunds fails (exit 2, nothing submitted) unless have covers want plus the fee.
func needFunds(who wallet.AccountID, have, want, fee uint64, what string) error {
	if want > ^uint64(0)-fee || have < want+fee {
		return usageErrorf("insufficient balance: %s has %s, %s needs %s plus the %s fee; nothing was submitted",
			who, tao(have), what, tao(want), tao(fee))
	}
	return nil
}

// withWalletChainCommands adds the chain-facing wallet commands (balance, overview, transfer,
// swap-hotkey) to the wallet group.
func withWalletChainCommands(f *Factory, w *cobra.Command) *cobra.Command {
	w.AddCommand(
		newCmdWalletBalance(f, nil),
		newCmdWalletOverview(f, nil),
		newCmdWalletTransfer(f, nil),
		newCmdWalletSwapHotkey(f, nil),
		newCmdWalletSwapColdkey(f, nil),
		newCmdWalletSetIdentity(f),
	)
	return w
}

// usageArgs makes a positional-argument check's error a usage error (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return withCode(ExitUsage, fmt.Errorf("%w (see btui %s --help)", err, cmd.CommandPath()[len("btui "):]))
		}
		return nil
	}
}

// eventAttr returns attribute key of the transaction's first event called name.
func eventAttr(info *protocol.TxInfo, name, key string) (string, bool) {
	for _, e := range info.Events {
		if e.Name == name {
			for _, a := range e.Attrs {
				if a.Key == key {
					return a.Value, true
				}
			}
		}
	}
	return "", false
}
