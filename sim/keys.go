package sim

import (
	"encoding/hex"
	"strconv"

	"golang.org/x/crypto/blake2b"

	"github.com/btui/btui/wallet"
)

// Keys of a simulation are derived, never stored: the root secret is
// blake2b-256("btui-sim/v1" 0x00 name 0x00 decimal seed), and each key is the secret URI
//
//	0x<root hex>//<group>//<index>//coldkey     (and //hotkey)
//	0x<root hex>//owner//<subnet>//coldkey      (and //hotkey: a subnet's separate owner)
//
// so `btui wallet regen-coldkey --suri` (or any Substrate tool) can import any of them.

// rootSURI returns the scenario's root secret as a 0x seed.
func rootSURI(name string, seed uint64) string {
	h := blake2b.Sum256([]byte("btui-sim/v1\x00" + name + "\x00" + strconv.FormatUint(seed, 10)))
	return "0x" + hex.EncodeToString(h[:])
}

// NeuronSURI is the secret URI of a group neuron's key (role "coldkey" or "hotkey").
func NeuronSURI(sc *Scenario, group string, index int, role string) string {
	return rootSURI(sc.Name, sc.Seed) + "//" + group + "//" + strconv.Itoa(index) + "//" + role
}

// OwnerSURI is the secret URI of a subnet's separate owner key (role "coldkey" or "hotkey").
func OwnerSURI(sc *Scenario, subnet, role string) string {
	return rootSURI(sc.Name, sc.Seed) + "//owner//" + subnet + "//" + role
}

// keyPair is a neuron's coldkey and hotkey.
type keyPair struct {
	cold, hot *wallet.Keypair
}

func deriveKeys(cold, hot string) (keyPair, error) {
	c, err := wallet.FromSURI(cold)
	if err != nil {
		return keyPair{}, err
	}
	h, err := wallet.FromSURI(hot)
	if err != nil {
		c.Zero()
		return keyPair{}, err
	}
	return keyPair{cold: c, hot: h}, nil
}

func (k keyPair) zero() {
	if k.cold != nil {
		k.cold.Zero()
	}
	if k.hot != nil {
		k.hot.Zero()
	}
}

// splitMix64 is a tiny PRNG with a fixed, documented output (SplitMix64), so that a scenario's
// draws do not depend on the Go version.
type splitMix64 struct{ s uint64 }

func newRand(seed uint64, stream string) *splitMix64 {
	h := blake2b.Sum256([]byte(stream))
	var x uint64
	for i := range 8 {
		x = x<<8 | uint64(h[i])
	}
	return &splitMix64{s: seed ^ x}
}

func (r *splitMix64) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a uniform integer in [0, n) (n > 0), by rejection so that it has no bias.
func (r *splitMix64) intn(n uint64) uint64 {
	limit := ^uint64(0) - (^uint64(0) % n)
	for {
		if v := r.next(); v < limit {
			return v % n
		}
	}
}
