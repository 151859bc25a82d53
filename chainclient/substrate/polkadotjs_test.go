package substrate

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"

	"github.com/btui/btui/chainclient/substrate/scale"
	"github.com/btui/btui/chainclient/substrate/substratetest/pjsvectors"
	"github.com/btui/btui/wallet"
)

// pjsVector is one extrinsic built and signed by polkadot.js (testdata/polkadotjs-extrinsics,
// make.mjs) from the recorded finney metadata.
type pjsVector = pjsvectors.Vector

func unhex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixedSigner returns a signature made elsewhere (polkadot.js's sr25519, which is randomised),
// so the rest of the extrinsic can be compared byte for byte.
type fixedSigner struct {
	scheme SignatureScheme
	id     wallet.AccountID
	sig    []byte
	signed []byte
}

func (f *fixedSigner) Scheme() SignatureScheme     { return f.scheme }
func (f *fixedSigner) AccountID() wallet.AccountID { return f.id }
func (f *fixedSigner) Sign(p []byte) ([]byte, error) {
	f.signed = append([]byte(nil), p...)
	return f.sig, nil
}

func verifySr25519(t testing.TB, pub wallet.AccountID, msg, sig []byte) bool {
	pk, err := schnorrkel.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	var s schnorrkel.Signature
	var raw [64]byte
	copy(raw[:], sig)
	if err := s.Decode(raw); err != nil {
		t.Fatal(err)
	}
	ok, err := pk.Verify(&s, schnorrkel.NewSigningContext([]byte("substrate"), msg))
	return err == nil && ok
}

func TestPolkadotJSExtrinsics(t *testing.T) {
	vs, err := pjsvectors.Load("../../testdata/polkadotjs-extrinsics/vectors.json")
	must(t, err)
	if len(vs) < 21 {
		t.Fatalf("only %d vectors", len(vs))
	}
	var ecdsaN, srN int
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			m := parseMeta(t, v.Metadata)
			call, err := m.EncodeCall(v.Pallet, v.Call, v.Args)
			must(t, err)
			if got := "0x" + hex.EncodeToString(call); got != v.CallHex {
				t.Fatalf("call\n got %s\nwant %s", got, v.CallHex)
			}
			tip, err := strconv.ParseUint(v.Tip, 10, 64)
			must(t, err)
			p := TxParams{Nonce: v.Nonce, Tip: tip, Genesis: mustHash(t, v.Genesis), SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion}
			if v.Era.Immortal {
				p.Era = Era{Immortal: true}
			} else {
				p.Era = MortalEra(v.Era.Period, v.Era.Current)
				p.BirthHash = mustHash(t, v.Era.BlockHash)
			}
			want := unhex(t, v.ExtrinsicHex)
			theirs, err := m.DecodeExtrinsic(want)
			must(t, err)
			scheme, name, _ := strings.Cut(v.Signer, "//")
			var s Signer
			switch scheme {
			case "ecdsa":
				s = devSigner(t, name)
				ecdsaN++
			case "sr25519":
				// The wallet derives the same sr25519 account as polkadot.js's keyring.
				kp, err := wallet.SrDev(name)
				must(t, err)
				if kp.AccountID() != theirs.Signer {
					t.Fatalf("wallet sr25519 //%s is %s, polkadot.js signed as %s", name, kp.AccountID(), theirs.Signer)
				}
				s = &fixedSigner{scheme: SchemeSr25519, id: theirs.Signer, sig: theirs.Signature}
				srN++
			}
			x, err := m.BuildSigned(call, p, s)
			must(t, err)
			if !bytes.Equal(x.Bytes, want) {
				t.Fatalf("extrinsic\n got %x\nwant %x", x.Bytes, want)
			}
			if x.Hash.Hex() != v.Hash {
				t.Errorf("hash %s, want %s", x.Hash, v.Hash)
			}
			payload := unhex(t, v.PayloadHex)
			if len(payload) > 256 {
				h := scale.Blake2_256(payload)
				payload = h[:]
			}
			if !bytes.Equal(x.Payload, payload) {
				t.Errorf("payload\n got %x\nwant %x", x.Payload, payload)
			}
			if scheme == "sr25519" && !verifySr25519(t, theirs.Signer, x.Payload, theirs.Signature) {
				t.Errorf("polkadot.js's sr25519 signature does not verify over btui's payload")
			}
			if theirs.Call.Pallet != v.Pallet || theirs.Call.Name != v.Call || theirs.Nonce != v.Nonce || theirs.Tip != tip || theirs.Era != p.Era {
				t.Errorf("decoded %+v", theirs)
			}
		})
	}
	if ecdsaN < 10 || srN < 10 {
		t.Errorf("%d ECDSA and %d sr25519 vectors, want at least 10 of each", ecdsaN, srN)
	}
}

