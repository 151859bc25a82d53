package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

const aliceDeadbeefSig = "0x9f04ffd6c579e5460417c4b7a21441c39a0a0eb6a5c4a8cad288f538863950930f47c4014dbfc411f9486d432f55b875a0ff5c08ff15708120ae96b4a6e92b3800"

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not the documented JSON: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document on stdout:\n%s", s)
	}
	return v
}

// allFileContents concatenates every file under dir.
func allFileContents(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			c, _ := os.ReadFile(p)
			b.Write(c)
		}
		return nil
	})
	return b.String()
}

func TestWalletCreateJSON(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	pw := c.file("pw", "s3cret\n")
	r := c.ok("", "wallet", "create", "--wallet-name", "w1", "--wallet-hotkey", "miner", "--password-file", pw, "--words", "24", "--json")
	doc := decodeJSON[walletWriteResultJSON](t, r.out)
	if doc.Wallet != "w1" || doc.WalletPath != c.dir || doc.Coldkey == nil || doc.Hotkey == nil {
		t.Fatalf("output %+v", doc)
	}
	if r.errOut != "" {
		t.Errorf("stderr: %s", r.errOut)
	}
	cm, hm := doc.Coldkey.Mnemonic, doc.Hotkey.Mnemonic
	if cm == nil || hm == nil || *cm == *hm || len(strings.Fields(*cm)) != 24 || wallet.ValidateMnemonic(*cm) != nil {
		t.Fatalf("mnemonics %v %v", cm, hm)
	}
	if kp, _ := wallet.FromSURI(*cm); kp.Address() != doc.Coldkey.Address {
		t.Fatal("the coldkey address is not the mnemonic's")
	}
	if kp, _ := wallet.FromSURI(*hm); kp.Address() != doc.Hotkey.Address {
		t.Fatal("the hotkey address is not the mnemonic's")
	}
	if !doc.Coldkey.Encrypted || doc.Hotkey.Encrypted || doc.Hotkey.Name != "miner" || doc.Coldkey.KDF == nil || doc.Hotkey.KDF != nil {
		t.Fatalf("encryption flags: %+v %+v", doc.Coldkey, doc.Hotkey)
	}
	// The mnemonics are on disk only inside the encrypted coldkey, never in clear.
	disk := allFileContents(t, c.dir)
	for _, m := range []string{*cm, *hm} {
		if strings.Contains(disk, strings.Fields(m)[0]+" "+strings.Fields(m)[1]) {
			t.Fatal("a mnemonic is stored in clear")
		}
	}
	// The password is used without its trailing newline, exactly.
	s := c.store()
	if _, err := s.LoadColdkey("w1", func() ([]byte, error) { return []byte("s3cret"), nil }); err != nil {
		t.Fatalf("password without newline: %v", err)
	}
	if _, err := s.LoadColdkey("w1", func() ([]byte, error) { return []byte("s3cret\n"), nil }); err == nil {
		t.Fatal("the newline became part of the password")
	}
	for path, mode := range map[string]os.FileMode{c.dir + "/w1": 0o700, c.dir + "/w1/coldkey": 0o600, c.dir + "/w1/hotkeys/miner": 0o600} {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: %v %v", path, st.Mode(), err)
		}
	}
}

