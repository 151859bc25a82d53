package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/tui"
	"github.com/btui/btui/wallet"
)

// runTUI opens the full-screen console over the embedded devnet (running its block producer
// while the console is open) or over a `btui node` (--node, BTUI_NODE). Its Simulation page
// runs scenarios in real time (tuiSim); on a fresh embedded devnet the first-run screen
// offers the demo market (BTUI_DEMO=0 never offers it, BTUI_DEMO=1 offers it against a node
// too).
func runTUI(ctx context.Context, f *Factory) error {
	store, err := f.Keystore()
	if err != nil {
		return err
	}
	client, network, err := openTUIChain(f)
	if err != nil {
		return err
	}
	defer client.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	noColor := f.getenv("NO_COLOR") != ""
	app := tui.New(tui.Options{
		Keys:      tuiKeys{store: store},
		Client:    client,
		Tx:        tuiTx{f: f, client: client},
		Simulator: tuiSim{client: client},
		OfferDemo: offerDemo(f),
		Context:   ctx,
		Network:   network,
		Wallet:    explicitWallet(f),
		Hotkey:    explicitHotkey(f),
		StatePath: consoleStatePath(f),
		NoColor:   noColor,
	})
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if noColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err = tea.NewProgram(app, opts...).Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		return context.Canceled // exit code 130
	}
	return fmt.Errorf("the console stopped: %w", err)
}

// consoleStatePath is the console's state file beside the config file (the last wallet,
// hotkey and page, weights commits waiting for their reveal); "" when there is no config
// directory (the state then lives in memory).
func consoleStatePath(f *Factory) string {
	p := f.ConfigPath()
	if p == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(p), "console-state.json")
}

// explicitWallet is the wallet named by --wallet-name, BTUI_WALLET_NAME or the config file;
// "" lets the console take the one remembered from the last session.
func explicitWallet(f *Factory) string {
	if f.Opts.WalletName != "" || f.getenv("BTUI_WALLET_NAME") != "" || f.configValue("wallet-name") != "" {
		return f.WalletName()
	}
	return ""
}

// explicitHotkey is explicitWallet for the hotkey.
func explicitHotkey(f *Factory) string {
	if f.Opts.Hotkey != "" || f.getenv("BTUI_WALLET_HOTKEY") != "" || f.configValue("wallet-hotkey") != "" {
		return f.HotkeyName()
	}
	return ""
}

// openTUIChain connects to the node named by --node/BTUI_NODE, or opens the embedded devnet
// and starts its producer (the console is a long-running process, spec/chain.md).
func openTUIChain(f *Factory) (chainclient.Client, string, error) {
	if n := f.Network(); n.Kind == chainclient.NetworkSubtensor {
		c, err := dialSubtensor(n)
		if err != nil {
			return nil, "", err
		}
		return c, consoleNetworkLabel(n, c), nil
	}
	if url := f.NodeURL(); url != "" {
		c, err := chainclient.NewRemote(url, chainclient.WithToken(f.getenv("BTUI_NODE_TOKEN")))
		if err != nil {
			return nil, "", err
		}
		return c, c.Endpoint(), nil
	}
	e, err := chainclient.OpenEmbedded(f.DataDir())
	if err != nil {
		return nil, "", err
	}
	if err := e.Chain().Start(); err != nil {
		e.Close()
		return nil, "", fmt.Errorf("start the devnet's block producer: %w", err)
	}
	return e, "embedded devnet", nil
}

// tuiTx prepares the console's transactions by calling each command's own preparation
// (planTransfer, planStakeAdd, planStakeRemove, planStakeMove, planBurnedRegister,
// planPowRegister, planSudoSet, the weights plans, tradeOptions.validate): the same checks,
// messages (in the console's words, consoleErr), preview and call as the command, which
// tui_cmd_parity_test.go proves on a devnet.
type tuiTx struct {
	f      *Factory
	client chainclient.Client
}

var _ tui.TxBuilder = tuiTx{}

func (t tuiTx) session(ctx context.Context) *chainSession {
	return &chainSession{f: t.f, ctx: ctx, c: t.client, m: t.client}
}

// signer returns the Sign function of a ticket for call.
func (t tuiTx) signer(call protocol.Call) func(context.Context, *wallet.Keypair) ([]byte, error) {
	return func(ctx context.Context, kp *wallet.Keypair) ([]byte, error) {
		return chainclient.Sign(ctx, t.client, kp, call, chainclient.SignOptions{})
	}
}

