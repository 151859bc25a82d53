// Package substrate makes btui a client of a real subtensor node (finney, testnet, an archive
// node or a local node): JSON-RPC 2.0 over one websocket, metadata V14/V15, reads through the
// runtime APIs and storage the bittensor SDK uses, and v4 signed extrinsics.
//
// Layers, bottom up:
//
//   - Transport (rpc.go): WS multiplexes calls and subscriptions by id over one
//     github.com/coder/websocket connection and redials with backoff, re-issuing head
//     subscriptions without delivering a notification twice. Replay (replay.go) answers from
//     recorded node traffic; an unrecorded request is an error that names it.
//   - SCALE (sub-package scale) and the portable type registry of the metadata (metadata.go,
//     types.go): every type the runtime describes can be decoded generically (Value) or bound
//     by field name into Go views (bind.go), so a runtime that adds or widens fields keeps
//     working, and one that drops a field btui needs fails closed at connect with
//     "runtime N changed X.y".
//   - Client (client.go, reads.go): connect-time checks, balances, subnets, metagraphs, stake,
//     delegates, registration cost, blocks and events with dispatch errors named from metadata.
//   - Extrinsics (encode.go, extrinsic.go, submit.go): calls encoded from arguments named as in
//     the metadata, extensions walked from the metadata (an unknown one that carries data is
//     refused), mortal or immortal era, signing through the Signer interface (ECDSA from the
//     wallet; sr25519 plugs in through the same interface), decoding for review, submission
//     with the outcome read from the inclusion block's events.
//   - ReplayHandler (replayserver.go) serves recordings as a websocket node on loopback;
//     ReplayHandlerHook lets a per-connection hook answer a request first (answers that depend
//     on what a test submits) and push notifications to that connection.
//
// Typical use (what the commands and the console call, usually through
// chainclient.Subtensor):
//
//	t, _ := substrate.DialWS(ctx, "wss://entrypoint-finney.opentensor.ai:443", substrate.WSOptions{})
//	c, _ := substrate.Connect(ctx, t, substrate.ConnectOptions{})
//	mg, _ := c.Metagraph(ctx, 1, 0, nil, nil)
//	m := c.Metadata()
//	call, _ := m.EncodeCall("SubtensorModule", "add_stake", map[string]any{"hotkey": hk, "netuid": 1, "amount_staked": 1_000_000_000})
//	x, _ := m.BuildSigned(call, substrate.TxParams{...}, substrate.ECDSASigner(keypair))
//	fee, _ := c.QueryInfo(ctx, x.Bytes, nil)
//	out, _ := c.SubmitAndWatch(ctx, x.Bytes, false, nil)
package substrate
