package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type sudoSetOptions struct {
	f   *Factory
	ctx context.Context

	Wallet   string
	Netuid   uint16
	Param    string
	Value    string
	Password passwordOptions
}

func newCmdSudoSet(f *Factory, runF func(*sudoSetOptions) error) *cobra.Command {
	opts := &sudoSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set a subnet hyperparameter (owner or sudo)",
		Long: `Set hyperparameter --param of subnet --netuid to --value, signed by the wallet's coldkey: the
subnet owner (for "owner" parameters, within the owner bounds) or the sudo account (any
parameter, within the root bounds). Booleans take true/false (or 1/0). Refused client-side:
unknown names, values that do not fit the parameter's type, a signer who is neither owner nor
sudo, an owner setting a sudo-only parameter. The chain checks the bounds and refuses with
hyperparameter_bounds (exit 3).

JSON (--json): the transaction result (docs/json.md) with preview {"netuid", "param", "old",
"new", "as": "owner"|"sudo", "fee"}.`,
		Example: `  btui sudo set --netuid 1 --param tempo --value 360 --wallet-name owner --yes
  btui sudo set --netuid 1 --param commit_reveal --value true --wallet-name //Alice --yes`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
				return err
			}
			if opts.Param == "" || opts.Value == "" {
				return usageErrorf("--param and --value are required (btui subnets hyperparameters lists the names)")
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if runF != nil {
				return runF(opts)
			}
			return sudoSetRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.Param, "param", "", "the hyperparameter's name, such as tempo")
	cmd.Flags().StringVar(&opts.Value, "value", "", "the new value")
	addTxFlags(cmd, &opts.Password)
	return cmd
}

type sudoSetPreviewJSON struct {
	Netuid uint16 `json:"netuid"`
	Param  string `json:"param"`
	Old    uint64 `json:"old"`
	New    uint64 `json:"new"`
	As     string `json:"as"`
	Fee    uint64 `json:"fee"`
}

// parseHyperValue parses a value for a parameter of type typ ("bool", "u16", "u32", "u64").
func parseHyperValue(name, typ, s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if typ == "bool" {
		switch strings.ToLower(s) {
		case "true", "1", "on", "yes":
			return 1, nil
		case "false", "0", "off", "no":
			return 0, nil
		}
		return 0, usageErrorf("--value %q: %s is a boolean: give true or false", s, name)
	}
	bitsz := map[string]int{"u16": 16, "u32": 32, "u64": 64}[typ]
	v, err := strconv.ParseUint(s, 10, bitsz)
	if err != nil {
		return 0, usageErrorf("--value %q: %s is an integer from 0 to %d", s, name, ^uint64(0)>>(64-bitsz))
	}
	return v, nil
}

func sudoSetRun(o *sudoSetOptions) error {
	f := o.f
	in, err := newSudoSetInput(f, o.Wallet, o.Netuid, o.Param, o.Value)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := planSudoSet(s, in)
	if err != nil {
		return err
	}
	return runTx(s, p.request("sudo set", coldkeyUnlock(f, o.Wallet, o.Password), nil))
}

// sudoSetInput is a checked hyperparameter change: what `btui sudo set` and the console's
// hyperparameter form ask for.
type sudoSetInput struct {
	Wallet string
	Signer wallet.AccountID // the wallet's coldkey
	Netuid uint16
	Param  string
	Value  uint64
	who    string // who may set Param: "owner" or "sudo"
}

// newSudoSetInput checks the parameter's name and value (before the chain is opened) and
// resolves the wallet's coldkey.
func newSudoSetInput(f *Factory, walletName string, netuid uint16, param, value string) (sudoSetInput, error) {
	typ, ok := hyperparamTypes()[param]
	who, settable := protocol.HyperparamNames()[param]
	if !ok || !settable {
		return sudoSetInput{}, unknownHyperparam(param)
	}
	v, err := parseHyperValue(param, typ, value)
	if err != nil {
		return sudoSetInput{}, err
	}
	signer, err := coldkeyOf(f, walletName)
	if err != nil {
		return sudoSetInput{}, err
	}
	return sudoSetInput{Wallet: walletName, Signer: signer, Netuid: netuid, Param: param, Value: v, who: who}, nil
}

// planSudoSet checks who may set the parameter (the subnet's owner or the sudo account) and
// the fee, and previews the change: the one preparation of `btui sudo set` and the console's
// hyperparameter form.
func planSudoSet(s *chainSession, in sudoSetInput) (txPlan, error) {
	signer := in.Signer
	si, err := s.subnetInfo(in.Netuid)
	if err != nil {
		return txPlan{}, err
	}
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return txPlan{}, chainErr(err)
	}
	as := ""
	switch {
	case signer == info.Sudo:
		as = "sudo"
	case signer == si.Owner && in.who == "owner":
		as = "owner"
	case signer == si.Owner:
		return txPlan{}, usageErrorf("%s can only be set by the sudo account (%s), not by the subnet owner; nothing was submitted", in.Param, info.Sudo)
	default:
		return txPlan{}, usageErrorf("wallet %q (%s) is not the owner of subnet %d (%s) nor the sudo account: it cannot set hyperparameters; nothing was submitted",
			in.Wallet, signer, in.Netuid, si.Owner)
	}
	if lo, hi, ok := localchain.HyperparamBounds(in.Param, as == "sudo"); ok && (in.Value < lo || in.Value > hi) {
		return txPlan{}, usageErrorf("%s = %d is out of bounds: the %s may set %d to %d; nothing was submitted", in.Param, in.Value, as, lo, hi)
	}
	h, err := s.m.Hyperparameters(s.ctx, in.Netuid)
	if err != nil {
		return txPlan{}, chainErr(err)
	}
	rows, err := hyperparamList(h)
	if err != nil {
		return txPlan{}, err
	}
	var old uint64
	for _, r := range rows {
		if r.Name != in.Param {
			continue
		}
		switch v := r.Value.(type) {
		case bool:
			old = b2u(v)
		case json.RawMessage:
			old, _ = strconv.ParseUint(string(v), 10, 64)
		}
	}
	if _, err := s.coverFee(signer, info.TxFee, "the call"); err != nil {
		return txPlan{}, err
	}
	return txPlan{
		Title: fmt.Sprintf("Set %s of subnet %d to %d (as %s)", in.Param, in.Netuid, in.Value, as), Signer: signer,
		Call:        protocol.SetHyperparameter{Netuid: in.Netuid, Name: in.Param, Value: in.Value},
		Preview:     []previewLine{{"now", fmt.Sprint(old)}, {"new", fmt.Sprint(in.Value)}, {"fee", tao(info.TxFee)}},
		PreviewJSON: sudoSetPreviewJSON{Netuid: in.Netuid, Param: in.Param, Old: old, New: in.Value, As: as, Fee: info.TxFee},
	}, nil
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
