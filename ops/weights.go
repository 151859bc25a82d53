package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// WeightsInput is a set, commit or reveal of weights, resolved and parsed: the values are
// already max-upscaled u16 (the largest 65535).
type WeightsInput struct {
	Hot        wallet.AccountID // the validator hotkey that signs
	Netuid     uint16
	Uids       []uint16
	Values     []uint16
	VersionKey *uint64  // nil: the subnet's weights_version_key
	Salt       []uint16 // commit and reveal
}

// WeightsPreview is the JSON preview of set, commit and reveal.
type WeightsPreview struct {
	Netuid     uint16   `json:"netuid"`
	Hotkey     string   `json:"hotkey"`
	Uids       []uint16 `json:"uids"`
	Values     []uint16 `json:"values"` // u16, max-upscaled
	VersionKey uint64   `json:"version_key"`
	Fee        uint64   `json:"fee"`
	Salt       []uint16 `json:"salt,omitempty"`
	CommitHash string   `json:"commit_hash,omitempty"`
}

// versionKey reads the subnet (KindNotFound when unknown) and returns the version key to use.
func versionKey(ctx context.Context, c chainclient.Client, in WeightsInput) (uint64, error) {
	if _, err := c.Subnet(ctx, in.Netuid); errors.Is(err, protocol.ErrNotFound) {
		return 0, notFoundf("Netuid", "subnet %d does not exist (it was never created or has been dissolved): the subnet list shows the live ones", in.Netuid)
	} else if err != nil {
		return 0, chainErr(err)
	}
	if in.VersionKey != nil {
		return *in.VersionKey, nil
	}
	h, err := c.Hyperparameters(ctx, in.Netuid)
	if err != nil {
		return 0, chainErr(err)
	}
	return h.WeightsVersionKey, nil
}

// PlanSetWeights plans subtensor.set_weights. Every rule (registration, stake threshold,
// validator permit with the owner's exemption, uids, minimum weights, rate limit, version key,
// commit-reveal) is the chain's (mechanism.CheckSetWeights), checked by its dry run.
func PlanSetWeights(ctx context.Context, c chainclient.Client, in WeightsInput) (Plan, error) {
	vk, err := versionKey(ctx, c, in)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{
		Title: fmt.Sprintf("Set weights of %s on subnet %d", in.Hot, in.Netuid), Signer: in.Hot,
		Call: protocol.SetWeights{Netuid: in.Netuid, Uids: in.Uids, Values: in.Values, VersionKey: vk},
	}
	if err := simulate(ctx, c, &p, "Uids"); err != nil {
		return Plan{}, err
	}
	pv := WeightsPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), Uids: in.Uids, Values: in.Values, VersionKey: vk, Fee: p.Sim.Receipt.Fee}
	p.JSON = pv
	p.Lines = append(WeightsLines(in.Uids, in.Values), Line{"version key", fmt.Sprint(vk)}, Line{"fee", tao(pv.Fee)})
	return p, nil
}

// PlanCommitWeights plans subtensor.commit_weights of the weights with in.Salt (the chain
// checks the weights themselves at the reveal).
func PlanCommitWeights(ctx context.Context, c chainclient.Client, in WeightsInput) (Plan, error) {
	vk, err := versionKey(ctx, c, in)
	if err != nil {
		return Plan{}, err
	}
	hash := protocol.WeightsCommitHash(in.Hot, in.Netuid, in.Uids, in.Values, in.Salt, vk)
	p := Plan{
		Title: fmt.Sprintf("Commit weights of %s on subnet %d", in.Hot, in.Netuid), Signer: in.Hot,
		Call: protocol.CommitWeights{Netuid: in.Netuid, Hash: hash},
	}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		return Plan{}, err
	}
	pv := WeightsPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), Uids: in.Uids, Values: in.Values, VersionKey: vk,
		Fee: p.Sim.Receipt.Fee, Salt: in.Salt, CommitHash: hash.String()}
	p.JSON = pv
	p.Lines = append(WeightsLines(in.Uids, in.Values), Line{"salt", fmt.Sprint(in.Salt)}, Line{"hash", hash.String()},
		Line{"version key", fmt.Sprint(vk)}, Line{"fee", tao(pv.Fee)})
	return p, nil
}

// PlanRevealWeights plans subtensor.reveal_weights of a commit made with in.Salt.
func PlanRevealWeights(ctx context.Context, c chainclient.Client, in WeightsInput) (Plan, error) {
	vk, err := versionKey(ctx, c, in)
	if err != nil {
		return Plan{}, err
	}
	hash := protocol.WeightsCommitHash(in.Hot, in.Netuid, in.Uids, in.Values, in.Salt, vk)
	p := Plan{
		Title: fmt.Sprintf("Reveal weights of %s on subnet %d", in.Hot, in.Netuid), Signer: in.Hot,
		Call: protocol.RevealWeights{Netuid: in.Netuid, Uids: in.Uids, Values: in.Values, Salt: in.Salt, VersionKey: vk},
	}
	if err := simulate(ctx, c, &p, "Salt"); err != nil {
		return Plan{}, err
	}
	pv := WeightsPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), Uids: in.Uids, Values: in.Values, VersionKey: vk,
		Fee: p.Sim.Receipt.Fee, Salt: in.Salt, CommitHash: hash.String()}
	p.JSON = pv
	p.Lines = append(WeightsLines(in.Uids, in.Values), Line{"commit hash", hash.String()}, Line{"fee", tao(pv.Fee)})
	return p, nil
}

// WeightsLines renders weights with their shares ("0: 65535 (50%), 3: 65535 (50%)").
func WeightsLines(uids, values []uint16) []Line {
	var sum uint64
	for _, x := range values {
		sum += uint64(x)
	}
	var b strings.Builder
	for i, u := range uids {
		if i > 0 {
			b.WriteString(", ")
		}
		share := uint64(values[i]) * 1_000_000 / max(sum, 1)
		fmt.Fprintf(&b, "%d: %d (%s%%)", u, values[i], ppmPercent(share))
	}
	return []Line{{"weights", b.String()}}
}
