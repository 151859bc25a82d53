package wallet

import (
	"crypto/pbkdf2"
	"crypto/sha512"
	"errors"
	"fmt"
	"strings"

	"github.com/tyler-smith/go-bip39"
)

// DevPhrase is Substrate's well-known development mnemonic. Keys derived from it (//Alice,
// //Bob, ...) are public knowledge and must only hold test funds.
const DevPhrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

// pbkdf2Rounds is the substrate-bip39 iteration count.
const pbkdf2Rounds = 2048

// NewMnemonic returns a fresh random English BIP-39 mnemonic of words words (12, 15, 18, 21 or
// 24), with entropy from crypto/rand.
func NewMnemonic(words int) (string, error) {
	bits, ok := entropyBits(words)
	if !ok {
		return "", fmt.Errorf("%w: word count %d is not one of 12, 15, 18, 21, 24", ErrInvalidMnemonic, words)
	}
	entropy, err := bip39.NewEntropy(bits)
	if err != nil {
		return "", fmt.Errorf("generate mnemonic entropy: %w", err)
	}
	defer wipe(entropy)
	m, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return "", fmt.Errorf("encode mnemonic: %w", err)
	}
	return m, nil
}

func entropyBits(words int) (int, bool) {
	switch words {
	case 12, 15, 18, 21, 24:
		return words / 3 * 32, true
	}
	return 0, false
}

// ValidateMnemonic checks that m is an English BIP-39 mnemonic: 12, 15, 18, 21 or 24 words
// separated by white space, each in the word list, with a correct checksum. The error wraps
// ErrInvalidMnemonic and names the problem: the word count, the position of the first unknown word (never the
// word itself, which may be a misspelt secret), or a bad checksum.
func ValidateMnemonic(m string) error {
	e, err := mnemonicEntropy(m)
	wipe(e)
	return err
}

// mnemonicEntropy returns the BIP-39 entropy of m (16 to 32 bytes), checksum verified. The
// caller wipes it.
func mnemonicEntropy(m string) ([]byte, error) {
	// go-bip39 splits on white space and checks the word count, the words and the checksum
	// itself: a valid mnemonic needs nothing more. Only a rejected one is examined word by word,
	// to say what is wrong with it.
	if entropy, err := bip39.EntropyFromMnemonic(m); err == nil {
		return entropy, nil
	}
	words := strings.Fields(m)
	if _, ok := entropyBits(len(words)); !ok {
		return nil, fmt.Errorf("%w: %d words, a mnemonic has 12, 15, 18, 21 or 24", ErrInvalidMnemonic, len(words))
	}
	for i, w := range words {
		if _, ok := bip39.GetWordIndex(w); !ok {
			hint := ""
			if lw := strings.ToLower(w); lw != w {
				if _, ok := bip39.GetWordIndex(lw); ok {
					hint = " (words are lower-case)"
				}
			}
			// The word itself is not echoed: a misspelt word is still part of a secret.
			return nil, fmt.Errorf("%w: word %d is not in the BIP-39 English word list%s", ErrInvalidMnemonic, i+1, hint)
		}
	}
	entropy, err := bip39.EntropyFromMnemonic(strings.Join(words, " "))
	switch {
	case errors.Is(err, bip39.ErrChecksumIncorrect):
		return nil, fmt.Errorf("%w: bad checksum: the words are all valid but do not form a mnemonic; check their order and spelling", ErrInvalidMnemonic)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrInvalidMnemonic, err)
	}
	return entropy, nil
}

// secretFromMnemonic is substrate-bip39 plus Substrate's ECDSA from_seed: the first 32 bytes of
// PBKDF2-HMAC-SHA512(entropy, "mnemonic"||password, 2048, 64). It is not the BIP-39 seed.
func secretFromMnemonic(m, password string) ([32]byte, error) {
	var secret [32]byte
	entropy, err := mnemonicEntropy(m)
	if err != nil {
		return secret, err
	}
	defer wipe(entropy)
	seed64, err := pbkdf2.Key(sha512.New, string(entropy), []byte("mnemonic"+password), pbkdf2Rounds, 64)
	if err != nil {
		return secret, fmt.Errorf("derive seed from mnemonic: %w", err)
	}
	copy(secret[:], seed64)
	wipe(seed64)
	return secret, nil
}

func wipe(b []byte) {
	clear(b)
}
