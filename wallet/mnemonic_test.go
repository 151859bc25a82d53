package wallet

import (
	"errors"
	"strings"
	"testing"
)

func TestNewMnemonic(t *testing.T) {
	for _, n := range []int{12, 15, 18, 21, 24} {
		m, err := NewMnemonic(n)
		if err != nil {
			t.Fatalf("NewMnemonic(%d): %v", n, err)
		}
		if got := len(strings.Fields(m)); got != n {
			t.Errorf("NewMnemonic(%d) has %d words", n, got)
		}
		if err := ValidateMnemonic(m); err != nil {
			t.Errorf("NewMnemonic(%d) does not validate: %v", n, err)
		}
		m2, _ := NewMnemonic(n)
		if m == m2 {
			t.Errorf("two NewMnemonic(%d) calls returned the same phrase", n)
		}
		if _, err := FromSURI(m + "//hot"); err != nil {
			t.Errorf("FromSURI(new %d-word mnemonic): %v", n, err)
		}
	}
	for _, n := range []int{-1, 0, 11, 13, 25, 27} {
		if _, err := NewMnemonic(n); !errors.Is(err, ErrInvalidMnemonic) || !strings.Contains(err.Error(), "word count") {
			t.Errorf("NewMnemonic(%d) error = %v, want ErrInvalidMnemonic naming the word count", n, err)
		}
	}
}

func TestValidateMnemonic(t *testing.T) {
	ok := []string{
		DevPhrase,
		crowdPhrase,
		"  " + strings.ReplaceAll(DevPhrase, " ", "\n\t ") + "\n",
		"legal winner thank year wave sausage worth useful legal winner thank year wave sausage wise",
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
	}
	for _, m := range ok {
		if err := ValidateMnemonic(m); err != nil {
			t.Errorf("ValidateMnemonic(%q) = %v", m, err)
		}
	}
	bad := []struct {
		m, mention string
	}{
		{"", "0 words"},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit", "11 words"},
		{DevPhrase + " walk", "13 words"},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit fit", "bad checksum"},
		{"walk drive obey lake curtain smoke basket hold race lonely fit bottom", "bad checksum"},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit walkk", `word 12 is not in the BIP-39 English word list`},
		{"Bottom drive obey lake curtain smoke basket hold race lonely fit walk", `word 1 is not in the BIP-39 English word list (words are lower-case)`},
		{"bottom drive obey lake curtain smoke basket hold race lonely fit 0x00", `word 12 is not in the BIP-39 English word list`},
	}
	for _, tt := range bad {
		err := ValidateMnemonic(tt.m)
		if !errors.Is(err, ErrInvalidMnemonic) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("ValidateMnemonic(%q) = %v, want ErrInvalidMnemonic mentioning %q", tt.m, err, tt.mention)
		}
		for _, secretWord := range []string{"walkk", "Bottom", "0x00"} {
			if strings.Contains(tt.m, secretWord) && strings.Contains(err.Error(), secretWord) {
				t.Errorf("ValidateMnemonic error %q echoes the word %q of the phrase", err, secretWord)
			}
		}
	}
}
