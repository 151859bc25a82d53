package tui

import "errors"

// Sentinel errors of the console's own input checks.
var (
	// ErrPasswordMismatch: the two password entries differ.
	ErrPasswordMismatch = errors.New("the passwords do not match: type the same password twice")
	// ErrEmptyPassword: an encrypted coldkey needs a password.
	ErrEmptyPassword = errors.New("the password is empty: a coldkey needs a password")
	// ErrWordMismatch: a mnemonic word typed back does not match.
	ErrWordMismatch = errors.New("that word does not match your mnemonic: check your written copy")
	// ErrNoKeys: the console was started without a key store.
	ErrNoKeys = errors.New("no key store is configured: start btui with a wallet path")
	// ErrNoChain: the console has no chain client.
	ErrNoChain = errors.New("no chain connection: start btui with --node URL or the embedded devnet")
	// ErrBadName: a wallet or hotkey name is empty or has characters a file name cannot hold.
	ErrBadName = errors.New("names may use letters, digits, '-', '_' and '.' only, and must not be empty")
	// ErrNoSimulator: the console was started without a simulator.
	ErrNoSimulator = errors.New("this console cannot run simulations (no simulator): use btui devnet simulate")
	// ErrSimRunning: a second simulation was asked for while one runs.
	ErrSimRunning = errors.New("a simulation is already running: stop it first")
	// ErrNoSimulation: pause or stop with nothing running.
	ErrNoSimulation = errors.New("no simulation is running: start the demo market first")
)
