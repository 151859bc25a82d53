// Command btui is a terminal wallet and operator console for a Bittensor-style intelligence
// market, with its own embedded devnet chain.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"golang.org/x/term"
)

// interruptGrace is how long a command may take to stop after Ctrl-C (closing the chain, a
// node shutting down) before the process ends anyway. A second Ctrl-C ends it at once.
const interruptGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	io := SystemIO()
	restore := saveTerminal(io)
	done := make(chan int, 1)
	go func() { done <- Run(ctx, io, os.Args[1:]) }()
	var code int
	select {
	case code = <-done:
	case <-ctx.Done():
		stop() // from here a second Ctrl-C ends the process by the default action
		code = awaitInterrupted(io, done, restore, interruptGrace)
	}
	stop()
	os.Exit(code)
}

// awaitInterrupted waits for a command whose context Ctrl-C cancelled. Commands stop on their
// own (Run then prints "interrupted" and returns 130), but one blocked reading the terminal at
// a prompt cannot see the cancellation: that one, or one still running after grace, is ended
// here with the terminal's mode restored (a password prompt turns echo off).
func awaitInterrupted(io *IOStreams, done <-chan int, restore func(), grace time.Duration) int {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case code := <-done:
			return code
		case <-poll.C:
			if io.Prompting() {
				restore()
				fmt.Fprintln(io.ErrOut, "\ninterrupted")
				return ExitInterrupted
			}
		case <-deadline.C:
			restore()
			fmt.Fprintf(io.ErrOut, "interrupted (the command did not stop within %s)\n", grace)
			return ExitInterrupted
		}
	}
}

// saveTerminal records standard input's terminal mode and returns the function that puts it
// back (a no-op without a terminal).
func saveTerminal(io *IOStreams) func() {
	fd := int(os.Stdin.Fd())
	if !io.IsStdinTTY() {
		return func() {}
	}
	st, err := term.GetState(fd)
	if err != nil {
		return func() {}
	}
	return func() { _ = term.Restore(fd, st) }
}
