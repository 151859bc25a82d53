package tui

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// The console's transactions are planned by ops, the one preparation the CLI uses too: the
// quotes and the chain's own dry run as the pre-check, errors that name the input field. A
// plan becomes a Ticket: its preview, the signer the unlocked key must be, the call, and the
// dry run already done (shown by the confirmation's "dry run" choice).

// planTicket turns an ops plan into the console's ticket; command is the equivalent command
// line, hotkey says the hotkey signs.
func planTicket(client chainclient.Client, p ops.Plan, command string, hotkey bool) Ticket {
	lines := make([]PreviewLine, len(p.Lines))
	for i, l := range p.Lines {
		lines[i] = PreviewLine{Label: l.Label, Value: l.Value}
	}
	call := p.Call
	return Ticket{
		Title: p.Title, Preview: lines, Command: command, Hotkey: hotkey,
		Signer: p.Signer.SS58(), Call: call, Sim: p.Sim,
		Sign: func(ctx context.Context, kp wallet.Pair) ([]byte, error) {
			return chainclient.Sign(ctx, client, kp, call, chainclient.SignOptions{})
		},
	}
}

// fieldLabels maps ops' input fields (ops.Error.Field) to a form's labels.
type fieldLabels map[string]string

// opsFieldLabels are the labels of the console's forms for ops' input fields; a form whose
// labels differ passes its own (moveLabels, hyperparamLabels, ...), looked up first.
var opsFieldLabels = fieldLabels{
	"To": "to", "Dest": "to", "Amount": "amount", "Hot": "hotkey", "Netuid": "netuid",
	"Tolerance": "tolerance", "Uids": "weights", "Values": "weights",
}

// consoleErr words an ops error for the console: the form field it is about (the form's own
// labels first, then opsFieldLabels), then the message (ops' messages name no flag).
func consoleErr(err error, labels ...fieldLabels) error {
	var oe *ops.Error
	if !errors.As(err, &oe) || oe.Field == "" {
		return err
	}
	return fmt.Errorf("%s: %w", fieldLabel(oe.Field, labels...), err)
}

// fieldLabel is the form label of ops' input field.
func fieldLabel(field string, labels ...fieldLabels) string {
	for _, l := range labels {
		if s, ok := l[field]; ok {
			return s
		}
	}
	if s, ok := opsFieldLabels[field]; ok {
		return s
	}
	return strings.ToLower(field)
}

// listWallets reads the key store's wallets: the plans run inside commands, off the Update
// loop, so they ask the key store itself rather than read Common.Wallets (which the loop
// updates, and which may not be listed yet right after start).
func (c *Common) listWallets() ([]WalletInfo, error) {
	if c.Keys == nil {
		return nil, ErrNoKeys
	}
	return c.Keys.ListWallets()
}

// walletAccount is the coldkey of wallet name, from the key store's list.
func (c *Common) walletAccount(name string) (wallet.AccountID, error) {
	ws, err := c.listWallets()
	if err != nil {
		return wallet.AccountID{}, err
	}
	for _, w := range ws {
		if w.Name == name && w.Address != "" {
			return wallet.ParseAddress(w.Address)
		}
	}
	return wallet.AccountID{}, fmt.Errorf("wallet %s is not in the key store (or has no readable coldkey): pick one on the Wallets page", name)
}

// hotkeyAccount is the hotkey hot of wallet name.
func (c *Common) hotkeyAccount(name, hot string) (wallet.AccountID, error) {
	ws, err := c.listWallets()
	if err != nil {
		return wallet.AccountID{}, err
	}
	for _, w := range ws {
		if w.Name != name {
			continue
		}
		for _, h := range w.Hotkeys {
			if h.Name == hot {
				return wallet.ParseAddress(h.Address)
			}
		}
	}
	return wallet.AccountID{}, fmt.Errorf("wallet %s has no hotkey %s: pick one on the Wallets page", name, hot)
}

// opsTrade is a form's price guard for ops.
func opsTrade(tr Trade) (ops.Trade, error) {
	ppm, err := ops.ParseTolerance(tr.Tolerance)
	if err != nil {
		return ops.Trade{}, fmt.Errorf("tolerance: %w", err)
	}
	return ops.Trade{TolerancePPM: ppm, AllowPartial: tr.AllowPartial}, nil
}

// checkTrade validates a price guard as the stake command's tolerance is validated.
func checkTrade(tr Trade) error {
	_, err := opsTrade(tr)
	return err
}

// planTransfer plans a keep-alive transfer from wallet name.
func (c *Common) planTransfer(ctx context.Context, name string, to wallet.AccountID, amount uint64) (Ticket, error) {
	from, err := c.walletAccount(name)
	if err != nil {
		return Ticket{}, err
	}
	p, err := ops.PlanTransfer(ctx, c.Client, ops.TransferInput{From: from, To: to, Amount: amount})
	if err != nil {
		return Ticket{}, consoleErr(err)
	}
	return planTicket(c.Client, p, fmt.Sprintf("btui wallet transfer --wallet-name %s --dest %s --amount %s", name, to.SS58(), protocol.TAODecimal(amount)), false), nil
}

