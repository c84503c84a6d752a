// Package secrets seals secrets at rest (secret access keys, MFA seeds,
// session-token keys) with AES-256-GCM under a master key, each ciphertext
// bound to the identity of its record, so a ciphertext moved to another
// row does not open. It imports nothing of Warden's.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the master key's size in bytes.
const KeySize = 32

// version is the first byte of every sealed value: the format and the key
// generation, so a later key rotation can tell old ciphertexts apart.
const version byte = 1

// ErrOpen is returned when a sealed value does not open: the wrong master
// key, a tampered value, or a value sealed for another record.
var ErrOpen = errors.New("secrets: cannot open sealed value")

// Keyring seals and opens values under the master key.
type Keyring struct {
	aead cipher.AEAD
}

// New returns a Keyring for a 32-byte master key.
func New(key []byte) (*Keyring, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secrets: the master key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, err
	}
	return &Keyring{aead: aead}, nil
}

// Seal encrypts plaintext bound to aad, the identity of the record that
// holds it (for example "access-key:AKIA…").
func (k *Keyring) Seal(plaintext []byte, aad string) []byte {
	out := []byte{version}
	return k.aead.Seal(out, nil, plaintext, []byte(aad))
}

// Open decrypts a value sealed for aad.
func (k *Keyring) Open(sealed []byte, aad string) ([]byte, error) {
	if len(sealed) < 1 || sealed[0] != version {
		return nil, ErrOpen
	}
	pt, err := k.aead.Open(nil, nil, sealed[1:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// ParseKey reads a master key written as 64 hex digits or as standard
// base64 of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	return nil, fmt.Errorf("secrets: a master key is %d bytes written as 64 hex digits or base64", KeySize)
}

// LoadOrCreateKeyFile reads the master key from path, or, when the file
// does not exist, generates one and writes it with mode 0600. It refuses a
// key file that others can read.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("secrets: create master key: %w", err)
		}
		if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
			f.Close()
			return nil, err
		}
		return key, f.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: read master key: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secrets: master key file %s is readable by others (mode %v); chmod 600 it", path, info.Mode().Perm())
	}
	return ParseKey(string(data))
}
