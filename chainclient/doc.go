// Package chainclient is the only way the CLI and the TUI talk to a chain: one Client
// interface with an embedded implementation over localchain and a remote one over the
// loopback HTTP API of `btui node` (docs/rpc.md).
//
//	c, err := chainclient.OpenEmbedded(dir)          // the devnet database, in process
//	c, err := chainclient.NewRemote("127.0.0.1:9944") // a running `btui node`
//	defer c.Close()
//
//	info, _ := c.Info(ctx)
//	tx, _ := chainclient.Sign(ctx, c, keypair, protocol.Transfer{To: to, Amount: rao}, chainclient.SignOptions{})
//	res, _ := c.SubmitAndWait(ctx, tx) // seals a block on demand when no producer runs
//	if !res.Receipt.OK() { ... }       // included, but the call failed: code and message
//
//	sub, _ := c.Subscribe(ctx, chainclient.SubscribeOptions{})
//	for head := range sub.C { ... }    // every head once, in order; never stalls the producer
//
//	sim, _ := c.Simulate(ctx, call, signer) // a dry run: receipt, events, balance/stake changes
//
// Client is one interface: Querier (the core and the subtensor module views) + Submitter
// (with Simulate) + Subscriber + Devnet. Both implementations return protocol's wire types and errors
// (protocol.ErrNotFound, *protocol.TxError with its code, protocol.ErrClosed), so callers
// handle them the same way; the contract tests run one suite against both. Signing happens in
// the caller's process (Sign): no key material crosses the interface or the wire.
//
// The HTTP server lives in the rpcserver subpackage.
package chainclient
