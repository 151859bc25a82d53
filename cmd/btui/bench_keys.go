package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/spf13/cobra"
	"github.com/tyler-smith/go-bip39"
	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/wallet"
)

type benchKeysOptions struct {
	f       *Factory
	ctx     context.Context
	n       int
	rounds  int
	peer    bool
	peerDir string
	nodeBin string
}

func newCmdBenchKeys(f *Factory) *cobra.Command {
	opts := &benchKeysOptions{f: f}
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Time ECDSA sign, verify and derive (optionally next to polkadot.js)",
		Long: `Time btui's ECDSA key operations: sign (blake2b-256 of the message, RFC 6979, low-S), verify
(the account that signed) and derive (a key pair from a mnemonic with the path //foo//42 and a
password), with two floors: decred's bare SignCompact on the same digest for sign, and the
derivation's PBKDF2-HMAC-SHA512 (2048 rounds, which every mnemonic derivation must run) alone
for derive. Each round runs --n operations of each kind; medians over --rounds are reported,
in CPU time of the process doing the work (which stays meaningful when other processes share
the machine) and in wall time.

With --peer the same operations run in polkadot.js's @polkadot/util-crypto under node,
interleaved with btui's round by round, and the report gives the ratios of CPU times (btui's
speed-up over polkadot.js); polkadot.js's derive over the PBKDF2 floor is the largest derive
speed-up any implementation can reach on the machine. Both sides first derive the same key
and must agree on its public key. The packages are not shipped with btui: install them once
into a directory and pass it with --peer-dir (default: the current directory):

  npm install --prefix DIR @polkadot/util-crypto@14 @polkadot/util@14`,
		Example: `  btui bench keys
  btui bench keys --peer --peer-dir ~/pjs --rounds 7 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if opts.n < 1 || opts.rounds < 1 {
				return usageErrorf("--n and --rounds must be at least 1")
			}
			return benchKeysRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.n, "n", 2000, "operations of each kind per round")
	cmd.Flags().IntVar(&opts.rounds, "rounds", 5, "rounds (medians are reported)")
	cmd.Flags().BoolVar(&opts.peer, "peer", false, "also run polkadot.js util-crypto under node, interleaved")
	cmd.Flags().StringVar(&opts.peerDir, "peer-dir", ".", "directory whose node_modules holds @polkadot/util-crypto")
	cmd.Flags().StringVar(&opts.nodeBin, "node-bin", "node", "the node.js executable for --peer")
	return cmd
}

// benchKeysSURI is the derivation both sides time: a public test mnemonic, two hard junctions
// and a password.
const benchKeysSURI = "crowd swamp sniff machine grid pretty client emotion banana cricket flush soap//foo//42///password"

var benchKeysMsg = []byte("hello bittensor: a short signing payload")

type benchKeysOp struct {
	Op             string  `json:"op"`
	BtuiOpsPerS    float64 `json:"btui_ops_per_cpu_s"`
	BtuiUsPerOp    float64 `json:"btui_cpu_us_per_op"`
	BtuiWallUs     float64 `json:"btui_wall_us_per_op"`
	PeerOpsPerS    float64 `json:"peer_ops_per_cpu_s,omitempty"`
	PeerUsPerOp    float64 `json:"peer_cpu_us_per_op,omitempty"`
	PeerWallUs     float64 `json:"peer_wall_us_per_op,omitempty"`
	RatioVsPeer    float64 `json:"btui_speedup_vs_peer,omitempty"`
	ratios, us     []float64
	wall, peerWall []float64
	peerUs         []float64
	hasPeerValue   bool
}

type benchKeysReport struct {
	Benchmark   string         `json:"benchmark"`
	Command     string         `json:"command"`
	Machine     *benchMachine  `json:"machine"`
	N           int            `json:"n"`
	Rounds      int            `json:"rounds"`
	Peer        string         `json:"peer,omitempty"`
	Ops         []*benchKeysOp `json:"ops"`
	SignVsFloor float64        `json:"sign_time_over_signcompact"`
	// DeriveFloorUs is the CPU time of the derivation's PBKDF2-HMAC-SHA512 alone (the same
	// entropy, salt and 2048 rounds); DeriveFloorShare is derive's time over it.
	DeriveFloorUs    float64 `json:"derive_pbkdf2_floor_cpu_us"`
	DeriveFloorShare float64 `json:"derive_time_over_pbkdf2_floor"`
	// PeerDeriveOverFloor is polkadot.js's derive CPU time over the PBKDF2 floor (median of the
	// per-round ratios): the largest derive speed-up over polkadot.js any sound implementation
	// can reach here.
	PeerDeriveOverFloor float64 `json:"peer_derive_over_pbkdf2_floor,omitempty"`
}

func benchKeysRun(opts *benchKeysOptions) error {
	f := opts.f
	rep := &benchKeysReport{Benchmark: "keys", Command: "btui " + strings.Join(os.Args[1:], " "),
		Machine: newBenchMachine(), N: opts.n, Rounds: opts.rounds}
	kp, err := wallet.FromSURI(benchKeysSURI)
	if err != nil {
		return err
	}
	defer kp.Zero()
	sig := kp.Sign(benchKeysMsg)
	id := kp.AccountID()
	seed := kp.Seed()
	priv := secp256k1.PrivKeyFromBytes(seed[:])
	clear(seed[:])
	defer priv.Zero()
	digest := blake2b.Sum256(benchKeysMsg)
	floor, err := newBenchDeriveFloor()
	if err != nil {
		return err
	}

	var peer *benchPeer
	if opts.peer {
		peer, err = startBenchPeer(opts)
		if err != nil {
			return err
		}
		defer peer.close()
		if peer.pub != kp.PublicKey().Hex() {
			return fmt.Errorf("polkadot.js derived public key %s from the benchmark SURI, btui %s: the two would not be doing the same work", peer.pub, kp.PublicKey().Hex())
		}
		rep.Peer = "@polkadot/util-crypto " + peer.version + " on node " + peer.nodeVersion
	}
	ours := map[string]func() error{
		"sign": func() error { _ = kp.Sign(benchKeysMsg); return nil },
		"verify": func() error {
			return wallet.Verify(benchKeysMsg, sig, id)
		},
		"derive": func() error {
			k, err := wallet.FromSURI(benchKeysSURI)
			if err == nil {
				k.Zero()
			}
			return err
		},
		"decred-signcompact": func() error { _ = ecdsa.SignCompact(priv, digest[:], true); return nil },
	}
	names := []string{"sign", "decred-signcompact", "verify", "derive"}
	for _, name := range names {
		rep.Ops = append(rep.Ops, &benchKeysOp{Op: name})
	}
	var floorUs, floorRatios []float64
	for range opts.rounds {
		var peerDeriveUs float64
		for _, op := range rep.Ops {
			fn := ours[op.Op]
			c0, t0 := processCPUNanos(), time.Now()
			for range opts.n {
				if err := fn(); err != nil {
					return fmt.Errorf("%s: %w", op.Op, err)
				}
			}
			us := float64(processCPUNanos()-c0) / 1e3 / float64(opts.n)
			op.us = append(op.us, us)
			op.wall = append(op.wall, float64(time.Since(t0).Nanoseconds())/1e3/float64(opts.n))
			if peer != nil && op.Op != "decred-signcompact" {
				pus, pwall, err := peer.run(op.Op, opts.n)
				if err != nil {
					return err
				}
				op.peerUs = append(op.peerUs, pus)
				op.peerWall = append(op.peerWall, pwall)
				op.ratios = append(op.ratios, pus/us)
				op.hasPeerValue = true
				if op.Op == "derive" {
					peerDeriveUs = pus
				}
			}
		}
		c0 := processCPUNanos()
		for range opts.n {
			if err := floor.run(); err != nil {
				return fmt.Errorf("pbkdf2 floor: %w", err)
			}
		}
		us := float64(processCPUNanos()-c0) / 1e3 / float64(opts.n)
		floorUs = append(floorUs, us)
		if peer != nil {
			floorRatios = append(floorRatios, peerDeriveUs/us)
		}
	}
	rep.DeriveFloorUs = benchMedian(floorUs)
	if len(floorRatios) > 0 {
		rep.PeerDeriveOverFloor = benchMedian(floorRatios)
	}
	var signUs, signFloorUs float64
	for _, op := range rep.Ops {
		op.BtuiUsPerOp = benchMedian(op.us)
		op.BtuiOpsPerS = 1e6 / op.BtuiUsPerOp
		op.BtuiWallUs = benchMedian(op.wall)
		if op.hasPeerValue {
			op.PeerWallUs = benchMedian(op.peerWall)
			op.PeerUsPerOp = benchMedian(op.peerUs)
			op.PeerOpsPerS = 1e6 / op.PeerUsPerOp
			op.RatioVsPeer = benchMedian(op.ratios)
		}
		switch op.Op {
		case "sign":
			signUs = op.BtuiUsPerOp
		case "decred-signcompact":
			signFloorUs = op.BtuiUsPerOp
		case "derive":
			rep.DeriveFloorShare = op.BtuiUsPerOp / rep.DeriveFloorUs
		}
	}
	rep.SignVsFloor = signUs / signFloorUs
	rep.Machine.done()
	if f.Opts.JSON {
		return walletPrintJSON(f.IO.Out, rep)
	}
	w := f.IO.Out
	fmt.Fprintf(w, "ECDSA (secp256k1), %d rounds of %d operations, medians of CPU time per operation (wall time):\n", opts.rounds, opts.n)
	for _, op := range rep.Ops {
		fmt.Fprintf(w, "  %-19s btui %7.1f µs (%7.1f)", op.Op, op.BtuiUsPerOp, op.BtuiWallUs)
		if op.hasPeerValue {
			fmt.Fprintf(w, "   polkadot.js %7.1f µs (%7.1f)   btui %.2f× faster", op.PeerUsPerOp, op.PeerWallUs, op.RatioVsPeer)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  sign takes %.2f× the CPU time of decred's bare SignCompact\n", rep.SignVsFloor)
	fmt.Fprintf(w, "  derive takes %.2f× the CPU time of its PBKDF2-HMAC-SHA512 alone (%.1f µs)", rep.DeriveFloorShare, rep.DeriveFloorUs)
	if rep.PeerDeriveOverFloor > 0 {
		fmt.Fprintf(w, "; polkadot.js's derive is %.2f× that floor, the most any derive can gain here", rep.PeerDeriveOverFloor)
	}
	fmt.Fprintln(w)
	if rep.Peer != "" {
		fmt.Fprintf(w, "peer: %s (ratios are medians of the per-round ratios)\n", rep.Peer)
	}
	rep.Machine.print(w)
	return nil
}

// benchDeriveFloor is the PBKDF2-HMAC-SHA512 of the benchmark derivation on its own: the
// mnemonic's entropy as the password, "mnemonic" + the SURI's password as the salt, 2048
// rounds, 64 bytes (substrate-bip39), computed with the same standard-library function the
// wallet uses.
type benchDeriveFloor struct {
	entropy string
	salt    []byte
}

func newBenchDeriveFloor() (*benchDeriveFloor, error) {
	s, err := wallet.ParseSURI(benchKeysSURI)
	if err != nil {
		return nil, err
	}
	entropy, err := bip39.EntropyFromMnemonic(s.Phrase)
	if err != nil {
		return nil, err
	}
	f := &benchDeriveFloor{entropy: string(entropy), salt: []byte("mnemonic" + s.Password)}
	// The floor must be the wallet's own first step: its first 32 bytes are the root secret.
	out, err := pbkdf2.Key(sha512.New, f.entropy, f.salt, 2048, 64)
	if err != nil {
		return nil, err
	}
	root, err := wallet.FromSURI(s.Phrase + "///" + s.Password)
	if err != nil {
		return nil, err
	}
	defer root.Zero()
	seed := root.Seed()
	defer clear(seed[:])
	if !bytes.Equal(seed[:], out[:32]) {
		return nil, fmt.Errorf("the PBKDF2 floor does not reproduce the wallet's root secret: it would not time the same work")
	}
	return f, nil
}

func (f *benchDeriveFloor) run() error {
	_, err := pbkdf2.Key(sha512.New, f.entropy, f.salt, 2048, 64)
	return err
}

// benchPeerScript runs polkadot.js's util-crypto operations on request: each stdin line
// "OP N" is answered with the CPU and wall microseconds per operation of N runs of OP.
const benchPeerScript = `
const path = require('path');
const { createRequire } = require('module');
const req = createRequire(path.join(path.resolve(process.argv[1]), 'package.json'));
const uc = req('@polkadot/util-crypto');
const version = uc.packageInfo.version;
const suri = process.argv[2];
const msg = new TextEncoder().encode(process.argv[3]);
function derive() {
  const { phrase, path: p, password } = uc.keyExtractSuri(suri);
  const seed = uc.mnemonicToMiniSecret(phrase, password);
  return uc.keyFromPath(uc.secp256k1PairFromSeed(seed), p, 'ecdsa');
}
uc.cryptoWaitReady().then(() => {
  const pair = derive();
  const sig = uc.secp256k1Sign(msg, pair, 'blake2');
  const who = uc.blake2AsU8a(pair.publicKey);
  if (!uc.secp256k1Verify(msg, sig, who, 'blake2')) throw new Error('self-check: verify failed');
  const ops = {
    sign: () => uc.secp256k1Sign(msg, pair, 'blake2'),
    verify: () => { if (!uc.secp256k1Verify(msg, sig, who, 'blake2')) throw new Error('verify failed'); },
    derive: () => derive(),
  };
  process.stdout.write('ready ' + Buffer.from(pair.publicKey).toString('hex') + ' ' + version + ' ' + process.version + '\n');
  let buf = '';
  process.stdin.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const [op, n] = buf.slice(0, i).split(' ');
      buf = buf.slice(i + 1);
      const f = ops[op];
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      for (let k = 0; k < Number(n); k++) f();
      const c = process.cpuUsage(c0);
      const wall = Number(process.hrtime.bigint() - t0) / 1000 / Number(n);
      process.stdout.write((c.user + c.system) / Number(n) + ' ' + wall + '\n');
    }
  });
});
`

type benchPeer struct {
	cmd         *exec.Cmd
	in          io.WriteCloser
	out         *bufio.Reader
	pub         string
	version     string
	nodeVersion string
}

func startBenchPeer(opts *benchKeysOptions) (*benchPeer, error) {
	dir, err := filepath.Abs(opts.peerDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@polkadot", "util-crypto", "package.json")); err != nil {
		return nil, usageErrorf("--peer needs @polkadot/util-crypto under %s/node_modules: install it with npm install --prefix %s @polkadot/util-crypto@14 @polkadot/util@14, or point --peer-dir at a directory that has it", dir, dir)
	}
	if _, err := exec.LookPath(opts.nodeBin); err != nil {
		return nil, usageErrorf("--peer needs node.js: %q is not on PATH (install node, or pass --node-bin)", opts.nodeBin)
	}
	cmd := exec.CommandContext(opts.ctx, opts.nodeBin, "-e", benchPeerScript, dir, benchKeysSURI, string(benchKeysMsg))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start node: %w", err)
	}
	p := &benchPeer{cmd: cmd, in: in, out: bufio.NewReader(out)}
	line, err := p.out.ReadString('\n')
	fs := strings.Fields(line)
	if err != nil || len(fs) != 4 || fs[0] != "ready" {
		p.close()
		return nil, fmt.Errorf("the polkadot.js peer did not start (%q, %v)", line, err)
	}
	if _, err := hex.DecodeString(fs[1]); err != nil {
		p.close()
		return nil, fmt.Errorf("the polkadot.js peer sent a bad public key %q", fs[1])
	}
	p.pub, p.version, p.nodeVersion = "0x"+fs[1], fs[2], fs[3]
	return p, nil
}

// run asks the peer to time n runs of op and returns its CPU and wall µs per operation.
func (p *benchPeer) run(op string, n int) (cpuUs, wallUs float64, err error) {
	if _, err := fmt.Fprintf(p.in, "%s %d\n", op, n); err != nil {
		return 0, 0, fmt.Errorf("polkadot.js peer: %w", err)
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		return 0, 0, fmt.Errorf("polkadot.js peer (%s): %w", op, err)
	}
	fs := strings.Fields(line)
	if len(fs) != 2 {
		return 0, 0, fmt.Errorf("polkadot.js peer (%s): unexpected answer %q", op, line)
	}
	if cpuUs, err = strconv.ParseFloat(fs[0], 64); err == nil {
		wallUs, err = strconv.ParseFloat(fs[1], 64)
	}
	return cpuUs, wallUs, err
}

func (p *benchPeer) close() {
	_ = p.in.Close()
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}
