// Package wallet derives Substrate-compatible secp256k1 (ECDSA) keys from BIP-39 mnemonics and
// SURIs, encodes SS58 addresses, and signs and verifies messages. It never touches files,
// prompts or prints.
package wallet
