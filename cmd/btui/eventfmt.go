package main

import (
	"strconv"

	"github.com/btui/btui/protocol"
)

// eventAttrUnit says which event attributes are amounts, and of what: "tao" (rao on the wire)
// or "alpha" (alpha units of 10^-9). Keys are "module.Name.key"; "*.key" applies to every
// event. Attributes not listed (uids, netuids, block numbers, shares) are printed as emitted.
var eventAttrUnit = map[string]string{
	"balances.Transfer.amount":          "tao",
	"sudo.Faucet.amount":                "tao",
	"subtensor.NeuronRegistered.cost":   "tao",
	"subtensor.NetworkAdded.lock":       "tao",
	"subtensor.NetworkAdded.pool_alpha": "alpha",
	"subtensor.NetworkRemoved.lock":     "tao",
	"*.tao":                             "tao",
	"*.alpha":                           "alpha",
	"*.fee":                             "tao",
	"*.tao_fee":                         "tao",
	"*.alpha_fee":                       "alpha",
	"*.swap_cost":                       "tao",
	"subtensor.ColdkeySwapped.balance":  "tao",
}

// eventAttrHuman renders an amount attribute with its unit ("1.5 TAO", "4.669119326 α");
// ok is false for any other attribute or a value that is not an integer.
func eventAttrHuman(ev protocol.Event, key, v string) (string, bool) {
	unit, ok := eventAttrUnit[ev.Module+"."+ev.Name+"."+key]
	if !ok {
		unit, ok = eventAttrUnit["*."+key]
	}
	if !ok {
		return "", false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return "", false
	}
	if unit == "alpha" {
		return alphaAmount(n), true
	}
	return tao(n), true
}
