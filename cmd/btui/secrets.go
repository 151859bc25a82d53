package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/btui/btui/keystore"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
)

// Secrets (passwords, mnemonics, secret URIs) never come from a flag value or an argument,
// where they would end up in shell history and process listings. They come from, in order:
//
//	passwords:  --password-file PATH, --password-stdin, env BTUI_PASSWORD, a prompt without echo
//	mnemonics:  --uri //Dev (dev paths only), --mnemonic-file PATH, --mnemonic-stdin, a prompt
//
// One trailing newline ("\n" or "\r\n") is dropped from a file or standard input; nothing
// else is trimmed, so a password is used exactly as typed. A mnemonic is normalised (see
// normalizeMnemonic): its words in any case and with any spacing, as btcli accepts them. Empty passwords are refused. A
// prompt needs a terminal and no --yes; otherwise the error names the flags to pass.
const (
	envPassword    = "BTUI_PASSWORD"
	envNewPassword = "BTUI_NEW_PASSWORD"
	maxSecretInput = 1 << 16
)

// passwordOptions are a command's non-interactive password sources.
type passwordOptions struct {
	File  string
	Stdin bool
}

func addPasswordFlags(cmd *cobra.Command, o *passwordOptions) {
	cmd.Flags().StringVar(&o.File, "password-file", "", "read the password from `PATH`: one trailing newline (\\n or \\r\\n) is dropped, any other whitespace (spaces, tabs, a second newline) is part of the password")
	cmd.Flags().BoolVar(&o.Stdin, "password-stdin", false, "read the password from standard input (the same rule as --password-file: only one trailing newline is dropped)")
}

// mnemonicOptions are a command's non-interactive sources of a mnemonic or secret URI.
type mnemonicOptions struct {
	File  string
	Stdin bool
	URI   string
}

func addMnemonicFlags(cmd *cobra.Command, o *mnemonicOptions) {
	cmd.Flags().StringVar(&o.File, "mnemonic-file", "", "read the mnemonic or secret URI (phrase//hard///password, or 0x seed) from `PATH`")
	cmd.Flags().BoolVar(&o.Stdin, "mnemonic-stdin", false, "read the mnemonic or secret URI from standard input")
	cmd.Flags().StringVar(&o.URI, "uri", "", "use a dev key such as `//Alice` (alice means //Alice, as in btcli; dev paths only: a mnemonic is never taken on the command line)")
}

// secretFlagTraps registers hidden flags with the names other tools use for secrets on the
// command line (btcli's --mnemonic, --seed, --password), so that using them gets an
// explanation instead of "unknown flag". Call checkSecretFlagTraps in RunE.
func secretFlagTraps(cmd *cobra.Command) {
	for _, n := range []string{"mnemonic", "seed", "password"} {
		cmd.Flags().String(n, "", "never used: secrets are not taken on the command line")
		_ = cmd.Flags().MarkHidden(n)
	}
}

func checkSecretFlagTraps(cmd *cobra.Command) error {
	for _, n := range []string{"mnemonic", "seed"} {
		if f := cmd.Flags().Lookup(n); f != nil && f.Changed {
			return errSecretOnArgv("a " + n)
		}
	}
	if f := cmd.Flags().Lookup("password"); f != nil && f.Changed {
		return usageErrorf("btui never takes a password on the command line (it would land in shell history and process lists): " +
			"use --password-file PATH, --password-stdin, env " + envPassword + " or the prompt")
	}
	return nil
}

func errSecretOnArgv(what string) error {
	return usageErrorf("btui never takes %s on the command line (it would land in shell history and process lists): "+
		"use --mnemonic-file PATH, --mnemonic-stdin or the prompt (--uri takes dev paths such as //Alice)", what)
}

// dropNewline removes one trailing "\n" or "\r\n".
func dropNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// readSecretFile reads a small secret file.
func readSecretFile(path, flag string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("%s: %w", flag, err))
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxSecretInput+1))
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("%s: %w", flag, err))
	}
	if len(b) > maxSecretInput {
		clear(b)
		return nil, usageErrorf("%s: %s is larger than %d bytes", flag, path, maxSecretInput)
	}
	return b, nil
}

func readSecretStdin(f *Factory, flag string) ([]byte, error) {
	b, err := f.IO.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return b, nil
}

// passwordRequest describes one password a command needs.
type passwordRequest struct {
	What    string // "the password of the coldkey of wallet \"w\""
	Opts    passwordOptions
	Env     string // envPassword or envNewPassword
	Prompt  string // terminal prompt
	Confirm bool   // a new password: ask twice on a terminal
	// FileFlag and StdinFlag name the flags of Opts ("--password-file" and
	// "--password-stdin" unless set).
	FileFlag  string
	StdinFlag string
}