func TestWalletCreateShowsMnemonicOnce(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	c.env[envPassword] = "env password"
	r := c.ok("", "wallet", "create", "--name", "w", "--show-mnemonic") // stdout is not a terminal here
	s := c.store()
	info, err := s.Wallet("w")
	if err != nil {
		t.Fatal(err)
	}
	var phrase string
	for _, line := range strings.Split(r.out, "\n") {
		if m, ok := strings.CutPrefix(line, "  coldkey: "); ok {
			phrase = m
		}
	}
	if wallet.ValidateMnemonic(phrase) != nil {
		t.Fatalf("no coldkey mnemonic in:\n%s", r.out)
	}
	if strings.Count(r.out, phrase) != 1 || strings.Contains(r.errOut, phrase) {
		t.Fatal("the mnemonic is not shown exactly once")
	}
	if !strings.Contains(r.out, "shown this once") || !strings.Contains(r.out, info.Coldkey.Info.Address()) {
		t.Fatalf("output:\n%s", r.out)
	}
	// No other command shows it again.
	for _, args := range [][]string{{"wallet", "list"}, {"wallet", "inspect", "--name", "w"}, {"wallet", "list", "--json"}, {"wallet", "inspect", "--name", "w", "--json"}} {
		if r := c.ok("", args...); strings.Contains(r.out+r.errOut, phrase) {
			t.Fatalf("%v shows the mnemonic", args)
		}
	}
	key, err := s.LoadColdkey("w", func() ([]byte, error) { return []byte("env password"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(key.Mnemonic) != phrase {
		t.Fatal("the encrypted coldkey does not keep the mnemonic")
	}
	key.Zero()
}

func TestWalletCreateOnTerminal(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	r := c.run("tty pw\ntty pw\n", true, "wallet", "create", "--name", "w")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.errOut)
	}
	if !strings.Contains(r.errOut, `New password for the new coldkey of wallet "w": `) || !strings.Contains(r.errOut, "Repeat it: ") {
		t.Fatalf("prompts on stderr: %q", r.errOut)
	}
	if strings.Contains(r.out, "tty pw") || strings.Contains(r.errOut, "tty pw") {
		t.Fatal("the password was echoed")
	}
	if _, err := c.store().LoadColdkey("w", func() ([]byte, error) { return []byte("tty pw"), nil }); err != nil {
		t.Fatal(err)
	}
	// Replacing asks on a terminal; "n" keeps everything.
	before := walletTreeHash(t, c.dir)
	r = c.run("n\n", true, "wallet", "create", "--name", "w", "--overwrite")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "cancelled: nothing was changed") || !strings.Contains(r.errOut, `Wallet "w" already has a coldkey, a coldkeypub.txt and hotkey "default". Replace them?`) {
		t.Fatalf("declined overwrite: %d %q", r.code, r.errOut)
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("a declined overwrite changed files")
	}
	old, _ := c.store().ColdkeyPublic("w")
	r = c.run("y\nnew pw\nnew pw\n", true, "wallet", "create", "--name", "w", "--overwrite")
	if r.code != 0 {
		t.Fatalf("accepted overwrite: %d %s", r.code, r.errOut)
	}
	if now, _ := c.store().ColdkeyPublic("w"); now.AccountID == old.AccountID {
		t.Fatal("overwrite kept the old coldkey")
	}
}

func TestWalletDevNoPasswordIsMarkedEverywhere(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	r := c.ok("", "wallet", "create", "--name", "dev", "--uri", "//Alice", "--no-password")
	alice := devAddress(t, "Alice")
	if !strings.Contains(r.out, alice+"  UNENCRYPTED") || !strings.Contains(r.errOut, "UNENCRYPTED") {
		t.Fatalf("create output:\n%s\n%s", r.out, r.errOut)
	}
	if strings.Contains(r.out, "mnemonic") {
		t.Fatal("a dev key has no mnemonic to show")
	}
	if r := c.ok("", "wallet", "list"); !strings.Contains(r.out, alice+"  UNENCRYPTED") {
		t.Fatalf("list:\n%s", r.out)
	}
	if r := c.ok("", "wallet", "inspect", "--name", "dev"); !strings.Contains(r.out, "storage     UNENCRYPTED") {
		t.Fatalf("inspect:\n%s", r.out)
	}
	doc := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if doc.Wallets[0].Coldkey.Encrypted || doc.Wallets[0].Coldkey.KDF != nil {
		t.Fatal("list --json does not mark the dev coldkey unencrypted")
	}
	// It signs without any password.
	if r := c.ok("", "wallet", "sign", "--name", "dev", "--message-hex", "0xdeadbeef"); !strings.Contains(r.out, aliceDeadbeefSig) {
		t.Fatalf("sign:\n%s", r.out)
	}
}

