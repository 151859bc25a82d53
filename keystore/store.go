package keystore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/btui/btui/wallet"
)

// Wallet directory layout, under the store's root (the wallet path):
//
//	<root>/<wallet>/coldkey            keyfile, encrypted unless created without a password
//	<root>/<wallet>/coldkeypub.txt     public JSON (address, account id, public key)
//	<root>/<wallet>/hotkeys/<hotkey>   keyfile, plaintext by default
//
// Directories are 0700 and files 0600; CheckPermissions reports anything more open.
const (
	ColdkeyFile    = "coldkey"
	ColdkeyPubFile = "coldkeypub.txt"
	HotkeysDir     = "hotkeys"

	maxNameLen  = 64
	maxFileSize = 1 << 16 // keyfiles are well under 1 KiB
)

// PasswordFunc supplies a password when, and only when, a key turns out to be encrypted. The
// store wipes the returned slice after use.
type PasswordFunc func() ([]byte, error)

// Lister lists wallets and their public keys without any password.
type Lister interface {
	List() ([]WalletInfo, error)
	Wallet(name string) (WalletInfo, error)
}

// Unlocker loads secret keys. The caller must Zero the returned key when done.
type Unlocker interface {
	LoadColdkey(wallet string, password PasswordFunc) (*Key, error)
	LoadHotkey(wallet, hotkey string, password PasswordFunc) (*Key, error)
}

// Writer creates and replaces keys.
type Writer interface {
	CreateWallet(wallet string, coldkey NewKey, hotkey string, hot NewKey, overwrite bool) error
	WriteColdkey(wallet string, k NewKey, overwrite bool) error
	WriteColdkeyPub(wallet string, p PublicInfo, overwrite bool) error
	WriteHotkey(wallet, hotkey string, k NewKey, overwrite bool) error
	ChangeColdkeyPassword(wallet string, old, newPassword PasswordFunc) error
}

var (
	_ Lister   = (*Store)(nil)
	_ Unlocker = (*Store)(nil)
	_ Writer   = (*Store)(nil)
)

// Store is the set of wallets under one wallet path. It keeps no secrets between calls.
type Store struct {
	root   string
	params KDFParams
	hooks  writeHooks
}

// Option configures a Store.
type Option func(*Store) error

// WithKDFParams sets the argon2id parameters of keyfiles the store writes (reading always uses
// each file's own stored parameters). Only tests should lower them (LightKDFParams).
func WithKDFParams(p KDFParams) Option {
	return func(s *Store) error {
		if err := p.Validate(); err != nil {
			return err
		}
		s.params = p
		return nil
	}
}

// New returns the store rooted at root (the wallet path). It touches no file; directories are
// created on the first write.
func New(root string, opts ...Option) (*Store, error) {
	if root == "" {
		return nil, errors.New("keystore: empty wallet path")
	}
	s := &Store{root: filepath.Clean(root), params: DefaultKDFParams()}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Root returns the wallet path.
func (s *Store) Root() string { return s.root }

// KDFParams returns the parameters used for new keyfiles.
func (s *Store) KDFParams() KDFParams { return s.params }

// ValidateName checks a wallet or hotkey name: 1-64 characters from A-Z a-z 0-9 . _ -, not
// starting with '.' or '-', so that it is one safe path component.
func ValidateName(kind, name string) error {
	if name == "" {
		return fmt.Errorf("%w: the %s name is empty", ErrInvalidName, kind)
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("%w: the %s name is longer than %d characters", ErrInvalidName, kind, maxNameLen)
	}
	if name[0] == '.' || name[0] == '-' {
		return fmt.Errorf("%w: the %s name %q starts with %q", ErrInvalidName, kind, name, name[0])
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return fmt.Errorf("%w: the %s name %q may only hold letters, digits, '.', '_' and '-'", ErrInvalidName, kind, name)
		}
	}
	return nil
}

// WalletDir returns <root>/<wallet>.
func (s *Store) WalletDir(wallet string) string { return filepath.Join(s.root, wallet) }

// ColdkeyPath returns <root>/<wallet>/coldkey.
func (s *Store) ColdkeyPath(wallet string) string {
	return filepath.Join(s.root, wallet, ColdkeyFile)
}

// ColdkeyPubPath returns <root>/<wallet>/coldkeypub.txt.
func (s *Store) ColdkeyPubPath(wallet string) string {
	return filepath.Join(s.root, wallet, ColdkeyPubFile)
}

