package main

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// subtensorHyperparams drops, on a subtensor node, the devnet hyperparameters a subtensor
// metagraph does not carry (chainclient.HyperparamsUnknownOnSubtensor): showing them as zero
// would state values the chain never gave.
func subtensorHyperparams(c chainclient.Client, rows []hyperparamJSON) []hyperparamJSON {
	if _, ok := c.(*chainclient.Subtensor); !ok {
		return rows
	}
	return slices.DeleteFunc(rows, func(r hyperparamJSON) bool {
		return slices.Contains(chainclient.HyperparamsUnknownOnSubtensor, r.Name)
	})
}

// txNetwork is the chain a transaction goes to, as every preview, confirmation and JSON
// result names it.
type txNetwork struct {
	Name    string        // "devnet", "finney", "test", a URL
	URL     string        // "" for the embedded devnet
	Genesis protocol.Hash // the chain's genesis hash
	RealTAO bool          // finney's genesis (or a name btui knows as finney's): real value moves
}

// network reads the chain's genesis (from the subtensor connection when there is one) and
// names the network.
func (s *chainSession) network() (txNetwork, error) {
	n := s.f.Network()
	out := txNetwork{Name: n.Name, URL: n.URL, RealTAO: n.RealTAO}
	if st, ok := s.c.(*chainclient.Subtensor); ok {
		out.Genesis = protocol.Hash(st.Substrate().Genesis)
	} else {
		info, err := s.c.Info(s.ctx)
		if err != nil {
			return out, err
		}
		out.Genesis = info.GenesisHash
	}
	if chainclient.IsFinney(out.Genesis) {
		out.RealTAO = true
		if n.Kind != chainclient.NetworkSubtensor || n.Name == n.URL {
			out.Name = "finney (" + n.Name + ")"
		}
	}
	return out, nil
}

// line is the preview's first line.
func (n txNetwork) line() previewLine {
	v := n.Name
	if n.URL != "" && !strings.Contains(n.Name, n.URL) { // "finney (URL)" already names it
		v += " (" + n.URL + ")"
	}
	if n.RealTAO {
		v += ": real TAO"
	}
	return previewLine{"network", v}
}

// prompt is the confirmation question.
func (n txNetwork) prompt() string { return n.promptThen("") }

// promptThen is prompt with what follows the submission: "Submit to finney and then …?".
func (n txNetwork) promptThen(then string) string {
	q := "Submit to " + n.Name
	if then != "" {
		q += " and then " + then
	}
	if n.RealTAO {
		return q + "? This moves real TAO."
	}
	return q + "?"
}

// consoleNetworkLabel is what the console's header says for a subtensor network: its name,
// and "real TAO" on finney (by name or by genesis).
func consoleNetworkLabel(n chainclient.Network, c *chainclient.Subtensor) string {
	label := n.Name
	if n.RealTAO || chainclient.IsFinney(c.Substrate().Genesis) {
		label += " (real TAO)"
	}
	return label
}

// dropUnread is v's JSON object without the keys a subtensor read did not fill (their zero is
// not the chain's value): a consumer finds them absent, and named in the document's not_read.
func dropUnread(v any, unread []string) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for _, k := range unread {
		delete(m, k)
	}
	return m, nil
}
