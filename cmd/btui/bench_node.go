package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

type benchNodeOptions struct {
	f         *Factory
	ctx       context.Context
	rate      float64
	duration  time.Duration
	accounts  int
	blockTime time.Duration
	conns     int
	tick      time.Duration
	runs      int
	keepDir   bool
}

func newCmdBenchNode(f *Factory) *cobra.Command {
	opts := &benchNodeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Offer signed transfers over HTTP to a real btui node at a fixed rate",
		Long: `Start this binary's own 'btui node' (a separate process) on a temporary devnet whose genesis
funds --accounts deterministic accounts, and offer it signed transfers over HTTP (submit_batch)
at --rate transactions per second for --duration, from --conns connections, one batch every
--tick. All transactions are signed before load starts. Inclusion is read from the node's head
stream (server-sent events): a transfer's latency runs from the moment it is due at the offered
rate (whether or not a connection is free to send it) to the moment the head that includes it
arrives, in milliseconds and in blocks (ms / block time).

Reported per run: offered and sent tx/s, included tx/s (included transactions / time from the
first send to the last inclusion), inclusion latency p50/p99/max, submissions rejected, blocks,
the node's peak resident memory (VmHWM of the node process) and the machine with its load
average. With --runs N the node is started afresh for each run. The load generator shares
the machine with the node.`,
		Example: `  btui bench node
  btui bench node --rate 6000 --duration 25s --runs 5 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			switch {
			case opts.rate <= 0:
				return usageErrorf("--rate %v: give a positive number of transactions per second", opts.rate)
			case opts.duration < time.Second:
				return usageErrorf("--duration %v: give at least 1s (20s or more for a sustained figure)", opts.duration)
			case opts.accounts < 1 || opts.accounts > 100_000:
				return usageErrorf("--accounts %d: give 1 to 100000", opts.accounts)
			case opts.blockTime <= 0:
				return usageErrorf("--block-time %v: give a positive interval such as 250ms", opts.blockTime)
			case opts.conns < 1 || opts.conns > 64:
				return usageErrorf("--conns %d: give 1 to 64", opts.conns)
			case opts.tick < time.Millisecond:
				return usageErrorf("--tick %v: give at least 1ms", opts.tick)
			case opts.runs < 1:
				return usageErrorf("--runs %d: give at least 1", opts.runs)
			}
			return benchNodeMain(opts)
		},
	}
	cmd.Flags().Float64Var(&opts.rate, "rate", 6000, "offered transactions per second")
	cmd.Flags().DurationVar(&opts.duration, "duration", 25*time.Second, "how long to offer load")
	cmd.Flags().IntVar(&opts.accounts, "accounts", 1000, "pre-funded sending accounts")
	cmd.Flags().DurationVar(&opts.blockTime, "block-time", protocol.DevnetBlockTimeMs*time.Millisecond, "the node's block interval (the devnet's target block time by default)")
	cmd.Flags().IntVar(&opts.conns, "conns", 2, "HTTP connections submitting batches")
	cmd.Flags().DurationVar(&opts.tick, "tick", 20*time.Millisecond, "interval between batches")
	cmd.Flags().IntVar(&opts.runs, "runs", 1, "runs, each on a fresh node")
	cmd.Flags().BoolVar(&opts.keepDir, "keep", false, "keep the temporary datadir and node log (path printed)")
	return cmd
}

// benchNodeResult is one run's report.
type benchNodeResult struct {
	Run             int     `json:"run"`
	OfferedTxPerS   float64 `json:"offered_tx_per_s"`
	DurationS       float64 `json:"duration_s"`
	Sent            int     `json:"sent"`
	SentTxPerS      float64 `json:"sent_tx_per_s"`
	Rejected        int     `json:"rejected"`
	Included        int     `json:"included"`
	IncludedTxPerS  float64 `json:"included_tx_per_s"`
	Blocks          int     `json:"blocks"`
	P50Ms           float64 `json:"p50_ms"`
	P99Ms           float64 `json:"p99_ms"`
	MaxMs           float64 `json:"max_ms"`
	P50Blocks       float64 `json:"p50_blocks"`
	P99Blocks       float64 `json:"p99_blocks"`
	MaxBlocks       float64 `json:"max_blocks"`
	NodeRSSPeakMiB  float64 `json:"node_rss_peak_mib"`
	NodeCPUSeconds  float64 `json:"node_cpu_s"`
	LoadAtStart     float64 `json:"load_1m_start"`
	LoadAtEnd       float64 `json:"load_1m_end"`
	FirstSubmitErr  string  `json:"first_submit_error,omitempty"`
	IncompleteAfter string  `json:"incomplete,omitempty"`
}

type benchNodeReport struct {
	Benchmark   string            `json:"benchmark"`
	Command     string            `json:"command"`
	Machine     *benchMachine     `json:"machine"`
	BlockTimeMs int64             `json:"block_time_ms"`
	Accounts    int               `json:"accounts"`
	Conns       int               `json:"conns"`
	Runs        []benchNodeResult `json:"runs"`
	// RunsP99Within2 counts runs whose p99 inclusion is at most 2 blocks.
	RunsP99Within2 int `json:"runs_p99_within_2_blocks"`
}

func benchNodeMain(opts *benchNodeOptions) error {
	f := opts.f
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary to start the node: %w", err)
	}
	rep := &benchNodeReport{
		Benchmark: "node", Command: "btui " + strings.Join(os.Args[1:], " "), Machine: newBenchMachine(),
		BlockTimeMs: opts.blockTime.Milliseconds(), Accounts: opts.accounts, Conns: opts.conns,
	}
	keys, err := benchAccounts(opts.accounts)
	if err != nil {
		return err
	}
	for run := 1; run <= opts.runs; run++ {
		r, err := benchNodeOnce(opts, self, keys)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		r.Run = run
		rep.Runs = append(rep.Runs, *r)
		if r.IncompleteAfter == "" && r.P99Blocks <= 2 {
			rep.RunsP99Within2++
		}
		if !f.Opts.JSON {
			printBenchNodeRun(f.IO.Out, r)
		}
	}
	rep.Machine.done()
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, rep)
	}
	rep.Machine.print(f.IO.Out)
	fmt.Fprintf(f.IO.Out, "p99 inclusion within 2 blocks in %d of %d runs\n", rep.RunsP99Within2, len(rep.Runs))
	return nil
}

func printBenchNodeRun(w io.Writer, r *benchNodeResult) {
	fmt.Fprintf(w, "run %d: offered %.0f tx/s for %.1f s, sent %d (%.0f/s), rejected %d; included %d in %d blocks: %.0f tx/s\n",
		r.Run, r.OfferedTxPerS, r.DurationS, r.Sent, r.SentTxPerS, r.Rejected, r.Included, r.Blocks, r.IncludedTxPerS)
	fmt.Fprintf(w, "  inclusion latency p50 %.0f ms (%.2f blocks), p99 %.0f ms (%.2f blocks), max %.0f ms (%.2f blocks)\n",
		r.P50Ms, r.P50Blocks, r.P99Ms, r.P99Blocks, r.MaxMs, r.MaxBlocks)
	fmt.Fprintf(w, "  node: peak RSS %.1f MiB, %.1f s CPU; load average (1 min) %.2f at start, %.2f at end\n",
		r.NodeRSSPeakMiB, r.NodeCPUSeconds, r.LoadAtStart, r.LoadAtEnd)
	if r.FirstSubmitErr != "" {
		fmt.Fprintf(w, "  first rejection: %s\n", r.FirstSubmitErr)
	}
	if r.IncompleteAfter != "" {
		fmt.Fprintf(w, "  INCOMPLETE: %s\n", r.IncompleteAfter)
	}
}

// benchAccounts derives n deterministic sending accounts (public test keys: never fund them on
// a real network).
func benchAccounts(n int) ([]*wallet.Keypair, error) {
	out := make([]*wallet.Keypair, n)
	for i := range out {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		seed := blake2b.Sum256(append([]byte("btui-bench-account"), b[:]...))
		kp, err := wallet.FromSeed(seed[:])
		if err != nil {
			return nil, err
		}
		out[i] = kp
	}
	return out, nil
}

// benchChildEnv is the environment of the processes a benchmark starts: the caller's without
// BTUI_* and with a private config directory, so no user setting (a --node default, a datadir)
// reaches the node.
func benchChildEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "BTUI_") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
}

// benchNode is a started `btui node` process.
type benchNode struct {
	cmd  *exec.Cmd
	info nodeJSON
	log  string
	done chan error
}

// startBenchNode initialises a devnet at dir/devnet from genesis (when not nil) and starts
// `btui node` on it, on a free loopback port.
func startBenchNode(ctx context.Context, self, dir string, g *protocol.Genesis, blockTime time.Duration, extra ...string) (*benchNode, error) {
	data := filepath.Join(dir, "devnet")
	env := benchChildEnv(dir)
	if g != nil {
		gb, err := g.Canonical()
		if err != nil {
			return nil, err
		}
		gf := filepath.Join(dir, "genesis.json")
		if err := os.WriteFile(gf, gb, 0o600); err != nil {
			return nil, err
		}
		init := exec.CommandContext(ctx, self, "devnet", "init", "--datadir", data, "--genesis", gf)
		init.Env = env
		if out, err := init.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("btui devnet init: %v: %s", err, out)
		}
	}
	logPath := filepath.Join(dir, "node.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"node", "--datadir", data, "--listen", "127.0.0.1:0", "--block-time", blockTime.String(), "--json"}, extra...)
	cmd := exec.Command(self, args...)
	cmd.Env = env
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start btui node: %w", err)
	}
	n := &benchNode{cmd: cmd, log: logPath, done: make(chan error, 1)}
	first := make(chan error, 1)
	go func() {
		dec := json.NewDecoder(stdout)
		first <- dec.Decode(&n.info)
		_, _ = io.Copy(io.Discard, io.MultiReader(dec.Buffered(), stdout))
	}()
	go func() {
		n.done <- cmd.Wait()
		logf.Close()
	}()
	select {
	case err := <-first:
		if err != nil {
			n.stop()
			return nil, fmt.Errorf("btui node did not report its address (%v); log: %s", err, logPath)
		}
	case err := <-n.done:
		return nil, fmt.Errorf("btui node exited before serving (%v); log: %s", err, logPath)
	case <-time.After(30 * time.Second):
		n.stop()
		return nil, fmt.Errorf("btui node did not start within 30 s; log: %s", logPath)
	}
	return n, nil
}

// stop sends SIGTERM (the node's graceful stop) and waits up to 30 s, then kills it.
func (n *benchNode) stop() {
	if n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.done:
	case <-time.After(30 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.done
	}
}

// cpuSeconds returns the user+system CPU time of the node process so far.
func (n *benchNode) cpuSeconds() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	fs := strings.Fields(s)
	if len(fs) < 13 {
		return 0
	}
	var ut, st float64
	_, _ = fmt.Sscan(fs[11], &ut)
	_, _ = fmt.Sscan(fs[12], &st)
	return (ut + st) / 100 // USER_HZ
}

func benchNodeOnce(opts *benchNodeOptions, self string, keys []*wallet.Keypair) (*benchNodeResult, error) {
	ctx := opts.ctx
	dir, err := os.MkdirTemp("", "btui-bench-node-")
	if err != nil {
		return nil, err
	}
	if opts.keepDir {
		fmt.Fprintf(opts.f.IO.ErrOut, "bench datadir and node log: %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	g := protocol.DevnetGenesis()
	for _, k := range keys {
		g.Accounts = append(g.Accounts, protocol.GenesisAccount{Address: k.AccountID(), Free: 1_000 * protocol.RaoPerTAO})
	}
	node, err := startBenchNode(ctx, self, dir, g, opts.blockTime)
	if err != nil {
		return nil, err
	}
	defer node.stop()
	// Sign everything before offering load (the node idles meanwhile): nonce r of every
	// account, then nonce r+1.
	total := int(opts.rate * opts.duration.Seconds())
	sink := wallet.AccountID(blake2b.Sum256([]byte("btui-bench-sink")))
	txs, err := benchSignTransfers(node.info.GenesisHash, keys, sink, total)
	if err != nil {
		return nil, err
	}
	index := make(map[wallet.AccountID]int, len(keys))
	for i, k := range keys {
		index[k.AccountID()] = i
	}
	remote, err := chainclient.NewRemote(node.info.URL)
	if err != nil {
		return nil, err
	}
	defer remote.Close()
	sub, err := remote.Subscribe(ctx, chainclient.SubscribeOptions{Buffer: 1024})
	if err != nil {
		return nil, err
	}
	defer sub.Cancel()

	// Per account: the send time of each of its nonces, and how many are included so far.
	n := len(keys)
	sentAt := make([]atomic.Int64, len(txs))
	included := make([]int, n)
	latMs := make([]float64, 0, len(txs))
	var inclCount, blocks int
	var lastIncl time.Time
	allIn := make(chan struct{})
	var readErr error
	stopRead := make(chan struct{})
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		for {
			select {
			case <-stopRead:
				return
			case ev, ok := <-sub.C:
				if !ok {
					readErr = sub.Err()
					return
				}
				now := time.Now()
				got := 0
				for _, e := range ev.Events {
					if e.Module != "balances" || e.Name != "Transfer" || len(e.Accounts) == 0 {
						continue
					}
					a, ok := index[e.Accounts[0]]
					if !ok {
						continue
					}
					// An account's transfers are included in nonce order: this is its next one.
					k := included[a]*n + a
					included[a]++
					if k >= len(txs) {
						continue
					}
					if t := sentAt[k].Load(); t != 0 {
						latMs = append(latMs, float64(now.UnixNano()-t)/1e6)
					}
					got++
				}
				if got > 0 {
					blocks++
					inclCount += got
					lastIncl = now
					if inclCount >= len(txs) {
						close(allIn)
						<-stopRead
						return
					}
				}
			}
		}
	}()

	run := &benchNodeResult{OfferedTxPerS: opts.rate, LoadAtStart: loadAvg()[0]}
	cpu0 := node.cpuSeconds()
	var rejected atomic.Int64
	var firstErr atomic.Value
	type batch struct{ lo, hi int }
	work := make(chan batch, 1024)
	var wg sync.WaitGroup
	for range opts.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				res, err := remote.SubmitBatch(ctx, txs[b.lo:b.hi])
				if err != nil {
					rejected.Add(int64(b.hi - b.lo))
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				for _, r := range res {
					if r.Err != nil {
						rejected.Add(1)
						firstErr.CompareAndSwap(nil, r.Err.Error())
					}
				}
			}
		}()
	}
	start := time.Now()
	sent := 0
	tick := time.NewTicker(opts.tick)
	for sent < len(txs) {
		select {
		case <-ctx.Done():
			close(work)
			return nil, ctx.Err()
		case <-tick.C:
		}
		due := min(int(opts.rate*time.Since(start).Seconds()), len(txs))
		if due > sent {
			// The clock of a transaction starts when it is due, not when a connection is free
			// to send it: a node that falls behind shows it in the latency.
			now := time.Now().UnixNano()
			for i := sent; i < due; i++ {
				sentAt[i].Store(now)
			}
			work <- batch{sent, due}
			sent = due
		}
	}
	tick.Stop()
	sendTime := time.Since(start)
	close(work)
	wg.Wait()
	select {
	case <-allIn:
	case <-readDone:
	case <-time.After(30*time.Second + 8*opts.blockTime):
	}
	close(stopRead)
	<-readDone
	run.NodeCPUSeconds = node.cpuSeconds() - cpu0
	if kb, err := procStatusKiB(node.cmd.Process.Pid, "VmHWM"); err == nil {
		run.NodeRSSPeakMiB = float64(kb) / 1024
	}
	run.LoadAtEnd = loadAvg()[0]
	run.DurationS = sendTime.Seconds()
	run.Sent = sent
	run.SentTxPerS = float64(sent) / sendTime.Seconds()
	run.Rejected = int(rejected.Load())
	if v, ok := firstErr.Load().(string); ok {
		run.FirstSubmitErr = v
	}
	run.Included = inclCount
	run.Blocks = blocks
	if inclCount > 0 {
		run.IncludedTxPerS = float64(inclCount) / lastIncl.Sub(start).Seconds()
	}
	if inclCount < len(txs)-run.Rejected {
		reason := fmt.Sprintf("%d of %d transactions included", inclCount, len(txs))
		if readErr != nil {
			reason += " (head stream: " + readErr.Error() + ")"
		}
		run.IncompleteAfter = reason
	}
	bt := float64(opts.blockTime) / float64(time.Millisecond)
	run.P50Ms, run.P99Ms, run.MaxMs = benchQuantiles(latMs)
	run.P50Blocks, run.P99Blocks, run.MaxBlocks = run.P50Ms/bt, run.P99Ms/bt, run.MaxMs/bt
	return run, nil
}

// benchSignTransfers signs total transfers of 0.001 TAO from keys to sink, round-major (index
// k is account k mod n with nonce k / n), on all cores.
func benchSignTransfers(gh protocol.Hash, keys []*wallet.Keypair, sink wallet.AccountID, total int) ([][]byte, error) {
	n := len(keys)
	out := make([][]byte, total)
	var next atomic.Int64
	var wg sync.WaitGroup
	var errOnce sync.Once
	var firstErr error
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= total {
					return
				}
				a := k % n
				tx := protocol.NewTx(gh, protocol.Transfer{To: sink, Amount: protocol.RaoPerTAO / 1000}, keys[a].AccountID(), uint64(k/n), 0, 0)
				if err := tx.Sign(keys[a]); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				out[k] = tx.Encode()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, errors.Join(errors.New("sign the benchmark transfers"), firstErr)
	}
	return out, nil
}
