package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btui/btui/keystore"
)

func TestDropNewline(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"pw": "pw", "pw\n": "pw", "pw\r\n": "pw", "pw\n\n": "pw\n", " pw \n": " pw ", "pw\r": "pw\r", "\n": "", "": "", "p\nw\n": "p\nw",
	} {
		if got := string(dropNewline([]byte(in))); got != want {
			t.Errorf("dropNewline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadPasswordSources(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("  from file \t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(stdin string, tty bool, env map[string]string) *Factory {
		io, _, _ := NewTestIO(stdin, tty)
		f := NewFactory(io)
		f.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		return f
	}
	req := func(o passwordOptions) passwordRequest {
		return passwordRequest{What: "the password of x", Opts: o, Env: envPassword, Prompt: "pw: "}
	}
	env := map[string]string{envPassword: "from env"}
	for _, tc := range []struct {
		name  string
		f     *Factory
		opts  passwordOptions
		want  string
		isErr error
	}{
		{"file wins and keeps inner spaces", mk("stdin\n", true, env), passwordOptions{File: file}, "  from file \t", nil},
		{"stdin", mk("from stdin\n", false, env), passwordOptions{Stdin: true}, "from stdin", nil},
		{"stdin keeps a second newline", mk("two\n\n", false, nil), passwordOptions{Stdin: true}, "two\n", nil},
		{"env before prompt", mk("typed\n", true, env), passwordOptions{}, "from env", nil},
		{"prompt", mk("typed\n", true, nil), passwordOptions{}, "typed", nil},
		{"no terminal", mk("", false, nil), passwordOptions{}, "", ErrNoTerminal},
		{"empty env", mk("", false, map[string]string{envPassword: ""}), passwordOptions{}, "", keystore.ErrEmptyPassword},
		{"empty stdin", mk("", false, nil), passwordOptions{Stdin: true}, "", keystore.ErrEmptyPassword},
	} {
		got, err := readPassword(tc.f, req(tc.opts))
		if tc.isErr != nil {
			if !errors.Is(err, tc.isErr) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.isErr)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	// Both sources at once is a usage error.
	_, err := readPassword(mk("", false, nil), req(passwordOptions{File: file, Stdin: true}))
	if exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "only one of --password-file and --password-stdin") {
		t.Fatalf("file+stdin: %v", err)
	}
	// --yes never prompts, even on a terminal.
	f := mk("typed\n", true, nil)
	f.Opts.Yes = true
	if _, err := readPassword(f, req(passwordOptions{})); exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--yes forbids prompting") {
		t.Fatalf("--yes: %v", err)
	}
}

func TestReadSURISources(t *testing.T) {
	t.Parallel()
	io, _, _ := NewTestIO(testCrowdPhrase+"//foo\n", false)
	f := NewFactory(io)
	got, err := readSURI(f, mnemonicOptions{Stdin: true}, "the mnemonic")
	if err != nil || string(got) != testCrowdPhrase+"//foo" {
		t.Fatalf("stdin: %q %v", got, err)
	}
	if got, err := readSURI(f, mnemonicOptions{URI: "//Alice"}, "m"); err != nil || string(got) != "//Alice" {
		t.Fatalf("uri: %q %v", got, err)
	}
	for _, o := range []mnemonicOptions{{URI: "0x" + strings.Repeat("1", 64)}, {URI: testCrowdPhrase}, {URI: "//A", Stdin: true}, {File: "x", Stdin: true}} {
		if _, err := readSURI(f, o, "m"); exitCode(err) != ExitUsage {
			t.Errorf("%+v: %v, want a usage error", o, err)
		}
	}
}