// planStake plans staking (add) or unstaking amount of wallet name's coldkey on hot in netuid.
func (c *Common) planStake(ctx context.Context, add bool, name string, hot wallet.AccountID, netuid uint16, amount uint64, tr Trade) (Ticket, error) {
	trade, err := opsTrade(tr)
	if err != nil {
		return Ticket{}, err
	}
	cold, err := c.walletAccount(name)
	if err != nil {
		return Ticket{}, err
	}
	in := ops.StakeInput{Cold: cold, Hot: hot, Netuid: netuid, Amount: amount, Trade: trade}
	verb, plan := "remove", ops.PlanStakeRemove
	if add {
		verb, plan = "add", ops.PlanStakeAdd
	}
	p, err := plan(ctx, c.Client, in)
	if err != nil {
		return Ticket{}, consoleErr(err)
	}
	cmd := fmt.Sprintf("btui stake %s --wallet-name %s --hotkey-ss58 %s --netuid %d --amount %s --tolerance %s", verb, name, hot.SS58(), netuid, protocol.TAODecimal(amount), tr.Tolerance)
	if tr.AllowPartial {
		cmd += " --allow-partial"
	}
	return planTicket(c.Client, p, cmd, false), nil
}

// planWeights plans a set, commit ("commit", with a fresh salt) or reveal (with salt) of the
// hotkey's weights; values are max-upscaled as the weights commands do.
func (c *Common) planWeights(ctx context.Context, kind, name, hotkey string, netuid uint16, uids, values, salt []uint16) (Ticket, error) {
	hot, err := c.hotkeyAccount(name, hotkey)
	if err != nil {
		return Ticket{}, err
	}
	in := ops.WeightsInput{Hot: hot, Netuid: netuid, Uids: uids, Values: upscale(values), Salt: salt}
	var p ops.Plan
	switch kind {
	case "set":
		p, err = ops.PlanSetWeights(ctx, c.Client, in)
	case "commit":
		if in.Salt, err = randomSalt(); err != nil {
			return Ticket{}, err
		}
		p, err = ops.PlanCommitWeights(ctx, c.Client, in)
	default:
		p, err = ops.PlanRevealWeights(ctx, c.Client, in)
	}
	if err != nil {
		return Ticket{}, consoleErr(err)
	}
	cmd := fmt.Sprintf("btui weights %s --wallet-name %s --wallet-hotkey %s --netuid %d --uids … --weights …", kind, name, hotkey, netuid)
	if kind != "set" {
		cmd += " --salt …"
	}
	tk := planTicket(c.Client, p, cmd, true)
	if kind == "commit" {
		tk.Salt = in.Salt
	}
	return tk, nil
}

// randomSalt is a fresh commit salt: 8 u16 from crypto/rand (as btui weights commit).
func randomSalt() ([]uint16, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("draw a salt: %w", err)
	}
	out := make([]uint16, 8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return out, nil
}

// upscale scales weights so the largest is 65535, as the weights commands do.
func upscale(values []uint16) []uint16 {
	var top uint16
	for _, v := range values {
		top = max(top, v)
	}
	out := make([]uint16, len(values))
	if top == 0 {
		return out
	}
	for i, v := range values {
		out[i] = uint16(uint64(v) * 65535 / uint64(top)) // floor, as the weights commands do
	}
	return out
}

// moveLabels are the move form's labels (page_stake.go) for ops.StakeMoveInput's fields.
var moveLabels = fieldLabels{"DestHot": "to hotkey", "DestNetuid": "to netuid", "Amount": "alpha",
	"Origin": "from subnet", "Hot": "position"}

// planMove plans moving alpha of wallet name's position on (hot, from) to (destHot, to).
func (c *Common) planMove(ctx context.Context, name string, hot wallet.AccountID, from uint16, destHot wallet.AccountID, to uint16, alpha uint64, tr Trade) (Ticket, error) {
	trade, err := opsTrade(tr)
	if err != nil {
		return Ticket{}, err
	}
	cold, err := c.walletAccount(name)
	if err != nil {
		return Ticket{}, err
	}
	p, err := ops.PlanStakeMove(ctx, c.Client, ops.StakeMoveInput{Cold: cold, Hot: hot, DestHot: destHot, Origin: from, DestNetuid: to, Amount: alpha, Trade: trade})
	if err != nil {
		return Ticket{}, consoleErr(err, moveLabels)
	}
	cmd := fmt.Sprintf("btui stake move --wallet-name %s --hotkey-ss58 %s --origin-netuid %d --dest-hotkey %s --dest-netuid %d --amount %s",
		name, hot.SS58(), from, destHot.SS58(), to, protocol.TAODecimal(alpha))
	if tr.Tolerance != DefaultTolerance {
		cmd += " --tolerance " + tr.Tolerance
	}
	return planTicket(c.Client, p, cmd, false), nil
}

