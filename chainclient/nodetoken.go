package chainclient

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// NodeTokenFile is the file in a devnet directory where a running `btui node` keeps its
// control token (0600, a new one each start): control methods need it in
// "Authorization: Bearer <token>" (docs/rpc.md).
const NodeTokenFile = "node.token"

// Error kinds of the node's guard (docs/rpc.md).
const (
	KindUnauthorized         = "unauthorized"           // 401: the call needs the node's token
	KindForbidden            = "forbidden"              // 403: a foreign Host or Origin
	KindUnsupportedMediaType = "unsupported_media_type" // 415: a POST without application/json
	KindBusy                 = "busy"                   // 503: over a limit; nothing was done, retry
)

// NewNodeToken returns a fresh random token (32 bytes as 64 hex digits).
func NewNodeToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// WriteNodeToken writes a new token to dir/node.token (0600, replacing any old one) and
// returns it with the file's path.
func WriteNodeToken(dir string) (token, path string, err error) {
	token, err = NewNodeToken()
	if err != nil {
		return "", "", err
	}
	path = filepath.Join(dir, NodeTokenFile)
	_ = os.Remove(path) // a file left by a killed node (maybe another mode)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("write the node token: %w", err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return "", "", fmt.Errorf("write the node token: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", "", fmt.Errorf("write the node token: %w", err)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return token, path, nil
}

// ReadNodeToken reads a token file written by WriteNodeToken. It refuses anything else: a
// file not named node.token, not a regular file, readable by others, owned by another user,
// or not 64 hex digits (a node cannot make a client read and send an arbitrary file).
func ReadNodeToken(path string) (string, error) {
	if filepath.Base(path) != NodeTokenFile {
		return "", fmt.Errorf("%s is not a %s file", path, NodeTokenFile)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 || fi.Size() > 256 {
		return "", fmt.Errorf("%s is not a private token file (mode %v)", path, fi.Mode())
	}
	if !ownedByMe(fi) {
		return "", fmt.Errorf("%s belongs to another user", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if _, err := hex.DecodeString(tok); err != nil || len(tok) != 64 {
		return "", errors.New(path + " does not hold a node token")
	}
	return tok, nil
}
