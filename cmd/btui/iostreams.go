package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"golang.org/x/term"
)

// IOStreams are the standard streams of a command, TTY-aware so that commands never prompt
// without a terminal. Tests build them with NewTestIO.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// Width is the terminal's width in columns for tables (0: no limit, as when stdout is not
	// a terminal). SystemIO measures it; tests set it.
	Width int
	// PromptOut is where prompts go; nil means ErrOut (--quiet silences ErrOut but not the
	// questions a user must answer).
	PromptOut io.Writer
	// AnswerNo answers every confirmation with no, without asking (--no).
	AnswerNo bool

	stdinTTY  bool
	stdoutTTY bool
	// readSecret reads one line without echo from the terminal; nil when there is none.
	readSecret func() ([]byte, error)
	inReader   *bufio.Reader
	// prompting is set while a prompt waits for the terminal (Ctrl-C then ends the process:
	// the read cannot see the cancelled context).
	prompting atomic.Bool
}

// SystemIO wires the process's own streams.
func SystemIO() *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
	if s.stdoutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			s.Width = w
		}
	}
	if s.stdinTTY {
		s.readSecret = func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
	}
	return s
}

// NewTestIO returns streams backed by buffers; tty says whether they pretend to be a terminal.
// With tty set, secrets typed at a prompt are read as lines from stdin.
func NewTestIO(stdin string, tty bool) (s *IOStreams, out, errOut *bytes.Buffer) {
	out, errOut = &bytes.Buffer{}, &bytes.Buffer{}
	s = &IOStreams{In: strings.NewReader(stdin), Out: out, ErrOut: errOut, stdinTTY: tty, stdoutTTY: tty}
	if tty {
		s.readSecret = func() ([]byte, error) {
			line, err := s.ReadLine()
			return []byte(line), err
		}
	}
	return s, out, errOut
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// CanPrompt reports whether the command may ask the user something.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.readSecret != nil }

// ReadLine reads one line from standard input without its line ending.
func (s *IOStreams) ReadLine() (string, error) {
	if s.inReader == nil {
		s.inReader = bufio.NewReader(s.In)
	}
	line, err := s.inReader.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// ReadAll reads the rest of standard input.
func (s *IOStreams) ReadAll() ([]byte, error) {
	if s.inReader == nil {
		s.inReader = bufio.NewReader(s.In)
	}
	return io.ReadAll(s.inReader)
}

// PromptSecret asks for a secret on the terminal without echo. The prompt goes to stderr.
func (s *IOStreams) PromptSecret(prompt string) ([]byte, error) {
	if !s.CanPrompt() {
		return nil, ErrNoTerminal
	}
	fmt.Fprint(s.promptOut(), prompt)
	s.prompting.Store(true)
	b, err := s.readSecret()
	s.prompting.Store(false)
	fmt.Fprintln(s.promptOut())
	return b, err
}

// PromptLine asks for a line of visible input on the terminal. The prompt goes to stderr.
func (s *IOStreams) PromptLine(prompt string) (string, error) {
	if !s.CanPrompt() {
		return "", ErrNoTerminal
	}
	fmt.Fprint(s.promptOut(), prompt)
	s.prompting.Store(true)
	defer s.prompting.Store(false)
	return s.ReadLine()
}

// Prompting reports whether a prompt is waiting for the terminal.
func (s *IOStreams) Prompting() bool { return s.prompting.Load() }

// Confirm asks a yes/no question; the default answer is no.
func (s *IOStreams) Confirm(prompt string) (bool, error) {
	if s.AnswerNo {
		fmt.Fprintln(s.ErrOut, prompt+" [y/N] n (--no)")
		return false, nil
	}
	ans, err := s.PromptLine(prompt + " [y/N] ")
	if err != nil {
		return false, err
	}
	ans = strings.ToLower(strings.TrimSpace(ans))
	return ans == "y" || ans == "yes", nil
}

func (s *IOStreams) promptOut() io.Writer {
	if s.PromptOut != nil {
		return s.PromptOut
	}
	return s.ErrOut
}