func TestWalletNewColdkeyAndHotkey(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	pw := c.file("pw", "pw")
	doc := decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "new-coldkey", "--name", "w", "--password-file", pw, "--words", "15", "--json").out)
	if doc.Hotkey != nil || doc.Coldkey == nil || len(strings.Fields(*doc.Coldkey.Mnemonic)) != 15 {
		t.Fatalf("new-coldkey: %+v", doc)
	}
	doc = decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "new-hotkey", "--name", "w", "-H", "h1", "--json").out)
	if doc.Coldkey != nil || doc.Hotkey == nil || doc.Hotkey.Encrypted || doc.Hotkey.Mnemonic == nil {
		t.Fatalf("new-hotkey: %+v", doc)
	}
	doc = decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "new-hotkey", "--name", "w", "-H", "h2", "--use-password", "--password-file", pw, "--json").out)
	if !doc.Hotkey.Encrypted {
		t.Fatal("--use-password hotkey is not encrypted")
	}
	// The encrypted hotkey needs its password to sign; the plaintext one does not.
	if r := c.run("", false, "wallet", "sign", "--name", "w", "-H", "h2", "--use-hotkey", "--message", "x"); r.code != ExitUsage || !strings.Contains(r.errOut, "--password-file") {
		t.Fatalf("sign with encrypted hotkey and no password: %d %s", r.code, r.errOut)
	}
	c.ok("", "wallet", "sign", "--name", "w", "-H", "h2", "--use-hotkey", "--message", "x", "--password-file", pw)
	c.ok("", "wallet", "sign", "--name", "w", "-H", "h1", "--use-hotkey", "--message", "x")
	list := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if len(list.Wallets) != 1 || len(list.Wallets[0].Hotkeys) != 2 {
		t.Fatalf("list: %+v", list)
	}
}

func TestWalletRegenColdkeyVectors(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	pw := c.file("pw", "pw\n")
	// spec/keys.md: crowd... //foo//42///password
	m := c.file("m", testCrowdPhrase+"//foo//42///password\n")
	doc := decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "regen-coldkey", "--name", "a", "--mnemonic-file", m, "--password-file", pw, "--json").out)
	if doc.Coldkey.Address != "5FRVaDUQMhpm1vBK5Y5EjdoNhv5tZRTBRgq8eoD1meRse6om" || doc.Coldkey.Mnemonic != nil {
		t.Fatalf("regen-coldkey: %+v", doc.Coldkey)
	}
	key, err := c.store().LoadColdkey("a", func() ([]byte, error) { return []byte("pw"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(key.Mnemonic) != testCrowdPhrase || string(key.Path) != "//foo//42///password" {
		t.Fatalf("kept %q %q", key.Mnemonic, key.Path)
	}
	key.Zero()
	// From stdin.
	doc = decodeJSON[walletWriteResultJSON](t, c.ok(testCrowdPhrase+"//foo\n", "wallet", "regen-coldkey", "--name", "b", "--mnemonic-stdin", "--password-file", pw, "--json").out)
	if doc.Coldkey.Address != "5G144J3pcwW8q22RMpUEY6e9AeviTK4LLbFWzigYekPfVS4T" {
		t.Fatalf("stdin: %s", doc.Coldkey.Address)
	}
	// From the prompt on a terminal: mnemonic, then the password twice.
	r := c.run(testCrowdPhrase+"\npw\npw\n", true, "wallet", "regen-coldkey", "--name", "c")
	if r.code != 0 || !strings.Contains(r.out, "5F9UMJqrtQ2k2i4tP3qcdvCttunoQLdTtDyDSShoSgFRhFfC") || strings.Contains(r.out+r.errOut, "crowd") {
		t.Fatalf("prompt: %d\n%s\n%s", r.code, r.out, r.errOut)
	}
	// A dev key from --uri, unencrypted.
	doc = decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "regen-coldkey", "--name", "d", "--uri", "//Alice", "--no-password", "--json").out)
	if doc.Coldkey.Address != devAddress(t, "Alice") || doc.Coldkey.Encrypted {
		t.Fatalf("uri: %+v", doc.Coldkey)
	}
	// Overwrite with --yes replaces the key and its coldkeypub.txt.
	c.ok("", "wallet", "regen-coldkey", "--name", "d", "--uri", "//Bob", "--no-password", "--overwrite", "--yes")
	if p, _ := c.store().ColdkeyPub("d"); p.Address() != devAddress(t, "Bob") {
		t.Fatal("coldkeypub.txt not replaced")
	}
}

