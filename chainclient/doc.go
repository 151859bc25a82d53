// Package chainclient is the only way the CLI and the TUI talk to a chain: one Client
// interface with an embedded implementation over localchain and a remote one over the
// loopback RPC of `btui node`.
package chainclient
