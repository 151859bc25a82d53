package chainclient

import (
	"context"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Querier is the read side of a chain. Every method copies its result out of the chain; the
// caller may keep and modify it.
type Querier interface {
	// Info summarises the chain and its producer.
	Info(ctx context.Context) (protocol.ChainInfo, error)
	// Account returns an account's free balance and committed nonce (zero for an unknown one).
	Account(ctx context.Context, id wallet.AccountID) (protocol.AccountInfo, error)
	// NextNonce returns the nonce a new transaction of the account should carry: the committed
	// nonce, past the account's consecutive pending transactions.
	NextNonce(ctx context.Context, id wallet.AccountID) (uint64, error)
	// Block returns the block at height with its transactions, receipts and events; a height
	// above the head is an error wrapping protocol.ErrNotFound.
	Block(ctx context.Context, height uint64) (*protocol.Block, error)
	// BlockByHash returns the block with the given hash (protocol.ErrNotFound if none).
	BlockByHash(ctx context.Context, hash protocol.Hash) (*protocol.Block, error)
	// Blocks returns up to n headers from height from upwards (n ≤ 10,000), stopping at the head.
	Blocks(ctx context.Context, from uint64, n int) ([]protocol.BlockHeader, error)
	// Tx returns an included transaction with its receipt and events (protocol.ErrNotFound
	// if it is not included).
	Tx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error)
	// IsPending reports whether the transaction waits in the pool (submitted, not yet in a
	// block).
	IsPending(ctx context.Context, hash protocol.TxHash) (bool, error)
	// Events returns the events of blocks from..to inclusive (at most 10,000 blocks).
	Events(ctx context.Context, from, to uint64) ([]protocol.Event, error)
	// AccountHistory returns up to limit transactions that involved the account, newest first,
	// strictly below height before (0 = from the head).
	AccountHistory(ctx context.Context, id wallet.AccountID, before uint64, limit int) ([]protocol.HistoryEntry, error)
	// Genesis returns the chain's genesis.
	Genesis(ctx context.Context) (*protocol.Genesis, error)
	// Check runs every chain invariant and verifies the stored block chain; a violation is an
	// error wrapping protocol.ErrInvariant or protocol.ErrBadBlock.
	Check(ctx context.Context) error

	// The subtensor modules' views (subnets, metagraphs, stake, hyperparameters).

	// Subnets returns every subnet (root first) with its pool, emission share and schedule.
	Subnets(ctx context.Context) ([]protocol.SubnetInfo, error)
	// Subnet returns one subnet's row; an unknown netuid is an error wrapping
	// protocol.ErrNotFound.
	Subnet(ctx context.Context, netuid uint16) (protocol.SubnetInfo, error)
	// Metagraph returns every uid of a subnet.
	Metagraph(ctx context.Context, netuid uint16) (*protocol.Metagraph, error)
	// Weights returns a subnet's stored weight rows, one per uid.
	Weights(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error)
	// Bonds returns a subnet's stored bond rows, one per uid.
	Bonds(ctx context.Context, netuid uint16) ([]protocol.MatrixRow, error)
	// Hyperparameters returns a subnet's hyperparameters.
	Hyperparameters(ctx context.Context, netuid uint16) (protocol.Hyperparams, error)
	// GlobalParams returns the chain-wide subtensor parameters by name.
	GlobalParams(ctx context.Context) (protocol.GlobalParams, error)
	// NetworkLockCost returns what register_network costs in the next block, in rao.
	NetworkLockCost(ctx context.Context) (uint64, error)
	// StakesByColdkey returns every stake position of a coldkey.
	StakesByColdkey(ctx context.Context, coldkey wallet.AccountID) ([]protocol.StakeInfo, error)
	// StakesByHotkey returns every position staked on a hotkey (its nominators included).
	StakesByHotkey(ctx context.Context, hotkey wallet.AccountID) ([]protocol.StakeInfo, error)
	// Delegates returns every hotkey account with its owner, take and stake.
	Delegates(ctx context.Context) ([]protocol.DelegateInfo, error)
	// PriceHistory returns a dynamic subnet's spot price (rao per alpha) after each block of
	// from..to inclusive (at most 100,000 blocks) that the chain recorded, oldest first.
	PriceHistory(ctx context.Context, netuid uint16, from, to uint64) ([]protocol.PricePoint, error)
	// StakeView reads what a stake trade is planned from at one head, in one read: the rows
	// and pool fee rates of the subnets netuids names (unknown ones left out), the minimum
	// pool reserve, and coldkey's free balance and positions.
	StakeView(ctx context.Context, coldkey wallet.AccountID, netuids []uint16) (protocol.StakeView, error)
}

