package ops

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/mechanism"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Proof-of-work registration is planned in two steps. PlanPowRegister checks everything but
// the work (the chain's dry run of the call with an empty seal stops at the seal, after every
// precondition and the fee) and holds the call without its work; SolvePow solves the work for
// the newest block and dry-runs the solved call. The work is valid for 3 blocks only, so a
// caller solves it as late as it can: the console after the coldkey is unlocked, just before
// signing; the command before its confirmation, as it always has.

// PowRegisterInput is a proof-of-work registration of a hotkey; its coldkey pays the fee.
type PowRegisterInput struct {
	Cold, Hot wallet.AccountID
	Netuid    uint16
}

// PowPreview is the JSON preview of a proof-of-work registration. Block, Nonce, Hashes and
// Seconds are 0 until the work is solved.
type PowPreview struct {
	Netuid     uint16  `json:"netuid"`
	Hotkey     string  `json:"hotkey"`
	Coldkey    string  `json:"coldkey"`
	Difficulty uint64  `json:"difficulty"`
	Block      uint64  `json:"block"`
	Nonce      uint64  `json:"nonce"`
	Hashes     uint64  `json:"hashes"`
	Seconds    float64 `json:"seconds"`
	Fee        uint64  `json:"fee"`
}

// PowChunk is how many nonces SolvePow tries between progress reports and head checks.
const PowChunk = 50_000

// workCodes are the refusals of a call whose only fault is its (missing) work.
var workCodes = map[protocol.Code]bool{
	protocol.CodeInvalidSeal: true, protocol.CodeInvalidWorkBlock: true,
	protocol.CodeInvalidDifficulty: true, protocol.CodeDuplicateWork: true,
}

// PlanPowRegister plans subtensor.register (proof of work) without solving it: the subnet and
// its difficulty are read, and the chain's dry run of the call with an empty seal checks the
// rest (root, registration or proof of work switched off, a hotkey already registered, the
// fee); its refusal for the seal alone is the expected one. The plan's Call holds the subnet
// and the hotkey but no work and it has no Sim: SolvePow completes it. The hotkey's owner and
// the free slots are checked by the dry run of the solved call.
func PlanPowRegister(ctx context.Context, c chainclient.Client, in PowRegisterInput) (Plan, error) {
	if _, err := c.Subnet(ctx, in.Netuid); errors.Is(err, protocol.ErrNotFound) {
		return Plan{}, notFoundf("Netuid", "subnet %d does not exist (it was never created or has been dissolved): the subnet list shows the live ones", in.Netuid)
	} else if err != nil {
		return Plan{}, chainErr(err)
	}
	h, err := c.Hyperparameters(ctx, in.Netuid)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	p := Plan{
		Title:  fmt.Sprintf("Register hotkey %s on subnet %d with proof of work", in.Hot, in.Netuid),
		Signer: in.Cold,
		Call:   protocol.PowRegister{Netuid: in.Netuid, Hotkey: in.Hot, BlockNumber: info.Height},
	}
	if err := simulate(ctx, c, &p, "Netuid"); err != nil {
		code, _ := protocol.CodeOf(err)
		if _, refused := Refused(err); !refused || !workCodes[code] {
			return Plan{}, err
		}
	}
	fee := p.Sim.Receipt.Fee
	p.Sim = nil // the dry run of a call without work says nothing about the registration
	p.Call = protocol.PowRegister{Netuid: in.Netuid, Hotkey: in.Hot}
	p.JSON = PowPreview{Netuid: in.Netuid, Hotkey: in.Hot.SS58(), Coldkey: in.Cold.SS58(), Difficulty: h.Difficulty, Fee: fee}
	p.Lines = []Line{
		{"hotkey", in.Hot.SS58()},
		{"coldkey", in.Cold.SS58() + " (pays the fee)"},
		{"difficulty", fmt.Sprintf("%d (about %d hashes)", h.Difficulty, h.Difficulty)},
		{"fee", tao(fee)},
		{"work", "solved after you unlock the coldkey, then sent at once"},
	}
	return p, nil
}

// maxStaleWork is how many times SolvePow solves again work that went stale before its dry run.
const maxStaleWork = 4