// registrant is the coldkey of wallet name and the address of its hotkey: who pays and what
// a registration registers.
func (c *Common) registrant(name, hotkey string) (cold, hot wallet.AccountID, err error) {
	if cold, err = c.walletAccount(name); err != nil {
		return cold, hot, err
	}
	hot, err = c.hotkeyAccount(name, hotkey)
	return cold, hot, err
}

// registerLabels are the Register page's words for ops' registration fields.
var registerLabels = fieldLabels{"Netuid": "subnet", "Hot": "hotkey"}

// planBurnedRegister plans registering wallet name's hotkey on netuid by burning.
func (c *Common) planBurnedRegister(ctx context.Context, name, hotkey string, netuid uint16) (Ticket, error) {
	cold, hot, err := c.registrant(name, hotkey)
	if err != nil {
		return Ticket{}, err
	}
	p, err := ops.PlanBurnedRegister(ctx, c.Client, ops.RegisterInput{Cold: cold, Hot: hot, Netuid: netuid})
	if err != nil {
		return Ticket{}, consoleErr(err, registerLabels)
	}
	return planTicket(c.Client, p, fmt.Sprintf("btui subnets register --wallet-name %s --wallet-hotkey %s --netuid %d", name, hotkey, netuid), false), nil
}

// planPowRegister plans registering wallet name's hotkey on netuid with proof of work: the
// preview gives the terms (difficulty, fee) and the ticket's Work solves the work
// (ops.SolvePow) only after the coldkey is unlocked, then signs at once. Work solved before
// the confirmation and the password would go stale on a producing chain (it is valid for 3
// blocks); solved after the unlock it is sent within a block of being found. There is no dry
// run before the work: the call is complete only then.
func (c *Common) planPowRegister(ctx context.Context, name, hotkey string, netuid uint16) (Ticket, error) {
	cold, hot, err := c.registrant(name, hotkey)
	if err != nil {
		return Ticket{}, err
	}
	p, err := ops.PlanPowRegister(ctx, c.Client, ops.PowRegisterInput{Cold: cold, Hot: hot, Netuid: netuid})
	if err != nil {
		return Ticket{}, consoleErr(err, registerLabels)
	}
	client := c.Client
	tk := planTicket(client, p, fmt.Sprintf("btui subnets pow-register --wallet-name %s --wallet-hotkey %s --netuid %d", name, hotkey, netuid), false)
	tk.Call, tk.Sim, tk.Sign = nil, nil, nil
	tk.Work = func(ctx context.Context, kp wallet.Pair, progress func(done, total uint64)) ([]byte, error) {
		solved, err := ops.SolvePow(ctx, client, p, func(hashes, expected uint64, _ time.Duration, _ bool) { progress(hashes, expected) })
		var stopped *ops.PowStopped
		if errors.As(err, &stopped) {
			return nil, fmt.Errorf("proof of work stopped after %d hashes: nothing was sent: %w", stopped.Hashes, stopped.Err)
		}
		if err != nil {
			return nil, consoleErr(err, registerLabels)
		}
		return chainclient.Sign(ctx, client, kp, solved.Call, chainclient.SignOptions{})
	}
	return tk, nil
}

// hyperparamLabels are the hyperparameter form's words for ops.HyperparamInput's fields.
var hyperparamLabels = fieldLabels{"Value": "value", "Param": "hyperparameter", "Signer": "wallet", "Netuid": "subnet"}

// planHyperparam plans setting hyperparameter param of netuid to value (as typed), signed by
// wallet name's coldkey (the subnet owner or sudo).
func (c *Common) planHyperparam(ctx context.Context, name string, netuid uint16, param, value string) (Ticket, error) {
	cold, err := c.walletAccount(name)
	if err != nil {
		return Ticket{}, err
	}
	p, err := ops.PlanSetHyperparameter(ctx, c.Client, ops.HyperparamInput{Signer: cold, Netuid: netuid, Param: param, Value: value})
	if err != nil {
		return Ticket{}, consoleErr(err, hyperparamLabels)
	}
	return planTicket(c.Client, p, fmt.Sprintf("btui sudo set --wallet-name %s --netuid %d --param %s --value %s", name, netuid, param, value), false), nil
}

// sellValue is the TAO selling alpha on netuid would fetch now: the pool's quote after its
// fee, at no price limit (root sells 1:1).
func sellValue(ctx context.Context, client chainclient.Client, netuid uint16, alpha uint64) (uint64, error) {
	if alpha == 0 {
		return 0, nil
	}
	m, err := ops.TradingSubnet(ctx, client, netuid)
	if err != nil {
		return 0, err
	}
	q, err := ops.QuoteTrade(m.Subnet, m.FeeRate, m.MinReserve, alpha, false, ops.Trade{Unsafe: true})
	if err != nil {
		return 0, err
	}
	return q.ExpectedOut, nil
}
