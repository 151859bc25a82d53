package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/btui/btui/wallet"
)

// ConvertOptions say how ConvertWallet opens the source and protects the copy.
type ConvertOptions struct {
	// To is the format of the copy.
	To Format
	// Password opens the source coldkey; it is asked only when the coldkey is encrypted. The
	// copy's coldkey is encrypted with the same password unless NewPassword is set.
	Password PasswordFunc
	// NewPassword, when set, is asked for the copy's coldkey password instead.
	NewPassword PasswordFunc
	// HotkeyPassword opens an encrypted source hotkey (nil: such a hotkey is an error); the
	// copy of that hotkey is encrypted with the same password.
	HotkeyPassword func(hotkey string) PasswordFunc
}

// ConvertWallet writes a copy of wallet src, in the format opt.To, as wallet dstName of dst
// (which may be this store). The source is never changed; the copy must not exist yet
// (ErrExists), and is written in one atomic batch. A watch-only source gives a watch-only copy.
// btcli copies need sr25519 keys. A btcli coldkey copy is $NACL (argon2i 512 MiB: seconds)
// when encrypted. The mnemonic goes into a btcli file (secretPhrase) only when the key is the
// mnemonic's root key, since btcli derives no paths.
func (s *Store) ConvertWallet(src string, dst *Store, dstName string, opt ConvertOptions) error {
	if err := ValidateName("wallet", dstName); err != nil {
		return err
	}
	info, err := s.Wallet(src)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(dst.WalletDir(dstName)); err == nil {
		return fmt.Errorf("wallet %q %w in %s: choose another name for the copy", dstName, ErrExists, dst.Root())
	}
	var writes []fileWrite
	pubInfo, ok := info.ColdkeyAddress()
	if ok && opt.To == FormatBtcli && pubInfo.Scheme() != wallet.Sr25519 {
		return fmt.Errorf("wallet %q is ecdsa (%s); btcli wallets hold sr25519 keys: keep it in btui's format", src, pubInfo.Address())
	}
	var coldPW []byte
	defer func() { clear(coldPW) }()
	if info.Coldkey != nil {
		kf, err := s.ReadColdkey(src)
		if err != nil {
			return err
		}
		encrypted := kf.Encrypted()
		var ask PasswordFunc
		if opt.Password != nil {
			ask = func() ([]byte, error) {
				pw, err := opt.Password()
				coldPW = bytes.Clone(pw)
				return pw, err
			}
		}
		key, err := s.LoadColdkey(src, ask)
		if err != nil {
			return err
		}
		defer key.Zero()
		if encrypted && opt.NewPassword != nil {
			clear(coldPW)
			if coldPW, err = opt.NewPassword(); err != nil {
				return err
			}
		}
		if !encrypted {
			coldPW = nil
		}
		w, err := dst.keyWrites(dst.ColdkeyPath(dstName), key, encrypted, coldPW, opt.To)
		if err != nil {
			return fmt.Errorf("coldkey of wallet %q: %w", src, err)
		}
		writes = append(writes, w...)
		pubInfo, ok = PublicOf(key.Pair), true
	}
	if !ok {
		return fmt.Errorf("wallet %q has neither a readable coldkey nor a coldkeypub.txt: %w", src, ErrNotFound)
	}
	pw, err := dst.pubWrite(dst.ColdkeyPubPath(dstName), pubInfo, opt.To)
	if err != nil {
		return err
	}
	writes = append(writes, pw)
	for _, h := range info.Hotkeys {
		if h.Err != nil {
			return fmt.Errorf("hotkey %q of wallet %q: %w", h.Name, src, h.Err)
		}
		var hpw []byte
		var pf PasswordFunc
		if opt.HotkeyPassword != nil {
			pf = opt.HotkeyPassword(h.Name)
		}
		key, err := s.LoadHotkey(src, h.Name, func() ([]byte, error) {
			if pf == nil {
				return nil, fmt.Errorf("hotkey %q of wallet %q: %w", h.Name, src, ErrPasswordRequired)
			}
			p, err := pf()
			hpw = bytes.Clone(p)
			return p, err
		})
		if err != nil {
			return err
		}
		w, err := dst.keyWrites(dst.HotkeyPath(dstName, h.Name), key, h.Info.Encrypted, hpw, opt.To)
		key.Zero()
		clear(hpw)
		if err != nil {
			return fmt.Errorf("hotkey %q of wallet %q: %w", h.Name, src, err)
		}
		writes = append(writes, w...)
	}
	return dst.inNewWallet(dstName, func() error { return dst.writeFiles(false, writes...) })
}

// keyWrites returns the writes of one key in the format: btui's keyfile, or btcli's keyfile
// (plus, for a hotkey, its <name>pub.txt).
func (s *Store) keyWrites(path string, key *Key, encrypt bool, password []byte, to Format) ([]fileWrite, error) {
	if to == FormatBtui {
		w, err := s.keyfileWrite(path, NewKey{Pair: key.Pair, Mnemonic: key.Mnemonic, Path: key.Path, Encrypt: encrypt, Password: password})
		if err != nil {
			return nil, err
		}
		return []fileWrite{w}, nil
	}
	var mnemonic []byte
	if len(key.Mnemonic) > 0 && len(key.Path) == 0 {
		mnemonic = key.Mnemonic
	}
	var pw []byte
	if encrypt {
		pw = password
	}
	data, err := EncodeBtcliColdkey(key.Pair, mnemonic, pw)
	if err != nil {
		return nil, err
	}
	verify := verifyHolds(key.Pair.AccountID(), bytes.Clone(pw))
	writes := []fileWrite{{path: path, data: data, verify: verify}}
	if filepath.Base(filepath.Dir(path)) == HotkeysDir {
		pub, err := s.pubWrite(path+"pub.txt", PublicOf(key.Pair), FormatBtcli)
		if err != nil {
			return nil, err
		}
		writes = append(writes, pub)
	}
	return writes, nil
}

// pubWrite returns the write of a coldkeypub.txt (or btcli hotkey pub file) in the format.
func (s *Store) pubWrite(path string, p PublicInfo, to Format) (fileWrite, error) {
	var data []byte
	if to == FormatBtcli {
		if p.Scheme() != wallet.Sr25519 {
			return fileWrite{}, errors.New("btcli wallets hold sr25519 keys; this one is ecdsa: keep it in btui's format")
		}
		data = EncodeBtcliPub(p.AccountID)
	} else {
		var err error
		if data, err = EncodeColdkeyPub(p); err != nil {
			return fileWrite{}, err
		}
	}
	verify := func(b []byte) error {
		back, err := DecodeColdkeyPub(b)
		if err != nil {
			return err
		}
		if back.AccountID != p.AccountID {
			return fmt.Errorf("%w: the written public file holds another key", ErrMismatch)
		}
		return nil
	}
	return fileWrite{path: path, data: data, verify: verify}, nil
}
