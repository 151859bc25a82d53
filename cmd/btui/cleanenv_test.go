package main

import (
	"context"
	"path/filepath"
	"testing"
)

// cleanEnv is the environment a test gives btui: a temporary HOME and XDG directories and
// nothing else, so that BTUI_* and XDG_* of the shell running the tests (the README's scripted
// section exports them) never reach a command.
func cleanEnv(tb testing.TB) func(string) (string, bool) {
	tmp := tb.TempDir()
	env := map[string]string{
		"HOME":            tmp,
		"XDG_CONFIG_HOME": filepath.Join(tmp, "config"),
		"XDG_DATA_HOME":   filepath.Join(tmp, "data"),
	}
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// runClean is Run with a clean environment (cleanEnv).
func runClean(tb testing.TB, ctx context.Context, io *IOStreams, args []string) int {
	f := NewFactory(io)
	f.Env = cleanEnv(tb)
	return RunFactory(ctx, f, args)
}
