package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfflineSigningDoc runs the `sh` block of docs/offline-signing.md literally, as a person
// would paste it: from the repository root (its metadata file is under testdata/), with the
// btui built from this checkout on the PATH, in a clean environment whose HOME is the test's
// own. Every line must succeed; then the files it wrote are checked: the add_stake extrinsic
// decodes to the call the page describes, signed by the wallet it created.
func TestOfflineSigningDoc(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	page, err := os.ReadFile("../../docs/offline-signing.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeShellBlocks(string(page))
	if len(blocks) != 1 || len(blocks[0].lines) < 5 {
		t.Fatalf("docs/offline-signing.md: want one sh block with the walkthrough, found %d", len(blocks))
	}
	bin := filepath.Dir(buildBtui(t))
	home := t.TempDir()
	script := "set -e\ntrap 'echo \"FAILED: $BASH_COMMAND\" >&2' ERR\n" + strings.Join(blocks[0].lines, "\n") + "\n"
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script)
	cmd.Dir = "../.."
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + home, "XDG_DATA_HOME=" + home + "/.local/share",
		"XDG_CONFIG_HOME=" + home + "/.config", "XDG_STATE_HOME=" + home + "/.local/state", "BTUI_DEMO=0"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the walkthrough failed: %v\n%s", err, out)
	}
	hexOut, err := os.ReadFile(filepath.Join(home, "add_stake.hex"))
	if err != nil {
		t.Fatal(err)
	}
	cold, err := os.ReadFile(filepath.Join(home, "cold.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := txMetadata(t, txMeta343)
	x, err := m.DecodeExtrinsic(mustHex(t, strings.TrimSpace(string(hexOut))))
	if err != nil {
		t.Fatal(err)
	}
	if x.Call.Pallet != "SubtensorModule" || x.Call.Name != "add_stake" || x.Nonce != 0 || x.Era.Period != 128 || !strings.Contains(string(cold), x.Signer.SS58()) {
		t.Errorf("add_stake.hex: %s by %s, nonce %d, era %v (wallet %s)", x.Call, x.Signer.SS58(), x.Nonce, x.Era, cold)
	}
	for _, want := range []string{"SubtensorModule.add_stake", "amount_staked  1000000000 rao (1 TAO)", `"call": "transfer_keep_alive"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("walkthrough output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat("../../add_stake.hex"); err == nil {
		t.Error("the walkthrough wrote into the checkout")
	}
}
