package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/chainclient/rpcserver"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

// defaultListen is where `btui node` serves unless --listen says otherwise.
const defaultListen = "127.0.0.1:9944"

type nodeOptions struct {
	f              *Factory
	ctx            context.Context
	listen         string
	unsafeExternal bool
	blockTime      time.Duration
}

func newCmdNode(f *Factory, runF func(*nodeOptions) error) *cobra.Command {
	opts := &nodeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Serve the devnet over HTTP on loopback until interrupted",
		Long: `Run the devnet at --datadir with its block producer and serve it to other btui processes and
scripts: JSON over HTTP for queries and signed transaction bytes (single and batch), server-sent
events for new heads and their events, /health and /ready for scripts (docs/rpc.md). Other
btui commands reach it with --node http://127.0.0.1:9944 (or BTUI_NODE). No key material ever
crosses the wire: clients sign locally.

The node listens on loopback only; a non-loopback --listen address needs --unsafe-external
(calls from other machines then need the token, which crosses the network unencrypted). Control
calls (reset, restore, snapshot, pause, resume, advance, genesis, and sudo transactions such
as the faucet) need the token the node writes to <datadir>/node.token at each start (0600):
btui on this machine sends it by itself; scripts send "Authorization: Bearer $(cat
<datadir>/node.token)". Requests from web pages (a foreign Origin or Host) are refused. --block-time sets the producer interval (0: blocks only on demand: advance, and the
block a submit-and-wait seals). SIGINT or SIGTERM stops it gracefully: the block in progress is
finished, subscribers are told, the database is closed.

With --json, one JSON document describing the running node is printed on stdout once it
listens: {"url", "datadir", "block_time_ms", "pid", "height", "genesis_hash"}.`,
		Example: `  btui node
  btui node --datadir ./devnet --listen 127.0.0.1:9955 --block-time 1s
  btui node --block-time 0 --json`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if opts.blockTime < 0 {
				return usageErrorf("--block-time %v is negative: use 0 for blocks only on demand", opts.blockTime)
			}
			if runF != nil {
				return runF(opts)
			}
			return nodeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.listen, "listen", defaultListen, "address to serve on (host:port; port 0 picks a free one)")
	cmd.Flags().BoolVar(&opts.unsafeExternal, "unsafe-external", false, "allow a non-loopback --listen address (other machines then need the token, sent over plain HTTP)")
	cmd.Flags().DurationVar(&opts.blockTime, "block-time", localchain.DefaultBlockTime, "block producer interval (0: blocks only on demand)")
	return cmd
}

// nodeJSON is the stable output of `btui node --json`.
type nodeJSON struct {
	URL         string        `json:"url"`
	DataDir     string        `json:"datadir"`
	BlockTimeMs int64         `json:"block_time_ms"`
	PID         int           `json:"pid"`
	Height      uint64        `json:"height"`
	GenesisHash protocol.Hash `json:"genesis_hash"`
}

// checkListen refuses a non-loopback address unless allowed; it reports whether the address
// is external.
func checkListen(addr string, allowExternal bool) (external bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, usageErrorf("--listen %q: %v (write host:port, such as 127.0.0.1:9944)", addr, err)
	}
	if n, perr := strconv.ParseUint(port, 10, 16); perr != nil || n > 65535 {
		return false, usageErrorf("--listen %q: the port must be a number from 0 to 65535 (0 picks a free one)", addr)
	}
	if host == "localhost" {
		return false, nil
	}
	ip := net.ParseIP(host)
	if ip != nil && ip.IsLoopback() {
		return false, nil
	}
	if !allowExternal {
		return true, usageErrorf("--listen %q is not a loopback address: the node API is plain HTTP and its token would cross the network unencrypted; pass --unsafe-external to serve it anyway", addr)
	}
	return true, nil
}

