//go:build race

package main

// naclRace reports a -race build: tests that open btcli $NACL coldkeys (argon2i, 512 MiB)
// skip under the race detector, where one derivation takes minutes; the normal build runs them.
const naclRace = true