// HotkeyPath returns <root>/<wallet>/hotkeys/<hotkey>.
func (s *Store) HotkeyPath(wallet, hotkey string) string {
	return filepath.Join(s.root, wallet, HotkeysDir, hotkey)
}

// readSmall reads a file of at most maxFileSize bytes. A missing file is ErrNotFound.
func readSmall(path, what string) ([]byte, error) {
	b, _, err := readSmallMode(path, what)
	return b, err
}

// readSmallMode is readSmall that also returns the file's permission bits (from the open file,
// so they belong to what was read).
func readSmallMode(path, what string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%s (%s): %w", what, path, ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", what, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("read %s (%s): %w", what, path, err)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("read %s (%s): %w", what, path, err)
	}
	if len(b) > maxFileSize {
		return nil, 0, fmt.Errorf("%w: %s (%s) is larger than %d bytes", ErrInvalidKeyfile, what, path, maxFileSize)
	}
	return b, st.Mode().Perm(), nil
}

func (s *Store) readKeyfile(path, what string) (*Keyfile, error) {
	b, err := readSmall(path, what)
	if err != nil {
		return nil, err
	}
	kf, err := DecodeKeyfile(b)
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", what, path, err)
	}
	return kf, nil
}

// ReadColdkey decodes a wallet's coldkey file without decrypting it.
func (s *Store) ReadColdkey(wallet string) (*Keyfile, error) {
	if err := ValidateName("wallet", wallet); err != nil {
		return nil, err
	}
	return s.readKeyfile(s.ColdkeyPath(wallet), fmt.Sprintf("coldkey of wallet %q", wallet))
}

// ReadHotkey decodes a hotkey file without decrypting it.
func (s *Store) ReadHotkey(wallet, hotkey string) (*Keyfile, error) {
	if err := validateNames(wallet, hotkey); err != nil {
		return nil, err
	}
	return s.readKeyfile(s.HotkeyPath(wallet, hotkey), fmt.Sprintf("hotkey %q of wallet %q", hotkey, wallet))
}

// ColdkeyPub reads a wallet's coldkeypub.txt.
func (s *Store) ColdkeyPub(wallet string) (PublicInfo, error) {
	if err := ValidateName("wallet", wallet); err != nil {
		return PublicInfo{}, err
	}
	path := s.ColdkeyPubPath(wallet)
	b, err := readSmall(path, fmt.Sprintf("coldkeypub.txt of wallet %q", wallet))
	if err != nil {
		return PublicInfo{}, err
	}
	p, err := DecodeColdkeyPub(b)
	if err != nil {
		return PublicInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ColdkeyPublic returns a wallet's coldkey public info without a password: from
// coldkeypub.txt when it exists, else from the coldkey file's public fields.
func (s *Store) ColdkeyPublic(wallet string) (PublicInfo, error) {
	p, err := s.ColdkeyPub(wallet)
	if !errors.Is(err, ErrNotFound) {
		if err == nil {
			if kf, kerr := s.ReadColdkey(wallet); kerr == nil {
				p.Encrypted = kf.Encrypted()
			}
		}
		return p, err
	}
	kf, kerr := s.ReadColdkey(wallet)
	if kerr != nil {
		if errors.Is(kerr, ErrNotFound) {
			return PublicInfo{}, s.walletNotFound(wallet, "coldkey")
		}
		return PublicInfo{}, kerr
	}
	p, err = kf.Public()
	if err == nil && p.Sealed {
		return PublicInfo{}, fmt.Errorf("wallet %q has a btcli $NACL coldkey but no coldkeypub.txt, and the address is inside the encryption: %w (restore coldkeypub.txt with `btui wallet regen-coldkeypub`, or unlock the coldkey once)", wallet, ErrNotFound)
	}
	return p, err
}

// HotkeyPublic returns a hotkey's public info without a password.
func (s *Store) HotkeyPublic(wallet, hotkey string) (PublicInfo, error) {
	kf, err := s.ReadHotkey(wallet, hotkey)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return PublicInfo{}, s.walletNotFound(wallet, fmt.Sprintf("hotkey %q", hotkey))
		}
		return PublicInfo{}, err
	}
	p, err := kf.Public()
	if err != nil {
		return PublicInfo{}, fmt.Errorf("hotkey %q of wallet %q: %w", hotkey, wallet, err)
	}
	return p, nil
}