func TestWalletRegenHotkey(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	doc := decodeJSON[walletWriteResultJSON](t, c.ok(testCrowdPhrase+"///password", "wallet", "regen-hotkey", "--name", "w", "-H", "hk", "--mnemonic-stdin", "--json").out)
	if doc.Hotkey.Address != "5HRRRLS5sPdMHTDUfPShrwVgqRBnaVVkDskEtShcBPdhZdSr" || doc.Hotkey.Encrypted || doc.Hotkey.Name != "hk" {
		t.Fatalf("regen-hotkey: %+v", doc.Hotkey)
	}
	if strings.Contains(allFileContents(t, c.dir), "crowd") {
		t.Fatal("a plaintext hotkey keeps the mnemonic")
	}
	pw := c.file("pw", "pw")
	c.ok("", "wallet", "regen-hotkey", "--name", "w", "-H", "hk2", "--uri", "//Eve", "--use-password", "--password-file", pw)
	if p, _ := c.store().HotkeyPublic("w", "hk2"); p.Address() != devAddress(t, "Eve") || !p.Encrypted {
		t.Fatalf("hk2: %+v", p)
	}
}

func TestWalletRegenColdkeypub(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	alice := devAddress(t, "Alice")
	doc := decodeJSON[walletWriteResultJSON](t, c.ok("", "wallet", "regen-coldkeypub", "--name", "watch", "--ss58", alice, "--json").out)
	if doc.Coldkey.Address != alice || doc.Coldkey.Keyfile || doc.Coldkey.PublicKey != "" {
		t.Fatalf("from ss58: %+v", doc.Coldkey)
	}
	if r := c.ok("", "wallet", "list"); !strings.Contains(r.out, alice+"  watch-only") {
		t.Fatalf("list:\n%s", r.out)
	}
	kp, _ := wallet.FromSURI("//Alice")
	c.ok("", "wallet", "regen-coldkeypub", "--name", "watch", "--public-key", kp.PublicKey().Hex(), "--overwrite", "--yes")
	if p, _ := c.store().ColdkeyPub("watch"); p.PublicKey != kp.PublicKey() {
		t.Fatal("public key not written")
	}
	// The matching coldkey can be restored into the watch-only wallet without --overwrite.
	c.ok("", "wallet", "regen-coldkey", "--name", "watch", "--uri", "//Alice", "--no-password")
	// A coldkeypub.txt for another account next to the coldkey is refused, even with --overwrite.
	before := walletTreeHash(t, c.dir)
	r := c.run("", false, "wallet", "regen-coldkeypub", "--name", "watch", "--ss58", devAddress(t, "Bob"), "--overwrite", "--yes")
	if r.code != ExitFailed || !strings.Contains(r.errOut, "key mismatch") || walletTreeHash(t, c.dir) != before {
		t.Fatalf("mismatch: %d %s", r.code, r.errOut)
	}
}