// schnorrkelSigner is an sr25519 Signer over go-schnorrkel, standing in for the wallet's
// sr25519 keys until they land: it shows the Signer interface carries sr25519 unchanged.
type schnorrkelSigner struct {
	sk *schnorrkel.SecretKey
	id wallet.AccountID
}

func (s schnorrkelSigner) Scheme() SignatureScheme     { return SchemeSr25519 }
func (s schnorrkelSigner) AccountID() wallet.AccountID { return s.id }
func (s schnorrkelSigner) Sign(p []byte) ([]byte, error) {
	sig, err := s.sk.Sign(schnorrkel.NewSigningContext([]byte("substrate"), p))
	if err != nil {
		return nil, err
	}
	b := sig.Encode()
	return b[:], nil
}

func TestSr25519Signer(t *testing.T) {
	sk, pk, err := schnorrkel.GenerateKeypair()
	must(t, err)
	s := schnorrkelSigner{sk: sk, id: pk.Encode()}
	m := parseMeta(t, "metadata-v15-spec393")
	call, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": "5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi", "value": 100_000})
	must(t, err)
	x, err := m.BuildSigned(call, TxParams{Nonce: 1, Era: Era{Immortal: true}, Genesis: mustHash(t, finneyGenesis), SpecVersion: 393, TxVersion: 1}, s)
	must(t, err)
	d, err := m.DecodeExtrinsic(x.Bytes)
	must(t, err)
	if d.Scheme != SchemeSr25519 || d.Signer != s.id || !verifySr25519(t, d.Signer, x.Payload, d.Signature) {
		t.Fatalf("sr25519 extrinsic does not verify: %+v", d)
	}
}

// TestWalletSr25519Signer signs with the wallet's sr25519 key through PairSigner: the
// extrinsic carries MultiSignature::Sr25519 and the signature verifies over the payload.
func TestWalletSr25519Signer(t *testing.T) {
	kp, err := wallet.SrDev("Alice")
	must(t, err)
	m := parseMeta(t, "metadata-v15-spec393")
	call, err := m.EncodeCall("Balances", "transfer_keep_alive", map[string]any{"dest": "5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi", "value": 100_000})
	must(t, err)
	x, err := m.BuildSigned(call, TxParams{Nonce: 0, Era: Era{Immortal: true}, Genesis: mustHash(t, finneyGenesis), SpecVersion: 393, TxVersion: 1}, PairSigner(kp))
	must(t, err)
	d, err := m.DecodeExtrinsic(x.Bytes)
	must(t, err)
	var sig wallet.SrSignature
	copy(sig[:], d.Signature)
	if d.Scheme != SchemeSr25519 || d.Signer.SS58() != "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" || wallet.SrVerify(x.Payload, sig, kp.PublicKey()) != nil {
		t.Fatalf("sr25519 extrinsic: %+v", d)
	}
	ec, err := wallet.Dev("Alice")
	must(t, err)
	if PairSigner(ec).Scheme() != SchemeEcdsa {
		t.Error("ECDSA pair is not MultiSignature::Ecdsa")
	}
}
