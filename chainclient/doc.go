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
//
// # A subtensor node
//
// Subtensor (DialSubtensor) is a third Client, over a real subtensor node (finney, testnet, a
// local one). It reads what the bittensor SDK reads, so that btui's tests replay the SDK's
// recorded finney traffic (testdata/subtensor) and fail on any other request: the head as
// get_current_block reads it (chain_getHead, then its header), the subnet listing as
// get_all_subnets_info (get_subnets_info_v2 and Swap.AlphaSqrtPrice, the price being the
// square of that U64F64, exactly), one subnet from its selective mechagraph, balances from
// System.Account, blocks and events from chain_getBlock and System.Events, the number of
// subnets from TotalNetworks. What a read does not hold is not invented: the protocol fields
// it leaves zero are named (ChainInfoUnreadOnSubtensor, SubnetsUnreadOnSubtensor,
// HeaderUnreadOnSubtensor, HyperparamsUnknownOnSubtensor), and the commands leave them out of
// their JSON (naming them in "not_read") and say "not read" in text, the console shows "–". A
// value the node answers with an error for (a pruned state; a replay without it) is reported
// as not read where the rest of an answer stands (NodeAnswered): a head whose block cannot be
// read is delivered from its header and named by Subscription.TakeWarning. The devnet's
// controls (clock, faucet, snapshots, simulation) return ErrDevnetOnly.
package chainclient