func TestWalletListTreeAndJSON(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	r := c.ok("", "wallet", "list")
	if !strings.Contains(r.out, "No wallets in "+c.dir) {
		t.Fatalf("empty list: %s", r.out)
	}
	empty := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if empty.Wallets == nil || len(empty.Wallets) != 0 {
		t.Fatal("an empty list must be [] in JSON")
	}
	if !strings.Contains(c.ok("", "wallet", "list", "--json").out, `"wallets": []`) {
		t.Fatal("wallets is not []")
	}
	walletFixture(t, c)
	r = c.ok("", "wallet", "list")
	want := strings.Join([]string{
		c.dir,
		"├── alice  " + devAddress(t, "Alice") + "  encrypted",
		"│   ├── default  " + devAddress(t, "Bob") + "  plaintext",
		"│   └── locked   " + devAddress(t, "Charlie") + "  encrypted",
		"└── dev    " + devAddress(t, "Dave") + "  UNENCRYPTED",
		"    └── (no hotkeys)",
		"",
	}, "\n")
	if r.out != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", r.out, want)
	}
	// The JSON shape is stable: exactly these keys, arrays never null.
	var raw map[string]any
	if err := json.Unmarshal([]byte(c.ok("", "wallet", "list", "--json").out), &raw); err != nil {
		t.Fatal(err)
	}
	keysOf := func(m any) []string {
		var ks []string
		for k := range m.(map[string]any) {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	if got := keysOf(raw); !reflect.DeepEqual(got, []string{"wallet_path", "wallets"}) {
		t.Fatalf("top-level keys %v", got)
	}
	ws := raw["wallets"].([]any)
	for _, w := range ws {
		if got := keysOf(w); !reflect.DeepEqual(got, []string{"coldkey", "hotkeys", "name", "path", "problems", "warnings"}) {
			t.Fatalf("wallet keys %v", got)
		}
		wantKey := []string{"account_id", "address", "encrypted", "error", "file", "format", "kdf", "keyfile", "name", "public_key", "scheme"}
		if got := keysOf(w.(map[string]any)["coldkey"]); !reflect.DeepEqual(got, wantKey) {
			t.Fatalf("coldkey keys %v", got)
		}
		for _, h := range w.(map[string]any)["hotkeys"].([]any) {
			if got := keysOf(h); !reflect.DeepEqual(got, wantKey) {
				t.Fatalf("hotkey keys %v", got)
			}
		}
		for _, k := range []string{"hotkeys", "problems", "warnings"} {
			if _, ok := w.(map[string]any)[k].([]any); !ok {
				t.Fatalf("%s is not an array", k)
			}
		}
	}
	doc := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if doc.Wallets[0].Hotkeys[1].Name != "locked" || !doc.Wallets[0].Hotkeys[1].Encrypted || doc.Wallets[0].Hotkeys[1].KDF.MemoryKiB != 64 {
		t.Fatalf("locked hotkey: %+v", doc.Wallets[0].Hotkeys[1])
	}
}

func TestWalletListReportsProblems(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	s := c.store()
	if err := os.WriteFile(s.HotkeyPath("alice", "default"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	bob, _ := wallet.FromSURI("//Bob")
	b, _ := keystore.EncodeColdkeyPub(keystore.PublicInfo{AccountID: bob.AccountID(), PublicKey: bob.PublicKey()})
	if err := os.WriteFile(s.ColdkeyPubPath("dev"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.ok("", "wallet", "list")
	if !strings.Contains(r.out, "default  unreadable: unknown keyfile format") || !strings.Contains(r.out, "problem: key mismatch") {
		t.Fatalf("list:\n%s", r.out)
	}
	doc := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if len(doc.Wallets[0].Problems) != 1 || doc.Wallets[0].Hotkeys[0].Error == "" || len(doc.Wallets[1].Problems) != 1 {
		t.Fatalf("problems: %+v", doc.Wallets)
	}
}

func TestWalletInspect(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	r := c.ok("", "wallet", "inspect", "--name", "alice")
	kp, _ := wallet.FromSURI("//Alice")
	for _, want := range []string{"wallet  alice", "coldkey\n  address     " + kp.Address(), "account id  " + kp.AccountID().Hex(),
		"public key  " + kp.PublicKey().Hex(), "storage     encrypted (argon2id, t=1, m=64 KiB, p=1; xchacha20-poly1305)",
		"hotkey default", "hotkey locked", "storage     plaintext"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, r.out)
		}
	}
	e := decodeJSON[walletEntryJSON](t, c.ok("", "wallet", "inspect", "--name", "alice", "--json").out)
	if e.Name != "alice" || e.Coldkey.PublicKey != kp.PublicKey().Hex() || len(e.Hotkeys) != 2 {
		t.Fatalf("inspect json: %+v", e)
	}
}

func TestWalletSignVerify(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	c.env[envPassword] = testAlicePW
	// spec/keys.md vector: //Alice over 0xdeadbeef.
	doc := decodeJSON[walletSignJSON](t, c.ok("", "wallet", "sign", "--name", "alice", "--message-hex", "0xdeadbeef", "--json").out)
	if doc.Signature != aliceDeadbeefSig || doc.Signer.Address != devAddress(t, "Alice") || doc.Signer.Key != "coldkey" || doc.MessageHex != "0xdeadbeef" {
		t.Fatalf("sign: %+v", doc)
	}
	kp, _ := wallet.FromSURI("//Alice")
	for _, signer := range [][]string{{"--address", "alice"}, {"--address", "//Alice"}, {"--address", kp.Address()}, {"--public-key", kp.PublicKey().Hex()}} {
		args := append([]string{"wallet", "verify", "--message-hex", "deadbeef", "--signature", aliceDeadbeefSig}, signer...)
		if r := c.ok("", args...); !strings.Contains(r.out, "valid: signed by "+kp.Address()) {
			t.Fatalf("verify %v: %s", signer, r.out)
		}
	}
	// Not for another message or another signer: exit 1, with the JSON document.
	for _, args := range [][]string{
		{"--message-hex", "0xbaddbeef", "--address", "//Alice"},
		{"--message-hex", "0xdeadbeef", "--address", "//Bob"},
		{"--message-hex", "0xdeadbeef", "--address", "alice/default"},
	} {
		r := c.run("", false, append([]string{"wallet", "verify", "--signature", aliceDeadbeefSig, "--json"}, args...)...)
		v := decodeJSON[walletVerifyJSON](t, r.out)
		if r.code != ExitFailed || v.Valid || !strings.Contains(v.Error, "bad signature") || !strings.Contains(r.errOut, "not valid") {
			t.Fatalf("verify %v: %d %+v %s", args, r.code, v, r.errOut)
		}
	}
	// Hotkeys: plaintext signs without a password, encrypted with it.
	delete(c.env, envPassword)
	r := c.ok("", "wallet", "sign", "--name", "alice", "-H", "default", "--use-hotkey", "--message", "hello")
	sig := strings.Fields(strings.Split(r.out, "\n")[1])[1]
	c.ok("", "wallet", "verify", "--address", "alice/default", "--message", "hello", "--signature", sig)
	msgFile := c.file("msg", "hello")
	c.ok("", "wallet", "verify", "--address", "//Bob", "--message-file", msgFile, "--signature", sig)
	r = c.run(testAlicePW+"\n", true, "wallet", "sign", "--name", "alice", "-H", "locked", "--use-hotkey", "--message", "")
	if r.code != 0 || !strings.Contains(r.errOut, `Password for hotkey "locked" of wallet "alice": `) {
		t.Fatalf("sign with encrypted hotkey on a terminal: %d %s", r.code, r.errOut)
	}
}

func TestWalletChangePassword(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	oldF, newF := c.file("old", testAlicePW+"\n"), c.file("new", "brand new\n")
	out := decodeJSON[walletChangePasswordJSON](t, c.ok("", "wallet", "change-password", "--name", "alice", "--password-file", oldF, "--new-password-file", newF, "--json").out)
	if !out.Coldkey.Encrypted || out.Coldkey.Address != devAddress(t, "Alice") || out.Coldkey.KDF == nil {
		t.Fatalf("output %+v", out)
	}
	s := c.store()
	if _, err := s.LoadColdkey("alice", func() ([]byte, error) { return []byte("brand new"), nil }); err != nil {
		t.Fatal(err)
	}
	// On a terminal: old, new, new again.
	r := c.run("brand new\nthird\nthird\n", true, "wallet", "change-password", "--name", "alice")
	if r.code != 0 || !strings.Contains(r.out, "Changed the password") {
		t.Fatalf("%d %s %s", r.code, r.out, r.errOut)
	}
	c.env[envPassword] = "third"
	c.ok("", "wallet", "sign", "--name", "alice", "--message", "x")
	// A --no-password dev coldkey gets encrypted.
	c.env[envNewPassword] = "dev now"
	c.ok("", "wallet", "change-password", "--name", "dev")
	if kf, _ := s.ReadColdkey("dev"); !kf.Encrypted() {
		t.Fatal("dev coldkey still unencrypted")
	}
}

// TestWalletFlags checks flag parsing into the options (gh's runF injection), btcli's
// spellings included.
func TestWalletFlags(t *testing.T) {
	t.Parallel()
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Env = func(string) (string, bool) { return "", false }
	var got *walletCreateOptions
	root := NewRootCmd(f)
	for _, cmd := range root.Commands() {
		if cmd.Name() == "wallet" {
			root.RemoveCommand(cmd)
		}
	}
	w := newCmdWallet(f)
	for _, cmd := range w.Commands() {
		if cmd.Name() == "create" {
			w.RemoveCommand(cmd)
		}
	}
	w.AddCommand(newCmdWalletCreate(f, func(o *walletCreateOptions) error { got = o; return nil }))
	root.AddCommand(w)
	root.SetArgs([]string{"wallet", "create", "--wallet.name", "cold", "--wallet_hotkey", "hot", "--n_words", "24", "--no-password",
		"--use-password", "--overwrite", "--password-file", "/tmp/pw", "--uri", "//Alice"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	want := walletCreateOptions{f: f, Wallet: "cold", Hotkey: "hot", Words: 24, URI: "//Alice", NoPassword: true, UsePassword: true,
		Overwrite: true, Password: passwordOptions{File: "/tmp/pw"}}
	if got == nil || *got != want {
		t.Fatalf("options %+v, want %+v", got, want)
	}
}

func TestWalletHelp(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	r := c.ok("", "wallet", "--help")
	for _, name := range []string{"create", "new-coldkey", "new-hotkey", "regen-coldkey", "regen-coldkeypub", "regen-hotkey", "list", "inspect", "sign", "verify", "change-password"} {
		if !strings.Contains(r.out, "  "+name+" ") {
			t.Errorf("wallet help lacks %s", name)
		}
	}
	if _, err := os.Stat(c.dir); err == nil {
		t.Fatal("help created the wallet path")
	}
}

func TestWalletCompletions(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	io, _, _ := NewTestIO("", false)
	f := NewFactory(io)
	f.Env = func(string) (string, bool) { return "", false }
	f.Opts.WalletPath = c.dir
	names, dir := completeWalletNames(f)(nil, nil, "")
	if !reflect.DeepEqual(names, []string{"alice", "dev"}) || dir != cobra.ShellCompDirectiveNoFileComp {
		t.Fatalf("wallet names %v %v", names, dir)
	}
	if names, _ := completeWalletNames(f)(nil, nil, "d"); !reflect.DeepEqual(names, []string{"dev"}) {
		t.Fatalf("prefix d: %v", names)
	}
	f.Opts.WalletName = "alice"
	if names, _ := completeHotkeyNames(f)(nil, nil, ""); !reflect.DeepEqual(names, []string{"default", "locked"}) {
		t.Fatalf("hotkeys %v", names)
	}
	f.Opts.WalletName = "nobody"
	if names, _ := completeHotkeyNames(f)(nil, nil, ""); len(names) != 0 {
		t.Fatalf("hotkeys of a missing wallet %v", names)
	}
}
