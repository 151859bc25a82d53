package tui

import (
	"context"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// On-chain identities show in the console: the subnet's name (set_subnet_identity) in the
// Subnets list and the coldkey's (set_identity) in the Wallets page's notes and inspection.
func TestIdentitiesShownOnDevnet(t *testing.T) {
	client, keys := habitsChain(t)
	if _, err := keys.ImportWallet("owner", "//Alice", wallet.Ecdsa, []byte("pw")); err != nil { // subnet 1's owner
		t.Fatal(err)
	}
	ctx := context.Background()
	alice, err := wallet.Dev("Alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []protocol.Call{
		protocol.SetIdentity{Identity: protocol.Identity{Name: "Alice Labs", URL: "https://alice.example"}},
		protocol.SetSubnetIdentity{Netuid: 1, SubnetIdentity: protocol.SubnetIdentity{SubnetName: "Vision Net"}},
	} {
		tx, err := chainclient.Sign(ctx, client, alice, call, chainclient.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if info, err := client.SubmitAndWait(ctx, tx); err != nil || !info.Receipt.OK() {
			t.Fatalf("%s: %+v %v", call.CallName(), info, err)
		}
	}
	d := habitsApp(t, client, keys, "", 160, 40)
	d.keys("4")
	d.waitFor("Vision Net")
	d.keys("2")
	d.waitFor("owner", "“Alice Labs”")
}
