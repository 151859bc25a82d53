package localchain

import (
	"go.etcd.io/bbolt"

	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Identities (subtensor's set_identity and set_subnet_identity).
//
//	s.sub.identity  'c' || coldkey [32] -> protocol.EncodeIdentity
//	                's' || netuid u16    -> protocol.EncodeSubnetIdentity
//
// (registered with the subtensor module in sub_module.go; the bucket is created in older
// databases when they are opened)
var bucketIdentity = []byte("s.sub.identity")

func coldIdentityKey(ck wallet.AccountID) []byte { return append([]byte{'c'}, ck[:]...) }

func subnetIdentityKey(netuid uint16) []byte { return append([]byte{'s'}, netKey(netuid)...) }

// applySetIdentity stores the signer's identity. Like subtensor, only a coldkey that owns a
// hotkey (it registered one, or it owns a subnet) may set one.
func applySetIdentity(ctx *CallContext, c protocol.SetIdentity) error {
	if !ownsHotkey(ctx.Tx(), ctx.Signer) {
		return protocol.Fail(protocol.CodeHotkeyNotFound, "%s owns no registered hotkey: register a hotkey (or create a subnet) before setting an identity", ctx.Signer)
	}
	if err := ctx.State.Put(bucketIdentity, coldIdentityKey(ctx.Signer), protocol.EncodeIdentity(c.Identity)); err != nil {
		return err
	}
	ctx.Emit(subModule, "IdentitySet", attrs("coldkey", ctx.Signer.SS58(), "name", c.Name), ctx.Signer)
	return nil
}

// applySetSubnetIdentity stores a subnet's identity; its owner only.
func applySetSubnetIdentity(ctx *CallContext, c protocol.SetSubnetIdentity) error {
	n, err := loadSubnet(ctx, c.Netuid)
	if err != nil {
		return err
	}
	if n.Owner != ctx.Signer {
		return protocol.Fail(protocol.CodeNotSubnetOwner, "only the owner %s of subnet %d may set its identity", n.Owner, c.Netuid)
	}
	if err := ctx.State.Put(bucketIdentity, subnetIdentityKey(c.Netuid), protocol.EncodeSubnetIdentity(c.SubnetIdentity)); err != nil {
		return err
	}
	ctx.Emit(subModule, "SubnetIdentitySet", attrs("netuid", itoa(c.Netuid), "subnet_name", c.SubnetName), ctx.Signer)
	return nil
}

// ownsHotkey reports whether ck owns a hotkey account on the chain.
func ownsHotkey(tx *bbolt.Tx, ck wallet.AccountID) bool {
	c := tx.Bucket(bucketHotkeys).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if h, ok := getHotkey(tx, wallet.AccountID(k)); ok && h.Owner == ck {
			return true
		}
	}
	return false
}

// getIdentity returns ck's identity, or nil.
func getIdentity(tx *bbolt.Tx, ck wallet.AccountID) (*protocol.Identity, error) {
	b := tx.Bucket(bucketIdentity)
	if b == nil {
		return nil, nil
	}
	v := b.Get(coldIdentityKey(ck))
	if v == nil {
		return nil, nil
	}
	id, err := protocol.DecodeIdentity(v)
	if err != nil {
		return nil, recordErr(bucketIdentity, coldIdentityKey(ck), err)
	}
	return &id, nil
}

// getSubnetIdentity returns a subnet's identity, or nil.
func getSubnetIdentity(tx *bbolt.Tx, netuid uint16) (*protocol.SubnetIdentity, error) {
	b := tx.Bucket(bucketIdentity)
	if b == nil {
		return nil, nil
	}
	v := b.Get(subnetIdentityKey(netuid))
	if v == nil {
		return nil, nil
	}
	id, err := protocol.DecodeSubnetIdentity(v)
	if err != nil {
		return nil, recordErr(bucketIdentity, subnetIdentityKey(netuid), err)
	}
	return &id, nil
}
