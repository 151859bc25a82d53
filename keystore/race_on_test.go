//go:build race

package keystore

// raceEnabled reports a -race build: the tests that run argon2i with 512 MiB (btcli's $NACL)
// skip under the race detector, where one derivation takes minutes; the normal build runs them.
const raceEnabled = true
