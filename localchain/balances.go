package localchain

import (
	"fmt"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/wallet"
)

// systemModule holds chain-wide state: parameters, sudo key, total issuance and the accounts
// of the genesis. It has no calls.
func systemModule() Module {
	return Module{
		Name: "system",
		InitGenesis: func(s *StateTx, g *Genesis, _ []byte) error {
			if err := s.Put(bucketSystem, sysParams, g.Params.encode()); err != nil {
				return err
			}
			if err := s.Put(bucketSystem, sysSudo, append([]byte(nil), g.Sudo[:]...)); err != nil {
				return err
			}
			var total uint64
			for _, a := range g.Accounts {
				if err := putAccount(s, a.Address, account{Free: a.Free}); err != nil {
					return err
				}
				total += a.Free // bounded by Genesis.Validate
			}
			return putU64(s, bucketSystem, sysTotalIssuance, total)
		},
	}
}

// Transfer moves Amount rao from the signer to To. By default it keeps the sender alive (its
// balance after fee and amount stays at least the existential deposit); AllowDeath lets the
// transfer empty the account, burning any dust below the existential deposit.
type Transfer struct {
	To         wallet.AccountID `json:"to"`
	Amount     uint64           `json:"amount"`
	AllowDeath bool             `json:"allow_death"`
}

// CallName is balances.transfer.
func (Transfer) CallName() CallName { return CallName{"balances", "transfer"} }

// EncodeArgs writes to(32) || amount u64 || allow_death bool.
func (c Transfer) EncodeArgs(e *Encoder) {
	e.Account(c.To)
	e.U64(c.Amount)
	e.Bool(c.AllowDeath)
}

// Validate rejects a zero amount, an amount above the maximum supply and a transfer to self.
func (c Transfer) Validate(signer wallet.AccountID) error {
	if err := checkAmount(c.Amount); err != nil {
		return err
	}
	if c.To == signer {
		return reject(CodeSelfTransfer, "transfer to self (%s): pick another recipient", signer)
	}
	return nil
}

func decodeTransfer(d *Decoder) Transfer {
	return Transfer{To: d.Account(), Amount: d.U64(), AllowDeath: d.Bool()}
}

func checkAmount(a uint64) error {
	if a == 0 {
		return reject(CodeZeroAmount, "amount is zero: send at least 1 rao")
	}
	if a > MaxSupply {
		return reject(CodeAmountTooBig, "amount %d rao exceeds the maximum supply of %d rao", a, MaxSupply)
	}
	return nil
}

func balancesModule() Module {
	return Module{
		Name:  "balances",
		Calls: []CallSpec{NewCallSpec("transfer", decodeTransfer, applyTransfer)},
		Invariants: []Invariant{
			{Name: "accounts", Check: checkAccounts},
		},
	}
}

// applyTransfer: validate (done by Validate) → preconditions → mutate → emit.
func applyTransfer(ctx *CallContext, c Transfer) error {
	ed := ctx.Params.ExistentialDeposit
	from := getAccount(ctx.Tx(), ctx.Signer)
	to := getAccount(ctx.Tx(), c.To)

	// Preconditions.
	if from.Free < c.Amount {
		return Fail(CodeInsufficientBalance, "insufficient balance: %s has %s after the fee, the transfer needs %s",
			ctx.Signer, FormatTAO(from.Free), FormatTAO(c.Amount))
	}
	left := from.Free - c.Amount
	if !c.AllowDeath && left < ed {
		return Fail(CodeKeepAlive, "transfer would leave %s with %s, below the existential deposit %s; send less or allow death",
			ctx.Signer, FormatTAO(left), FormatTAO(ed))
	}
	if to.Free == 0 && c.Amount < ed {
		return Fail(CodeBelowExistential, "transfer of %s to empty account %s is below the existential deposit %s",
			FormatTAO(c.Amount), c.To, FormatTAO(ed))
	}
	if c.Amount > MaxSupply-to.Free {
		return Fail(CodeBalanceOverflow, "recipient balance would exceed the maximum supply")
	}

	// Mutate.
	var dust uint64
	if left < ed {
		dust, left = left, 0
	}
	from.Free = left
	to.Free += c.Amount
	if err := putAccount(ctx.State, ctx.Signer, from); err != nil {
		return err
	}
	if err := putAccount(ctx.State, c.To, to); err != nil {
		return err
	}
	if dust > 0 {
		if err := burn(ctx.State, dust); err != nil {
			return err
		}
	}

	// Emit.
	ctx.Emit("balances", "Transfer", []Attr{
		{"from", ctx.Signer.SS58()}, {"to", c.To.SS58()}, {"amount", strconv.FormatUint(c.Amount, 10)},
	}, ctx.Signer, c.To)
	if dust > 0 {
		ctx.Emit("balances", "DustLost", []Attr{
			{"account", ctx.Signer.SS58()}, {"amount", strconv.FormatUint(dust, 10)},
		}, ctx.Signer)
	}
	return nil
}