// walletNotFound says whether the wallet or only the key is missing.
func (s *Store) walletNotFound(wallet, what string) error {
	if st, err := os.Stat(s.WalletDir(wallet)); err != nil || !st.IsDir() {
		return fmt.Errorf("wallet %q does not exist in %s: %w", wallet, s.root, ErrNotFound)
	}
	return fmt.Errorf("wallet %q has no %s: %w", wallet, what, ErrNotFound)
}

func validateNames(wallet, hotkey string) error {
	if err := ValidateName("wallet", wallet); err != nil {
		return err
	}
	return ValidateName("hotkey", hotkey)
}

// unlock decrypts kf, asking for a password only if it is encrypted. Errors of the password
// function are returned as they are; decryption errors are prefixed with what.
func unlock(kf *Keyfile, password PasswordFunc, what string) (*Key, error) {
	if err := kf.CheckCost(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var pw []byte
	if kf.Encrypted() {
		if password == nil {
			return nil, fmt.Errorf("%s: %w", what, ErrPasswordRequired)
		}
		var err error
		if pw, err = password(); err != nil {
			return nil, err
		}
		defer clear(pw)
	}
	key, err := kf.Decrypt(pw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return key, nil
}

// LoadColdkey decrypts a wallet's coldkey (asking password only if it is encrypted) and checks
// it against coldkeypub.txt when that exists: a mismatch is ErrMismatch, never a silent choice.
// The caller must Zero the key.
func (s *Store) LoadColdkey(wallet string, password PasswordFunc) (*Key, error) {
	kf, err := s.ReadColdkey(wallet)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			if _, perr := s.ColdkeyPub(wallet); perr == nil {
				return nil, fmt.Errorf("wallet %q: %w (add its coldkey with `btui wallet regen-coldkey`)", wallet, ErrWatchOnly)
			}
			return nil, s.walletNotFound(wallet, "coldkey")
		}
		return nil, err
	}
	pub, err := s.ColdkeyPub(wallet)
	hasPub := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	mismatch := func(addr string) error {
		return fmt.Errorf("%w: the coldkey of wallet %q is %s but its coldkeypub.txt says %s", ErrMismatch, wallet, addr, pub.Address())
	}
	// Check the stored (unauthenticated) address first, so a mismatch needs no password.
	if hasPub {
		if p, err := kf.Public(); err == nil && !p.Sealed && p.AccountID != pub.AccountID {
			return nil, mismatch(p.Address())
		}
	}
	key, err := unlock(kf, password, fmt.Sprintf("coldkey of wallet %q", wallet))
	if err != nil {
		return nil, err
	}
	if hasPub && key.Pair.AccountID() != pub.AccountID {
		addr := key.Pair.Address()
		key.Zero()
		return nil, mismatch(addr)
	}
	return key, nil
}

// LoadHotkey decrypts a hotkey (asking a password only if it is encrypted). The caller must
// Zero the key.
func (s *Store) LoadHotkey(wallet, hotkey string, password PasswordFunc) (*Key, error) {
	kf, err := s.ReadHotkey(wallet, hotkey)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, s.walletNotFound(wallet, fmt.Sprintf("hotkey %q", hotkey))
		}
		return nil, err
	}
	key, err := unlock(kf, password, fmt.Sprintf("hotkey %q of wallet %q", hotkey, wallet))
	if err != nil {
		return nil, err
	}
	return key, nil
}

// keyfileWrite encodes k and returns the write with its decrypt-and-compare verification.
// verifyHolds returns the check of a written keyfile: it decodes, decrypts with password and
// holds the key want.
func verifyHolds(want wallet.AccountID, password []byte) func([]byte) error {
	return func(b []byte) error {
		back, err := DecodeKeyfile(b)
		if err != nil {
			return err
		}
		key, err := back.Decrypt(password)
		if err != nil {
			return err
		}
		defer key.Zero()
		if key.Pair.AccountID() != want {
			return fmt.Errorf("%w: the written keyfile holds another key", ErrMismatch)
		}
		return nil
	}
}

func (s *Store) keyfileWrite(path string, k NewKey) (fileWrite, error) {
	kf, err := encodeKeyfile(k, s.params)
	if err != nil {
		return fileWrite{}, err
	}
	data, err := kf.Marshal()
	if err != nil {
		return fileWrite{}, err
	}
	return fileWrite{path: path, data: data, verify: verifyHolds(k.pair().AccountID(), k.Password)}, nil
}

