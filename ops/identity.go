package ops

import (
	"context"
	"fmt"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// IdentityInput is a coldkey's identity to set.
type IdentityInput struct {
	Cold     wallet.AccountID
	Identity protocol.Identity
}

// SubnetIdentityInput is a subnet's identity to set, by its owner.
type SubnetIdentityInput struct {
	Owner    wallet.AccountID
	Netuid   uint16
	Identity protocol.SubnetIdentity
}

// PlanSetIdentity plans subtensor.set_identity. The field limits and who may set one are
// the chain's (protocol's Validate, the handler), checked by its dry run.
func PlanSetIdentity(ctx context.Context, c chainclient.Client, in IdentityInput) (Plan, error) {
	call := protocol.SetIdentity{Identity: in.Identity}
	if err := call.Validate(in.Cold); err != nil {
		return Plan{}, inputf("Identity", "%v", err)
	}
	p := Plan{Title: fmt.Sprintf("Set the identity of %s", in.Cold), Signer: in.Cold, Call: call}
	if err := simulate(ctx, c, &p, "Identity"); err != nil {
		return Plan{}, err
	}
	i := in.Identity
	p.Lines = identityLines([][2]string{{"name", i.Name}, {"url", i.URL}, {"github", i.GithubRepo}, {"image", i.Image},
		{"discord", i.Discord}, {"description", i.Description}, {"additional", i.Additional}})
	p.Lines = append(p.Lines, Line{"fee", tao(p.Sim.Receipt.Fee)})
	p.JSON = struct {
		Coldkey  string            `json:"coldkey"`
		Identity protocol.Identity `json:"identity"`
		Fee      uint64            `json:"fee"`
	}{in.Cold.SS58(), i, p.Sim.Receipt.Fee}
	return p, nil
}

// PlanSetSubnetIdentity plans subtensor.set_subnet_identity (the subnet's owner only, the
// chain's rule).
func PlanSetSubnetIdentity(ctx context.Context, c chainclient.Client, in SubnetIdentityInput) (Plan, error) {
	call := protocol.SetSubnetIdentity{Netuid: in.Netuid, SubnetIdentity: in.Identity}
	if err := call.Validate(in.Owner); err != nil {
		return Plan{}, inputf("Identity", "%v", err)
	}
	p := Plan{Title: fmt.Sprintf("Set the identity of subnet %d", in.Netuid), Signer: in.Owner, Call: call}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		return Plan{}, err
	}
	i := in.Identity
	p.Lines = identityLines([][2]string{{"subnet name", i.SubnetName}, {"github", i.GithubRepo}, {"contact", i.SubnetContact},
		{"url", i.SubnetURL}, {"discord", i.Discord}, {"description", i.Description}, {"logo", i.LogoURL}, {"additional", i.Additional}})
	p.Lines = append(p.Lines, Line{"fee", tao(p.Sim.Receipt.Fee)})
	p.JSON = struct {
		Netuid   uint16                  `json:"netuid"`
		Identity protocol.SubnetIdentity `json:"identity"`
		Fee      uint64                  `json:"fee"`
	}{in.Netuid, i, p.Sim.Receipt.Fee}
	return p, nil
}

func identityLines(kv [][2]string) []Line {
	var out []Line
	for _, f := range kv {
		if f[1] != "" {
			out = append(out, Line{f[0], f[1]})
		}
	}
	return out
}
