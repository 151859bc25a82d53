// Package substratetest holds what the tests of several packages read from the shared test
// data of the subtensor client: the polkadot.js extrinsic vectors
// (testdata/polkadotjs-extrinsics/vectors.json, made by make.mjs beside it; read by
// pjsvectors) and the replay of the recorded finney traffic (testdata/subtensor) as a node,
// in process or on loopback (Node). Like net/http's httptest, it is imported by tests only;
// substrate's own tests import pjsvectors (this package imports substrate).
package substratetest

import "github.com/btui/btui/chainclient/substrate/substratetest/pjsvectors"

// Vector is one extrinsic built and signed by polkadot.js from the recorded finney metadata.
type Vector = pjsvectors.Vector

// LoadVectors reads a vectors file, numbers kept exact (json.Number).
func LoadVectors(path string) ([]Vector, error) { return pjsvectors.Load(path) }