func tuiPreview(lines []previewLine) []tui.PreviewLine {
	out := make([]tui.PreviewLine, len(lines))
	for i, l := range lines {
		out[i] = tui.PreviewLine{Label: l.Label, Value: l.Value}
	}
	return out
}

// ticket is the console's confirmation of a plan: the command's title, preview and call,
// with the equivalent command line.
func (t tuiTx) ticket(p txPlan, command string) tui.Ticket {
	tk := tui.Ticket{Title: p.Title, Preview: tuiPreview(p.Preview), Command: command, Call: p.Call, Sign: t.signer(p.Call)}
	if p.Signer != (wallet.AccountID{}) {
		tk.Signer = p.Signer.SS58()
	}
	return tk
}

// consoleFlagWords maps the flag names the commands' messages use for a value to the words
// of the console's forms, which have fields, not flags: "--amount 5 α is more than ..."
// reads "5 α is more than ...", "--dest is the sender itself" reads "the destination is the
// sender itself", and --tolerance, --value, --uids and --weights read as the field's name.
// Other flags a message names (--all, --allow-death, --unsafe) are advice about the command
// line, which the ticket's Command shows, and stay as they are.
var consoleFlagWords = strings.NewReplacer("--amount ", "", "--dest ", "the destination ", "--tolerance", "tolerance",
	"--value ", "value ", "--uids", "uids", "--weights", "weights",
	// advice naming a flag the console has as a form field or has not at all
	"pass --allow-partial", "switch allow partial on (space)",
	"; use --unsafe for no limit", "",
	" or pass --unsafe", "",
	", or pass --allow-death (or --all)", " (the console keeps the existential deposit; `btui wallet transfer --allow-death` closes the account)",
	" (or --all)", "",
	", or all of it (--all)", ", or all of it")

// consoleError is a command's error in the console's words (consoleFlagWords); it unwraps
// to the command's error, exit code included.
type consoleError struct {
	msg string
	err error
}

func (e *consoleError) Error() string { return e.msg }
func (e *consoleError) Unwrap() error { return e.err }

// consoleErr is err as the console shows it.
func consoleErr(err error) error {
	if err == nil {
		return nil
	}
	msg := consoleFlagWords.Replace(err.Error())
	if msg == err.Error() {
		return err
	}
	return &consoleError{msg: msg, err: err}
}

// tuiTrade turns the console's price guard into the stake commands' trade options with the
// commands' own check (tradeOptions.validate), so the console accepts and refuses exactly
// what --tolerance and --allow-partial do; the message names the field ("tolerance").
func tuiTrade(tr tui.Trade) (tradeOptions, error) {
	o := tradeOptions{Tolerance: tr.Tolerance, AllowPartial: tr.AllowPartial}
	return o, consoleErr(o.validate(false))
}

// tradeFlags is the command-line form of a trade guard that differs from the default.
func tradeFlags(o tradeOptions) string {
	s := ""
	if o.tolPPM != defaultTolerancePPM {
		s += " --tolerance " + o.Tolerance
	}
	if o.AllowPartial {
		s += " --allow-partial"
	}
	return s
}

// MoveStake prepares `btui stake move` with planStakeMove: alpha of the wallet's position
// on (hot, from) moves to (destHot, to), with the command's checks, two-leg quote and
// minimum-stake rule.
func (t tuiTx) MoveStake(ctx context.Context, walletName string, hot wallet.AccountID, from uint16, destHot wallet.AccountID, to uint16, amount uint64, tr tui.Trade) (tui.Ticket, error) {
	trade, err := tuiTrade(tr)
	if err != nil {
		return tui.Ticket{}, err
	}
	cold, err := coldkeyOf(t.f, walletName)
	if err != nil {
		return tui.Ticket{}, err
	}
	p, err := planStakeMove(t.session(ctx), stakeMoveInput{Kind: kindMove, Cold: cold, Hot: hot, DestCold: cold, DestHot: destHot,
		Origin: from, Dest: to, Amount: amount, Trade: trade})
	if err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	return t.ticket(p, fmt.Sprintf("btui stake move --wallet-name %s --hotkey-ss58 %s --origin-netuid %d --dest-hotkey %s --dest-netuid %d --amount %s%s", walletName, hot, from, destHot, to, formatDecimal(amount, 9), tradeFlags(trade))), nil
}

