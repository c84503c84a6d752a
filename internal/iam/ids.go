package iam

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// Unique-id prefixes AWS uses.
const (
	prefixUser      = "AIDA"
	prefixGroup     = "AGPA"
	prefixRole      = "AROA"
	prefixPolicy    = "ANPA"
	prefixAccessKey = "AKIA"
)

// newID returns an id of AWS's shape: a 4-letter prefix and 17 characters
// of upper-case base32, 21 in all.
func newID(prefix string) string {
	return prefix + randomBase32(17)
}

// NewAccessKeyID returns a long-term access key id: AKIA and 16 characters.
func NewAccessKeyID() string { return prefixAccessKey + randomBase32(16) }

// NewSecretAccessKey returns a 40-character secret access key.
func NewSecretAccessKey() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 40)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func randomBase32(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	s := base32.StdEncoding.EncodeToString(b)
	return strings.ToUpper(s[:n])
}
