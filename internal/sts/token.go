package sts

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Kind is the kind of principal a session acts as.
type Kind uint8

// The session kinds.
const (
	// KindAssumedRole: a role session (AssumeRole*).
	KindAssumedRole Kind = iota + 1
	// KindFederatedUser: a GetFederationToken session.
	KindFederatedUser
	// KindUser: a GetSessionToken session of an IAM user.
	KindUser
	// KindRoot: a GetSessionToken session of the root user.
	KindRoot
)

// Tag is a session tag.
type Tag struct {
	Key   string
	Value string
}

// Session is what a session token carries.
type Session struct {
	Kind    Kind
	Account string
	// AccessKeyID and Secret are the session's credentials.
	AccessKeyID string
	Secret      string
	Issued      time.Time
	Expires     time.Time

	// RoleName, RoleID and RolePath name the role of a role session;
	// SessionName is its RoleSessionName.
	RoleName    string
	RoleID      string
	RolePath    string
	SessionName string
	// UserName and UserID name the IAM user behind a GetSessionToken or
	// GetFederationToken session; FederatedName is the federated user's name.
	UserName      string
	UserID        string
	FederatedName string

	SourceIdentity string
	MFA            bool
	MFAAuthTime    time.Time
	// Chained is set for a role session made by another role session.
	Chained bool
	// Tags are session tags; TransitiveKeys the keys passed on when the
	// session assumes another role.
	Tags           []Tag
	TransitiveKeys []string
	// Policy and PolicyARNs are the session policies.
	Policy     string
	PolicyARNs []string
	// Provider is the identity provider of a web-identity or SAML session
	// (aws:FederatedProvider); ProviderKeys are the claim condition keys it
	// vouched for (e.g. "token.actions.githubusercontent.com:sub").
	Provider     string
	ProviderKeys []Tag
}

// tokenBufs holds decode buffers for Open.
var tokenBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// tokenVersion is the first byte of every token's sealed form.
const tokenVersion byte = 1

// Errors of Open. The caller turns them into AWS's error codes.
var (
	// ErrTokenInvalid: not a token this deployment sealed (or tampered).
	ErrTokenInvalid = errors.New("sts: invalid session token")
	// ErrTokenExpired: a valid token past its expiry.
	ErrTokenExpired = errors.New("sts: session token expired")
	// ErrUnknownKey: the token names a sealing key this node does not
	// have (yet): another node may have created it.
	ErrUnknownKey = fmt.Errorf("%w: unknown sealing key", ErrTokenInvalid)
)

// Sealer seals and opens session tokens. Its keys have ids so that a new
// key can seal while older tokens still open with theirs.
type Sealer struct {
	keys    map[string]cipher.AEAD
	current string
	// opened caches the sessions of tokens already opened, so that a
	// client's repeated requests verify with one map lookup. Only tokens
	// that opened are cached, keyed by their whole text.
	mu     sync.RWMutex
	opened map[string]*Session
}

// maxOpened bounds the cache of opened tokens.
const maxOpened = 50_000

