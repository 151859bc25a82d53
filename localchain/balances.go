package localchain

import (
	"fmt"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// systemModule holds chain-wide state: parameters, sudo key, total issuance and the accounts
// of the genesis. It has no calls.
func systemModule() Module {
	return Module{
		Name: "system",
		InitGenesis: func(s *StateTx, g *protocol.Genesis, _ []byte) error {
			if err := s.Put(bucketSystem, sysParams, encodeParams(g.Params)); err != nil {
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

func balancesModule() Module {
	return Module{
		Name:  "balances",
		Calls: []CallSpec{Handle(applyTransfer)},
		Invariants: []Invariant{
			{Name: "accounts", Check: checkAccounts},
		},
	}
}

// applyTransfer: validate (done by Validate) → preconditions → mutate → emit.
func applyTransfer(ctx *CallContext, c protocol.Transfer) error {
	ed := ctx.Params.ExistentialDeposit
	from := getAccount(ctx.Tx(), ctx.Signer)
	to := getAccount(ctx.Tx(), c.To)

	// Preconditions.
	if from.Free < c.Amount {
		return protocol.Fail(protocol.CodeInsufficientBalance, "insufficient balance: %s has %s after the fee, the transfer needs %s",
			ctx.Signer, protocol.FormatTAO(from.Free), protocol.FormatTAO(c.Amount))
	}
	left := from.Free - c.Amount
	if !c.AllowDeath && left < ed {
		return protocol.Fail(protocol.CodeKeepAlive, "transfer would leave %s with %s, below the existential deposit %s; send less or allow death",
			ctx.Signer, protocol.FormatTAO(left), protocol.FormatTAO(ed))
	}
	if to.Free == 0 && c.Amount < ed {
		return protocol.Fail(protocol.CodeBelowExistential, "transfer of %s to empty account %s is below the existential deposit %s",
			protocol.FormatTAO(c.Amount), c.To, protocol.FormatTAO(ed))
	}
	if c.Amount > protocol.MaxSupply-to.Free {
		return protocol.Fail(protocol.CodeBalanceOverflow, "recipient balance would exceed the maximum supply")
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
	ctx.Emit("balances", "Transfer", attrs("from", address(ctx.Signer), "to", address(c.To), "amount", strconv.FormatUint(c.Amount, 10)), ctx.Signer, c.To)
	if dust > 0 {
		ctx.Emit("balances", "DustLost", attrs("account", address(ctx.Signer), "amount", strconv.FormatUint(dust, 10)), ctx.Signer)
	}
	return nil
}

func sudoModule() Module {
	return Module{
		Name:  "sudo",
		Calls: []CallSpec{Handle(applyFaucet)},
	}
}

func applyFaucet(ctx *CallContext, c protocol.Faucet) error {
	// Preconditions.
	if err := ctx.RequireSudo("sudo.faucet"); err != nil {
		return err
	}
	if c.Amount > ctx.Params.MaxFaucet {
		return protocol.Fail(protocol.CodeFaucetLimit, "faucet amount %s exceeds the limit of %s per call", protocol.FormatTAO(c.Amount), protocol.FormatTAO(ctx.Params.MaxFaucet))
	}
	to := getAccount(ctx.Tx(), c.To)
	if to.Free == 0 && c.Amount < ctx.Params.ExistentialDeposit {
		return protocol.Fail(protocol.CodeBelowExistential, "faucet of %s to empty account %s is below the existential deposit %s",
			protocol.FormatTAO(c.Amount), c.To, protocol.FormatTAO(ctx.Params.ExistentialDeposit))
	}
	if c.Amount > protocol.MaxSupply-getTotalIssuance(ctx.Tx()) {
		return protocol.Fail(protocol.CodeBalanceOverflow, "faucet of %s would take total issuance past the maximum supply", protocol.FormatTAO(c.Amount))
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
	ctx.Emit("sudo", "Faucet", attrs("to", c.To.SS58(), "amount", strconv.FormatUint(c.Amount, 10)), c.To)
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
		case a.Free > protocol.MaxSupply:
			return fmt.Errorf("account %s holds %d rao, above the maximum supply", id, a.Free)
		}
		return nil
	})
}
