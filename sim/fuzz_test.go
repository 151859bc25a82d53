package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary documents to Parse: it never panics, fails only with a
// *ScenarioError, and what it accepts validates again after a JSON round trip.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"name": "x", "groups": [{"quality": [{"tempo": 1, "value": 0.5}]}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		sc, err := Parse(bytes.NewReader(doc), "fuzz")
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) || len(se.Errs) == 0 {
				t.Fatalf("error %v is not a ScenarioError with problems", err)
			}
			return
		}
		b, err := json.Marshal(sc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(bytes.NewReader(b), "round trip"); err != nil {
			t.Fatalf("accepted %s but not its round trip %s: %v", doc, b, err)
		}
	})
}