func nodeRun(opts *nodeOptions) error {
	f := opts.f
	external, err := checkListen(opts.listen, opts.unsafeExternal)
	if err != nil {
		return err
	}
	if u := f.NodeURL(); u != "" {
		return usageErrorf("btui node serves the embedded devnet at --datadir; drop --node %s (and BTUI_NODE)", u)
	}
	// SIGTERM stops the node like Ctrl-C does.
	ctx, stop := signal.NotifyContext(opts.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir := f.DataDir()
	chainOpts := append(append([]localchain.Option(nil), f.ChainOptions...), localchain.WithBlockTime(opts.blockTime))
	emb, err := chainclient.OpenEmbedded(dir, chainOpts...)
	if err != nil {
		return err
	}
	chain := emb.Chain()
	defer func() {
		if err := emb.Close(); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "close devnet: %v\n", err)
		}
	}()
	l, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.listen, err)
	}
	url := "http://" + l.Addr().String()
	// The control token: a new one each start, readable only by this user. btui on this
	// machine finds it through /health; scripts read it from the file (docs/rpc.md).
	token, tokenFile, err := chainclient.WriteNodeToken(dir)
	if err != nil {
		l.Close()
		return err
	}
	defer os.Remove(tokenFile)

	logger := slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: slog.LevelInfo}))
	for _, lo := range chain.Leftovers() {
		logger.Info("removed a file left by an interrupted run", "path", lo.Path, "bytes", lo.Size)
	}
	var allowed []string
	if host, _, err := net.SplitHostPort(opts.listen); err == nil && host != "" {
		allowed = append(allowed, host)
	}
	srv := rpcserver.New(emb, rpcserver.Options{Logger: logger, Token: token, TokenFile: tokenFile, AllowedHosts: allowed})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	if err := chain.Start(); err != nil {
		_ = srv.Shutdown(context.Background())
		return err
	}

	head := chain.Head()
	if external {
		fmt.Fprintf(f.IO.ErrOut, "WARNING: serving on %s, reachable from other machines over plain HTTP: their calls need the token in %s, which then crosses the network unencrypted\n", l.Addr(), tokenFile)
	}
	producer := "blocks only on demand"
	if opts.blockTime > 0 {
		producer = "a block every " + opts.blockTime.String()
	}
	if chain.Paused() {
		producer += " (paused: btui devnet resume --node " + url + ")"
	}
	fmt.Fprintf(f.IO.ErrOut, "btui node: devnet %s at height %d, %s\nserving %s (use --node %s); Ctrl-C to stop\n",
		dir, head.Height, producer, url, url)
	if f.Opts.JSON {
		if err := chainPrintJSON(f.IO.Out, nodeJSON{URL: url, DataDir: dir, BlockTimeMs: opts.blockTime.Milliseconds(),
			PID: os.Getpid(), Height: head.Height, GenesisHash: chain.GenesisHash()}); err != nil {
			logger.Warn("print node description", "error", err)
		}
	}
	// node.url last: once it exists the node serves, with its token in place.
	urlFile := filepath.Join(dir, chainclient.NodeURLFile)
	if err := os.WriteFile(urlFile, []byte(url+"\n"), 0o600); err != nil {
		_ = srv.Shutdown(context.Background())
		return fmt.Errorf("record the node url: %w", err)
	}
	defer os.Remove(urlFile)

	// Run until a signal, the server failing, or the producer stopping on a fault.
	var runErr error
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case <-ctx.Done():
			break wait
		case err := <-served:
			runErr = fmt.Errorf("node server stopped: %w", err)
			served <- err
			break wait
		case <-tick.C:
			if err := chain.ProducerErr(); err != nil {
				runErr = err
				break wait
			}
		}
	}
	fmt.Fprintln(f.IO.ErrOut, "btui node: shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		logger.Warn("shutdown", "error", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) && runErr == nil {
		runErr = err
	}
	chain.Stop() // finish the block in progress
	fmt.Fprintf(f.IO.ErrOut, "btui node: stopped at height %d\n", chain.Head().Height)
	return runErr
}
