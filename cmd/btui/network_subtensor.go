package main

import (
	"slices"

	"github.com/btui/btui/chainclient"
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
