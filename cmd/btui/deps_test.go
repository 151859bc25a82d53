package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// allowedImports is the import direction of the design card: for each of our packages, the
// other packages of ours it may import directly. Subpackages share their parent's rule.
var allowedImports = map[string][]string{
	"mechanism":   {},
	"wallet":      {},
	"keystore":    {"wallet"},
	"protocol":    {"wallet"},
	"localchain":  {"protocol", "mechanism", "wallet"},
	"chainclient": {"localchain", "protocol", "wallet"},
	"ops":         {"chainclient", "protocol", "mechanism", "wallet"},
	"sim":         {"chainclient", "protocol", "mechanism", "wallet"},
	"tui":         {"ops", "chainclient", "protocol", "wallet"},
	"cmd":         {"*"},
}

func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "github.com/btui/btui/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/btui/btui/"
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath  string
			Imports     []string
			TestImports []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		from := topLevel(strings.TrimPrefix(p.ImportPath, mod))
		allowed, ok := allowedImports[from]
		if !ok {
			t.Errorf("package %s is not in the import-direction table: add it", p.ImportPath)
			continue
		}
		for _, imp := range append(p.Imports, p.TestImports...) {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			to := topLevel(strings.TrimPrefix(imp, mod))
			if to == from || permitted(allowed, to) {
				continue
			}
			t.Errorf("forbidden import: %s imports %s (allowed: %v)", p.ImportPath, imp, allowed)
		}
	}
	if seen < 7 {
		t.Fatalf("go list saw only %d packages", seen)
	}
}

func topLevel(rel string) string {
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return rel
}

func permitted(allowed []string, to string) bool {
	for _, a := range allowed {
		if a == "*" || a == to {
			return true
		}
	}
	return false
}

func TestTopLevel(t *testing.T) {
	for in, want := range map[string]string{"tui": "tui", "localchain/rpc": "localchain", "cmd/btui": "cmd"} {
		if got := topLevel(in); got != want {
			t.Errorf("topLevel(%q) = %q, want %q", in, got, want)
		}
	}
	if permitted([]string{"wallet"}, "localchain") {
		t.Error("permitted let an unlisted import through")
	}
}
