package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
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
	Offline  offlineOptions
}

func newCmdSudoSet(f *Factory, runF func(*sudoSetOptions) error) *cobra.Command {
	opts := &sudoSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set a subnet hyperparameter (owner or sudo)",
		Long: `Set hyperparameter --param of subnet --netuid to --value, signed by the wallet's coldkey: the
subnet owner (for "owner" parameters, within the owner bounds) or the sudo account (any
parameter, within the root bounds). Booleans take true/false (or 1/0). Refused before
submitting (exit 2): unknown names and values that do not fit the parameter's type, then
whatever the chain's dry run refuses: a signer who is neither owner nor sudo, an owner setting
a sudo-only parameter, a value outside the bounds or against the other hyperparameters
(hyperparameter_bounds).

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
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

type sudoSetPreviewJSON = ops.HyperparamPreview

// sudoSetRun checks the name and the value first (ops.ParseHyperparam, before the chain is
// opened), then plans the change with ops.PlanSetHyperparameter: the one preparation of
// `btui sudo set` and the console's hyperparameter form.
func sudoSetRun(o *sudoSetOptions) error {
	if _, _, err := ops.ParseHyperparam(o.Param, o.Value); err != nil {
		return opsErr(err)
	}
	if o.Offline.Offline {
		return usageErrorf("btui sudo set --offline: subtensor sets hyperparameters through AdminUtils' sudo_set_* calls, which btui does not map from parameter names; sign the call itself offline with btui tx sign --offline --call AdminUtils.sudo_set_<param> --args '{\"netuid\": %d, ...}' (btui tx decode shows what it does)", o.Netuid)
	}
	return runColdkeyPlan(o.ctx, o.f, o.Wallet, o.Password, "sudo set", func(s *chainSession, cold wallet.AccountID) (ops.Plan, error) {
		p, err := ops.PlanSetHyperparameter(s.ctx, s.c, ops.HyperparamInput{Signer: cold, Netuid: o.Netuid, Param: o.Param, Value: o.Value})
		return p, opsErr(err)
	})
}
