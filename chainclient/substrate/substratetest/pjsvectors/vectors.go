// Package pjsvectors reads the polkadot.js extrinsic vectors
// (testdata/polkadotjs-extrinsics/vectors.json, made by make.mjs beside it). It imports
// nothing of btui's, so substrate's own tests can use it (substratetest, which re-exports it,
// imports substrate). Imported by tests only.
package pjsvectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Vector is one extrinsic built and signed by polkadot.js from the recorded finney metadata.
type Vector struct {
	Name     string         `json:"name"`
	Metadata string         `json:"metadata"`
	Pallet   string         `json:"pallet"`
	Call     string         `json:"call"`
	Args     map[string]any `json:"args"`   // numbers as json.Number
	Signer   string         `json:"signer"` // "ecdsa//Alice", "sr25519//Bob", …
	Nonce    uint64         `json:"nonce"`
	Tip      string         `json:"tip"`
	Era      struct {
		Immortal  bool   `json:"immortal"`
		Period    uint64 `json:"period"`
		Current   uint64 `json:"current"`
		BlockHash string `json:"blockHash"`
	} `json:"era"`
	Genesis            string `json:"genesis"`
	SpecVersion        uint32 `json:"specVersion"`
	TransactionVersion uint32 `json:"transactionVersion"`
	CallHex            string `json:"callHex"`
	PayloadHex         string `json:"payloadHex"`
	ExtrinsicHex       string `json:"extrinsicHex"`
	Hash               string `json:"hash"`
}

// Load reads a vectors file, numbers kept exact (json.Number).
func Load(path string) ([]Vector, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var vs []Vector
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&vs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return vs, nil
}
