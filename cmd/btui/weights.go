package main

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// newCmdWeights is the `btui weights` group.
func newCmdWeights(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "weights <command>",
		Aliases: []string{"wt"},
		Short:   "Set, commit, reveal and show a validator's weights",
		Args:    usageArgs(cobra.NoArgs),
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCmdWeightsSet(f, nil),
		newCmdWeightsCommit(f, nil),
		newCmdWeightsReveal(f, nil),
		newCmdWeightsShow(f, nil),
	)
	return cmd
}

// weightsInput is the --uids/--weights/--version-key of set, commit and reveal.
type weightsInput struct {
	Netuid     uint16
	Uids       string
	Weights    string
	VersionKey uint64
	versionSet bool
}

func addWeightsFlags(cmd *cobra.Command, w *weightsInput) {
	netuidFlag(cmd, &w.Netuid, "the subnet")
	cmd.Flags().StringVar(&w.Uids, "uids", "", "comma-separated uids, such as 0,1,2")
	cmd.Flags().StringVar(&w.Weights, "weights", "", "comma-separated weights, one per uid (decimals; normalised by the largest to u16, as btcli does)")
	cmd.Flags().Uint64Var(&w.VersionKey, "version-key", 0, "weights version key (default: the subnet's weights_version_key)")
}

func (w *weightsInput) check(cmd *cobra.Command) error {
	if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
		return err
	}
	if w.Uids == "" || w.Weights == "" {
		return usageErrorf("--uids and --weights are required: one weight per uid, such as --uids 1,2 --weights 0.6,0.4")
	}
	w.versionSet = cmd.Flags().Changed("version-key")
	return nil
}

