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
//     delegates, registration cost, blocks and events.
//   - Extrinsics (extrinsic.go): extensions walked from the metadata, era, signing through the
//     Signer interface, decoding for review.
package substrate
