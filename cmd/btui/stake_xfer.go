package main

import (
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

// stakeXferRun is `btui stake transfer` and `btui stake swap`: the flags resolved into
// ops.PlanStakeTransfer or ops.PlanStakeSwap, then the one confirm → sign → submit flow.
func stakeXferRun(o *stakeMoveOptions) error {
	f := o.f
	if o.Offline.Offline {
		return stakeMoveOffline(o)
	}
	amount, err := amountOrAll(o.Amount, o.All) // the input first, then the wallet
	if err != nil {
		return err
	}
	cold, hot, err := stakeAccounts(f, o.Wallet, o.Hotkey)
	if err != nil {
		return err
	}
	dest := o.OriginNetuid
	if o.destSet {
		dest = o.DestNetuid
	}
	destCold := cold
	if o.kind == kindTransfer {
		if destCold, err = resolveAccount(f, "--dest", o.DestColdkey, roleColdkey); err != nil {
			return err
		}
	}
	s, err := openChain(o.ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	var (
		p       ops.Plan
		command string
	)
	if o.kind == kindSwap {
		command = "stake swap"
		p, err = ops.PlanStakeSwap(s.ctx, s.c, ops.StakeSwapInput{Cold: cold, Hot: hot, Origin: o.OriginNetuid, DestNetuid: dest,
			Amount: amount, All: o.All, Trade: o.Trade.trade()})
	} else {
		command = "stake transfer"
		p, err = ops.PlanStakeTransfer(s.ctx, s.c, ops.StakeTransferInput{Cold: cold, Hot: hot, DestCold: destCold, Origin: o.OriginNetuid,
			DestNetuid: dest, Amount: amount, All: o.All, Trade: o.Trade.trade()})
	}
	if err != nil {
		return opsErrAs(err, map[string]string{"Hot": ""}) // the message names the position
	}
	return runTx(s, fromOps(p).request(command, coldkeyUnlock(f, o.Wallet, o.Password),
		func(*protocol.TxInfo) (any, []previewLine, error) { return s.positionAfter(cold, hot, o.OriginNetuid) }))
}