// NewSealer returns a Sealer over keys (id → 32-byte key), sealing with
// the key named current.
func NewSealer(keys map[string][]byte, current string) (*Sealer, error) {
	s := &Sealer{keys: map[string]cipher.AEAD{}, current: current}
	for id, k := range keys {
		if len(id) == 0 || len(id) > 255 {
			return nil, fmt.Errorf("sts: key id %q must be 1 to 255 bytes", id)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("sts: key %s: %w", id, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, err
		}
		s.keys[id] = aead
	}
	if _, ok := s.keys[current]; !ok {
		return nil, fmt.Errorf("sts: no key %q to seal with", current)
	}
	return s, nil
}

// Seal returns the session token for sess.
func (s *Sealer) Seal(sess *Session) string {
	header := append([]byte{tokenVersion, byte(len(s.current))}, s.current...)
	sealed := s.keys[s.current].Seal(header, nil, encodeSession(sess), header)
	return base64.StdEncoding.EncodeToString(sealed)
}

// Open verifies a token and returns its session; callers must not modify
// the session. It returns
// ErrTokenInvalid for anything not sealed by one of the keys, and
// ErrTokenExpired (with the session) when now is past its expiry.
func (s *Sealer) Open(token string, now time.Time) (*Session, error) {
	s.mu.RLock()
	sess, ok := s.opened[token]
	s.mu.RUnlock()
	if !ok {
		var err error
		if sess, err = s.open(token); err != nil {
			return nil, err
		}
		s.mu.Lock()
		if s.opened == nil || len(s.opened) >= maxOpened {
			s.opened = make(map[string]*Session)
		}
		s.opened[token] = sess
		s.mu.Unlock()
	}
	if !now.Before(sess.Expires) {
		return sess, ErrTokenExpired
	}
	return sess, nil
}

// open verifies and decodes a token, without the cache.
func (s *Sealer) open(token string) (*Session, error) {
	if len(token) > 16<<10 {
		return nil, ErrTokenInvalid
	}
	// Decode into a pooled buffer: the plaintext is copied out by
	// decodeSession, so the buffer goes back to the pool.
	bp := tokenBufs.Get().(*[]byte)
	defer tokenBufs.Put(bp)
	if need := base64.StdEncoding.DecodedLen(len(token)); cap(*bp) < need {
		*bp = make([]byte, need)
	}
	n, err := base64.StdEncoding.Decode((*bp)[:cap(*bp)], []byte(token))
	raw := (*bp)[:n]
	if err != nil || len(raw) < 2 || raw[0] != tokenVersion {
		return nil, ErrTokenInvalid
	}
	kl := int(raw[1])
	if len(raw) < 2+kl {
		return nil, ErrTokenInvalid
	}
	header, body := raw[:2+kl], raw[2+kl:]
	aead, ok := s.keys[string(header[2:])]
	if !ok {
		return nil, ErrUnknownKey
	}
	plain, err := aead.Open(body[:0], nil, body, header)
	if err != nil {
		return nil, ErrTokenInvalid
	}
	sess, err := decodeSession(plain)
	if err != nil {
		return nil, ErrTokenInvalid
	}
	return sess, nil
}

// encodeSession writes a session in a compact, versioned binary form:
// fields in a fixed order, strings and lists length-prefixed.
func encodeSession(s *Session) []byte {
	var w writer
	w.byte(byte(s.Kind))
	w.strs(s.Account, s.AccessKeyID, s.Secret)
	w.time(s.Issued)
	w.time(s.Expires)
	w.strs(s.RoleName, s.RoleID, s.RolePath, s.SessionName, s.UserName, s.UserID, s.FederatedName, s.SourceIdentity)
	w.bool(s.MFA)
	w.time(s.MFAAuthTime)
	w.bool(s.Chained)
	w.tags(s.Tags)
	w.list(s.TransitiveKeys)
	w.str(s.Policy)
	w.list(s.PolicyARNs)
	w.str(s.Provider)
	w.tags(s.ProviderKeys)
	return w.b
}

func decodeSession(b []byte) (*Session, error) {
	// One string holds the whole plaintext; every field is a substring of
	// it, so decoding allocates once for the text, not once per field.
	r := reader{b: string(b)}
	s := &Session{Kind: Kind(r.byte())}
	s.Account, s.AccessKeyID, s.Secret = r.str(), r.str(), r.str()
	s.Issued, s.Expires = r.time(), r.time()
	s.RoleName, s.RoleID, s.RolePath, s.SessionName = r.str(), r.str(), r.str(), r.str()
	s.UserName, s.UserID, s.FederatedName, s.SourceIdentity = r.str(), r.str(), r.str(), r.str()
	s.MFA = r.bool()
	s.MFAAuthTime = r.time()
	s.Chained = r.bool()
	s.Tags = r.tags()
	s.TransitiveKeys = r.list()
	s.Policy = r.str()
	s.PolicyARNs = r.list()
	s.Provider = r.str()
	s.ProviderKeys = r.tags()
	if r.err != nil || len(r.b) != 0 || s.Kind < KindAssumedRole || s.Kind > KindRoot {
		return nil, ErrTokenInvalid
	}
	return s, nil
}

type writer struct{ b []byte }

func (w *writer) byte(c byte) { w.b = append(w.b, c) }
func (w *writer) bool(v bool) {
	if v {
		w.byte(1)
	} else {
		w.byte(0)
	}
}
func (w *writer) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *writer) strs(ss ...string) {
	for _, s := range ss {
		w.str(s)
	}
}
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.b = binary.AppendVarint(w.b, 0)
		return
	}
	w.b = binary.AppendVarint(w.b, t.UnixMilli())
}
func (w *writer) list(l []string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(l)))
	for _, s := range l {
		w.str(s)
	}
}
func (w *writer) tags(tags []Tag) {
	w.b = binary.AppendUvarint(w.b, uint64(len(tags)))
	for _, t := range tags {
		w.str(t.Key)
		w.str(t.Value)
	}
}

type reader struct {
	b   string
	err error
}

var errShort = errors.New("short")

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) < 1 {
		r.err = errShort
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}
func (r *reader) bool() bool { return r.byte() == 1 }
func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := uvarintString(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

// uvarintString is binary.Uvarint over a string.
func uvarintString(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -(i + 1)
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
func (r *reader) str() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}
func (r *reader) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	ux, n := uvarintString(r.b)
	if n <= 0 {
		r.err = errShort
		return time.Time{}
	}
	v := int64(ux >> 1) // zig-zag, as binary.AppendVarint writes it
	if ux&1 != 0 {
		v = ^v
	}
	r.b = r.b[n:]
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
func (r *reader) list() []string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShort
		return nil
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for i := uint64(0); i < n; i++ {
		out = append(out, r.str())
	}
	return out
}
func (r *reader) tags() []Tag {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errShort
		return nil
	}
	if n == 0 {
		return nil
	}
	out := make([]Tag, 0, n)
	for i := uint64(0); i < n; i++ {
		out = append(out, Tag{Key: r.str(), Value: r.str()})
	}
	return out
}
