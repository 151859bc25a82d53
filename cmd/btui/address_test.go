package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
)

func TestResolveAddress(t *testing.T) {
	t.Parallel()
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Env = func(string) (string, bool) { return "", false }
	f.Opts.WalletPath = filepath.Join(t.TempDir(), "wallets")
	f.KeystoreOptions = []keystore.Option{keystore.WithKDFParams(keystore.LightKDFParams())}
	ks, err := f.Keystore()
	if err != nil {
		t.Fatal(err)
	}
	cold, _ := wallet.FromSURI("//Cold")
	hot, _ := wallet.FromSURI("//Hot")
	if err := ks.CreateWallet("mywallet", keystore.NewKey{Keypair: cold, Encrypt: true, Password: []byte("pw")}, "miner", keystore.NewKey{Keypair: hot}, false); err != nil {
		t.Fatal(err)
	}
	alice, _ := wallet.Dev("Alice")
	stash, _ := wallet.FromSURI("//Alice//stash")

	tests := []struct {
		in    string
		want  wallet.AccountID
		label string
	}{
		{"//Alice", alice.AccountID(), "dev //Alice"},
		{"//Alice//stash", stash.AccountID(), "dev //Alice//stash"},
		{alice.Address(), alice.AccountID(), ""},
		{" " + alice.Address() + " ", alice.AccountID(), ""},
		{"mywallet", cold.AccountID(), "wallet mywallet"},
		{"mywallet/miner", hot.AccountID(), "hotkey mywallet/miner"},
	}
	for _, tt := range tests {
		got, label, err := resolveAddress(f, tt.in)
		if err != nil || got != tt.want || label != tt.label {
			t.Errorf("resolveAddress(%q) = %s %q, %v; want %s %q", tt.in, got, label, err, tt.want, tt.label)
		}
	}

	bad := []struct {
		in   string
		code int
		is   error
	}{
		{"", ExitUsage, nil},
		{"nosuchwallet", ExitNotFound, keystore.ErrNotFound},
		{"mywallet/nosuchhotkey", ExitNotFound, keystore.ErrNotFound},
		{"//Alice/soft", ExitUsage, wallet.ErrSoftJunction},
		// A typo in an address: the checksum error, not "no such wallet".
		{typo(alice.Address()), ExitUsage, wallet.ErrSS58Checksum},
		{"not a name!", ExitUsage, nil},
	}
	for _, tt := range bad {
		_, _, err := resolveAddress(f, tt.in)
		if err == nil || exitCode(err) != tt.code || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("resolveAddress(%q): err %v (exit %d), want exit %d wrapping %v", tt.in, err, exitCode(err), tt.code, tt.is)
		}
	}
}

// typo changes one character of an address.
func typo(addr string) string {
	b := []byte(addr)
	if b[10] == 'a' {
		b[10] = 'b'
	} else {
		b[10] = 'a'
	}
	return string(b)
}