// Submitter sends signed transaction bytes. Transactions are built and signed by the caller
// (see Sign): no key material ever crosses this interface. Rejections (the transaction never
// enters a block) are errors carrying a *protocol.TxError; a transaction that is included
// but whose call failed is returned with a failure Receipt and a nil error.
type Submitter interface {
	// Submit checks a transaction and adds it to the pool; it returns the hash.
	Submit(ctx context.Context, tx []byte) (protocol.TxHash, error)
	// SubmitBatch submits many transactions in order (one account's nonces may follow each
	// other in a batch). The error is for the batch as a whole (transport, closed chain);
	// each result carries its own rejection in Err.
	SubmitBatch(ctx context.Context, txs [][]byte) ([]protocol.SubmitResult, error)
	// WaitTx waits until the transaction is included, the pool drops it (its reason, a
	// *protocol.TxError with CodeDropped or similar), or ctx ends. A transaction that is
	// neither pending nor included is an error wrapping protocol.ErrNotFound.
	WaitTx(ctx context.Context, hash protocol.TxHash) (*protocol.TxInfo, error)
	// SubmitAndWait submits a transaction and waits for its inclusion. When no producer is
	// sealing blocks on its own (none running, or paused) it seals a block on demand, as
	// anvil's automine does; otherwise the next block of the producer includes it.
	SubmitAndWait(ctx context.Context, tx []byte) (*protocol.TxInfo, error)
	// Simulate runs call as signer's next transaction in the next block, at the head, and
	// rolls everything back: the receipt, the events and the balance and stake changes of
	// every touched account, or the rejection (Simulation.Rejected). It needs no signature,
	// so no key: a dry run. Errors are transport and infrastructure faults only.
	Simulate(ctx context.Context, call protocol.Call, signer wallet.AccountID) (*protocol.Simulation, error)
}

// Subscriber streams new heads with their events.
type Subscriber interface {
	// Subscribe delivers one HeadEvent per committed block, in height order, until ctx ends,
	// Cancel is called or the chain closes. See Subscription for the delivery guarantees.
	Subscribe(ctx context.Context, opts SubscribeOptions) (*Subscription, error)
}

// Devnet controls the devnet's clock and state. On the embedded chain they act on the
// database directly; through a node they act on the node's chain.
type Devnet interface {
	// Pause sets the stored pause flag: producers seal no blocks on their own until Resume.
	// Explicit blocks (Advance, SubmitAndWait's on-demand block) still happen.
	Pause(ctx context.Context) error
	// Resume clears the stored pause flag.
	Resume(ctx context.Context) error
	// Advance produces n blocks now, calling progress (if not nil) as blocks commit, and
	// returns the new head.
	Advance(ctx context.Context, n uint64, progress func(done, total uint64)) (protocol.BlockHeader, error)
	// Faucet mints amount rao into to with a sudo.faucet call signed locally by the sudo dev
	// key (//Alice on the devnet) and waits for its inclusion. A failed call comes back as a
	// failure receipt.
	Faucet(ctx context.Context, to wallet.AccountID, amount uint64) (*protocol.TxInfo, error)
	// Snapshot saves the chain's current state under name.
	Snapshot(ctx context.Context, name string) (protocol.SnapshotInfo, error)
	// Snapshots lists the stored snapshots.
	Snapshots(ctx context.Context) ([]protocol.SnapshotInfo, error)
	// Restore replaces the chain with the snapshot called name.
	Restore(ctx context.Context, name string) (protocol.SnapshotInfo, error)
	// Reset starts the chain over from genesis g (nil: the chain's current genesis).
	Reset(ctx context.Context, g *protocol.Genesis) (protocol.BlockHeader, error)
}

// Client is how the CLI and the TUI talk to a chain: the embedded devnet (Embedded) or a
// running `btui node` (Remote). Both implementations pass the same contract test suite.
//
// A new query is a method here (Querier), on both implementations and Unimplemented, and one
// entry of the node's API table (rpcserver); docs/architecture.md has the recipe. Test doubles
// embed Unimplemented so that such additions do not break them.
type Client interface {
	Querier
	Submitter
	Subscriber
	Devnet
	// Endpoint describes where the chain is: "embedded:<dir>" or the node's URL.
	Endpoint() string
	// Close releases the client: the embedded chain closes its database (finishing a block in
	// progress); a remote client ends its subscriptions and idle connections. Closing twice
	// is a no-op.
	Close() error
}

// SubscribeOptions tune a subscription.
type SubscribeOptions struct {
	// From is the first height to deliver; earlier heads are read from storage first. 0 means
	// only heads committed after the call.
	From uint64
	// Buffer is the subscription channel's capacity (default 64).
	Buffer int
}

// DefaultSubscribeBuffer is the channel capacity when SubscribeOptions.Buffer is 0.
const DefaultSubscribeBuffer = 64

// MaxBackfill is the largest number of heads a subscription reads back from storage at once
// (From far in the past, or a consumer that fell behind). Heads beyond it are skipped and
// counted in the next HeadEvent's Missed.
const MaxBackfill = 4096
