package main

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/btui/btui/wallet"
)

// TestWalletBadInput runs bad input through the real command layer. Every case checks the exit
// code, that the message says what was wrong (and, where there is one, what to pass instead),
// that nothing but the error reached stdout, that no secret is echoed, and that the wallet
// directory is byte-for-byte unchanged (paths, modes and contents hashed before and after).
// The fixture is walletFixture: "alice" (encrypted coldkey //Alice, hotkeys "default" and
// "locked") and "dev" (unencrypted coldkey //Dave).
func TestWalletBadInput(t *testing.T) {
	t.Parallel()
	alice, _ := wallet.FromSURI("//Alice")
	aliceAddr := alice.Address()
	abandon := strings.Repeat("abandon ", 11) + "abandon" // valid words, bad checksum
	hunter := "hunter2"

	// A high-S twin of the //Alice signature: s' = n - s and v flipped verifies mathematically
	// but is not canonical.
	sigBytes, _ := hex.DecodeString(strings.TrimPrefix(aliceDeadbeefSig, "0x"))
	n, _ := new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
	highS := new(big.Int).Sub(n, new(big.Int).SetBytes(sigBytes[32:64])).FillBytes(make([]byte, 32))
	highSig := "0x" + hex.EncodeToString(sigBytes[:32]) + hex.EncodeToString(highS) + hex.EncodeToString([]byte{sigBytes[64] ^ 1})
	badV := aliceDeadbeefSig[:len(aliceDeadbeefSig)-2] + "02"

	lastChar := aliceAddr[len(aliceAddr)-1]
	swapped := byte('Y')
	if lastChar == 'Y' {
		swapped = 'Z'
	}
	badChecksum := aliceAddr[:len(aliceAddr)-1] + string(swapped)
	id := alice.AccountID()
	pub := alice.PublicKey()
	prefix0 := wallet.EncodeSS58(0, id[:])
	pubSS58 := wallet.EncodeSS58(42, pub[:])
	badBase58 := "0" + aliceAddr[1:]

	editColdkey := func(edit func(m map[string]any)) func(t *testing.T, c *walletCLI) {
		return func(t *testing.T, c *walletCLI) {
			p := c.store().ColdkeyPath("alice")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			edit(m)
			b, _ = json.MarshalIndent(m, "", "  ")
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	crypto := func(m map[string]any) map[string]any { return m["crypto"].(map[string]any) }

	cases := []struct {
		name   string
		setup  func(t *testing.T, c *walletCLI)
		env    map[string]string
		files  map[string]string // name -> content, passed as $name in args
		stdin  string
		tty    bool
		args   []string
		code   int
		want   []string // substrings of stderr
		secret string   // must not appear in any output
	}{
		// Passwords.
		{name: "wrong password from file", files: map[string]string{"pw": hunter + "\n"},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m", "--password-file", "$pw"},
			code: ExitAuth, want: []string{`coldkey of wallet "alice"`, "cannot decrypt keyfile: wrong password"}, secret: hunter},
		{name: "wrong password from env", env: map[string]string{envPassword: hunter, envNewPassword: "new one"},
			args: []string{"wallet", "change-password", "--name", "alice"},
			code: ExitAuth, want: []string{"wrong password"}, secret: hunter},
		{name: "wrong password at the prompt", stdin: hunter + "\n", tty: true,
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitAuth, want: []string{"wrong password"}, secret: hunter},
		{name: "password is used exactly as typed (trailing space)", env: map[string]string{envPassword: testAlicePW + " "},
			args: []string{"wallet", "sign", "--name", "alice", "-H", "locked", "--use-hotkey", "--message", "m"},
			code: ExitAuth, want: []string{`hotkey "locked" of wallet "alice"`, "wrong password"}},
		{name: "empty password file on create", files: map[string]string{"pw": "\n"},
			args: []string{"wallet", "create", "--name", "fresh", "--password-file", "$pw"},
			code: ExitUsage, want: []string{"empty password", "(from --password-file) is empty", "never uses an empty password"}},
		{name: "empty password from env on sign", env: map[string]string{envPassword: ""},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitUsage, want: []string{"empty password", "env BTUI_PASSWORD"}},
		{name: "empty password at the prompt", stdin: "\n", tty: true,
			args: []string{"wallet", "new-coldkey", "--name", "fresh"},
			code: ExitUsage, want: []string{"empty password", "(from the prompt) is empty"}},
		{name: "new passwords differ", stdin: "one\ntwo\n", tty: true,
			args: []string{"wallet", "create", "--name", "fresh"},
			code: ExitUsage, want: []string{"the two passwords differ: nothing was written"}, secret: "one"},
		{name: "empty new password on change", env: map[string]string{envPassword: testAlicePW, envNewPassword: ""},
			args: []string{"wallet", "change-password", "--name", "alice"},
			code: ExitUsage, want: []string{"empty password", "new password"}},
		{name: "missing password file", args: []string{"wallet", "sign", "--name", "alice", "--message", "m", "--password-file", "/nonexistent/pw"},
			code: ExitUsage, want: []string{"--password-file", "no such file"}},

		// Mnemonics and secret URIs.
		{name: "bad mnemonic checksum", stdin: abandon, env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "regen-coldkey", "--name", "fresh", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"invalid mnemonic: bad checksum"}, secret: "abandon"},
		{name: "unknown mnemonic word", stdin: strings.Replace(testCrowdPhrase, "sniff", "sniffy", 1), env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "regen-coldkey", "--name", "fresh", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"word 3 is not in the BIP-39 English word list"}, secret: "sniffy"},
		{name: "mnemonic word count", files: map[string]string{"m": "crowd swamp sniff machine grid pretty client emotion banana cricket flush\n"},
			args: []string{"wallet", "regen-hotkey", "--name", "alice", "-H", "new", "--mnemonic-file", "$m"},
			code: ExitUsage, want: []string{"11 words, a mnemonic has 12, 15, 18, 21 or 24"}, secret: "crowd"},
		{name: "soft junction", stdin: testCrowdPhrase + "/soft",
			args: []string{"wallet", "regen-hotkey", "--name", "alice", "-H", "new", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"soft junction", "only hard junctions"}, secret: "crowd"},
		{name: "zero secret seed", stdin: "0x" + strings.Repeat("0", 64),
			args: []string{"wallet", "regen-hotkey", "--name", "alice", "-H", "new", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"invalid secret key: the secret is zero"}},
		{name: "empty mnemonic", stdin: "\n",
			args: []string{"wallet", "regen-hotkey", "--name", "alice", "-H", "new", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"is empty"}},

		// SS58 addresses: each reason is named.
		{name: "ss58 not base58", args: []string{"wallet", "regen-coldkeypub", "--name", "watch", "--ss58", badBase58},
			code: ExitUsage, want: []string{"--ss58: invalid ss58 address: not base58"}},
		{name: "ss58 bad checksum", args: []string{"wallet", "regen-coldkeypub", "--name", "watch", "--ss58", badChecksum},
			code: ExitUsage, want: []string{"invalid ss58 address: bad checksum"}},
		{name: "ss58 wrong length (public key form)", args: []string{"wallet", "regen-coldkeypub", "--name", "watch", "--ss58", pubSS58},
			code: ExitUsage, want: []string{"invalid ss58 address: wrong length", "33-byte public key"}},
		{name: "ss58 wrong prefix", args: []string{"wallet", "regen-coldkeypub", "--name", "watch", "--ss58", prefix0},
			code: ExitUsage, want: []string{"invalid ss58 address: wrong network prefix", "prefix 0"}},
		{name: "verify signer with bad checksum", args: []string{"wallet", "verify", "--address", badChecksum, "--message-hex", "deadbeef", "--signature", aliceDeadbeefSig},
			code: ExitUsage, want: []string{"is not a wallet in", "bad checksum"}},
		{name: "bad public key", args: []string{"wallet", "regen-coldkeypub", "--name", "watch", "--public-key", "0x04" + strings.Repeat("11", 32)},
			code: ExitUsage, want: []string{"--public-key", "compressed form"}},

		// Signatures.
		{name: "high-S signature", args: []string{"wallet", "verify", "--address", "//Alice", "--message-hex", "deadbeef", "--signature", highSig},
			code: ExitUsage, want: []string{"not low-s"}},
		{name: "recovery id 2", args: []string{"wallet", "verify", "--address", "//Alice", "--message-hex", "deadbeef", "--signature", badV},
			code: ExitUsage, want: []string{"recovery id v is not 0 or 1"}},
		{name: "short signature", args: []string{"wallet", "verify", "--address", "//Alice", "--message-hex", "deadbeef", "--signature", aliceDeadbeefSig[:100]},
			code: ExitUsage, want: []string{"--signature must be 65 bytes (130 hex digits), got 98"}},

		// Never overwrite without --overwrite; never prompt without a terminal or with --yes.
		{name: "existing wallet without --overwrite", env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "create", "--name", "alice"},
			code: ExitUsage, want: []string{`wallet "alice" already has a coldkey, a coldkeypub.txt and hotkey "default": nothing was written; pass --overwrite to replace them`}},
		{name: "existing hotkey without --overwrite", args: []string{"wallet", "new-hotkey", "--name", "alice", "-H", "default"},
			code: ExitUsage, want: []string{`wallet "alice" already has hotkey "default": nothing was written; pass --overwrite to replace it`}},
		{name: "regen over an existing coldkey without --overwrite", stdin: testCrowdPhrase, env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "regen-coldkey", "--name", "alice", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{`wallet "alice" already has a coldkey`, "--overwrite"}},
		{name: "regen under another coldkeypub.txt", setup: func(t *testing.T, c *walletCLI) {
			if err := os.Remove(c.store().ColdkeyPath("alice")); err != nil {
				t.Fatal(err)
			}
		}, stdin: testCrowdPhrase, env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "regen-coldkey", "--name", "alice", "--mnemonic-stdin"},
			code: ExitUsage, want: []string{"already has a coldkeypub.txt for another account (" + aliceAddr, "--overwrite"}},
		{name: "--overwrite without a terminal and without --yes", env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "create", "--name", "alice", "--overwrite"},
			code: ExitUsage, want: []string{"no terminal to prompt on", "add --yes"}},
		{name: "password prompt without a terminal", args: []string{"wallet", "create", "--name", "fresh"},
			code: ExitUsage, want: []string{"no terminal to prompt on for a password for the new coldkey", "--password-file PATH, --password-stdin or set BTUI_PASSWORD"}},
		{name: "mnemonic prompt without a terminal", args: []string{"wallet", "regen-coldkey", "--name", "fresh"},
			code: ExitUsage, want: []string{"no terminal to prompt on", "--mnemonic-file PATH or --mnemonic-stdin"}},
		{name: "--yes forbids the prompt on a terminal", tty: true, stdin: "pw\npw\n",
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m", "--yes"},
			code: ExitUsage, want: []string{"--yes forbids prompting", "--password-file"}},

		// Secrets never on the command line.
		{name: "mnemonic as arguments", args: append([]string{"wallet", "regen-coldkey", "--name", "fresh"}, strings.Fields(testCrowdPhrase)...),
			code: ExitUsage, want: []string{"never takes a mnemonic or seed on the command line", "--mnemonic-file"}, secret: "crowd"},
		{name: "btcli --mnemonic flag", args: []string{"wallet", "regen-coldkey", "--name", "fresh", "--mnemonic", testCrowdPhrase},
			code: ExitUsage, want: []string{"never takes a mnemonic on the command line"}, secret: "crowd"},
		{name: "--password flag", args: []string{"wallet", "sign", "--name", "alice", "--message", "m", "--password", testAlicePW},
			code: ExitUsage, want: []string{"never takes a password on the command line", "--password-file"}, secret: testAlicePW},
		{name: "--uri with a mnemonic", args: []string{"wallet", "regen-hotkey", "--name", "alice", "-H", "x", "--uri", testCrowdPhrase},
			code: ExitUsage, want: []string{"never takes a mnemonic or seed in --uri"}, secret: "crowd"},
		{name: "one stdin for two secrets", stdin: testCrowdPhrase,
			args: []string{"wallet", "regen-coldkey", "--name", "fresh", "--mnemonic-stdin", "--password-stdin"},
			code: ExitUsage, want: []string{"only one of --password-stdin and --mnemonic-stdin"}},

		// Damaged, tampered and mismatched files.
		{name: "unreadable keyfile", setup: func(t *testing.T, c *walletCLI) {
			p := c.store().ColdkeyPath("alice")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
		}, env: map[string]string{envPassword: testAlicePW},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitFailed, want: []string{"read coldkey of wallet", "is a directory"}},
		{name: "garbage keyfile", setup: func(t *testing.T, c *walletCLI) {
			if err := os.WriteFile(c.store().HotkeyPath("alice", "default"), []byte("$NACL garbage"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"wallet", "sign", "--name", "alice", "--use-hotkey", "--message", "m"},
			code: ExitFailed, want: []string{`hotkey "default" of wallet "alice"`, "not a valid btui keyfile"}},
		{name: "tampered ciphertext", setup: editColdkey(func(m map[string]any) {
			ct := crypto(m)["ciphertext"].(string)
			flipped := "0"
			if ct[0] == '0' {
				flipped = "1"
			}
			crypto(m)["ciphertext"] = flipped + ct[1:]
		}), env: map[string]string{envPassword: testAlicePW},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitAuth, want: []string{"cannot decrypt keyfile: wrong password, or the file was modified or damaged"}},
		{name: "tampered kdf parameters", setup: editColdkey(func(m map[string]any) {
			crypto(m)["kdfparams"].(map[string]any)["memory_kib"] = 72
		}), env: map[string]string{envPassword: testAlicePW},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitAuth, want: []string{"cannot decrypt keyfile"}},
		{name: "coldkey does not match coldkeypub.txt", setup: func(t *testing.T, c *walletCLI) {
			b, err := os.ReadFile(c.store().ColdkeyPubPath("dev"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.store().ColdkeyPubPath("alice"), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, env: map[string]string{envPassword: testAlicePW},
			args: []string{"wallet", "sign", "--name", "alice", "--message", "m"},
			code: ExitFailed, want: []string{"key mismatch", "coldkeypub.txt says", "regen-coldkeypub"}},
		{name: "too-open permissions warn", setup: func(t *testing.T, c *walletCLI) {
			if err := os.Chmod(c.store().WalletDir("alice"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(c.store().HotkeyPath("alice", "default"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"wallet", "list"},
			code: ExitOK, want: []string{"warning: ", "alice has permissions 0755, want 0700", "chmod 700", "default has permissions 0644, want 0600"}},

		// Names, counts and lookups.
		{name: "wallet not found", env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "sign", "--name", "nobody", "--message", "m"},
			code: ExitNotFound, want: []string{`wallet "nobody" does not exist in`}},
		{name: "hotkey not found", args: []string{"wallet", "sign", "--name", "alice", "-H", "ghost", "--use-hotkey", "--message", "m"},
			code: ExitNotFound, want: []string{`wallet "alice" has no hotkey "ghost"`}},
		{name: "wallet name with a path", env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "create", "--name", "x/../../escape"},
			code: ExitUsage, want: []string{"invalid name", "may only hold letters, digits"}},
		{name: "word count 13", env: map[string]string{envPassword: "pw"},
			args: []string{"wallet", "create", "--name", "fresh", "--words", "13"},
			code: ExitUsage, want: []string{"--words must be 12, 15, 18, 21 or 24, not 13"}},
		{name: "unknown wallet command", args: []string{"wallet", "frobnicate"},
			code: ExitUsage, want: []string{`unknown command "frobnicate" for "btui wallet"`}},
		{name: "no message to sign", env: map[string]string{envPassword: testAlicePW},
			args: []string{"wallet", "sign", "--name", "alice"},
			code: ExitUsage, want: []string{"give the message with --message TEXT"}},
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newWalletCLI(t)
			walletFixture(t, c)
			for k, v := range tc.env {
				c.env[k] = v
			}
			args := append([]string{}, tc.args...)
			for name, content := range tc.files {
				p := c.file(name, content)
				for i, a := range args {
					if a == "$"+name {
						args[i] = p
					}
				}
			}
			if tc.setup != nil {
				tc.setup(t, c)
			}
			before := walletTreeHash(t, c.dir)
			r := c.run(tc.stdin, tc.tty, args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", r.code, tc.code, r.errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.errOut)
				}
			}
			if tc.code != ExitOK && r.out != "" {
				t.Errorf("stdout on failure: %q", r.out)
			}
			if tc.code != ExitOK && strings.Count(r.errOut, "error: ") != 1 {
				t.Errorf("want exactly one error line:\n%s", r.errOut)
			}
			if tc.secret != "" && strings.Contains(r.out+r.errOut, tc.secret) {
				t.Errorf("output echoes the secret %q:\n%s", tc.secret, r.errOut)
			}
			if after := walletTreeHash(t, c.dir); after != before {
				t.Errorf("the wallet directory changed")
			}
		})
	}
}