// BurnedRegister prepares `btui subnets register` (no --max-burn) with planBurnedRegister.
func (t tuiTx) BurnedRegister(ctx context.Context, walletName, hotkey string, netuid uint16) (tui.Ticket, error) {
	p, err := planBurnedRegister(t.session(ctx), walletName, hotkey, netuid, 0)
	if err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	return t.ticket(p, fmt.Sprintf("btui subnets register --wallet-name %s --wallet-hotkey %s --netuid %d", walletName, hotkey, netuid)), nil
}

// PowRegister prepares `btui subnets pow-register` for the console without solving: the
// preview gives the terms (difficulty, fee) and the ticket's Work solves the proof of work
// with the command's solver (planPowRegister) only after the coldkey is unlocked, then signs
// at once. Work solved before the confirmation and the password went stale on a producing
// chain (it is valid for 3 blocks); solved after the unlock it is sent within a block of
// being found.
func (t tuiTx) PowRegister(ctx context.Context, walletName, hotkey string, netuid uint16) (tui.Ticket, error) {
	s := t.session(ctx)
	r, err := registrationPreflight(s, walletName, hotkey, netuid, true)
	if err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	if err := needFunds(r.cold, r.free, 0, r.fee, "the registration"); err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	cold := r.cold
	tk := tui.Ticket{
		Title: fmt.Sprintf("Register hotkey %s on subnet %d with proof of work", r.hot, netuid),
		Preview: []tui.PreviewLine{
			{Label: "hotkey", Value: r.hot.SS58()},
			{Label: "coldkey", Value: cold.SS58() + " (pays the fee)"},
			{Label: "difficulty", Value: fmt.Sprintf("%d (about %d hashes)", r.h.Difficulty, r.h.Difficulty)},
			{Label: "fee", Value: tao(r.fee)},
			{Label: "work", Value: "solved after you unlock the coldkey, then sent at once"},
		},
		Command: fmt.Sprintf("btui subnets pow-register --wallet-name %s --wallet-hotkey %s --netuid %d", walletName, hotkey, netuid),
		Signer:  cold.SS58(),
	}
	tk.Work = func(ctx context.Context, kp *wallet.Keypair, progress func(hashes, expected uint64)) ([]byte, error) {
		var done uint64
		p, err := planPowRegister(t.session(ctx), powRegisterInput{Wallet: walletName, Hotkey: hotkey, Netuid: netuid, NoTimeout: true,
			Progress: func(hashes, expected uint64, _ time.Duration, _ bool) { done = hashes; progress(hashes, expected) }})
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("proof of work stopped after %d hashes: nothing was sent: %w", done, err)
		}
		if err != nil {
			return nil, consoleErr(err)
		}
		return chainclient.Sign(ctx, t.client, kp, p.Call, chainclient.SignOptions{})
	}
	return tk, nil
}

// SetHyperparameter prepares `btui sudo set` with newSudoSetInput and planSudoSet: the owner
// or the sudo account sets a subnet hyperparameter, with the command's name, bounds and
// permission checks and preview.
func (t tuiTx) SetHyperparameter(ctx context.Context, walletName string, netuid uint16, name, value string) (tui.Ticket, error) {
	in, err := newSudoSetInput(t.f, walletName, netuid, name, value)
	if err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	p, err := planSudoSet(t.session(ctx), in)
	if err != nil {
		return tui.Ticket{}, consoleErr(err)
	}
	return t.ticket(p, fmt.Sprintf("btui sudo set --wallet-name %s --netuid %d --param %s --value %s", walletName, netuid, name, value)), nil
}

// tuiKeys adapts the keystore to the console's Keys interface, with the same key generation
// and derivation as the wallet commands.
type tuiKeys struct{ store *keystore.Store }

var _ tui.Keys = tuiKeys{}

