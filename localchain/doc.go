// Package localchain is the embedded devnet, the server side only: a single-authority,
// deterministic chain in one bbolt file (schema, state, executor, transaction pool, block
// producer, call handlers and queries). The language it speaks (transactions, calls, codes,
// wire types, amounts) is package protocol; the rules' arithmetic is package mechanism. See spec/chain.md for what it models and docs/transactions.md for the
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
// Transactions (built and signed client-side with protocol.NewTx; no key material reaches
// the chain):
//
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
// Errors: protocol's sentinels; every transaction-level outcome has a stable protocol.Code
// carried by a *protocol.TxError (rejections) or a Receipt (included transactions). Open fails
// with *protocol.InUseError (errors.Is protocol.ErrInUse) when another process holds the
// database. Calls() lists the calls this chain executes (the same set protocol decodes).
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
//				Handle(applyAddStake),             // the call's name comes from protocol.AddStake
//			},
//			BlockStep:   stakingBlockStep,             // runs before the block's transactions
//			InitGenesis: stakingGenesis,               // reads Genesis.Modules["subtensor"]
//			HeldTAO:     stakedTAO,                    // counted by the issuance invariant
//			Invariants:  []Invariant{{"pools", checkPools}},
//		}
//	}
//
// A call is a protocol struct implementing protocol.Call (CallName, EncodeArgs, Validate for
// the stateless checks that reject it before the pool) with its decoder beside it in
// protocol's decode table. A handler reads like a checklist, as x/bank's msg server does:
//
//	func applyAddStake(ctx *CallContext, c protocol.AddStake) error {
//		// 1. validate: done by c.Validate (stateless) before execution
//		// 2. preconditions: read state with typed helpers taking ctx.Tx() (*bbolt.Tx) first;
//		//    on failure return protocol.Fail(protocol.CodeXxx, "what was wrong and what to do")
//		// 3. mutate: typed helpers taking ctx.State (*StateTx) first
//		// 4. emit: ctx.Emit(module, name, attrs, accounts...)
//		return nil
//	}
//
// Writes go only through *StateTx (Put/Delete) so they enter the block's write set (hashed
// into the header's state digest) and the call's undo journal (a handler that returns Fail
// after mutating leaves no trace). Amounts are uint64 rao with checked arithmetic; no floats,
// no map iteration without sorting, no clocks. Codes go in protocol's codes files, in the
// module's range.
package localchain
