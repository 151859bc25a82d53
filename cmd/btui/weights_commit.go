package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type weightsCommitOptions struct {
	f   *Factory
	ctx context.Context

	Wallet, Hotkey string
	In             weightsInput
	Salt           string
	AutoReveal     bool
	Password       passwordOptions
	Offline        offlineOptions
}

func newCmdWeightsCommit(f *Factory, runF func(*weightsCommitOptions) error) *cobra.Command {
	opts := &weightsCommitOptions{f: f}
	cmd := &cobra.Command{
		Use:   "commit",
		Short: "Commit the hash of weights to reveal later (commit-reveal subnets)",
		Long: `Commit blake2b-256 of (hotkey, netuid, uids, values, salt, version key) on a subnet with
commit-reveal on. Keep the printed salt (or pass your own --salt): btui weights reveal needs the
same --uids, --weights, --salt and --version-key in the reveal epoch.

With --auto-reveal the command then waits for the commit's reveal window (showing the window
and a countdown on a terminal) and reveals the same weights with the same key: one confirmation
and one unlock for both. On the embedded devnet it produces blocks at the devnet's block time
while it waits. Ctrl-C while waiting leaves the commit on chain and prints the btui weights
reveal command that reveals it by hand (exit 130).

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "hotkey", "uids",
"values", "version_key", "fee", "salt", "commit_hash"}; with --auto-reveal one document, the
commit's result plus "auto_reveal": {"reveal_from", "reveal_until", "reveal": the reveal's
transaction result (null if it was not made), "reveal_command"}.`,
		Example: `  btui weights commit --netuid 1 --uids 1,2 --weights 0.7,0.3 --yes --json > commit.json
  btui weights commit --netuid 1 --uids 1,2 --weights 0.7,0.3 --auto-reveal`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := opts.In.check(cmd); err != nil {
				return err
			}
			opts.ctx, opts.Wallet, opts.Hotkey = cmd.Context(), f.WalletName(), f.HotkeyName()
			if runF != nil {
				return runF(opts)
			}
			return weightsCommitRun(opts)
		},
	}
	addWeightsFlags(cmd, &opts.In)
	cmd.Flags().StringVar(&opts.Salt, "salt", "", "comma-separated u16 salt (default: 8 random values, printed)")
	cmd.Flags().BoolVar(&opts.AutoReveal, "auto-reveal", false, "wait for the reveal window and reveal with the same key")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

func randomSalt() []uint16 {
	var b [16]byte
	_, _ = rand.Read(b[:])
	out := make([]uint16, 8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return out
}

func weightsCommitRun(o *weightsCommitOptions) error {
	v, err := parseWeights(o.In)
	if err != nil {
		return err
	}
	salt := randomSalt()
	if o.Salt != "" {
		if salt, err = parseU16List("--salt", o.Salt); err != nil {
			return err
		}
	}
	if o.Offline.Offline {
		if o.AutoReveal {
			return offlineRefuse("--auto-reveal", "it waits for the commit's reveal window on the chain and submits the reveal",
				"commit with --offline, then sign btui weights reveal --offline with the same --uids, --weights, --salt and --version-key in the reveal window")
		}
		if o.Salt == "" {
			return usageErrorf("--salt is required with --offline: give the comma-separated u16 salt you keep for the reveal (e.g. --salt 4821,77,3019,65000); offline the output is the signed extrinsic alone, with nowhere safe to print a random one")
		}
		vk, sg, err := weightsOfflineSigner(o.f, o.Wallet, o.Hotkey, o.In)
		if err != nil {
			return err
		}
		hash := protocol.WeightsCommitHash(sg.account, o.In.Netuid, v.Uids, v.Values, salt, vk)
		return o.Offline.runOffline(o.ctx, "weights commit", o.Password, offlineTx{
			Title: fmt.Sprintf("Commit weights of %s on subnet %d", sg.account, o.In.Netuid),
			Notes: []previewLine{{"uids", fmt.Sprint(v.Uids)}, {"values", fmt.Sprint(v.Values)}, {"salt", joinU16(salt)},
				{"version key", fmt.Sprint(vk)}, {"reveal with", "--uids " + o.In.Uids + " --weights " + o.In.Weights + " --salt " + joinU16(salt) + fmt.Sprintf(" --version-key %d", vk)}},
			Signer: sg, Call: protocol.CommitWeights{Netuid: o.In.Netuid, Hash: hash},
		})
	}
	t, err := prepareWeightsTx(o.ctx, o.f, "commit", o.Wallet, o.Hotkey, o.In, v)
	if err != nil {
		return err
	}
	defer t.s.Close()
	p, err := t.planCommit(salt)
	if err != nil {
		return err
	}
	if o.AutoReveal {
		return weightsCommitAutoReveal(o, t, salt, p)
	}
	return runTx(t.s, p.request("weights commit", hotkeyUnlock(o.f, o.Wallet, o.Hotkey, o.Password), nil))
}

// joinU16 is "1,2,3", as --salt takes it back.
func joinU16(v []uint16) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return strings.Join(s, ",")
}
