// Package protocol is the chain's language, shared by the chain (localchain), its clients
// (chainclient, ops, sim, the console and the CLI) and the node API: everything both sides of
// a transaction or a query must agree on, and nothing that needs state. It imports only wallet.
//
//   - wire.go: Hash, TxHash, ParseHash and the core wire types.
//   - encoding.go: Encoder and Decoder, the argument layout of docs/transactions.md (big-endian
//     integers, bool 0/1, 32-byte account ids, u16-length-prefixed strings and vectors; strict
//     decoding that fails with CodeMalformed/CodeTrailingBytes).
//   - tx.go: the envelope (Tx, NewTx, Sign, Encode, DecodeTx, Hash) and its signing bytes
//     (SigningMessage), the Call interface and CallName.
//   - calls.go: the decode table (every call by name) and DecodeCall/Calls; each call's
//     struct, EncodeArgs, decoder and stateless Validate stand side by side in the calls_*.go
//     file of its module (calls_balances.go, calls_subtensor.go).
//   - codes.go, codes_subtensor.go, errors.go: result codes (Code), TxError, Fail/Reject,
//     CodeOf, the rejection sentinels and the query/infrastructure sentinels (ErrNotFound, ...).
//   - wire.go, wire_subtensor.go, hyperparams.go, genesis.go: the wire types the node serves
//     as JSON (ChainInfo, Block, TxInfo, Event, Receipt, SubnetInfo, Metagraph, Hyperparams,
//     Genesis, Params, ...). JSON field names are node API: add fields, never rename them.
//   - amount.go: RaoPerTAO (the one definition outside mechanism), Amount, and the one TAO
//     grammar: ParseTAO, TAODecimal, FormatTAO (docs/json.md, "Amounts of TAO").
//
// Adding a call: its struct with CallName/EncodeArgs/Validate and its decoder in the module's
// calls_*.go, one entry(...) line in calls.go, its codes in the module's codes file; the chain
// side is a handler registered with localchain.Handle (docs/architecture.md).
package protocol
