package tui

import (
	"context"
	"slices"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/substrate"
	"github.com/btui/btui/chainclient/substrate/substratetest"
	"github.com/btui/btui/protocol"
)

// On a subtensor node the pages show what the node's reads did not fill as "–" (or leave it
// out), never as a zero the chain did not give.

func TestSubtensorSubnetRowNotRead(t *testing.T) {
	s := subnetView{SubnetInfo: protocol.SubnetInfo{Netuid: 1, Price: 11_914_184, Tempo: 99}, NotRead: chainclient.SubnetsUnreadOnSubtensor}
	s.Name = subnetName(s)
	row := subnetRow(s)
	if s.Name != "sn1" || row.Cells[3] != "–" || row.Cells[4] != "–" {
		t.Errorf("name %q, TAO in %q, emission %q", s.Name, row.Cells[3], row.Cells[4])
	}
	// The devnet's rows are unchanged: a subnet that has not started says so.
	d := subnetView{SubnetInfo: protocol.SubnetInfo{Netuid: 1}}
	if name, row := subnetName(d), subnetRow(d); name != "sn1 (not started)" || row.Cells[3] == "–" {
		t.Errorf("devnet: name %q, TAO in %q", name, row.Cells[3])
	}
}

// TestSubtensorHyperparamsPage: the hyperparameters page of a subtensor subnet (the recorded
// finney metagraph of netuid 1) lists the values its metagraph carries and none of those it
// does not carry.
func TestSubtensorHyperparamsPage(t *testing.T) {
	node := substratetest.NewNode(t, "../testdata/subtensor", "finney-sdk-recordings.json.gz", "metagraph", "metadata-v15-spec343")
	c, err := substrate.Connect(context.Background(), node.Replay, substrate.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hp, err := queryHyperparams(context.Background(), chainclient.NewSubtensor(c, "replay"), 1)
	if err != nil {
		t.Fatal(err)
	}
	var kappa string
	for _, h := range hp {
		if slices.Contains(chainclient.HyperparamsUnknownOnSubtensor, h.Name) {
			t.Errorf("%s = %s shown, but a subtensor metagraph does not carry it", h.Name, h.Value)
		}
		if h.Name == "kappa" {
			kappa = h.Value
		}
	}
	if kappa != "32767" || len(hp) == 0 {
		t.Errorf("kappa %q among %d rows", kappa, len(hp))
	}
}

// TestHeaderOnlyRow: a head known only from its header (no time, no counts) shows "–" for
// what was not read; a devnet block at genesis time or with no transactions keeps its numbers.
func TestHeaderOnlyRow(t *testing.T) {
	if r := headerRow(protocol.BlockHeader{Height: 6_852_690}); r.Cells[2] != "–" || r.Cells[3] != "–" || r.Cells[4] != "–" {
		t.Errorf("header only: %q", r.Cells)
	}
	if r := headerRow(protocol.BlockHeader{Height: 7, TimestampMs: 84_000, EventCount: 1}); r.Cells[2] != "0" || r.Cells[3] != "1" || r.Cells[4] == "–" {
		t.Errorf("devnet block: %q", r.Cells)
	}
	if r := headerRow(protocol.BlockHeader{}); r.Cells[2] != "0" {
		t.Errorf("genesis: %q", r.Cells)
	}
}
