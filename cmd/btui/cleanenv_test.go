package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// testControlVars are the variables that steer the tests themselves (documented in the README's
// Tests section); every other BTUI_* variable is the user's and never reaches a test.
var testControlVars = map[string]bool{
	"BTUI_LONG": true, "BTUI_UPDATE_GOLDEN": true, "BTUI_BENCH_FIXTURE": true, "BTUI_SUBTENSOR_URL": true,
}

// TestMain gives the whole package a clean environment before any test runs, so that a command
// run through a default factory (os.LookupEnv) or a child process that inherits the environment
// can never see the user's devnet, wallets, node, password or config: BTUI_* (but the test
// controls above) are removed, and HOME and XDG_{CONFIG,DATA,STATE}_HOME point into a temporary
// directory. The go command's own cache and module directories are pinned first, so the tests
// that build the binary keep the user's warm build cache.
// testBinDir holds the binary buildBtui builds once for the package's tests.
var testBinDir string

func TestMain(m *testing.M) {
	code := func() int {
		tmp, err := os.MkdirTemp("", "btui-test-home-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "test home:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		if testBinDir, err = os.MkdirTemp("", "btui-test-bin-"); err != nil {
			fmt.Fprintln(os.Stderr, "test binary dir:", err)
			return 1
		}
		defer os.RemoveAll(testBinDir)
		pinGoDirs()
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			if strings.HasPrefix(k, "BTUI_") && !testControlVars[k] {
				os.Unsetenv(k)
			}
		}
		os.Setenv("HOME", tmp)
		for _, d := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
			os.Setenv(d, filepath.Join(tmp, strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(d, "XDG_"), "_HOME"))))
		}
		return m.Run()
	}()
	os.Exit(code)
}

// pinGoDirs sets GOCACHE, GOMODCACHE and GOPATH to the values the go command resolves from the
// current HOME/XDG_CACHE_HOME, before the test moves HOME.
func pinGoDirs() {
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		if os.Getenv(v) != "" {
			continue
		}
		out, err := exec.Command("go", "env", v).Output()
		if err == nil && strings.TrimSpace(string(out)) != "" {
			os.Setenv(v, strings.TrimSpace(string(out)))
		}
	}
}
