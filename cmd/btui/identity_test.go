package main

import (
	"strings"
	"testing"

	"github.com/btui/btui/protocol"
)

// Identities end to end: set through the commands (after a dry run that changes nothing),
// shown by wallet overview and subnets show, refused with the chain's answer otherwise.
func TestIdentities(t *testing.T) {
	t.Parallel()
	fx := newOpsFixture(t)
	c, n := fx.c, fx.netuid
	before := fx.snapshot(t)
	c.ok("wallet", "set-identity", "--wallet-name", "alice", "--id-name", "Open Lab", "--web-url", "https://example.org", "--dry-run")
	if fx.snapshot(t) != before {
		t.Fatal("a dry run changed the chain")
	}
	c.ok("wallet", "set-identity", "--wallet-name", "alice", "--id-name", "Open Lab", "--web-url", "https://example.org", "--yes")
	var ov walletOverviewJSON
	c.json(&ov, "wallet", "overview", "--wallet-name", "alice")
	if ov.Identity == nil || ov.Identity.Name != "Open Lab" || ov.Identity.URL != "https://example.org" {
		t.Fatalf("overview identity: %+v", ov.Identity)
	}
	if r := c.ok("wallet", "overview", "--wallet-name", "alice"); !strings.Contains(r.out, `identity "Open Lab"`) {
		t.Fatalf("human overview:\n%s", r.out)
	}
	c.ok("subnets", "set-identity", "--netuid", n, "--subnet-name", "Lab Net", "--subnet-contact", "ops@example.org", "--wallet-name", "alice", "--yes")
	var show subnetsShowJSON
	c.json(&show, "subnets", "show", "--netuid", n)
	if show.Subnet.Identity == nil || show.Subnet.Identity.SubnetName != "Lab Net" || show.Subnet.Identity.SubnetContact != "ops@example.org" {
		t.Fatalf("subnet identity: %+v", show.Subnet.Identity)
	}
	if r := c.ok("subnets", "show", "--netuid", n); !strings.Contains(r.out, `identity "Lab Net"`) {
		t.Fatalf("human subnets show:\n%s", r.out)
	}
	// Not the owner: the chain's rule, refused before anything is submitted.
	before = fx.snapshot(t)
	r := c.run("subnets", "set-identity", "--netuid", n, "--subnet-name", "Mine", "--wallet-name", "bob", "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, protocol.CodeNotSubnetOwner.String()) {
		t.Fatalf("not the owner: exit %d %s", r.code, r.errOut)
	}
	// A field over its limit.
	r = c.run("wallet", "set-identity", "--wallet-name", "alice", "--id-name", strings.Repeat("x", 300), "--yes")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "limit is 256") {
		t.Fatalf("long name: exit %d %s", r.code, r.errOut)
	}
	if fx.snapshot(t) != before {
		t.Fatal("a refused identity changed the chain")
	}
}
