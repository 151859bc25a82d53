package chainclient

import (
	"time"

	"github.com/btui/btui/localchain"
	"github.com/btui/btui/protocol"
)

// Option configures an embedded devnet opened with OpenEmbedded. These re-export the
// options of localchain.Open that a client (a simulation, a test) needs, so that only the
// wiring in cmd/btui imports localchain.
type Option = localchain.Option

// WithNoSync skips fsync on commit (tests, throwaway devnets).
func WithNoSync(noSync bool) Option { return localchain.WithNoSync(noSync) }

// WithBlockTime sets the producer interval (0: blocks only on demand).
func WithBlockTime(d time.Duration) Option { return localchain.WithBlockTime(d) }

// WithGenesis creates the devnet from g (or checks that an existing one was made from it).
func WithGenesis(g *protocol.Genesis) Option { return localchain.WithGenesis(g) }
