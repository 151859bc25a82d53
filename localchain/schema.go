package localchain

import (
	"encoding/binary"
	"os"
)

// schemaVersion is stored under metaSchemaVersion. Bump it whenever a bucket or key layout
// below changes; Open refuses a database written by another version (ErrSchemaVersion).
// Version 2: state digest over 256 KiB chunks of the write set; network_immunity appended to
// the subtensor parameters; bitmap layout of weight and bond rows.
const schemaVersion uint32 = 2

// dbPageSize is the bbolt page size of a new chain.db: 16 KiB, or the OS page size where that
// is larger. bbolt writes each dirty page with its own pwrite before the fsync; a block in which
// 64 subnets × 256 neurons run their epoch rewrites about 5 MB of pool records, bond rows and
// outputs, and with 16 KiB pages its commit makes ~300 writes instead of ~1,180 and takes
// 11–12 ms instead of 15–16 ms (BenchmarkEpochBlock64x256); intake, head latency and empty
// blocks measured the same. A database keeps the page size it was made with (bbolt reads it
// from the file), so a devnet made before this keeps 4 KiB pages. Not state: digests and
// records do not depend on it.
func dbPageSize() int { return max(16<<10, os.Getpagesize()) }

// File names inside the chain directory.
const (
	dbFileName      = "chain.db"  // the one bbolt file
	pidFileName     = "chain.pid" // pid of the process holding chain.db (written after the lock)
	snapshotDirName = "snapshots" // <name>.db copies made by Snapshot
)

// Every bucket is top-level. Integer keys are big-endian so byte order is numeric order.
//
// Chain (not state: not part of the state digest, written by the core only):
//
//	meta       "schema_version"            -> u32
//	           "genesis_hash"              -> [32]
//	           "genesis_json"              -> canonical genesis JSON
//	           "head"                      -> u64 height of the newest block
//	           "paused"                    -> u8 (1 = the producer must not seal blocks on its own)
//	           "indexed"                   -> u64 height through which txindex and history hold
//	                                          every block's entries (written after the blocks:
//	                                          txindex.go; Open re-indexes above it, and writes
//	                                          the head for a database made before the key)
//	headers    height u64                  -> stored header (encodeStoredHeader: 82 bytes empty, 146 with roots)
//	hashes     block hash[:8] || height u64 -> empty (lookups confirm the full hash on the header)
//	bodies     height u64                  -> u32 count || (u32 len || tx envelope)*   (only blocks with txs)
//	receipts   height u64                  -> u32 count || receipt encoding*           (only blocks with txs)
//	events     height u64                  -> u32 count || event encoding*             (only blocks with events)
//	txindex    tx hash [32]                -> height u64 || index u32
//	history    account [32] || height u64 || index u32 -> tx hash [32]
//	prices     height u64                  -> (netuid u16 || price u64)*   (prices.go)
//
// State (every write goes through StateTx, so it lands in the block's write set and digest):
//
//	s.system   "total_issuance"            -> u64 rao
//	           "sudo"                      -> [32] account id
//	           "params"                    -> Params encoding
//	s.accounts account [32]                -> free u64 || nonce u64
//
// Modules add their own state buckets with the "s." prefix (see doc.go) and register them in
// stateBuckets through Module.Buckets.
var (
	bucketMeta     = []byte("meta")
	bucketHeaders  = []byte("headers")
	bucketHashes   = []byte("hashes")
	bucketBodies   = []byte("bodies")
	bucketReceipts = []byte("receipts")
	bucketEvents   = []byte("events")
	bucketTxIndex  = []byte("txindex")
	bucketHistory  = []byte("history")

	bucketSystem   = []byte("s.system")
	bucketAccounts = []byte("s.accounts")
)

// chainBuckets are created by Open on a fresh database.
var chainBuckets = [][]byte{
	bucketMeta, bucketHeaders, bucketHashes, bucketBodies, bucketReceipts, bucketEvents,
	bucketTxIndex, bucketHistory, bucketPrices,
}

// coreStateBuckets are the state buckets of the core modules (system and balances).
var coreStateBuckets = [][]byte{bucketSystem, bucketAccounts}

// Keys of the meta bucket.
var (
	metaSchemaVersion = []byte("schema_version")
	metaGenesisHash   = []byte("genesis_hash")
	metaGenesisJSON   = []byte("genesis_json")
	metaHead          = []byte("head")
	metaPaused        = []byte("paused")
)

// Keys of the s.system bucket.
var (
	sysTotalIssuance = []byte("total_issuance")
	sysSudo          = []byte("sudo")
	sysParams        = []byte("params")
)

// u64Key is the big-endian key of a height or any other u64.
func u64Key(v uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v) }

// txLocKey is height || index, the value of txindex and the suffix of history keys.
func txLocKey(height uint64, index uint32) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, height)
	binary.BigEndian.PutUint32(k[8:], index)
	return k
}

// historyKey is account || height || index.
func historyKey(acct [32]byte, height uint64, index uint32) []byte {
	k := make([]byte, 44)
	copy(k, acct[:])
	binary.BigEndian.PutUint64(k[32:], height)
	binary.BigEndian.PutUint32(k[40:], index)
	return k
}