// readPassword returns the requested password, never empty. The caller wipes it.
func readPassword(f *Factory, r passwordRequest) ([]byte, error) {
	fileFlag, stdinFlag := r.FileFlag, r.StdinFlag
	if fileFlag == "" {
		fileFlag = "--password-file"
	}
	if stdinFlag == "" {
		stdinFlag = "--password-stdin"
	}
	if r.Opts.File != "" && r.Opts.Stdin {
		return nil, usageErrorf("give only one of %s and %s", fileFlag, stdinFlag)
	}
	var (
		pw   []byte
		from string
		err  error
	)
	switch {
	case r.Opts.File != "":
		from = fileFlag
		if pw, err = readSecretFile(r.Opts.File, fileFlag); err != nil {
			return nil, err
		}
		pw = dropNewline(pw)
	case r.Opts.Stdin:
		from = stdinFlag
		if pw, err = readSecretStdin(f, from); err != nil {
			return nil, err
		}
		pw = dropNewline(pw)
	default:
		if v, ok := f.Env(r.Env); ok {
			from = "env " + r.Env
			pw = []byte(v)
			break
		}
		if err := canPrompt(f, r.What, fmt.Sprintf("pass %s PATH, %s or set %s", fileFlag, stdinFlag, r.Env)); err != nil {
			return nil, err
		}
		from = "the prompt"
		if pw, err = f.IO.PromptSecret(r.Prompt); err != nil {
			return nil, err
		}
		if r.Confirm && len(pw) > 0 {
			again, err := f.IO.PromptSecret("Repeat it: ")
			if err != nil {
				clear(pw)
				return nil, err
			}
			same := bytes.Equal(pw, again)
			clear(again)
			if !same {
				clear(pw)
				return nil, usageErrorf("the two passwords differ: nothing was written")
			}
		}
	}
	if len(pw) == 0 {
		return nil, fmt.Errorf("%w: %s (from %s) is empty; btui never uses an empty password", keystore.ErrEmptyPassword, r.What, from)
	}
	return pw, nil
}

// canPrompt returns nil when the command may prompt for what, else an error naming the flags
// to pass instead (exit code 2).
func canPrompt(f *Factory, what, instead string) error {
	if f.Opts.No && strings.HasPrefix(what, "confirmation") {
		return nil // IOStreams.Confirm answers no without asking
	}
	if f.Opts.Yes {
		return usageErrorf("%s is needed and --yes forbids prompting: %s", what, instead)
	}
	if !f.IO.CanPrompt() {
		return fmt.Errorf("%w for %s: %s", ErrNoTerminal, what, instead)
	}
	return nil
}

// readSURI returns a mnemonic or secret URI from --uri, --mnemonic-file, --mnemonic-stdin or a
// prompt without echo. The caller wipes it.
func readSURI(f *Factory, o mnemonicOptions, what string) ([]byte, error) {
	n := 0
	for _, set := range []bool{o.URI != "", o.File != "", o.Stdin} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, usageErrorf("give only one of --uri, --mnemonic-file and --mnemonic-stdin")
	}
	var (
		b   []byte
		err error
	)
	switch {
	case o.URI != "":
		uri := devURI(o.URI)
		if !strings.HasPrefix(uri, "//") {
			return nil, errSecretOnArgv("a mnemonic or seed in --uri")
		}
		b = []byte(uri)
	case o.File != "":
		if b, err = readSecretFile(o.File, "--mnemonic-file"); err != nil {
			return nil, err
		}
		b = dropNewline(b)
	case o.Stdin:
		if b, err = readSecretStdin(f, "--mnemonic-stdin"); err != nil {
			return nil, err
		}
		b = dropNewline(b)
	default:
		if err := canPrompt(f, what, "pass --mnemonic-file PATH or --mnemonic-stdin (or --uri //Name for a dev key)"); err != nil {
			return nil, err
		}
		if b, err = f.IO.PromptSecret("Enter " + what + " (words, then optional //path and ///password): "); err != nil {
			return nil, err
		}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		clear(b)
		return nil, usageErrorf("%s is empty", what)
	}
	return b, nil
}

// checkStdinUse refuses two secrets from one standard input.
func checkStdinUse(p passwordOptions, m mnemonicOptions) error {
	if p.Stdin && m.Stdin {
		return usageErrorf("standard input can carry only one of --password-stdin and --mnemonic-stdin: use --password-file or --mnemonic-file for the other")
	}
	return nil
}

// errDeclined is returned when the user answers no to a confirmation.
var errDeclined = errors.New("cancelled: nothing was changed")

// devURI turns btcli's --uri NAME (alice, Bob) into the dev path //Alice; anything else is
// returned unchanged.
func devURI(s string) string {
	t := strings.TrimSpace(s)
	for _, n := range wallet.DevNames() {
		if strings.EqualFold(t, n) {
			return "//" + n
		}
	}
	return s
}

// normalizeMnemonic lower-cases a mnemonic's words and joins them with single spaces, leaving
// what follows the phrase (//hard junctions, ///password) and 0x seeds exactly as given: BIP39
// words are lower-case, so "Word  word" can only mean "word word". It returns a new slice.
func normalizeMnemonic(suri []byte) []byte {
	s := strings.TrimSpace(string(suri))
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "/") {
		return []byte(s)
	}
	phrase, rest := s, ""
	if i := strings.Index(s, "/"); i >= 0 {
		phrase, rest = s[:i], s[i:]
	}
	return []byte(strings.ToLower(strings.Join(strings.Fields(phrase), " ")) + rest)
}