// Faucet mints Amount rao into To. Devnet only: it needs the sudo account's signature.
type Faucet struct {
	To     wallet.AccountID `json:"to"`
	Amount uint64           `json:"amount"`
}

// CallName is sudo.faucet.
func (Faucet) CallName() CallName { return CallName{"sudo", "faucet"} }

// EncodeArgs writes to(32) || amount u64.
func (c Faucet) EncodeArgs(e *Encoder) {
	e.Account(c.To)
	e.U64(c.Amount)
}

// Validate rejects a zero amount and one above the maximum supply.
func (c Faucet) Validate(wallet.AccountID) error { return checkAmount(c.Amount) }

func decodeFaucet(d *Decoder) Faucet { return Faucet{To: d.Account(), Amount: d.U64()} }

func sudoModule() Module {
	return Module{
		Name:  "sudo",
		Calls: []CallSpec{NewCallSpec("faucet", decodeFaucet, applyFaucet)},
	}
}

func applyFaucet(ctx *CallContext, c Faucet) error {
	// Preconditions.
	if err := ctx.RequireSudo("sudo.faucet"); err != nil {
		return err
	}
	if c.Amount > ctx.Params.MaxFaucet {
		return Fail(CodeFaucetLimit, "faucet amount %s exceeds the limit of %s per call", FormatTAO(c.Amount), FormatTAO(ctx.Params.MaxFaucet))
	}
	to := getAccount(ctx.Tx(), c.To)
	if to.Free == 0 && c.Amount < ctx.Params.ExistentialDeposit {
		return Fail(CodeBelowExistential, "faucet of %s to empty account %s is below the existential deposit %s",
			FormatTAO(c.Amount), c.To, FormatTAO(ctx.Params.ExistentialDeposit))
	}
	if c.Amount > MaxSupply-getTotalIssuance(ctx.Tx()) {
		return Fail(CodeBalanceOverflow, "faucet of %s would take total issuance past the maximum supply", FormatTAO(c.Amount))
	}
	// Mutate.
	to.Free += c.Amount
	if err := putAccount(ctx.State, c.To, to); err != nil {
		return err
	}
	if err := mint(ctx.State, c.Amount); err != nil {
		return err
	}
	// Emit.
	ctx.Emit("sudo", "Faucet", []Attr{{"to", c.To.SS58()}, {"amount", strconv.FormatUint(c.Amount, 10)}}, c.To)
	return nil
}

// checkAccounts: every stored account holds 0 or at least the existential deposit, at most the
// maximum supply, and is not an empty record.
func checkAccounts(tx *bbolt.Tx) error {
	p, err := getParams(tx)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
		if len(k) != 32 || len(v) != 16 {
			return fmt.Errorf("account record %x has a %d-byte key and %d-byte value", k, len(k), len(v))
		}
		var id wallet.AccountID
		copy(id[:], k)
		a := getAccount(tx, id)
		switch {
		case a.Free == 0 && a.Nonce == 0:
			return fmt.Errorf("account %s is stored empty", id)
		case a.Free != 0 && a.Free < p.ExistentialDeposit:
			return fmt.Errorf("account %s holds %d rao, below the existential deposit %d", id, a.Free, p.ExistentialDeposit)
		case a.Free > MaxSupply:
			return fmt.Errorf("account %s holds %d rao, above the maximum supply", id, a.Free)
		}
		return nil
	})
}

// FormatTAO renders rao as TAO with up to 9 decimals ("1.5 TAO", "0.000000001 TAO").
func FormatTAO(rao uint64) string {
	whole, frac := rao/RaoPerTAO, rao%RaoPerTAO
	if frac == 0 {
		return strconv.FormatUint(whole, 10) + " TAO"
	}
	f := fmt.Sprintf("%09d", frac)
	for f[len(f)-1] == '0' {
		f = f[:len(f)-1]
	}
	return strconv.FormatUint(whole, 10) + "." + f + " TAO"
}
