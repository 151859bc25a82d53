package chainclient

import (
	"encoding/json"
	"testing"

	"github.com/btui/btui/protocol"
)

// TestHyperparamsUnknownOnSubtensorNames: every name the subtensor mapping leaves out is a
// field of protocol.Hyperparams, so the commands really hide it.
func TestHyperparamsUnknownOnSubtensorNames(t *testing.T) {
	b, err := json.Marshal(protocol.Hyperparams{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, n := range HyperparamsUnknownOnSubtensor {
		if _, ok := m[n]; !ok {
			t.Errorf("%s is not a hyperparameter", n)
		}
	}
}
