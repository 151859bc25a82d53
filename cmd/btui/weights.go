package main

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/wallet"
	"github.com/spf13/cobra"
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

// weightsPreflight checks the weights against the subnet: it exists and is not root, the
// hotkey is registered, every uid exists. It returns the version key to use.
func weightsPreflight(s *chainSession, w weightsInput, v weightVector, hot wallet.AccountID) (uint64, *localchain.Metagraph, error) {
	si, err := s.subnetInfo(w.Netuid)
	if err != nil {
		return 0, nil, err
	}
	if si.Root {
		return 0, nil, usageErrorf("the root network (netuid 0) takes no weights")
	}
	mg, err := s.m.Metagraph(s.ctx, w.Netuid)
	if err != nil {
		return 0, nil, chainErr(err)
	}
	registered := false
	for _, n := range mg.Neurons {
		registered = registered || n.Hotkey == hot
	}
	if !registered {
		return 0, nil, withCode(ExitNotFound, fmt.Errorf("hotkey %s is not registered on subnet %d: register it first (btui subnets register)", hot, w.Netuid))
	}
	for _, u := range v.Uids {
		if u >= mg.N {
			return 0, nil, usageErrorf("uid %d does not exist on subnet %d (it has uids 0..%d); nothing was submitted", u, w.Netuid, int(mg.N)-1)
		}
	}
	h, err := s.m.Hyperparameters(s.ctx, w.Netuid)
	if err != nil {
		return 0, nil, chainErr(err)
	}
	vk := h.WeightsVersionKey
	if w.versionSet {
		vk = w.VersionKey
		if h.WeightsVersionKey != 0 && vk < h.WeightsVersionKey {
			return 0, nil, usageErrorf("--version-key %d is below subnet %d's weights_version_key %d; nothing was submitted", vk, w.Netuid, h.WeightsVersionKey)
		}
	}
	return vk, mg, nil
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