// solvePow finds work for call on the newest head at difficulty, starting over on a newer head
// when the chain moves on by 2 blocks first; hashes counts every hash tried (progress sees the
// running total, with the time since start).
func solvePow(ctx context.Context, c chainclient.Client, call protocol.PowRegister, difficulty uint64, start time.Time, hashes *uint64,
	progress func(hashes, expected uint64, elapsed time.Duration, done bool)) (protocol.PowRegister, error) {
	for {
		info, err := c.Info(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return call, &PowStopped{Hashes: *hashes, Difficulty: difficulty, Err: ctx.Err()}
			}
			return call, chainErr(err)
		}
		block, hash := info.Height, info.Head
		nonce := uint64(time.Now().UnixNano()) // any start works; spread parallel solvers
		for {
			if err := ctx.Err(); err != nil {
				return call, &PowStopped{Hashes: *hashes, Difficulty: difficulty, Err: err}
			}
			n, seal, ok := mechanism.PowSolve(hash, call.Hotkey, difficulty, nonce, PowChunk)
			if ok {
				*hashes += n - nonce + 1
				call.BlockNumber, call.Nonce, call.Work = block, n, seal
				return call, nil
			}
			*hashes += PowChunk
			nonce += PowChunk
			if progress != nil {
				progress(*hashes, difficulty, time.Since(start), false)
			}
			// The work must be included within 3 blocks of its block: start over on a newer head.
			if cur, err := c.Info(ctx); err == nil && cur.Height >= block+2 {
				break
			}
		}
	}
}

// PowStopped is SolvePow's error when its context ends before the work is found: Err is the
// context's error (context.DeadlineExceeded for a timeout).
type PowStopped struct {
	Hashes, Difficulty uint64
	Err                error
}

func (e *PowStopped) Error() string {
	return fmt.Sprintf("proof of work stopped after %d hashes at difficulty %d: nothing was sent: %v", e.Hashes, e.Difficulty, e.Err)
}

func (e *PowStopped) Unwrap() error { return e.Err }

// SolvePow solves the work of a plan made by PlanPowRegister for the newest block (starting
// over on a newer head when the work would go stale before it is included), at the subnet's
// difficulty of now, then dry-runs the solved call (the chain's last word: the hotkey's owner,
// the slots, the seal) and returns the completed plan; work that went stale before its dry run
// is solved again on the new head (maxStaleWork times at most). progress, if set, is called after every
// chunk of nonces with the hashes tried and the difficulty, and once with done set when the
// work is found. A context that ends first gives a *PowStopped.
func SolvePow(ctx context.Context, c chainclient.Client, p Plan, progress func(hashes, expected uint64, elapsed time.Duration, done bool)) (Plan, error) {
	call, ok := p.Call.(protocol.PowRegister)
	if !ok {
		return Plan{}, fmt.Errorf("SolvePow: the plan's call is %T, not a proof-of-work registration", p.Call)
	}
	h, err := c.Hyperparameters(ctx, call.Netuid)
	if err != nil {
		if ctx.Err() != nil {
			return Plan{}, &PowStopped{Err: ctx.Err()}
		}
		return Plan{}, chainErr(err)
	}
	difficulty := h.Difficulty
	start := time.Now()
	var hashes uint64
	for stale := 0; ; stale++ {
		if call, err = solvePow(ctx, c, call, difficulty, start, &hashes, progress); err != nil {
			return Plan{}, err
		}
		p.Call = call
		err := simulate(ctx, c, &p, "Netuid")
		if err == nil {
			break
		}
		// Work that went stale while it was checked (a busy machine, a fast chain) is solved
		// again on the new head, a few times at most.
		if code, _ := protocol.CodeOf(err); code != protocol.CodeInvalidWorkBlock || stale == maxStaleWork || ctx.Err() != nil {
			return Plan{}, err
		}
	}
	elapsed := time.Since(start)
	if progress != nil {
		progress(hashes, hashes, elapsed, true)
	}
	pv, _ := p.JSON.(PowPreview)
	pv.Difficulty, pv.Block, pv.Nonce, pv.Hashes, pv.Seconds, pv.Fee = difficulty, call.BlockNumber, call.Nonce, hashes, elapsed.Seconds(), p.Sim.Receipt.Fee
	p.JSON = pv
	p.Lines = []Line{{"work", fmt.Sprintf("block %d nonce %d (%d hashes in %s)", call.BlockNumber, call.Nonce, hashes, elapsed.Round(time.Millisecond))},
		{"difficulty", fmt.Sprint(difficulty)}, {"fee", tao(pv.Fee)}}
	return p, nil
}
