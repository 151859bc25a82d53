// Package localchain is the embedded devnet: the bbolt schema, state, transactions, blocks,
// the executor and the block producer, and the wire types served by `btui node`.
package localchain
