package protocol

import (
	"unicode/utf8"

	"github.com/btui/btui/wallet"
)

// Identities: subtensor's set_identity (a coldkey's identity, ChainIdentityV2) and
// set_subnet_identity (a subnet's, SubnetIdentityV3), with btcli's field names.

// MaxIdentityField bounds each identity field in bytes (the description and "additional"
// may take MaxIdentityText).
const (
	MaxIdentityField = 256
	MaxIdentityText  = 1024
)

// Identity is a coldkey's on-chain identity.
type Identity struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	GithubRepo  string `json:"github_repo"`
	Image       string `json:"image"`
	Discord     string `json:"discord"`
	Description string `json:"description"`
	Additional  string `json:"additional"`
}

func (i *Identity) fields() []identityField {
	return []identityField{{"name", &i.Name, MaxIdentityField}, {"url", &i.URL, MaxIdentityField}, {"github_repo", &i.GithubRepo, MaxIdentityField},
		{"image", &i.Image, MaxIdentityField}, {"discord", &i.Discord, MaxIdentityField}, {"description", &i.Description, MaxIdentityText},
		{"additional", &i.Additional, MaxIdentityText}}
}

// SubnetIdentity is a subnet's on-chain identity.
type SubnetIdentity struct {
	SubnetName    string `json:"subnet_name"`
	GithubRepo    string `json:"github_repo"`
	SubnetContact string `json:"subnet_contact"`
	SubnetURL     string `json:"subnet_url"`
	Discord       string `json:"discord"`
	Description   string `json:"description"`
	LogoURL       string `json:"logo_url"`
	Additional    string `json:"additional"`
}

func (i *SubnetIdentity) fields() []identityField {
	return []identityField{{"subnet_name", &i.SubnetName, MaxIdentityField}, {"github_repo", &i.GithubRepo, MaxIdentityField},
		{"subnet_contact", &i.SubnetContact, MaxIdentityField}, {"subnet_url", &i.SubnetURL, MaxIdentityField},
		{"discord", &i.Discord, MaxIdentityField}, {"description", &i.Description, MaxIdentityText},
		{"logo_url", &i.LogoURL, MaxIdentityField}, {"additional", &i.Additional, MaxIdentityText}}
}

type identityField struct {
	name string
	v    *string
	max  int
}

func encodeIdentity(e *Encoder, fs []identityField) {
	for _, f := range fs {
		e.String(*f.v)
	}
}

func decodeIdentity(d *Decoder, fs []identityField) {
	for _, f := range fs {
		*f.v = d.String(f.max)
	}
}

func validateIdentity(fs []identityField) error {
	for _, f := range fs {
		if len(*f.v) > f.max {
			return Reject(CodeInvalidArgs, "identity field %s is %d bytes, the limit is %d", f.name, len(*f.v), f.max)
		}
		if !utf8.ValidString(*f.v) {
			return Reject(CodeInvalidArgs, "identity field %s is not valid UTF-8", f.name)
		}
	}
	return nil
}

// EncodeIdentity and DecodeIdentity are the stored layout of an Identity (the call's
// arguments): its fields in order, each a string.
func EncodeIdentity(i Identity) []byte {
	e := NewEncoder(nil)
	encodeIdentity(e, i.fields())
	return e.Bytes()
}

// DecodeIdentity reads EncodeIdentity's bytes strictly.
func DecodeIdentity(b []byte) (Identity, error) {
	var i Identity
	d := NewDecoder(b)
	decodeIdentity(d, i.fields())
	return i, d.Finish()
}

// EncodeSubnetIdentity and DecodeSubnetIdentity are the stored layout of a SubnetIdentity.
func EncodeSubnetIdentity(i SubnetIdentity) []byte {
	e := NewEncoder(nil)
	encodeIdentity(e, i.fields())
	return e.Bytes()
}

// DecodeSubnetIdentity reads EncodeSubnetIdentity's bytes strictly.
func DecodeSubnetIdentity(b []byte) (SubnetIdentity, error) {
	var i SubnetIdentity
	d := NewDecoder(b)
	decodeIdentity(d, i.fields())
	return i, d.Finish()
}

// SetIdentity sets (or replaces) the signing coldkey's identity.
type SetIdentity struct {
	Identity
}

// CallName is subtensor.set_identity.
func (SetIdentity) CallName() CallName { return CallName{subModule, "set_identity"} }

// EncodeArgs writes name || url || github_repo || image || discord || description || additional (strings).
func (c SetIdentity) EncodeArgs(e *Encoder) { encodeIdentity(e, c.Identity.fields()) }

// decodeSetIdentity reads the arguments in EncodeArgs' order.
func decodeSetIdentity(d *Decoder) SetIdentity {
	var c SetIdentity
	decodeIdentity(d, c.Identity.fields())
	return c
}

// Validate bounds every field (MaxIdentityField, MaxIdentityText) and requires UTF-8.
func (c SetIdentity) Validate(wallet.AccountID) error { return validateIdentity(c.Identity.fields()) }

// SetSubnetIdentity sets (or replaces) a subnet's identity; the subnet owner only.
type SetSubnetIdentity struct {
	Netuid uint16 `json:"netuid"`
	SubnetIdentity
}

// CallName is subtensor.set_subnet_identity.
func (SetSubnetIdentity) CallName() CallName { return CallName{subModule, "set_subnet_identity"} }

// EncodeArgs writes netuid u16 || subnet_name || github_repo || subnet_contact || subnet_url ||
// discord || description || logo_url || additional (strings).
func (c SetSubnetIdentity) EncodeArgs(e *Encoder) {
	e.U16(c.Netuid)
	encodeIdentity(e, c.SubnetIdentity.fields())
}

// decodeSetSubnetIdentity reads the arguments in EncodeArgs' order.
func decodeSetSubnetIdentity(d *Decoder) SetSubnetIdentity {
	c := SetSubnetIdentity{Netuid: d.U16()}
	decodeIdentity(d, c.SubnetIdentity.fields())
	return c
}

// Validate bounds every field and requires UTF-8.
func (c SetSubnetIdentity) Validate(wallet.AccountID) error {
	return validateIdentity(c.SubnetIdentity.fields())
}