func (s *Store) coldkeyPubWrite(wallet string, p PublicInfo) (fileWrite, error) {
	data, err := EncodeColdkeyPub(p)
	if err != nil {
		return fileWrite{}, err
	}
	verify := func(b []byte) error {
		back, err := DecodeColdkeyPub(b)
		if err != nil {
			return err
		}
		if back.AccountID != p.AccountID {
			return fmt.Errorf("%w: the written coldkeypub.txt holds another key", ErrMismatch)
		}
		return nil
	}
	return fileWrite{path: s.ColdkeyPubPath(wallet), data: data, verify: verify}, nil
}

// PublicOf returns the public info of a key pair of either scheme.
func PublicOf(kp wallet.Pair) PublicInfo {
	p := PublicInfo{KeyType: keyTypeOf(kp.Scheme()), AccountID: kp.AccountID()}
	if e, ok := kp.(*wallet.Keypair); ok {
		p.PublicKey = e.PublicKey()
	}
	return p
}

// coldkeyWrites returns the writes of a coldkey and, unless an identical coldkeypub.txt is
// already there, of its coldkeypub.txt.
func (s *Store) coldkeyWrites(wallet string, k NewKey, overwrite bool) ([]fileWrite, error) {
	if k.pair() == nil {
		return nil, errors.New("keystore: no key pair to write")
	}
	if !overwrite {
		if _, err := os.Lstat(s.ColdkeyPath(wallet)); err == nil {
			return nil, fmt.Errorf("the coldkey of wallet %q %w", wallet, ErrExists)
		}
	}
	writePub := true
	if !overwrite {
		// A watch-only wallet (coldkeypub.txt only) may get its matching coldkey back.
		pub, err := s.ColdkeyPub(wallet)
		switch {
		case err == nil && pub.AccountID == k.pair().AccountID():
			writePub = false
		case err == nil:
			return nil, fmt.Errorf("wallet %q has a coldkeypub.txt for %s, another key: it %w", wallet, pub.Address(), ErrExists)
		case !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("the coldkeypub.txt of wallet %q %w (and cannot be read: %v)", wallet, ErrExists, err)
		}
	}
	cold, err := s.keyfileWrite(s.ColdkeyPath(wallet), k)
	if err != nil {
		return nil, err
	}
	writes := []fileWrite{cold}
	if !writePub {
		return writes, nil
	}
	pubw, err := s.coldkeyPubWrite(wallet, PublicOf(k.pair()))
	if err != nil {
		return nil, err
	}
	return append(writes, pubw), nil
}

// CreateWallet writes a new wallet's coldkey, coldkeypub.txt and first hotkey in one atomic
// batch: without overwrite, if any of them exists nothing is written (ErrExists).
func (s *Store) CreateWallet(wallet string, coldkey NewKey, hotkey string, hot NewKey, overwrite bool) error {
	if err := validateNames(wallet, hotkey); err != nil {
		return err
	}
	if !overwrite {
		if _, err := os.Lstat(s.HotkeyPath(wallet, hotkey)); err == nil {
			return fmt.Errorf("hotkey %q of wallet %q %w", hotkey, wallet, ErrExists)
		}
	}
	writes, err := s.coldkeyWrites(wallet, coldkey, overwrite)
	if err != nil {
		return err
	}
	hw, err := s.keyfileWrite(s.HotkeyPath(wallet, hotkey), hot)
	if err != nil {
		return err
	}
	return s.inNewWallet(wallet, func() error { return s.writeFiles(overwrite, append(writes, hw)...) })
}

// inNewWallet runs write with the wallet directory marked as being created when it is new
// (see Cleanup), so a kill in the middle leaves a directory the next start can remove.
func (s *Store) inNewWallet(wallet string, write func() error) error {
	done, err := s.creatingWallet(wallet)
	if err != nil {
		return err
	}
	err = write()
	done(err == nil)
	return err
}

// WriteColdkey writes a wallet's coldkey and its coldkeypub.txt atomically.
func (s *Store) WriteColdkey(wallet string, k NewKey, overwrite bool) error {
	if err := ValidateName("wallet", wallet); err != nil {
		return err
	}
	writes, err := s.coldkeyWrites(wallet, k, overwrite)
	if err != nil {
		return err
	}
	return s.inNewWallet(wallet, func() error { return s.writeFiles(overwrite, writes...) })
}

