package protocol

import (
	"sort"
	"sync"
)

// The decode table: every call of the chain, by name, with the function that reads its
// arguments. Each call's struct, EncodeArgs and decoder stand side by side in the calls_*.go
// file of its module; adding a call is one struct, its two methods, its decoder and one line
// here (and its handler in localchain).
var decodeTable = sync.OnceValue(func() map[CallName]func(*Decoder) Call {
	t := map[CallName]func(*Decoder) Call{}
	for _, e := range []callEntry{
		entry(decodeTransfer),
		entry(decodeFaucet),
		entry(decodeRegisterNetwork),
		entry(decodeStartCall),
		entry(decodeSetHyperparameter),
		entry(decodeSudoSetGlobal),
		entry(decodeDissolveNetwork),
		entry(decodeAddStake),
		entry(decodeRemoveStake),
		entry(decodeMoveStake),
		entry(decodeTransferStake),
		entry(decodeSwapStake),
		entry(decodeSetTake),
		entry(decodeBurnedRegister),
		entry(decodePowRegister),
		entry(decodeSetWeights),
		entry(decodeCommitWeights),
		entry(decodeRevealWeights),
		entry(decodeServeAxon),
		entry(decodeSwapHotkey),
		entry(decodeSetIdentity),
		entry(decodeSetSubnetIdentity),
		entry(decodeScheduleSwapColdkey),
	} {
		if _, dup := t[e.name]; dup {
			panic("protocol: duplicate call " + e.name.String())
		}
		t[e.name] = e.decode
	}
	return t
})

type callEntry struct {
	name   CallName
	decode func(*Decoder) Call
}

// entry names a decoder by the CallName of the type it returns.
func entry[C Call](decode func(*Decoder) C) callEntry {
	var zero C
	return callEntry{name: zero.CallName(), decode: func(d *Decoder) Call { return decode(d) }}
}

// DecodeCall reads the arguments of the call name from d (errors stick in d). ok is false for
// a name the chain does not know.
func DecodeCall(name CallName, d *Decoder) (c Call, ok bool) {
	dec, ok := decodeTable()[name]
	if !ok {
		return nil, false
	}
	return dec(d), true
}

// Calls lists every call name of the protocol, sorted.
func Calls() []CallName {
	var out []CallName
	for n := range decodeTable() {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// GenesisSections are the module names that take a section in Genesis.Modules.
var GenesisSections = []string{"subtensor"}
