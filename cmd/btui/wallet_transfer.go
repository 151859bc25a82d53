package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type walletTransferOptions struct {
	f   *Factory
	ctx context.Context

	Wallet     string
	Dest       string
	Amount     string
	All        bool
	AllowDeath bool
	Password   passwordOptions
	Offline    offlineOptions
}

func newCmdWalletTransfer(f *Factory, runF func(*walletTransferOptions) error) *cobra.Command {
	opts := &walletTransferOptions{f: f}
	cmd := &cobra.Command{
		Use:   "transfer [DEST AMOUNT]",
		Short: "Send TAO from the wallet's coldkey",
		Long: `Send TAO from the selected wallet's coldkey to DEST (an SS58 address, a wallet name, wallet/hotkey
or a dev name such as //Alice). The amount is exact TAO with up to 9 decimals. By default the
sender keeps at least the existential deposit; --all sends everything but the fee and lets the
account close (as --allow-death does).

Before submitting, the preview shows the amount, the fee and both balances after; it asks for
confirmation on a terminal and needs --yes otherwise.

JSON (--json): the transaction result (docs/json.md), with preview {"from", "to", "amount", "fee",
"from_balance", "from_after", "to_balance", "to_after", "allow_death"} and after {"from", "to"}.`,
		Example: `  btui wallet transfer --dest //Bob --amount 1.5
  btui wallet transfer bob 0.000000001 --yes --password-file pw.txt --json`,
		Args: usageArgs(cobra.MaximumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkSecretFlagTraps(cmd); err != nil {
				return err
			}
			opts.ctx, opts.Wallet = cmd.Context(), f.WalletName()
			if len(args) >= 1 {
				if opts.Dest != "" {
					return usageErrorf("give the destination once: as an argument or with --dest")
				}
				opts.Dest = args[0]
			}
			if len(args) == 2 {
				if opts.Amount != "" {
					return usageErrorf("give the amount once: as an argument or with --amount")
				}
				opts.Amount = args[1]
			}
			if opts.Dest == "" {
				return usageErrorf("--dest is required: the address, wallet or dev name to send to")
			}
			if err := checkAmountOrAll(opts.Amount, opts.All); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return walletTransferRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dest, "dest", "", "recipient: SS58 address, wallet name, wallet/hotkey or //Dev (alias --destination)")
	fl.StringVar(&opts.Dest, "destination", "", "same as --dest")
	_ = fl.MarkHidden("destination")
	fl.StringVar(&opts.Amount, "amount", "", "TAO to send, up to 9 decimals")
	fl.BoolVarP(&opts.All, "all", "a", false, "send the whole free balance minus the fee (closes the account)")
	fl.BoolVar(&opts.AllowDeath, "allow-death", false, "allow the sender to fall below the existential deposit (the dust is burned)")
	addTxFlags(f, cmd, &opts.Password, &opts.Offline)
	return cmd
}

type transferPreviewJSON = ops.TransferPreview

type transferAfterJSON struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

func walletTransferRun(o *walletTransferOptions) error {
	f := o.f
	if o.Offline.Offline {
		return walletTransferOffline(o)
	}
	from, err := coldkeyOf(f, o.Wallet)
	if err != nil {
		return err
	}
	to, err := resolveAccount(f, "--dest", o.Dest, roleColdkey)
	if err != nil {
		return err
	}
	amount, err := amountOrAll(o.Amount, o.All)
	if err != nil {
		return err
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := planTransfer(s, transferInput{From: from, To: to, Amount: amount, All: o.All, AllowDeath: o.AllowDeath})
	if err != nil {
		return err
	}
	return runTx(s, p.request("wallet transfer", coldkeyUnlock(f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) {
			a, err := s.free(from)
			if err != nil {
				return nil, nil, err
			}
			b, err := s.free(to)
			if err != nil {
				return nil, nil, err
			}
			return transferAfterJSON{From: a, To: b}, []previewLine{{"sender", tao(a)}, {"recipient", tao(b)}}, nil
		}))
}

// transferInput is what `btui wallet transfer` and the console's send form ask for.
type transferInput struct {
	From, To   wallet.AccountID
	Amount     uint64 // rao; ignored with All
	All        bool   // everything but the fee (implies AllowDeath)
	AllowDeath bool
}

// planTransfer is ops.PlanTransfer in the command's words: the one preparation of
// `btui wallet transfer` and the console's send form.
func planTransfer(s *chainSession, in transferInput) (txPlan, error) {
	p, err := ops.PlanTransfer(s.ctx, s.c, ops.TransferInput(in))
	return fromOps(p), opsErr(err)
}

// walletTransferOffline is `btui wallet transfer --offline`: transfer_keep_alive (or
// transfer_allow_death with --allow-death) from the flags alone.
func walletTransferOffline(o *walletTransferOptions) error {
	amount, err := offlineAmount(o.Amount, o.All, "the balance to send (everything but the fee)")
	if err != nil {
		return err
	}
	sg, err := coldkeySigner(o.f, o.Wallet)
	if err != nil {
		return err
	}
	to, err := resolveAccount(o.f, "--dest", o.Dest, roleColdkey)
	if err != nil {
		return err
	}
	return o.Offline.runOffline(o.ctx, "wallet transfer", o.Password, offlineTx{
		Title:  fmt.Sprintf("Send %s from %s to %s", tao(amount), sg.account, to),
		Signer: sg, Call: protocol.Transfer{To: to, Amount: amount, AllowDeath: o.AllowDeath},
	})
}