// WriteColdkeyPub writes a wallet's coldkeypub.txt. If the wallet has a coldkey for another
// account, it refuses with ErrMismatch (even with overwrite).
func (s *Store) WriteColdkeyPub(wallet string, p PublicInfo, overwrite bool) error {
	if err := ValidateName("wallet", wallet); err != nil {
		return err
	}
	if kf, err := s.ReadColdkey(wallet); err == nil {
		if cp, err := kf.Public(); err == nil && !cp.Sealed && cp.AccountID != p.AccountID {
			return fmt.Errorf("%w: wallet %q has a coldkey for %s, not %s: restore the coldkey instead", ErrMismatch, wallet, cp.Address(), p.Address())
		}
	}
	if p.KeyType == "" {
		p.KeyType = KeyTypeECDSA
	}
	w, err := s.coldkeyPubWrite(wallet, p)
	if err != nil {
		return err
	}
	if err := s.inNewWallet(wallet, func() error { return s.writeFiles(overwrite, w) }); err != nil {
		if errors.Is(err, ErrExists) {
			return fmt.Errorf("the coldkeypub.txt of wallet %q %w", wallet, ErrExists)
		}
		return err
	}
	return nil
}

// WriteHotkey writes one hotkey file atomically.
func (s *Store) WriteHotkey(wallet, hotkey string, k NewKey, overwrite bool) error {
	if err := validateNames(wallet, hotkey); err != nil {
		return err
	}
	path := s.HotkeyPath(wallet, hotkey)
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("hotkey %q of wallet %q %w", hotkey, wallet, ErrExists)
		}
	}
	w, err := s.keyfileWrite(path, k)
	if err != nil {
		return err
	}
	if err := s.writeFiles(overwrite, w); err != nil {
		if errors.Is(err, ErrExists) {
			return fmt.Errorf("hotkey %q of wallet %q %w", hotkey, wallet, ErrExists)
		}
		return err
	}
	return nil
}

// ChangeColdkeyPassword re-encrypts a wallet's coldkey with a fresh salt and nonce and the
// store's current KDF parameters, keeping the mnemonic and path. A btcli coldkey is rewritten
// in btcli's format ($NACL), so btcli can still open it. old is asked first (and only
// if the coldkey is encrypted: an unencrypted dev coldkey becomes encrypted); newPassword is
// asked only once the old one has decrypted the key. Both returned slices are wiped. The old
// file stays in place until the new one is written and verified.
func (s *Store) ChangeColdkeyPassword(wallet string, old, newPassword PasswordFunc) error {
	key, err := s.LoadColdkey(wallet, old)
	if err != nil {
		return err
	}
	defer key.Zero()
	pw, err := newPassword()
	if err != nil {
		return err
	}
	defer clear(pw)
	if len(pw) == 0 {
		return fmt.Errorf("%w: choose a non-empty new password", ErrEmptyPassword)
	}
	if kf, err := s.ReadColdkey(wallet); err == nil && kf.Format() == FormatBtcli {
		// A btcli coldkey stays a btcli coldkey ($NACL with the new password), so btcli keeps
		// working with it.
		ws, err := s.keyWrites(s.ColdkeyPath(wallet), key, true, pw, FormatBtcli)
		if err != nil {
			return err
		}
		return s.writeFiles(true, ws...)
	}
	w, err := s.keyfileWrite(s.ColdkeyPath(wallet), NewKey{
		Pair: key.Pair, Mnemonic: key.Mnemonic, Path: key.Path, Encrypt: true, Password: pw,
	})
	if err != nil {
		return err
	}
	return s.writeFiles(true, w)
}

