package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// weights commit --auto-reveal: commit, wait for the commit's reveal window, reveal with the same
// key. The operator confirms once (both transactions) and unlocks the hotkey once; the key stays
// in memory until the reveal is signed. On the embedded devnet the command produces blocks at
// the devnet's block time while it waits (it holds the devnet, so nothing else could); through
// a node the node's producer does.

// autoRevealJSON is the one --json document of commit --auto-reveal: the commit's transaction
// result, its reveal window, and the reveal's result (null when it was not made).
type autoRevealJSON struct {
	txResultJSON
	AutoReveal autoRevealInfo `json:"auto_reveal"`
}

type autoRevealInfo struct {
	RevealFrom  uint64        `json:"reveal_from"`
	RevealUntil uint64        `json:"reveal_until"`
	Reveal      *txResultJSON `json:"reveal"`
	// RevealCommand is how to reveal by hand (printed when the wait is interrupted).
	RevealCommand string `json:"reveal_command"`
}

func weightsCommitAutoReveal(o *weightsCommitOptions, t *weightsTx, salt []uint16, p txPlan) error {
	s, f := t.s, o.f
	req := p.request("weights commit", hotkeyUnlock(f, o.Wallet, o.Hotkey, o.Password), nil)
	req.Preview = append(req.Preview, previewLine{"auto-reveal", "then waits for the reveal window and reveals with the same key (Ctrl-C leaves the commit)"})
	if f.Opts.DryRun {
		return runTx(s, req)
	}
	netw, err := s.network()
	if err != nil {
		return chainErr(err)
	}
	errOut := f.IO.ErrOut
	kp, err := confirmUnlock(s, req, netw, netw.promptThen("reveal the commit when its window opens"))
	if err != nil {
		return err
	}
	defer kp.Zero()
	commit, err := signSubmit(s, kp, req.Call)
	if err != nil {
		return err
	}
	out := autoRevealJSON{txResultJSON: resultOf(req, netw, commit)}
	if !f.Opts.JSON {
		printReceipt(f.IO.Out, commit, nil)
	}
	if !commit.Receipt.OK() {
		if f.Opts.JSON {
			if err := walletPrintJSON(f.IO.Out, out); err != nil {
				return err
			}
		}
		r := commit.Receipt
		return withCode(ExitRejected, fmt.Errorf("the chain rejected the commit in block %d: %s (code %d %s); only the fee of %s was charged; nothing will be revealed",
			commit.Height, r.Message, uint32(r.Code), r.CodeName, tao(r.Fee+r.Tip)))
	}
	from, until := commitWindow(commit)
	out.AutoReveal = autoRevealInfo{RevealFrom: from, RevealUntil: until, RevealCommand: revealCommand(o, t, salt, from, until)}
	printJSON := func() error {
		if f.Opts.JSON {
			return walletPrintJSON(f.IO.Out, out)
		}
		return nil
	}
	if from == 0 {
		_ = printJSON()
		return fmt.Errorf("the commit's reveal window is not in its events: reveal by hand with %s", out.AutoReveal.RevealCommand)
	}
	if err := waitRevealWindow(s, f, from, until); err != nil {
		_ = printJSON()
		fmt.Fprintf(errOut, "\nthe commit stays on chain; reveal it by hand in blocks %d–%d with:\n  %s\n", from, until, out.AutoReveal.RevealCommand)
		return err
	}
	rp, err := t.planReveal(salt)
	if err != nil {
		_ = printJSON()
		fmt.Fprintf(errOut, "the reveal was refused before submitting; the commit stays on chain (reveal window %d–%d):\n  %s\n", from, until, out.AutoReveal.RevealCommand)
		return err
	}
	rreq := rp.request("weights reveal", nil, nil)
	fmt.Fprintln(errOut, rreq.Title)
	reveal, err := signSubmit(s, kp, rreq.Call)
	if err != nil {
		_ = printJSON()
		return err
	}
	rres := resultOf(rreq, netw, reveal)
	out.AutoReveal.Reveal = &rres
	if f.Opts.JSON {
		if err := walletPrintJSON(f.IO.Out, out); err != nil {
			return err
		}
	} else {
		printReceipt(f.IO.Out, reveal, nil)
	}
	if !reveal.Receipt.OK() {
		r := reveal.Receipt
		return withCode(ExitRejected, fmt.Errorf("the chain rejected the reveal in block %d: %s (code %d %s); only the fee of %s was charged",
			reveal.Height, r.Message, uint32(r.Code), r.CodeName, tao(r.Fee+r.Tip)))
	}
	return nil
}

