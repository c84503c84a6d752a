package iam

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Console passwords are stored only as argon2id hashes in PHC string
// form, $argon2id$v=19$m=19456,t=2,p=1$SALT$KEY (unpadded standard
// base64), with OWASP's recommended parameters.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
	// argonMaxMemory bounds the memory cost a stored hash may ask for, so
	// that a damaged row cannot make verification exhaust memory.
	argonMaxMemory = 256 * 1024
	argonMaxTime   = 16
)

// passwordHasher hashes and verifies passwords, at most a fixed number at
// a time: each hash takes 19 MiB, so unbounded parallel sign-ins would be
// a memory exhaustion attack.
type passwordHasher struct {
	slots chan struct{}
}

func newPasswordHasher(n int) *passwordHasher {
	return &passwordHasher{slots: make(chan struct{}, max(n, 1))}
}

// acquire waits for a free slot or for ctx to end.
func (h *passwordHasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *passwordHasher) release() { <-h.slots }

// hash returns the PHC string of password under a new random salt.
func (h *passwordHasher) hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	h.release()
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verify reports whether password matches the PHC string phc, comparing
// in constant time. The parameters come from phc, so hashes made with
// other parameters still verify.
func (h *passwordHasher) verify(ctx context.Context, phc, password string) (bool, error) {
	p, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	h.release()
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type phcHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

var errBadPHC = errors.New("iam: stored password hash is not an argon2id PHC string")

// parsePHC parses an argon2id PHC string, refusing parameters outside
// sane bounds.
func parsePHC(s string) (phcHash, error) {
	var p phcHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, errBadPHC
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &threads); err != nil || n != 3 {
		return p, errBadPHC
	}
	if p.memory < 8 || p.memory > argonMaxMemory || p.time < 1 || p.time > argonMaxTime || threads < 1 || threads > 255 {
		return p, errBadPHC
	}
	p.threads = uint8(threads)
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return p, errBadPHC
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, errBadPHC
	}
	return p, nil
}

// needsRehash reports whether a stored hash was made with other
// parameters than the current ones, so that a sign-in that verifies it
// should store a new hash of the password (upgrade on login).
func needsRehash(phc string) bool {
	p, err := parsePHC(phc)
	return err != nil || p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen
}
