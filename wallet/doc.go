// Package wallet derives Substrate-compatible keys from BIP-39 mnemonics and SURIs, encodes
// SS58 addresses, and signs and verifies messages. It never touches files, prompts or prints.
//
// Two signature schemes are supported (Scheme): Ecdsa (secp256k1, sp_core::ecdsa; Keypair,
// btui's default for new keys) and Sr25519 (schnorrkel, sp_core::sr25519; SrKeypair, the scheme
// btcli and the bittensor SDK use). The same mnemonic gives a different account under each.
// Pair is the interface over both; PairFromSURI, DevPair, VerifyScheme and VerifyAny choose by
// scheme. Soft junctions ("/x") exist for sr25519 only.
package wallet