// commitWindow reads the reveal window from the commit's WeightsCommitted event (0, 0 when absent).
func commitWindow(info *protocol.TxInfo) (from, until uint64) {
	if v, ok := eventAttr(info, "WeightsCommitted", "reveal_from"); ok {
		from, _ = strconv.ParseUint(v, 10, 64)
	}
	if v, ok := eventAttr(info, "WeightsCommitted", "reveal_until"); ok {
		until, _ = strconv.ParseUint(v, 10, 64)
	}
	return from, until
}

// revealCommand is the `btui weights reveal` that reveals the commit by hand.
func revealCommand(o *weightsCommitOptions, t *weightsTx, salt []uint16, from, until uint64) string {
	parts := make([]string, len(salt))
	for i, v := range salt {
		parts[i] = strconv.Itoa(int(v))
	}
	vk := ""
	if t.in.versionSet {
		vk = fmt.Sprintf(" --version-key %d", t.in.VersionKey)
	}
	return fmt.Sprintf("btui weights reveal --netuid %d --uids %s --weights %s --salt %s%s --wallet-name %s --wallet-hotkey %s",
		t.in.Netuid, strings.ReplaceAll(t.in.Uids, " ", ""), strings.ReplaceAll(t.in.Weights, " ", ""), strings.Join(parts, ","), vk, o.Wallet, o.Hotkey)
}

// waitRevealWindow waits until the next block falls in the reveal window [from, until],
// showing the window and a countdown on a terminal. On the embedded devnet it starts the
// producer at the devnet's block time (the command holds the devnet; nothing else advances it).
func waitRevealWindow(s *chainSession, f *Factory, from, until uint64) error {
	info, err := s.c.Info(s.ctx)
	if err != nil {
		return chainErr(err)
	}
	step := time.Duration(info.TargetBlockTimeMs) * time.Millisecond
	if e, ok := s.c.(*chainclient.Embedded); ok && info.Height+1 < from {
		if info.Paused {
			return usageErrorf("the devnet is paused and produces no blocks, so the reveal window never opens: run btui devnet resume and reveal by hand")
		}
		if err := e.Chain().SetBlockTime(step); err != nil {
			return err
		}
		if err := e.Chain().Start(); err != nil {
			return err
		}
		defer e.Chain().Stop()
	} else if info.BlockTimeMs == 0 && info.Height+1 < from {
		return usageErrorf("the node seals blocks only on demand (block time 0), so the reveal window never opens by itself: advance it (btui devnet advance) or start the node with a block time, then reveal by hand")
	}
	tty := f.IO.IsStdoutTTY() && f.IO.IsStdinTTY()
	errOut := f.IO.ErrOut
	fmt.Fprintf(errOut, "reveal window: blocks %d–%d (head %d)\n", from, until, info.Height)
	poll := time.NewTicker(max(step/4, 20*time.Millisecond))
	defer poll.Stop()
	for {
		if info.Height+1 > until {
			return fmt.Errorf("the reveal window %d–%d has passed (head %d)", from, until, info.Height)
		}
		if info.Height+1 >= from {
			if tty {
				fmt.Fprintf(errOut, "\r\033[Kreveal window open at block %d: revealing\n", info.Height+1)
			}
			return nil
		}
		if tty {
			left := from - info.Height - 1
			fmt.Fprintf(errOut, "\r\033[Kopens in %d block(s), ~%s (head %d)", left, (time.Duration(left) * step).Round(100*time.Millisecond), info.Height)
		}
		select {
		case <-s.ctx.Done():
			return s.ctx.Err()
		case <-poll.C:
		}
		if info, err = s.c.Info(s.ctx); err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return chainErr(err)
		}
	}
}
