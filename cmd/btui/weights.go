package main

import (
	"context"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
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

// offlineVersionKey is --version-key, required with --offline (the default is the subnet's
// weights_version_key, read from the chain).
func (w *weightsInput) offlineVersionKey() (uint64, error) {
	if !w.versionSet {
		return 0, offlineRefuse("weights without --version-key", "the default version key is the subnet's weights_version_key",
			"give --version-key (btui subnets hyperparameters shows it)")
	}
	return w.VersionKey, nil
}

// weightsOfflineSigner is what weights set, commit and reveal need to sign with --offline: the
// explicit version key, then the hotkey that signs.
func weightsOfflineSigner(f *Factory, walletName, hotkey string, in weightsInput) (uint64, txSigner, error) {
	vk, err := in.offlineVersionKey()
	if err != nil {
		return 0, txSigner{}, err
	}
	sg, err := hotkeySigner(f, walletName, hotkey)
	return vk, sg, err
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

// weightsTx is a set, commit or reveal about to be planned: the chain (the caller closes
// it), the hotkey that signs, the parsed weights and the version key flag. Its plans are
// ops': every rule of the weights (registration, stake threshold, validator permit and the
// owner's exemption, uids, minimum weights, rate limit, version key, commit-reveal) is the
// chain's, checked by its dry run.
type weightsTx struct {
	s   *chainSession
	in  weightsInput
	hot wallet.AccountID
	v   weightVector
}

func (t *weightsTx) input(salt []uint16) ops.WeightsInput {
	in := ops.WeightsInput{Hot: t.hot, Netuid: t.in.Netuid, Uids: t.v.Uids, Values: t.v.Values, Salt: salt}
	if t.in.versionSet {
		vk := t.in.VersionKey
		in.VersionKey = &vk
	}
	return in
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

// weightsOn is the shared start of the weights commands and the console's Weights editor.
// kind ("set", "commit" or "reveal") is checked by the plans.
func weightsOn(s *chainSession, kind string, hot wallet.AccountID, in weightsInput, v weightVector) (*weightsTx, error) {
	_ = kind
	return &weightsTx{s: s, in: in, hot: hot, v: v}, nil
}

// planSet is ops.PlanSetWeights: `btui weights set`.
func (t *weightsTx) planSet() (txPlan, error) {
	p, err := ops.PlanSetWeights(t.s.ctx, t.s.c, t.input(nil))
	return fromOps(p), opsErr(err)
}

// planCommit is ops.PlanCommitWeights of the weights with salt: `btui weights commit`.
func (t *weightsTx) planCommit(salt []uint16) (txPlan, error) {
	p, err := ops.PlanCommitWeights(t.s.ctx, t.s.c, t.input(salt))
	return fromOps(p), opsErr(err)
}

// planReveal is ops.PlanRevealWeights of a commit made with salt: `btui weights reveal`.
func (t *weightsTx) planReveal(salt []uint16) (txPlan, error) {
	p, err := ops.PlanRevealWeights(t.s.ctx, t.s.c, t.input(salt))
	return fromOps(p), opsErr(err)
}

// weightsPreviewJSON is the preview of set, commit and reveal.
type weightsPreviewJSON = ops.WeightsPreview
