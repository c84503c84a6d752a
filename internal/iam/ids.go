package iam

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strconv"
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

// NewAccessKeyID returns a long-term access key id of account acct: AKIA
// and 16 characters.
func NewAccessKeyID(acct string) string { return NewKeyID(prefixAccessKey, acct) }

// NewKeyID returns an access key id with the given prefix (AKIA, ASIA)
// that encodes its account, as AWS key ids do, so that GetAccessKeyInfo
// answers for any key without a lookup: 8 base32 characters hold the
// 12-digit account (40 bits), 8 more are random.
func NewKeyID(prefix, acct string) string {
	n, err := strconv.ParseUint(acct, 10, 64)
	if err != nil || len(acct) != 12 {
		return prefix + randomBase32(16)
	}
	var b [5]byte
	for i := 4; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return prefix + base32.StdEncoding.EncodeToString(b[:]) + randomBase32(8)
}

// KeyAccount returns the account a key id made by NewKeyID encodes.
func KeyAccount(id string) (string, bool) {
	if len(id) != 20 {
		return "", false
	}
	b, err := base32.StdEncoding.DecodeString(id[4:12])
	if err != nil || len(b) != 5 {
		return "", false
	}
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	if n > 999_999_999_999 {
		return "", false
	}
	return fmt.Sprintf("%012d", n), true
}

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