// ListWallets lists the wallets with their coldkey and hotkey addresses.
func (k tuiKeys) ListWallets() ([]tui.WalletInfo, error) {
	ws, err := k.store.List()
	if err != nil {
		return nil, err
	}
	out := make([]tui.WalletInfo, 0, len(ws))
	for _, w := range ws {
		wi := tui.WalletInfo{Name: w.Name}
		switch {
		case w.ColdkeyPub != nil && w.ColdkeyPub.Err == nil:
			wi.Address = w.ColdkeyPub.Info.AccountID.SS58()
		case w.Coldkey != nil && w.Coldkey.Err == nil:
			wi.Address = w.Coldkey.Info.AccountID.SS58()
		}
		if w.Coldkey != nil && w.Coldkey.Err == nil {
			wi.Encrypted = w.Coldkey.Info.Encrypted
		}
		for _, h := range w.Hotkeys {
			if h.Err != nil {
				continue
			}
			wi.Hotkeys = append(wi.Hotkeys, tui.HotkeyInfo{Name: h.Name, Address: h.Info.AccountID.SS58()})
		}
		out = append(out, wi)
	}
	return out, nil
}

func walletInfoOf(name string, kp *wallet.Keypair) tui.WalletInfo {
	return tui.WalletInfo{Name: name, Address: kp.Address(), Encrypted: true}
}

// CreateWallet writes a new encrypted coldkey from a fresh 12-word mnemonic.
func (k tuiKeys) CreateWallet(name string, password []byte) (string, tui.WalletInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.WalletInfo{}, err
	}
	defer sec.Keypair.Zero()
	nk := sec.newKey(true, bytes.Clone(password))
	defer clear(nk.Password)
	if err := k.store.WriteColdkey(name, nk, false); err != nil {
		return "", tui.WalletInfo{}, err
	}
	return sec.Mnemonic, walletInfoOf(name, sec.Keypair), nil
}

// ImportWallet restores an encrypted coldkey from a mnemonic or SURI.
func (k tuiKeys) ImportWallet(name, mnemonic string, password []byte) (tui.WalletInfo, error) {
	nk, err := walletFromSURI([]byte(mnemonic))
	if err != nil {
		return tui.WalletInfo{}, err
	}
	defer walletZeroNewKey(nk)
	nk.Encrypt, nk.Password = true, bytes.Clone(password)
	if err := k.store.WriteColdkey(name, *nk, false); err != nil {
		return tui.WalletInfo{}, err
	}
	return walletInfoOf(name, nk.Keypair), nil
}

// NewHotkey writes a new plaintext hotkey (as btcli does) from a fresh mnemonic.
func (k tuiKeys) NewHotkey(walletName, hotkey string) (string, tui.HotkeyInfo, error) {
	sec, err := walletGenerate(12, "")
	if err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	defer sec.Keypair.Zero()
	if err := k.store.WriteHotkey(walletName, hotkey, sec.newKey(false, nil), false); err != nil {
		return "", tui.HotkeyInfo{}, err
	}
	return sec.Mnemonic, tui.HotkeyInfo{Name: hotkey, Address: sec.Keypair.Address()}, nil
}

// UnlockColdkey decrypts the coldkey; the caller zeroes the key.
func (k tuiKeys) UnlockColdkey(walletName string, password []byte) (*wallet.Keypair, error) {
	key, err := k.store.LoadColdkey(walletName, func() ([]byte, error) { return bytes.Clone(password), nil })
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	if key.Keypair == nil {
		return nil, tuiNotEcdsa(key)
	}
	return key.Keypair, nil
}

// Hotkey loads a hotkey; an encrypted one is refused with what to do.
func (k tuiKeys) Hotkey(walletName, hotkey string) (*wallet.Keypair, error) {
	key, err := k.store.LoadHotkey(walletName, hotkey, func() ([]byte, error) {
		return nil, fmt.Errorf("hotkey %q of wallet %q is encrypted: the console signs with plaintext hotkeys only; use the command line", hotkey, walletName)
	})
	if err != nil {
		return nil, err
	}
	clear(key.Mnemonic)
	clear(key.Path)
	if key.Keypair == nil {
		return nil, tuiNotEcdsa(key)
	}
	return key.Keypair, nil
}

// tuiNotEcdsa refuses an sr25519 key in the console, whose Keys interface still hands out ECDSA
// key pairs (wipes the key).
func tuiNotEcdsa(key *keystore.Key) error {
	addr, scheme := key.Pair.Address(), key.Pair.Scheme()
	key.Zero()
	return fmt.Errorf("%s is an %s key: the console signs with ecdsa keys for now; the command line signs with it (btui wallet sign, wallet transfer, stake ...)", addr, scheme)
}