// Wallets returns the names of the wallets under the root, sorted. A missing root holds none.
func (s *Store) Wallets() ([]string, error) {
	entries, err := os.ReadDir(s.root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read wallet path: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && ValidateName("wallet", e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil // os.ReadDir sorts by name
}

// KeyEntry is one key of a listing. Err is set (and Info zero) when its file cannot be read
// or parsed.
type KeyEntry struct {
	Name string
	Path string
	Info PublicInfo
	// KDF is the stored KDF parameters of an encrypted keyfile; nil otherwise.
	KDF *KDFParams
	Err error
}

// WalletInfo is the public view of one wallet.
type WalletInfo struct {
	Name string
	Path string
	// Coldkey is the coldkey file's public fields; nil when there is no coldkey file.
	Coldkey *KeyEntry
	// ColdkeyPub is coldkeypub.txt; nil when there is none.
	ColdkeyPub *KeyEntry
	// Hotkeys are sorted by name.
	Hotkeys []KeyEntry
	// Mismatch is set when the coldkey and coldkeypub.txt name different accounts.
	Mismatch error
	// Warnings are permission problems (see CheckPermissions).
	Warnings []Warning
}

// ColdkeyAddress returns the wallet's coldkey account: from coldkeypub.txt if readable, else
// from the coldkey file.
func (w WalletInfo) ColdkeyAddress() (PublicInfo, bool) {
	if w.ColdkeyPub != nil && w.ColdkeyPub.Err == nil {
		p := w.ColdkeyPub.Info
		if w.Coldkey != nil && w.Coldkey.Err == nil {
			p.Encrypted = w.Coldkey.Info.Encrypted
			if !p.HasPublicKey() && p.AccountID == w.Coldkey.Info.AccountID {
				p.PublicKey = w.Coldkey.Info.PublicKey
			}
		}
		return p, true
	}
	if w.Coldkey != nil && w.Coldkey.Err == nil && !w.Coldkey.Info.Sealed {
		return w.Coldkey.Info, true
	}
	return PublicInfo{}, false
}

// WatchOnly reports whether the wallet has a coldkeypub.txt but no coldkey file: it can be
// watched (balances, stake) but cannot sign.
func (w WalletInfo) WatchOnly() bool { return w.Coldkey == nil && w.ColdkeyPub != nil }

// Format returns FormatBtcli when any of the wallet's files is in btcli's format.
func (w WalletInfo) Format() Format {
	for _, e := range append([]*KeyEntry{w.Coldkey, w.ColdkeyPub}, ptrs(w.Hotkeys)...) {
		if e != nil && e.Err == nil && e.Info.Format == FormatBtcli {
			return FormatBtcli
		}
	}
	return FormatBtui
}

func ptrs(es []KeyEntry) []*KeyEntry {
	out := make([]*KeyEntry, len(es))
	for i := range es {
		out[i] = &es[i]
	}
	return out
}

// List returns every wallet under the root with its public keys, sorted by name. Unreadable
// files are reported per entry, not as an error of the listing.
func (s *Store) List() ([]WalletInfo, error) {
	names, err := s.Wallets()
	if err != nil {
		return nil, err
	}
	out := make([]WalletInfo, 0, len(names))
	for _, n := range names {
		w, err := s.Wallet(n)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// Wallet returns the public view of one wallet (ErrNotFound if its directory does not exist).
// It reads each file once and takes the permission warnings from the same reads.
func (s *Store) Wallet(name string) (WalletInfo, error) {
	if err := ValidateName("wallet", name); err != nil {
		return WalletInfo{}, err
	}
	dir := s.WalletDir(name)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return WalletInfo{}, fmt.Errorf("wallet %q does not exist in %s: %w", name, s.root, ErrNotFound)
	}
	w := WalletInfo{Name: name, Path: dir}
	w.Warnings = appendWarning(w.Warnings, dir, st.Mode().Perm(), dirMode)
	if e, mode, ok := keyEntry(ColdkeyFile, s.ColdkeyPath(name)); ok {
		w.Coldkey = &e
		w.Warnings = appendWarning(w.Warnings, e.Path, mode, fileMode)
	}
	if b, err := readSmall(s.ColdkeyPubPath(name), "coldkeypub.txt"); !errors.Is(err, ErrNotFound) {
		e := KeyEntry{Name: ColdkeyPubFile, Path: s.ColdkeyPubPath(name), Err: err}
		if err == nil {
			e.Info, e.Err = DecodeColdkeyPub(b)
		}
		w.ColdkeyPub = &e
	}
	if w.Coldkey != nil && w.ColdkeyPub != nil && w.Coldkey.Err == nil && w.ColdkeyPub.Err == nil &&
		!w.Coldkey.Info.Sealed && w.Coldkey.Info.AccountID != w.ColdkeyPub.Info.AccountID {
		w.Mismatch = fmt.Errorf("%w: the coldkey of wallet %q is %s but its coldkeypub.txt says %s",
			ErrMismatch, name, w.Coldkey.Info.Address(), w.ColdkeyPub.Info.Address())
	}
	hdir := filepath.Join(dir, HotkeysDir)
	hd, err := os.Open(hdir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return WalletInfo{}, fmt.Errorf("read hotkeys of wallet %q: %w", name, err)
	}
	if err == nil {
		defer hd.Close()
		hst, err := hd.Stat()
		if err != nil {
			return WalletInfo{}, fmt.Errorf("read hotkeys of wallet %q: %w", name, err)
		}
		w.Warnings = appendWarning(w.Warnings, hdir, hst.Mode().Perm(), dirMode)
		hotkeys, err := hd.ReadDir(-1)
		if err != nil {
			return WalletInfo{}, fmt.Errorf("read hotkeys of wallet %q: %w", name, err)
		}
		slices.SortFunc(hotkeys, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
		names := map[string]bool{}
		for _, h := range hotkeys {
			names[h.Name()] = true
		}
		for _, h := range hotkeys {
			if h.IsDir() || ValidateName("hotkey", h.Name()) != nil {
				continue
			}
			// btcli keeps hotkeys/<name>pub.txt, the public half of hotkeys/<name>.
			if base, ok := strings.CutSuffix(h.Name(), "pub.txt"); ok && names[base] {
				continue
			}
			if e, mode, ok := keyEntry(h.Name(), filepath.Join(hdir, h.Name())); ok {
				w.Hotkeys = append(w.Hotkeys, e)
				w.Warnings = appendWarning(w.Warnings, e.Path, mode, fileMode)
			}
		}
	}
	return w, nil
}

// keyEntry reads a keyfile's public fields and permission bits; ok is false when the file does
// not exist.
func keyEntry(name, path string) (KeyEntry, fs.FileMode, bool) {
	e := KeyEntry{Name: name, Path: path}
	b, mode, err := readSmallMode(path, name)
	if errors.Is(err, ErrNotFound) {
		return e, 0, false
	}
	if err != nil {
		e.Err = err
		return e, mode, true
	}
	kf, err := DecodeKeyfile(b)
	if err != nil {
		e.Err = err
		return e, mode, true
	}
	e.Info, e.Err = kf.Public()
	if p, ok := kf.KDFParams(); ok && e.Err == nil {
		e.KDF = &p
	}
	return e, mode, true
}

// appendWarning adds a warning when group or others have any access to path.
func appendWarning(ws []Warning, path string, mode, want fs.FileMode) []Warning {
	if mode&0o077 != 0 {
		ws = append(ws, Warning{Path: path, Mode: mode, Want: want})
	}
	return ws
}

// Warning is a permission problem: a wallet directory or key file that others may read.
type Warning struct {
	Path string
	Mode fs.FileMode // permission bits found
	Want fs.FileMode // permission bits expected (0700 or 0600)
}

// String says what is wrong and how to fix it.
func (w Warning) String() string {
	return fmt.Sprintf("%s has permissions %04o, want %04o: other users may read it (run: chmod %o %s)",
		w.Path, uint32(w.Mode.Perm()), uint32(w.Want), uint32(w.Want), w.Path)
}

// CheckPermissions reports the wallet directory, its hotkeys directory and its key files when
// group or others have any access. coldkeypub.txt is public and not checked. A missing wallet
// is ErrNotFound.
func (s *Store) CheckPermissions(wallet string) ([]Warning, error) {
	if err := ValidateName("wallet", wallet); err != nil {
		return nil, err
	}
	var ws []Warning
	check := func(path string, want fs.FileMode) error {
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		ws = appendWarning(ws, path, st.Mode().Perm(), want)
		return nil
	}
	dir := s.WalletDir(wallet)
	if err := check(dir, dirMode); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("wallet %q does not exist in %s: %w", wallet, s.root, ErrNotFound)
		}
		return nil, err
	}
	_ = check(s.ColdkeyPath(wallet), fileMode)
	hdir := filepath.Join(dir, HotkeysDir)
	if check(hdir, dirMode) == nil {
		entries, _ := os.ReadDir(hdir)
		for _, e := range entries {
			if !e.IsDir() {
				_ = check(filepath.Join(hdir, e.Name()), fileMode)
			}
		}
	}
	slices.SortFunc(ws, func(a, b Warning) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
	return ws, nil
}
