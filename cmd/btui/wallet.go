package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// newCmdWallet is the `btui wallet` group.
func newCmdWallet(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "wallet <command>",
		Aliases: []string{"w", "wallets"},
		Short:   "Create, restore, list, inspect and use coldkeys and hotkeys",
		Long: `Manage coldkeys and hotkeys. A wallet is a directory under the wallet path:

  <wallet-path>/<wallet>/coldkey            encrypted keyfile (argon2id + XChaCha20-Poly1305),
                                            unencrypted only when created with --no-password
  <wallet-path>/<wallet>/coldkeypub.txt     public: address and public key
  <wallet-path>/<wallet>/hotkeys/<hotkey>   plaintext seed by default, encrypted with --use-password

Keys are Substrate-compatible secp256k1 (ECDSA) accounts: the same mnemonic and path give the same
address as subkey --scheme ecdsa and polkadot.js.

Secrets never come from the command line. Passwords: a prompt without echo, or --password-file
PATH, --password-stdin, or env BTUI_PASSWORD (one trailing newline is dropped from a file or
stdin; nothing else is trimmed; empty passwords are refused). Mnemonics and secret URIs
(phrase//hard///password, or a 0x seed): a prompt, --mnemonic-file PATH or --mnemonic-stdin;
--uri takes dev paths such as //Alice. Without a terminal, or with --yes, a command that would
have to prompt fails and names the flag to pass.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for \"btui wallet\": run btui wallet --help", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(
		newCmdWalletCreate(f, nil),
		newCmdWalletNewColdkey(f, nil),
		newCmdWalletNewHotkey(f, nil),
		newCmdWalletRegenColdkey(f, nil),
		newCmdWalletRegenColdkeypub(f, nil),
		newCmdWalletRegenHotkey(f, nil),
		newCmdWalletList(f, nil),
		newCmdWalletInspect(f, nil),
		newCmdWalletSign(f, nil),
		newCmdWalletVerify(f, nil),
		newCmdWalletChangePassword(f, nil),
		newCmdWalletAddWatch(f, nil),
		newCmdWalletConvert(f, nil),
		newCmdWalletExport(f, nil),
	)
	return cmd
}

// walletKeyJSON is the stable JSON shape of one key in every wallet command's output.
type walletKeyJSON struct {
	Name      string `json:"name"` // "coldkey" or the hotkey's name
	Address   string `json:"address"`
	AccountID string `json:"account_id"`
	// PublicKey is "" when unknown (a coldkeypub.txt restored from an SS58 address).
	PublicKey string `json:"public_key"`
	// Encrypted is false for plaintext hotkeys and --no-password coldkeys.
	Encrypted bool `json:"encrypted"`
	// Keyfile is false for a watch-only coldkey (coldkeypub.txt only).
	Keyfile bool           `json:"keyfile"`
	File    string         `json:"file"`
	KDF     *walletKDFJSON `json:"kdf"`   // null for plaintext keys
	Error   string         `json:"error"` // "" when the file was read
	// Scheme is "ecdsa" or "sr25519"; Format is the file's format, "btui" or "btcli".
	Scheme string `json:"scheme"`
	Format string `json:"format"`
}

type walletKDFJSON struct {
	Name      string `json:"name"`
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

func walletKDF(p *keystore.KDFParams) *walletKDFJSON {
	if p == nil {
		return nil
	}
	return &walletKDFJSON{Name: "argon2id", Time: p.Time, MemoryKiB: p.Memory, Threads: p.Threads}
}

func walletKeyFromInfo(name, file string, p keystore.PublicInfo, keyfile bool, kdf *keystore.KDFParams) walletKeyJSON {
	k := walletKeyJSON{Name: name, Address: p.Address(), AccountID: p.AccountID.Hex(), Encrypted: p.Encrypted,
		Keyfile: keyfile, File: file, KDF: walletKDF(kdf), Scheme: p.Scheme().String(), Format: p.Format.String()}
	k.PublicKey = p.PublicKeyHex()
	if kdf != nil && p.Format == keystore.FormatBtcli {
		k.KDF.Name = "argon2i"
	}
	return k
}

func walletKeyFromKeypair(name, file string, kp wallet.Pair, encrypted bool, kdf keystore.KDFParams) walletKeyJSON {
	k := walletKeyJSON{Name: name, Address: kp.Address(), AccountID: kp.AccountID().Hex(), PublicKey: "0x" + hex.EncodeToString(kp.PublicBytes()),
		Encrypted: encrypted, Keyfile: true, File: file, Scheme: kp.Scheme().String(), Format: keystore.FormatBtui.String()}
	if encrypted {
		k.KDF = walletKDF(&kdf)
	}
	return k
}

// walletPrintJSON writes v as the command's one JSON document.
func walletPrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// walletEncLabel is how encryption is shown to people: an unencrypted key is always marked.
func walletEncLabel(encrypted bool) string {
	if encrypted {
		return "encrypted"
	}
	return "UNENCRYPTED"
}

func walletWarn(f *Factory, ws []keystore.Warning) {
	for _, w := range ws {
		fmt.Fprintln(f.IO.ErrOut, "warning: "+w.String())
	}
}

// walletWarnMismatch warns on stderr when a wallet's coldkeypub.txt names another account
// than its coldkey file (as wallet list reports it): what is shown is coldkeypub.txt's.
func walletWarnMismatch(f *Factory, w keystore.WalletInfo) {
	if w.Mismatch != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: wallet %s: %v; the address shown is coldkeypub.txt's (restore it with btui wallet regen-coldkeypub)\n", w.Name, w.Mismatch)
	}
}

// walletWarnPermissions prints permission warnings for an existing wallet.
func walletWarnPermissions(f *Factory, s *keystore.Store, name string) {
	if ws, err := s.CheckPermissions(name); err == nil {
		walletWarn(f, ws)
	}
}

// walletTarget is a file a command is about to create; what names it after "already has"
// ("a coldkey", "hotkey \"miner\"").
type walletTarget struct {
	path string
	what string
}

// walletExistsError is keystore.ErrExists with a message that lists what exists.
type walletExistsError struct{ msg string }

func (e *walletExistsError) Error() string        { return e.msg }
func (e *walletExistsError) Is(target error) bool { return target == keystore.ErrExists }

// walletJoin joins items as "a, b and c".
func walletJoin(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// walletCheckTargets refuses to replace existing files without --overwrite, and asks (or
// needs --yes) before replacing them with it. It runs before any secret is asked.
func walletCheckTargets(f *Factory, walletName string, overwrite bool, targets ...walletTarget) error {
	var existing []string
	for _, t := range targets {
		if _, err := os.Lstat(t.path); err == nil {
			existing = append(existing, t.what)
		}
	}
	if len(existing) == 0 {
		return nil
	}
	it := "it"
	if len(existing) > 1 {
		it = "them"
	}
	has := fmt.Sprintf("wallet %q already has %s", walletName, walletJoin(existing))
	if !overwrite {
		return &walletExistsError{msg: has + ": nothing was written; pass --overwrite to replace " + it}
	}
	if f.Opts.Yes {
		return nil
	}
	if err := canPrompt(f, "confirmation ("+has+")", "add --yes to replace "+it+" without asking"); err != nil {
		return err
	}
	ok, err := f.IO.Confirm(fmt.Sprintf("%s. Replace %s? The old keys are lost unless you have their mnemonics.", strings.ToUpper(has[:1])+has[1:], it))
	if err != nil {
		return err
	}
	if !ok {
		return errDeclined
	}
	return nil
}

// walletExplain adds what to do next to keystore errors.
func walletExplain(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keystore.ErrExists) && !strings.Contains(err.Error(), "--overwrite"):
		return fmt.Errorf("%w: nothing was written; pass --overwrite to replace it", err)
	case errors.Is(err, keystore.ErrMismatch) && strings.Contains(err.Error(), "coldkeypub.txt"):
		return fmt.Errorf("%w: find out which one is right; btui wallet regen-coldkeypub or regen-coldkey --overwrite repairs the other", err)
	}
	return err
}

// walletValidateWords checks --words.
func walletValidateWords(n int) error {
	switch n {
	case 12, 15, 18, 21, 24:
		return nil
	}
	return usageErrorf("--words must be 12, 15, 18, 21 or 24, not %d", n)
}

// walletNewSecret is a key made by a create command: from a fresh mnemonic, or from a dev
// --uri. The caller must zero it.
type walletNewSecret struct {
	// Pair is the key of either scheme; Keypair is Pair when it is ECDSA (nil for sr25519).
	Pair     wallet.Pair
	Keypair  *wallet.Keypair
	Mnemonic string // "" for dev keys
	URI      string
}

func walletGenerate(words int, uri string) (*walletNewSecret, error) {
	return walletGenerateScheme(words, uri, wallet.Ecdsa)
}

// walletGenerateScheme makes a new key of the scheme from a fresh mnemonic or a dev uri.
func walletGenerateScheme(words int, uri string, scheme wallet.Scheme) (*walletNewSecret, error) {
	if uri != "" {
		uri = devURI(uri)
		if !strings.HasPrefix(uri, "//") {
			return nil, errSecretOnArgv("a mnemonic or seed in --uri")
		}
		kp, err := wallet.PairFromSURI(scheme, uri)
		if err != nil {
			return nil, err
		}
		return newWalletSecret(kp, "", uri), nil
	}
	m, err := wallet.NewMnemonic(words)
	if err != nil {
		return nil, err
	}
	kp, err := wallet.PairFromSURI(scheme, m)
	if err != nil {
		return nil, err
	}
	return newWalletSecret(kp, m, ""), nil
}

func newWalletSecret(p wallet.Pair, mnemonic, uri string) *walletNewSecret {
	s := &walletNewSecret{Pair: p, Mnemonic: mnemonic, URI: uri}
	if e, ok := p.(*wallet.Keypair); ok {
		s.Keypair = e
	}
	return s
}

// newKey is what the keystore writes for this secret: the mnemonic goes into encrypted files
// only (the keystore drops it from plaintext ones).
func (s *walletNewSecret) newKey(encrypt bool, password []byte) keystore.NewKey {
	nk := keystore.NewKey{Pair: s.Pair, Encrypt: encrypt, Password: password}
	if s.Mnemonic != "" {
		nk.Mnemonic = []byte(s.Mnemonic)
	} else if s.URI != "" {
		nk.Mnemonic, nk.Path = []byte(wallet.DevPhrase), []byte(s.URI)
	}
	return nk
}

// walletFromSURI derives a key from a secret URI and splits it into what an encrypted file
// keeps: the phrase (not a 0x seed, which the seed itself covers) and the path with its
// ///password.
func walletFromSURI(suri []byte) (*keystore.NewKey, error) {
	return walletFromSURIScheme(suri, wallet.Ecdsa)
}

// walletFromSURIScheme is walletFromSURI for a key of the scheme. A mnemonic is normalised first
// (case and spacing, as btcli accepts it).
func walletFromSURIScheme(suri []byte, scheme wallet.Scheme) (*keystore.NewKey, error) {
	suri = normalizeMnemonic(suri)
	defer clear(suri)
	s, err := wallet.ParseSURIScheme(scheme, string(suri))
	if err != nil {
		return nil, err
	}
	kp, err := wallet.PairFromSURI(scheme, string(suri))
	if err != nil {
		return nil, err
	}
	nk := &keystore.NewKey{Pair: kp}
	if e, ok := kp.(*wallet.Keypair); ok {
		nk.Keypair = e
	}
	if !s.IsSeed() {
		nk.Mnemonic = []byte(s.Phrase)
	}
	path := s.Path()
	if s.Password != "" {
		path += "///" + s.Password
	}
	if path != "" {
		nk.Path = []byte(path)
	}
	return nk, nil
}

// walletZeroNewKey wipes what walletFromSURI returned.
func walletZeroNewKey(nk *keystore.NewKey) {
	if nk == nil {
		return
	}
	if nk.Pair != nil {
		nk.Pair.Zero()
	}
	if nk.Keypair != nil {
		nk.Keypair.Zero()
	}
	clear(nk.Mnemonic)
	clear(nk.Path)
	clear(nk.Password)
}

// walletPasswordFunc asks for an existing key's password only when the keystore finds the key
// encrypted. key describes the key ("the coldkey of wallet \"a\"").
func walletPasswordFunc(f *Factory, o passwordOptions, key string) keystore.PasswordFunc {
	return func() ([]byte, error) {
		return readPassword(f, passwordRequest{What: "the password of " + key, Opts: o, Env: envPassword, Prompt: "Password for " + key + ": "})
	}
}

// walletNewPassword asks for a password for a new keyfile (twice on a terminal).
func walletNewPassword(f *Factory, o passwordOptions, key string) ([]byte, error) {
	return readPassword(f, passwordRequest{What: "a password for " + key, Opts: o, Env: envPassword,
		Prompt: "New password for " + key + ": ", Confirm: true})
}

// walletMnemonicNotice is printed with every mnemonic shown at creation.
const walletMnemonicNotice = `Write down the mnemonic below and keep it offline. It is shown this once and never again;
anyone who has it controls the key.`

// walletNoArgs rejects positional arguments without echoing them: they might be a mnemonic.
func walletNoArgs(hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		for _, a := range args {
			if len(args) >= 3 || strings.ContainsAny(a, " \t\n") || strings.HasPrefix(a, "0x") {
				return errSecretOnArgv("a mnemonic or seed")
			}
		}
		return usageErrorf("%s takes no arguments: %s", cmd.CommandPath(), hint)
	}
}

// walletCreatedKeyJSON is a key written by a command. Mnemonic is set only by the commands
// that make a new key, in the one output that shows it; URI is set for dev keys.
type walletCreatedKeyJSON struct {
	walletKeyJSON
	Mnemonic *string `json:"mnemonic"`
	URI      *string `json:"uri"`
}

// walletWriteResultJSON is the output of the commands that write keys.
type walletWriteResultJSON struct {
	Wallet     string                `json:"wallet"`
	WalletPath string                `json:"wallet_path"`
	Coldkey    *walletCreatedKeyJSON `json:"coldkey,omitempty"`
	Hotkey     *walletCreatedKeyJSON `json:"hotkey,omitempty"`
}

func walletCreated(k walletKeyJSON, sec *walletNewSecret) *walletCreatedKeyJSON {
	c := &walletCreatedKeyJSON{walletKeyJSON: k}
	if sec != nil && sec.Mnemonic != "" {
		m := sec.Mnemonic
		c.Mnemonic = &m
	}
	if sec != nil && sec.URI != "" {
		u := sec.URI
		c.URI = &u
	}
	return c
}

// walletPrintResult prints what a key-writing command did: as JSON, or as lines for people,
// with any mnemonic after the notice that it is shown once.
func walletPrintResult(f *Factory, verb string, r walletWriteResultJSON) error {
	if r.Coldkey != nil && r.Coldkey.Keyfile && !r.Coldkey.Encrypted {
		fmt.Fprintln(f.IO.ErrOut, "warning: the coldkey is stored UNENCRYPTED (--no-password): anyone who can read "+
			r.Coldkey.File+" controls it; use this only for dev keys")
	}
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, r)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "%s wallet %q in %s\n", verb, r.Wallet, r.WalletPath)
	var mnemonics []string
	if c := r.Coldkey; c != nil {
		fmt.Fprintf(w, "  coldkey  %s  %s\n", c.Address, walletColdkeyLabel(c.walletKeyJSON))
		if c.Mnemonic != nil {
			mnemonics = append(mnemonics, "  coldkey: "+*c.Mnemonic)
		}
	}
	if h := r.Hotkey; h != nil {
		fmt.Fprintf(w, "  hotkey   %s  %s  %s\n", h.Name, h.Address, walletHotkeyLabel(h.Encrypted))
		if h.Mnemonic != nil {
			mnemonics = append(mnemonics, fmt.Sprintf("  hotkey %s: %s", h.Name, *h.Mnemonic))
		}
	}
	if len(mnemonics) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, walletMnemonicNotice)
		for _, m := range mnemonics {
			fmt.Fprintln(w, m)
		}
	}
	return nil
}

// walletColdkeyLabel marks an unencrypted coldkey wherever it is shown.
func walletColdkeyLabel(k walletKeyJSON) string {
	if !k.Keyfile {
		return "watch-only (coldkeypub.txt, no coldkey file)"
	}
	return walletEncLabel(k.Encrypted)
}

// walletHotkeyLabel: plaintext hotkeys are the normal case (unattended signing), so they are
// labelled, not flagged.
func walletHotkeyLabel(encrypted bool) string {
	if encrypted {
		return "encrypted"
	}
	return "plaintext"
}

// walletNoSecretArgs rejects any positional argument of a command that reads a mnemonic: it
// can only be the mnemonic itself.
func walletNoSecretArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return errSecretOnArgv("a mnemonic or seed")
	}
	return nil
}

// completeWalletNames completes --wallet-name with the wallets under the wallet path. Register
// it on the root command, which owns the flag:
// root.RegisterFlagCompletionFunc("wallet-name", completeWalletNames(f)).
func completeWalletNames(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		s, err := f.Keystore()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		names, err := s.Wallets()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, n := range names {
			if strings.HasPrefix(n, toComplete) {
				out = append(out, n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeHotkeyNames completes --wallet-hotkey with the hotkeys of the selected wallet
// (register it like completeWalletNames).
func completeHotkeyNames(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		s, err := f.Keystore()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		w, err := s.Wallet(f.WalletName())
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, h := range w.Hotkeys {
			if strings.HasPrefix(h.Name, toComplete) {
				out = append(out, h.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// walletColdkeyPasswordFunc is walletPasswordFunc for a wallet's coldkey: once the password is
// in, a btcli $NACL coldkey says how long its argon2i (512 MiB) will take, since it runs for
// seconds with nothing else on screen.
func walletColdkeyPasswordFunc(f *Factory, s *keystore.Store, walletName string, o passwordOptions) keystore.PasswordFunc {
	ask := walletPasswordFunc(f, o, fmt.Sprintf("the coldkey of wallet %q", walletName))
	return func() ([]byte, error) {
		pw, err := ask()
		if err == nil {
			walletNaClNotice(f, s, walletName)
		}
		return pw, err
	}
}

// walletNaClNotice prints "opening a btcli $NACL coldkey (argon2i 512 MiB, ~N s)" on stderr
// when the wallet's coldkey is one; N is measured on this machine now.
func walletNaClNotice(f *Factory, s *keystore.Store, walletName string) {
	kf, err := s.ReadColdkey(walletName)
	if err != nil || kf.Format() != keystore.FormatBtcli || !kf.Encrypted() {
		return
	}
	secs := max(1, int(keystore.EstimateBtcliOpen().Seconds()+0.5))
	fmt.Fprintf(f.IO.ErrOut, "opening a btcli $NACL coldkey (argon2i 512 MiB, ~%d s)...\n", secs)
}

// walletCleanupNotice opens the wallet path (which runs keystore.Cleanup once per process) and
// prints on stderr what a killed btui had left there and was removed now.
func walletCleanupNotice(f *Factory) {
	if _, err := f.Keystore(); err == nil && !f.cleanup.Empty() {
		fmt.Fprint(f.IO.ErrOut, f.cleanup.String())
	}
}
