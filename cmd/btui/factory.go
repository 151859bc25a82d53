package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/keystore"
	"github.com/btui/btui/localchain"
	"github.com/btui/btui/wallet"
)

// GlobalOptions are the flags every command shares. Commands read them through the Factory.
type GlobalOptions struct {
	DataDir    string // embedded devnet directory
	Node       string // --network: a network name or URL (network.go); empty means the embedded devnet
	WalletPath string
	WalletName string
	Hotkey     string
	JSON       bool // exactly one JSON document on stdout
	Yes        bool // never prompt
	No         bool // answer no to every confirmation
	Quiet      bool // nothing on stderr but the final error
	Verbose    bool // say where wallets and chain come from
	// AllowDevPath accepts //paths outside the six genesis dev names as addresses.
	AllowDevPath bool
	// DevScheme is the scheme of dev names (//Alice) used as an address or signer:
	// --crypto-type, ecdsa (the zero value) unless sr25519 is given.
	DevScheme wallet.Scheme
	DryRun    bool // a transaction command's --dry-run: simulate, submit nothing
}

// Factory gives commands what they need, lazily: `btui --help` opens nothing.
type Factory struct {
	IO   *IOStreams
	Opts *GlobalOptions
	// Env looks up environment variables (os.LookupEnv outside tests).
	Env func(string) (string, bool)
	// KeystoreOptions configure the wallet store. Only tests set them (light KDF parameters,
	// keystore.WithKDFParams(keystore.LightKDFParams())); there is deliberately no flag or
	// environment variable that weakens the default KDF parameters.
	KeystoreOptions []keystore.Option
	// ChainOptions configure the embedded devnet when Client opens it (tests pass
	// localchain.WithNoSync(true)).
	ChainOptions []localchain.Option

	keystore *keystore.Store
	// cleanup is what keystore.Cleanup removed when the store was opened (wallet list and
	// chain check report it).
	cleanup keystore.CleanupReport
	client  chainclient.Client
	cfg     *btuiConfig // the config file (config.go), loaded on first use
}

// processStart is when this process started; keystore.Cleanup leaves newer files alone.
var processStart = time.Now()

// NewFactory returns a factory over io with the process environment.
func NewFactory(io *IOStreams) *Factory {
	return &Factory{IO: io, Opts: &GlobalOptions{}, Env: os.LookupEnv}
}

func (f *Factory) getenv(k string) string {
	v, _ := f.Env(k)
	return v
}

// dataHome is $XDG_DATA_HOME or ~/.local/share.
func (f *Factory) dataHome() string {
	if d := f.getenv("XDG_DATA_HOME"); d != "" {
		return d
	}
	if h := f.getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share")
	}
	return "."
}

// DefaultDataDir is where the embedded devnet lives unless --datadir says otherwise.
func (f *Factory) DefaultDataDir() string { return filepath.Join(f.dataHome(), "btui", "devnet") }

// DefaultWalletPath is where wallets live unless --wallet-path says otherwise.
func (f *Factory) DefaultWalletPath() string { return filepath.Join(f.dataHome(), "btui", "wallets") }

// DataDir resolves the embedded devnet directory.
func (f *Factory) DataDir() string {
	if f.Opts.DataDir != "" {
		return f.Opts.DataDir
	}
	if d := f.getenv("BTUI_DATADIR"); d != "" {
		return d
	}
	if d := f.configValue("datadir"); d != "" {
		return d
	}
	return f.DefaultDataDir()
}

// WalletPath resolves the wallet directory.
func (f *Factory) WalletPath() string {
	if f.Opts.WalletPath != "" {
		return f.Opts.WalletPath
	}
	if d := f.getenv("BTUI_WALLET_PATH"); d != "" {
		return d
	}
	if d := f.configValue("wallet-path"); d != "" {
		return d
	}
	return f.DefaultWalletPath()
}

// WalletName resolves the selected wallet name (flag, then BTUI_WALLET_NAME, then "default").
func (f *Factory) WalletName() string {
	if f.Opts.WalletName != "" {
		return f.Opts.WalletName
	}
	if n := f.getenv("BTUI_WALLET_NAME"); n != "" {
		return n
	}
	if n := f.configValue("wallet-name"); n != "" {
		return n
	}
	return "default"
}

// HotkeyName resolves the selected hotkey name (flag, then BTUI_WALLET_HOTKEY, then "default").
func (f *Factory) HotkeyName() string {
	if f.Opts.Hotkey != "" {
		return f.Opts.Hotkey
	}
	if n := f.getenv("BTUI_WALLET_HOTKEY"); n != "" {
		return n
	}
	if n := f.configValue("wallet-hotkey"); n != "" {
		return n
	}
	return "default"
}

// NodeURL resolves --network (aliases --node ...), then BTUI_NODE, then the config file,
// through chainclient.ResolveNetwork (network.go): "" means the embedded devnet, otherwise the
// URL of a btui node or a subtensor node (Network says which). A value that does not resolve
// is returned as given (non-empty: a chain was asked for), and Client reports why.
func (f *Factory) NodeURL() string {
	n, ns, err := f.nodeEndpoint()
	if err != nil {
		return ns.Value
	}
	return n.URL
}

// Keystore returns the wallet store at WalletPath, created on first use. It touches no file:
// directories are made on the first write.
func (f *Factory) Keystore() (*keystore.Store, error) {
	if f.keystore == nil {
		s, err := keystore.New(f.WalletPath(), f.KeystoreOptions...)
		if err != nil {
			return nil, err
		}
		f.keystore = s
		// Remove what a killed btui left (temporary keyfiles, key-less wallet directories of an
		// interrupted create), only if older than this process.
		f.cleanup, _ = s.Cleanup(processStart)
	}
	return f.keystore, nil
}

// Client returns the chain client, opened on first use and then shared by the whole process:
// a chainclient.Subtensor for a subtensor network (finney, test, archive, local, ws(s)://), a
// chainclient.Remote for a btui node's URL, otherwise the embedded devnet at DataDir (created
// with the devnet genesis on first use). When a running node holds the embedded database the
// error says so and names --node. Close releases the client.
func (f *Factory) Client() (chainclient.Client, error) {
	if f.client != nil {
		return f.client, nil
	}
	n, ns, err := f.nodeEndpoint()
	if err != nil {
		return nil, err
	}
	switch n.Kind {
	case chainclient.NetworkSubtensor:
		s, err := dialSubtensor(n)
		if err != nil {
			if ns.Source != "--network" {
				err = fmt.Errorf("%s from %s: %w", ns.Value, ns.Source, err)
			}
			return nil, err
		}
		f.client = s
		return s, nil
	case chainclient.NetworkNode:
		// BTUI_NODE_TOKEN: the node's token, for a node on another machine (docs/rpc.md).
		r, err := chainclient.NewRemote(n.URL, chainclient.WithToken(f.getenv("BTUI_NODE_TOKEN")))
		if err != nil {
			if ns.Source != "--network" {
				err = fmt.Errorf("node %q from %s: %w", ns.Value, ns.Source, err)
			}
			return nil, err
		}
		f.client = r
		return r, nil
	}
	e, err := chainclient.OpenEmbedded(f.DataDir(), f.ChainOptions...)
	if err != nil {
		return nil, err
	}
	f.client = e
	return e, nil
}

// Close releases what the factory opened (the chain client: the embedded database is closed
// after the block in progress). It is safe to call more than once.
func (f *Factory) Close() error {
	if f.client == nil {
		return nil
	}
	err := f.client.Close()
	f.client = nil
	return err
}
