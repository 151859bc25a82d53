// Package keystore stores keys on disk: the versioned, encrypted keyfile format, the wallet
// directory layout and atomic writes. It never prompts, prints, or keeps decrypted keys beyond
// a call.
package keystore
