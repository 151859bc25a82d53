package tui

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

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

// opsFieldLabels maps ops' input fields to the console's form labels.
var opsFieldLabels = map[string]string{
	"To": "to", "Dest": "to", "Amount": "amount", "Hot": "hotkey", "Netuid": "netuid",
	"Tolerance": "tolerance", "Uids": "weights", "Values": "weights",
}

// consoleErr words an ops error for the console: the form field it is about, then the
// message (ops' messages name no flag).
func consoleErr(err error) error {
	var oe *ops.Error
	if !errors.As(err, &oe) || oe.Field == "" {
		return err
	}
	label := opsFieldLabels[oe.Field]
	if label == "" {
		label = strings.ToLower(oe.Field)
	}
	return fmt.Errorf("%s: %w", label, err)
}

// opsField is the form label an error is about ("" when none).
func opsField(err error) string {
	var oe *ops.Error
	if errors.As(err, &oe) {
		return opsFieldLabels[oe.Field]
	}
	return ""
}

// walletAccount is the coldkey of wallet name, from the key store's list.
func (c *Common) walletAccount(name string) (wallet.AccountID, error) {
	for _, w := range c.Wallets {
		if w.Name == name && w.Address != "" {
			return wallet.ParseAddress(w.Address)
		}
	}
	return wallet.AccountID{}, fmt.Errorf("wallet %s is not in the key store (or has no readable coldkey): pick one on the Wallets page", name)
}

// hotkeyAccount is the hotkey hot of wallet name.
func (c *Common) hotkeyAccount(name, hot string) (wallet.AccountID, error) {
	for _, w := range c.Wallets {
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
