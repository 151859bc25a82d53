package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
)

// Tests of the keys real Bittensor users hold: sr25519, btcli wallets in place, watch-only
// wallets, conversions and polkadot.js files, through the whole command tree.

type btcliVector struct {
	Name      string  `json:"name"`
	Password  *string `json:"password"`
	Encrypted bool    `json:"coldkey_encrypted"`
	ColdSS58  string  `json:"coldkey_ss58"`
	Mnemonic  string  `json:"coldkey_mnemonic"`
	Hotkey    string  `json:"hotkey"`
	HotSS58   string  `json:"hotkey_ss58"`
}

const btcliTestdata = "../../testdata/btcli-wallets"

func loadBtcliVectors(t *testing.T) []btcliVector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(btcliTestdata, "wallets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Wallets []btcliVector `json:"wallets"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Wallets
}

// copyBtcliTree copies the sample btcli wallets to dir (0700 directories, 0600 files, as btcli
// makes them).
func copyBtcliTree(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(btcliTestdata, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(btcliTestdata, p)
		if rel != "." && !strings.HasPrefix(rel, "btcli") {
			return nil
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// btcliCLI is a walletCLI whose wallet path is a copy of the btcli sample wallets.
func btcliCLI(t *testing.T) (*walletCLI, []btcliVector) {
	c := newWalletCLI(t)
	copyBtcliTree(t, c.dir)
	return c, loadBtcliVectors(t)
}

func TestBtcliWalletsListSignVerifyInPlace(t *testing.T) {
	t.Parallel()
	c, vec := btcliCLI(t)
	before := walletTreeHash(t, c.dir)
	doc := decodeJSON[walletListJSON](t, c.ok("", "wallet", "list", "--json").out)
	if len(doc.Wallets) != 4 {
		t.Fatalf("listed %d wallets", len(doc.Wallets))
	}
	for i, v := range vec {
		w := doc.Wallets[i]
		if w.Coldkey == nil || w.Coldkey.Address != v.ColdSS58 || w.Coldkey.Scheme != "sr25519" || w.Coldkey.Format != "btcli" ||
			w.Coldkey.Encrypted != v.Encrypted || len(w.Problems) != 0 {
			t.Errorf("%s: coldkey %+v problems %v", v.Name, w.Coldkey, w.Problems)
		}
		if len(w.Hotkeys) != 1 || w.Hotkeys[0].Address != v.HotSS58 || w.Hotkeys[0].Scheme != "sr25519" {
			t.Errorf("%s: hotkeys %+v", v.Name, w.Hotkeys)
		}
	}
	tree := c.ok("", "wallet", "list").out
	if !strings.Contains(tree, vec[0].ColdSS58+"  encrypted  sr25519, btcli format") {
		t.Errorf("tree:\n%s", tree)
	}
	insp := c.ok("", "wallet", "inspect", "--wallet-name", "btcli0").out
	if !strings.Contains(insp, "scheme      sr25519 (btcli format)") || !strings.Contains(insp, "argon2i, t=8, m=524288 KiB, p=1; xsalsa20-poly1305 $NACL") {
		t.Errorf("inspect:\n%s", insp)
	}
	// The unencrypted coldkey and every plaintext hotkey sign without a password; wallet
	// verify accepts the signatures.
	for _, v := range vec {
		args := []string{"wallet", "sign", "--wallet-name", v.Name, "--message", "hello btcli", "--json"}
		want := v.ColdSS58
		if v.Encrypted {
			args = append(args, "--use-hotkey", "--wallet-hotkey", v.Hotkey)
			want = v.HotSS58
		}
		sig := decodeJSON[walletSignJSON](t, c.ok("", args...).out)
		if sig.Signer.Address != want || sig.Signer.Scheme != "sr25519" || len(sig.Signature) != 2+128 {
			t.Fatalf("%s: signed %+v", v.Name, sig)
		}
		out := c.ok("", "wallet", "verify", "--address", want, "--message", "hello btcli", "--signature", sig.Signature).out
		if !strings.Contains(out, "valid: signed by "+want+" (sr25519)") {
			t.Fatalf("%s: verify: %s", v.Name, out)
		}
		// Not over another message (exit 1).
		if r := c.run("", false, "wallet", "verify", "--address", want, "--message", "other", "--signature", sig.Signature); r.code != 1 {
			t.Fatalf("%s: verify of another message exit %d", v.Name, r.code)
		}
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("listing and signing changed the btcli wallets")
	}
}

// TestBtcliNaClColdkey opens a $NACL coldkey through the command tree: argon2i 512 MiB per run.
func TestBtcliNaClColdkey(t *testing.T) {
	if testing.Short() || naclRace {
		t.Skip("argon2i 512 MiB per $NACL coldkey")
	}
	t.Parallel()
	c, vec := btcliCLI(t)
	v := vec[1] // a non-ASCII password
	before := walletTreeHash(t, c.dir)
	c.env["BTUI_PASSWORD"] = *v.Password
	r := c.ok("", "wallet", "sign", "--wallet-name", v.Name, "--message-hex", "0xdeadbeef", "--json")
	sig := decodeJSON[walletSignJSON](t, r.out)
	if sig.Signer.Address != v.ColdSS58 {
		t.Fatalf("signed by %s, want %s", sig.Signer.Address, v.ColdSS58)
	}
	if !strings.Contains(r.errOut, "opening a btcli $NACL coldkey (argon2i 512 MiB, ~") {
		t.Fatalf("no $NACL notice: %q", r.errOut)
	}
	id, _ := wallet.ParseAddress(v.ColdSS58)
	if err := wallet.VerifyScheme(wallet.Sr25519, []byte{0xde, 0xad, 0xbe, 0xef}, hexBytesT(t, sig.Signature), id); err != nil {
		t.Fatal(err)
	}
	c.env["BTUI_PASSWORD"] = "wrong password"
	r = c.run("", false, "wallet", "sign", "--wallet-name", v.Name, "--message", "x")
	if r.code != ExitAuth || r.out != "" || !strings.Contains(r.errOut, "cannot decrypt") {
		t.Fatalf("wrong password: exit %d, %q %q", r.code, r.out, r.errOut)
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("opening changed the btcli wallet")
	}
}

func hexBytesT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBtcliBadFilesCLI(t *testing.T) {
	t.Parallel()
	c, _ := btcliCLI(t)
	s := c.store()
	for _, tc := range []struct {
		content, want string
		code          int
	}{
		{"$ANSIBLE_VAULT;1.1;AES256\n6162", "btcli wallet regen-coldkey", ExitUsage},
		{"gAAAAABlZmVybmV0", "Fernet", ExitUsage},
		{"\x7fELF\x02\x01", `starts with hex 7f454c460201`, ExitUsage},
	} {
		if err := os.WriteFile(s.ColdkeyPath("btcli3"), []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		before := walletTreeHash(t, c.dir)
		r := c.run("", false, "wallet", "sign", "--wallet-name", "btcli3", "--message", "x")
		if r.code != tc.code || !strings.Contains(r.errOut, tc.want) || !strings.Contains(r.errOut, s.ColdkeyPath("btcli3")) {
			t.Errorf("%q: exit %d: %s", tc.content[:4], r.code, r.errOut)
		}
		if walletTreeHash(t, c.dir) != before {
			t.Fatal("a refused file was changed")
		}
	}
}

func TestWatchOnlyWallet(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	alice, _ := wallet.SrDev("Alice")
	r := c.ok("", "wallet", "add-watch", "treasury", alice.Address(), "--json")
	var res walletWriteResultJSON
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Coldkey == nil || res.Coldkey.Address != alice.Address() || res.Coldkey.Keyfile {
		t.Fatalf("add-watch: %s %v", r.out, err)
	}
	tree := c.ok("", "wallet", "list").out
	if !strings.Contains(tree, alice.Address()+"  watch-only") {
		t.Fatalf("list:\n%s", tree)
	}
	before := walletTreeHash(t, c.dir)
	for _, args := range [][]string{
		{"wallet", "sign", "--wallet-name", "treasury", "--message", "x"},
		{"wallet", "export", "treasury", "--format", "polkadot-js", "--out", filepath.Join(t.TempDir(), "t.json")},
	} {
		r := c.run("", false, args...)
		if r.code != ExitUsage || !strings.Contains(r.errOut, "watch-only") {
			t.Errorf("%v: exit %d: %s", args, r.code, r.errOut)
		}
	}
	// Adding it again, or with a bad address, is refused.
	if r := c.run("", false, "wallet", "add-watch", "treasury", alice.Address()); r.code != ExitUsage {
		t.Errorf("add-watch over an existing wallet: exit %d %s", r.code, r.errOut)
	}
	if r := c.run("", false, "wallet", "add-watch", "w2", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"); r.code != ExitUsage || !strings.Contains(r.errOut, "checksum") {
		t.Errorf("bad address: exit %d %s", r.code, r.errOut)
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("refused commands changed the wallets")
	}
}

func TestCryptoTypeCreateAndRestore(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	r := c.ok("", "wallet", "create", "--wallet-name", "dev", "--uri", "//Alice", "--no-password", "--crypto-type", "sr25519", "--json")
	var res walletWriteResultJSON
	if err := json.Unmarshal([]byte(r.out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Coldkey.Address != "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" || res.Coldkey.Scheme != "sr25519" {
		t.Fatalf("sr25519 //Alice: %+v", res.Coldkey)
	}
	// A btcli mnemonic restored without --crypto-type: both addresses before writing; btui's
	// default (ecdsa) is written and the message says how to get the other.
	_, vec := btcliCLI(t)
	v := vec[3]
	mf := c.file("mnemonic.txt", v.Mnemonic)
	r = c.ok("", "wallet", "regen-coldkey", "--wallet-name", "restored", "--mnemonic-file", mf, "--no-password")
	ec, _ := wallet.FromSURI(v.Mnemonic)
	want := "sr25519 — the btcli/SDK address: " + v.ColdSS58 + "\n  ecdsa: " + ec.Address()
	if !strings.Contains(r.errOut, want) || !strings.Contains(r.errOut, "--crypto-type sr25519") {
		t.Fatalf("regen without --crypto-type: %s", r.errOut)
	}
	// With --crypto-type sr25519: the btcli address.
	r = c.ok("", "wallet", "regen-coldkey", "--wallet-name", "btcli", "--mnemonic-file", mf, "--no-password", "--crypto-type", "sr25519", "--json")
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Coldkey.Address != v.ColdSS58 {
		t.Fatalf("regen sr25519: %s %v", r.out, err)
	}
	// Soft junctions: sr25519 only.
	if r := c.run("", false, "wallet", "regen-hotkey", "--wallet-name", "btcli", "--wallet-hotkey", "h", "--uri", "//Alice/soft", "--crypto-type", "ecdsa"); r.code != ExitUsage || !strings.Contains(r.errOut, "soft junction") {
		t.Fatalf("ecdsa soft junction: exit %d %s", r.code, r.errOut)
	}
	c.ok("", "wallet", "regen-hotkey", "--wallet-name", "btcli", "--wallet-hotkey", "h", "--uri", "//Alice/soft", "--crypto-type", "sr25519")
	if r := c.run("", false, "wallet", "create", "--wallet-name", "x", "--crypto-type", "ed25519"); r.code != ExitUsage || !strings.Contains(r.errOut, "sr25519 or ecdsa") {
		t.Fatalf("bad crypto type: exit %d %s", r.code, r.errOut)
	}
}

func TestConvertAndExportCLI(t *testing.T) {
	t.Parallel()
	c, vec := btcliCLI(t)
	v := vec[3] // unencrypted coldkey: no argon2i here ($NACL round trips are keystore tests)
	before := walletTreeHash(t, c.dir)
	out := filepath.Join(t.TempDir(), "btui-wallets")
	c.ok("", "wallet", "convert", v.Name, "--to", "btui", "--out-path", out, "--as", "mine")
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("convert changed the source")
	}
	s, _ := keystore.New(out)
	w, err := s.Wallet("mine")
	if err != nil || w.Format() != keystore.FormatBtui {
		t.Fatalf("btui copy: %+v %v", w, err)
	}
	if p, _ := w.ColdkeyAddress(); p.Address() != v.ColdSS58 {
		t.Fatalf("btui copy address %s", p.Address())
	}
	// Back to btcli next to the originals, under a new name; an existing name is refused.
	if r := c.run("", false, "wallet", "convert", v.Name, "--to", "btcli", "--as", "btcli0"); r.code != ExitUsage {
		t.Fatalf("convert onto an existing wallet: exit %d %s", r.code, r.errOut)
	}
	c.ok("", "wallet", "convert", v.Name, "--to", "btcli")
	pub, err := os.ReadFile(filepath.Join(c.dir, v.Name+"-btcli", "coldkeypub.txt"))
	if err != nil || !strings.Contains(string(pub), `"ss58Address":"`+v.ColdSS58+`"`) {
		t.Fatalf("btcli copy coldkeypub: %s %v", pub, err)
	}
	// An ecdsa wallet cannot become a btcli one.
	c.ok("", "wallet", "create", "--wallet-name", "ec", "--uri", "//Bob", "--no-password")
	if r := c.run("", false, "wallet", "convert", "ec", "--to", "btcli"); r.code == 0 || !strings.Contains(r.errOut, "sr25519") {
		t.Fatalf("ecdsa to btcli: exit %d %s", r.code, r.errOut)
	}

	// polkadot.js export and import back.
	c.env["BTUI_PASSWORD"], c.env["BTUI_NEW_PASSWORD"] = "export pw", "export pw"
	file := filepath.Join(t.TempDir(), "k.json")
	c.ok("", "wallet", "export", v.Name, "--format", "polkadot-js", "--out", file)
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", st, err)
	}
	r := c.ok("", "wallet", "regen-coldkey", "--wallet-name", "fromjson", "--json-file", file, "--json")
	var res walletWriteResultJSON
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Coldkey.Address != v.ColdSS58 || !res.Coldkey.Encrypted {
		t.Fatalf("import: %s %v", r.out, err)
	}
	// A file polkadot.js wrote; a wrong password is exit 4 and writes nothing.
	var exp struct {
		Password string `json:"password"`
		Files    []struct {
			File, Address string
		} `json:"files"`
	}
	b, _ := os.ReadFile("../../testdata/polkadotjs/from-polkadotjs/expected.json")
	_ = json.Unmarshal(b, &exp)
	pj := filepath.Join("../../testdata/polkadotjs/from-polkadotjs", exp.Files[0].File)
	before = walletTreeHash(t, c.dir)
	c.env["BTUI_PASSWORD"] = exp.Password + "x"
	if r := c.run("", false, "wallet", "regen-coldkey", "--wallet-name", "pj", "--json-file", pj); r.code != ExitAuth {
		t.Fatalf("wrong polkadot.js password: exit %d %s", r.code, r.errOut)
	}
	if walletTreeHash(t, c.dir) != before {
		t.Fatal("a refused import wrote files")
	}
	c.env["BTUI_PASSWORD"] = exp.Password
	r = c.ok("", "wallet", "regen-coldkey", "--wallet-name", "pj", "--json-file", pj, "--json")
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Coldkey.Address != exp.Files[0].Address {
		t.Fatalf("polkadot.js import: %s %v", r.out, err)
	}
}

// TestListNotesBtcliWallets: with btui's default wallet path empty and ~/.bittensor/wallets
// holding wallets, list says so. HOME and XDG_DATA_HOME are the test's own.
func TestListNotesBtcliWallets(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	copyBtcliTree(t, filepath.Join(home, ".bittensor", "wallets"))
	io, out, _ := NewTestIO("", false)
	f := NewFactory(io)
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "data")}
	f.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if code := RunFactory(context.Background(), f, []string{"wallet", "list"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := "btcli wallets found in " + filepath.Join(home, ".bittensor", "wallets") + " (4)"
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "--wallet-path") {
		t.Fatalf("list:\n%s", out)
	}
}

func TestStartupCleanup(t *testing.T) {
	t.Parallel()
	c := newWalletCLI(t)
	walletFixture(t, c)
	stale := filepath.Join(c.dir, "alice", ".tmp-coldkey-4242")
	if err := os.WriteFile(stale, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	_ = os.Chtimes(stale, old, old)
	r := c.ok("", "wallet", "list")
	if _, err := os.Stat(stale); err == nil || !strings.Contains(r.errOut, "removed "+stale) {
		t.Fatalf("stale temporary keyfile: %v, stderr %q", err, r.errOut)
	}
}

// TestRestoreSaysWhichHoldsFunds: with a devnet at hand, a mnemonic restored without
// --crypto-type names the funded account and restores it; balance works on btcli and
// watch-only wallets in place.
func TestRestoreSaysWhichHoldsFunds(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	copyBtcliTree(t, c.wallets)
	vec := loadBtcliVectors(t)
	v := vec[3]
	c.ok("devnet", "faucet", v.ColdSS58, "7")
	mf := filepath.Join(t.TempDir(), "m.txt")
	if err := os.WriteFile(mf, []byte(v.Mnemonic), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.ok("wallet", "regen-coldkey", "--wallet-name", "restored", "--mnemonic-file", mf, "--json")
	if !strings.Contains(r.errOut, "On the chain: sr25519: ") || !strings.Contains(r.errOut, "; ecdsa: ") {
		t.Logf("%s", r.errOut)
		t.Fatal("no chain line")
	}
	if !strings.Contains(r.errOut, "Restoring the sr25519 key, the one that holds funds") {
		t.Fatalf("did not pick the funded key: %s", r.errOut)
	}
	var res walletWriteResultJSON
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || res.Coldkey.Address != v.ColdSS58 {
		t.Fatalf("restored %s: %v", r.out, err)
	}
	// Balance of the btcli wallet in place, and of a watch-only copy of its address.
	c.ok("wallet", "add-watch", "watch", v.ColdSS58)
	for _, name := range []string{v.Name, "watch"} {
		var b walletBalanceJSON
		c.json(&b, "wallet", "balance", "--wallet-name", name)
		if len(b.Balances) != 1 || b.Balances[0].Free != 7_000_000_000 {
			t.Fatalf("%s: balance %+v", name, b)
		}
	}
}

// TestChainCheckReportsCleanup: chain check opens the wallet path too and reports what a
// killed btui left there.
func TestChainCheckReportsCleanup(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	c.ok("wallet", "create", "--wallet-name", "w", "--uri", "//Alice", "--no-password")
	stale := filepath.Join(c.wallets, "w", "hotkeys", ".tmp-default-99")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	_ = os.Chtimes(stale, old, old)
	r := c.ok("chain", "check")
	if _, err := os.Stat(stale); err == nil || !strings.Contains(r.errOut, "removed "+stale) {
		t.Fatalf("chain check: %v, stderr %q", err, r.errOut)
	}
}

// TestSr25519WalletsTransactOnDevnet: the devnet accepts sr25519 signatures (a version 2
// envelope naming the scheme). A new sr25519 wallet and a btcli wallet in place (its
// unencrypted coldkey) transfer; a watch-only wallet cannot (exit 2).
func TestSr25519WalletsTransactOnDevnet(t *testing.T) {
	t.Parallel()
	c := newOpsCLI(t)
	copyBtcliTree(t, c.wallets)
	v := loadBtcliVectors(t)[3]
	c.ok("wallet", "create", "--wallet-name", "sr", "--crypto-type", "sr25519", "--show-mnemonic")
	c.ok("devnet", "faucet", "sr", "10")
	c.ok("devnet", "faucet", v.ColdSS58, "10")
	bob, _ := wallet.Dev("Bob")
	for _, args := range [][]string{
		{"wallet", "transfer", "--wallet-name", "sr", "--dest", bob.Address(), "--amount", "1.5", "--yes"},
		{"wallet", "transfer", "--wallet-name", v.Name, "--dest", bob.Address(), "--amount", "2", "--yes"},
	} {
		r := c.ok(args...)
		if !strings.Contains(r.out, "result       ok") {
			t.Fatalf("%v: %s", args, r.out)
		}
	}
	var b walletBalanceJSON
	c.json(&b, "wallet", "balance", "--wallet-name", v.Name)
	if b.Balances[0].Free >= 8_000_000_000 || b.Balances[0].Free < 7_000_000_000 {
		t.Fatalf("btcli wallet after sending 2 of 10: %+v", b.Balances[0])
	}
	// A watch-only wallet of a funded address cannot sign.
	c.ok("devnet", "faucet", v.HotSS58, "3")
	c.ok("wallet", "add-watch", "hotwatch", v.HotSS58)
	r := c.run("wallet", "transfer", "--wallet-name", "hotwatch", "--dest", bob.Address(), "--amount", "1", "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "watch-only") {
		t.Fatalf("watch-only transfer: exit %d %s", r.code, r.errOut)
	}
}