// parseU16List parses "1,2,3".
func parseU16List(flag, s string) ([]uint16, error) {
	var out []uint16
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		v, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return nil, usageErrorf("%s: %q is not an integer 0..65535", flag, p)
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

// weightVector is the parsed and max-upscaled weights.
type weightVector struct {
	Uids   []uint16
	Values []uint16 // max-upscaled: the largest is 65535
}

// parseWeights parses --uids and --weights: same length, no duplicate uid, no negative weight,
// not all zero; the weights are exact decimals, max-upscaled to u16 (w·65535/max, rounded down)
// as the chain stores them.
func parseWeights(w weightsInput) (weightVector, error) {
	uids, err := parseU16List("--uids", w.Uids)
	if err != nil {
		return weightVector{}, err
	}
	raw := strings.Split(w.Weights, ",")
	if len(raw) != len(uids) {
		return weightVector{}, usageErrorf("%d uids but %d weights: give one weight per uid", len(uids), len(raw))
	}
	seen := map[uint16]bool{}
	for _, u := range uids {
		if seen[u] {
			return weightVector{}, usageErrorf("uid %d appears twice in --uids: give each uid once", u)
		}
		seen[u] = true
	}
	vals := make([]uint64, len(raw))
	var maxV uint64
	for i, r := range raw {
		v, err := parseDecimal(r, 9)
		if err != nil {
			return weightVector{}, usageErrorf("--weights: weight %d %q %v", i+1, strings.TrimSpace(r), err)
		}
		vals[i] = v
		maxV = max(maxV, v)
	}
	if maxV == 0 {
		return weightVector{}, usageErrorf("--weights are all zero: give at least one positive weight")
	}
	out := weightVector{Uids: uids, Values: make([]uint16, len(vals))}
	for i, v := range vals {
		hi, lo := bits.Mul64(v, 65535)
		q, _ := bits.Div64(hi, lo, maxV)
		out.Values[i] = uint16(q)
	}
	return out, nil
}

// weightsPreflight checks what the chain would refuse (and charge the fee for): the subnet
// exists and is not root; the hotkey is registered; every uid exists; commit-reveal is on for
// commit and reveal and off for set; a validator permit for weights on others; enough
// weights; the weights rate limit for set; the version key. kind is "set", "commit" or
// "reveal". It returns the version key to use.
func weightsPreflight(s *chainSession, kind string, w weightsInput, v weightVector, hot wallet.AccountID) (uint64, error) {
	si, err := s.subnetInfo(w.Netuid)
	if err != nil {
		return 0, err
	}
	if si.Root {
		return 0, usageErrorf("the root network (netuid 0) takes no weights")
	}
	h, err := s.m.Hyperparameters(s.ctx, w.Netuid)
	if err != nil {
		return 0, chainErr(err)
	}
	switch {
	case kind == "set" && h.CommitReveal:
		return 0, usageErrorf("commit-reveal is on for subnet %d: use btui weights commit, then btui weights reveal; nothing was submitted", w.Netuid)
	case kind != "set" && !h.CommitReveal:
		return 0, usageErrorf("commit-reveal is off for subnet %d: use btui weights set; nothing was submitted", w.Netuid)
	}
	mg, err := s.m.Metagraph(s.ctx, w.Netuid)
	if err != nil {
		return 0, chainErr(err)
	}
	me := -1
	for i, n := range mg.Neurons {
		if n.Hotkey == hot {
			me = i
		}
	}
	if me < 0 {
		return 0, withCode(ExitNotFound, fmt.Errorf("hotkey %s is not registered on subnet %d: register it first (btui subnets register)", hot, w.Netuid))
	}
	for _, u := range v.Uids {
		if u >= mg.N {
			return 0, usageErrorf("uid %d does not exist on subnet %d (it has uids 0..%d); nothing was submitted", u, w.Netuid, int(mg.N)-1)
		}
	}
	vk := h.WeightsVersionKey
	if w.versionSet {
		vk = w.VersionKey
		if h.WeightsVersionKey != 0 && vk < h.WeightsVersionKey {
			return 0, usageErrorf("--version-key %d is below subnet %d's weights_version_key %d; nothing was submitted", vk, w.Netuid, h.WeightsVersionKey)
		}
	}
	if kind == "commit" {
		return vk, nil // the weights themselves are checked at the reveal
	}
	n := mg.Neurons[me]
	self := len(v.Uids) == 1 && v.Uids[0] == n.UID
	if !self && !n.Permit {
		return 0, usageErrorf("hotkey %s (uid %d) has no validator permit on subnet %d, so it may only weight itself: permits go to the top validators by stake at each epoch (next at block %d); nothing was submitted",
			hot, n.UID, w.Netuid, si.NextEpochBlock)
	}
	if need := min(h.MinAllowedWeights, mg.N); !self && len(v.Uids) < int(need) {
		return 0, usageErrorf("%d weights, subnet %d needs at least %d (min_allowed_weights); nothing was submitted", len(v.Uids), w.Netuid, need)
	}
	if kind == "set" && n.LastUpdate != 0 && mg.Block+1-n.LastUpdate < h.WeightsSetRateLimit {
		return 0, usageErrorf("weights set too soon: the last update was at block %d and subnet %d allows one every %d blocks (next at block %d); nothing was submitted",
			n.LastUpdate, w.Netuid, h.WeightsSetRateLimit, n.LastUpdate+h.WeightsSetRateLimit)
	}
	return vk, nil
}

// weightsTx is a set, commit or reveal that passed its preflight: the chain (the caller closes
// it), the hotkey that signs, the parsed weights, the version key to use and the fee.
type weightsTx struct {
	s   *chainSession
	in  weightsInput
	hot wallet.AccountID
	v   weightVector
	vk  uint64
	fee uint64
}

// prepareWeightsTx resolves the hotkey that signs, opens the chain, runs weightsPreflight for
// kind ("set", "commit" or "reveal") and reads the fee.
func prepareWeightsTx(ctx context.Context, f *Factory, kind, walletName, hotkey string, in weightsInput, v weightVector) (*weightsTx, error) {
	hot, err := hotkeyOf(f, walletName, hotkey)
	if err != nil {
		return nil, err
	}
	s, err := openChain(ctx, f)
	if err != nil {
		return nil, err
	}
	t, err := weightsOn(s, kind, hot, in, v)
	if err != nil {
		s.Close()
		return nil, err
	}
	return t, nil
}

// weightsOn runs weightsPreflight for kind on an open chain and reads the fee: the shared
// start of the weights commands and the console's Weights editor.
func weightsOn(s *chainSession, kind string, hot wallet.AccountID, in weightsInput, v weightVector) (*weightsTx, error) {
	vk, err := weightsPreflight(s, kind, in, v, hot)
	if err != nil {
		return nil, err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return nil, chainErr(err)
	}
	// set_weights, commit_weights and reveal_weights are Pays::No: the hotkey needs no TAO.
	fee := protocol.FeeFor(protocol.SetWeights{}.CallName(), false, info.TxFee)
	return &weightsTx{s: s, in: in, hot: hot, v: v, vk: vk, fee: fee}, nil
}

// planSet checks that the hotkey covers the fee and previews `btui weights set`.
func (t *weightsTx) planSet() (txPlan, error) {
	if _, err := t.s.coverFee(t.hot, t.fee, "setting weights (the hotkey pays the fee)"); err != nil {
		return txPlan{}, err
	}
	return txPlan{
		Title: fmt.Sprintf("Set weights of %s on subnet %d", t.hot, t.in.Netuid), Signer: t.hot,
		Call:        protocol.SetWeights{Netuid: t.in.Netuid, Uids: t.v.Uids, Values: t.v.Values, VersionKey: t.vk},
		Preview:     append(weightsLines(t.v), previewLine{"version key", fmt.Sprint(t.vk)}, previewLine{"fee", tao(t.fee)}),
		PreviewJSON: t.preview(),
	}, nil
}

// planCommit previews `btui weights commit` of the weights with salt.
func (t *weightsTx) planCommit(salt []uint16) txPlan {
	hash, pv := t.commitPreview(salt)
	return txPlan{
		Title: fmt.Sprintf("Commit weights of %s on subnet %d", t.hot, t.in.Netuid), Signer: t.hot,
		Call: protocol.CommitWeights{Netuid: t.in.Netuid, Hash: hash},
		Preview: append(weightsLines(t.v), previewLine{"salt", fmt.Sprint(salt)}, previewLine{"hash", hash.String()},
			previewLine{"version key", fmt.Sprint(t.vk)}, previewLine{"fee", tao(t.fee)}),
		PreviewJSON: pv,
	}
}

// planReveal previews `btui weights reveal` of a commit made with salt.
func (t *weightsTx) planReveal(salt []uint16) txPlan {
	hash, pv := t.commitPreview(salt)
	return txPlan{
		Title: fmt.Sprintf("Reveal weights of %s on subnet %d", t.hot, t.in.Netuid), Signer: t.hot,
		Call:        protocol.RevealWeights{Netuid: t.in.Netuid, Uids: t.v.Uids, Values: t.v.Values, Salt: salt, VersionKey: t.vk},
		Preview:     append(weightsLines(t.v), previewLine{"commit hash", hash.String()}, previewLine{"fee", tao(t.fee)}),
		PreviewJSON: pv,
	}
}

// preview is the JSON preview of set (commit and reveal use commitPreview).
func (t *weightsTx) preview() weightsPreviewJSON {
	return weightsPreviewJSON{Netuid: t.in.Netuid, Hotkey: t.hot.SS58(), Uids: t.v.Uids, Values: t.v.Values, VersionKey: t.vk, Fee: t.fee}
}

// commitPreview returns the hash commit publishes and reveal opens, and the JSON preview of
// commit and reveal: the common one with the salt and that hash.
func (t *weightsTx) commitPreview(salt []uint16) (protocol.Hash, weightsPreviewJSON) {
	hash := protocol.WeightsCommitHash(t.hot, t.in.Netuid, t.v.Uids, t.v.Values, salt, t.vk)
	pv := t.preview()
	pv.Salt, pv.CommitHash = salt, hash.String()
	return hash, pv
}

// weightsPreviewJSON is the preview of set, commit and reveal.
type weightsPreviewJSON struct {
	Netuid     uint16   `json:"netuid"`
	Hotkey     string   `json:"hotkey"`
	Uids       []uint16 `json:"uids"`
	Values     []uint16 `json:"values"` // u16, max-upscaled
	VersionKey uint64   `json:"version_key"`
	Fee        uint64   `json:"fee"`
	Salt       []uint16 `json:"salt,omitempty"`
	CommitHash string   `json:"commit_hash,omitempty"`
}

func weightsLines(v weightVector) []previewLine {
	var sum uint64
	for _, x := range v.Values {
		sum += uint64(x)
	}
	var b strings.Builder
	for i, u := range v.Uids {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d: %d (%s%%)", u, v.Values[i], formatDecimal(uint64(v.Values[i])*1_000_000/max(sum, 1), 4))
	}
	return []previewLine{{"weights", b.String()}}
}
