// Package localchain is the embedded devnet: a single-authority, deterministic chain in one bbolt
// file, with signed transactions, a transaction pool, a block producer and the wire types that
// `btui node` serves. See spec/chain.md for what it models and docs/transactions.md for the
// transaction format.
//
// # API
//
// Opening and closing:
//
//	Open(dir, opts...) (*Chain, error)        // WithBlockTime, WithGenesis, WithLockTimeout, WithNoSync,
//	                                          // WithPoolLimits, WithBlockLimits, WithVerifyWorkers
//	(*Chain).Close() error
//
// Transactions (built and signed client-side; no key material reaches the chain):
//
//	NewTx(genesis, call, signer, nonce, tip, expiry) *Tx; (*Tx).Sign(kp); (*Tx).Encode() []byte
//	DecodeTx(b) (*Tx, error); (*Tx).Hash(); (*Tx).VerifySignature()
//	calls: Transfer{To, Amount, AllowDeath} (balances.transfer), Faucet{To, Amount} (sudo.faucet)
//	(*Chain).CheckTx(b) (*Tx, error)               // stateless checks + nonce/fee against state
//	(*Chain).Submit(b) (TxHash, error)             // CheckTx, then the pool
//	(*Chain).SubmitBatch([][]byte) []SubmitResult  // signatures verified on all cores
//	(*Chain).WaitTx(ctx, hash) / SubmitAndWait(ctx, b) / SubmitAndSeal(ctx, b) (*TxInfo, error)
//	(*Chain).NextNonce(account); IsPending(hash)
//
// Queries (copies out of a read transaction):
//
//	Info() ChainInfo; Head(); Account(id); Block(h); BlockByHash(hash); Blocks(from, n);
//	Tx(hash); Events(from, to); AccountHistory(id, before, limit); Genesis(); ExportGenesis();
//	GenesisHash(); Check()
//
// Subscriptions: Subscribe(bufferSize) (<-chan HeadEvent, cancel) — one HeadEvent per committed
// block with its events; a full buffer skips heads for that subscriber (HeadEvent.Missed) and
// never stalls the producer.
//
// Producer: Start(), Stop(), SetBlockTime(d), Pause(), Resume(), Paused(), SealNow(ctx),
// Advance(ctx, n, progress), ProducerErr().
//
// Devnet operations: DevFaucet(ctx, to, amount), Snapshot(name), Snapshots(), Restore(name),
// DeleteSnapshot(name), Reset(genesis), Replay(ctx, dir); DevnetGenesis(), ParseGenesis(json).
//
// Errors: sentinels in errors.go; every transaction-level outcome has a stable Code (codes.go)
// carried by a *TxError (rejections; CodeOf extracts it) or a Receipt (included transactions).
// Open fails with *InUseError (errors.Is ErrInUse) when another process holds the database.
//
// Helpers: ParseHash, FormatTAO, Calls() (every registered call), SigningMessage, Encoder and
// Decoder (the argument layout of docs/transactions.md).
//
// # Lifecycle (ABCI shape)
//
// CheckTx (Submit): strict decode, size, chain, expiry, call arguments (Call.Validate),
// signature, then nonce and fee against committed state; the pool orders what passes.
// A block (execBlock) is ONE bbolt write transaction: every module's BlockStep, then each
// transaction in block order (pre-checks, fee and tip burned, nonce bumped, the call with an
// undo journal), then body, receipts, events, indexes, header and head. A call failure is a
// failure receipt with a Code (fee paid, nonce bumped, nothing else changed); only
// infrastructure faults are Go errors, which roll the block back and stop the producer.
// Timestamps are logical (genesis time + height × Genesis.BlockTimeMs); execution never reads
// the wall clock.
//
// # Module shape (how the subtensor modules plug in)
//
// A module is a Module value returned by a constructor and listed in modules() (module.go):
//
//	func stakingModule() Module {
//		return Module{
//			Name:    "subtensor",
//			Buckets: [][]byte{bucketStake},          // "s."-prefixed, layout documented with the schema
//			Calls: []CallSpec{
//				NewCallSpec("add_stake", decodeAddStake, applyAddStake),
//			},
//			BlockStep:   stakingBlockStep,             // runs before the block's transactions
//			InitGenesis: stakingGenesis,               // reads Genesis.Modules["subtensor"]
//			HeldTAO:     stakedTAO,                    // counted by the issuance invariant
//			Invariants:  []Invariant{{"pools", checkPools}},
//		}
//	}
//
// A call is a struct implementing Call (CallName, EncodeArgs with Encoder, Validate for the
// stateless checks that reject it before the pool) plus a decoder reading the same fields with
// Decoder. A handler reads like a checklist, as x/bank's msg server does:
//
//	func applyAddStake(ctx *CallContext, c AddStake) error {
//		// 1. validate: done by c.Validate (stateless) before execution
//		// 2. preconditions: read state with typed helpers taking ctx.Tx() (*bbolt.Tx) first;
//		//    on failure return Fail(CodeXxx, "what was wrong and what to do")
//		// 3. mutate: typed helpers taking ctx.State (*StateTx) first
//		// 4. emit: ctx.Emit(module, name, attrs, accounts...)
//		return nil
//	}
//
// Writes go only through *StateTx (Put/Delete) so they enter the block's write set (hashed
// into the header's state digest) and the call's undo journal (a handler that returns Fail
// after mutating leaves no trace). Amounts are uint64 rao with checked arithmetic; no floats,
// no map iteration without sorting, no clocks. Codes go in codes.go in the module's range.
package localchain
