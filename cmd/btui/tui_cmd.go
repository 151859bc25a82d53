package main

import (
	"context"
	"errors"
)

// runTUI opens the full-screen console.
func runTUI(ctx context.Context, f *Factory) error {
	_ = ctx
	_ = f
	return errors.New("the full-screen console is not available in this build yet; use the subcommands (btui --help)")
}
