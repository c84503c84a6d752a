// Package oidctest runs a local OpenID Connect issuer for tests: an
// httptest TLS server serving a discovery document and a JSON Web Key Set
// of keys generated in the test, and signs tokens with them.
package oidctest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Issuer is a running test issuer.
type Issuer struct {
	Server *httptest.Server
	// URL is the issuer URL (https://127.0.0.1:PORT); Host is it without
	// https://, as IAM names the provider.
	URL  string
	Host string
	// JWKSHits counts fetches of the key set.
	JWKSHits atomic.Int64

	mu    sync.Mutex
	keys  map[string]crypto.Signer // kid -> private key, published
	delay time.Duration
	jwks  []byte // when set, served instead of the keys
}

// Start starts an issuer with an RSA key "rsa1" and an EC key "ec1".
func Start(t testing.TB) *Issuer {
	t.Helper()
	is := &Issuer{keys: map[string]crypto.Signer{"rsa1": NewRSAKey(t), "ec1": NewECKey(t)}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": is.URL, "jwks_uri": is.URL + "/keys",
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256"}})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		is.JWKSHits.Add(1)
		is.mu.Lock()
		delay, body := is.delay, is.jwks
		if body == nil {
			body = is.keySetLocked()
		}
		is.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				// Never an empty 200: a key set that did not come
				// is a broken connection to the client.
				panic(http.ErrAbortHandler)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	is.Server = httptest.NewTLSServer(mux)
	t.Cleanup(is.Server.Close)
	is.URL = is.Server.URL
	is.Host = strings.TrimPrefix(is.URL, "https://")
	return is
}

func (is *Issuer) keySetLocked() []byte {
	var set jose.JSONWebKeySet
	for kid, k := range is.keys {
		alg := jose.RS256
		if _, ok := k.(*ecdsa.PrivateKey); ok {
			alg = jose.ES256
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public(), KeyID: kid, Algorithm: string(alg), Use: "sig"})
	}
	b, _ := json.Marshal(set)
	return b
}

// Pool is a CA pool that trusts the issuer's certificate.
func (is *Issuer) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(is.Server.Certificate())
	return p
}

// Key returns a published key.
func (is *Issuer) Key(kid string) crypto.Signer {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.keys[kid]
}

// AddKey publishes a key under kid.
func (is *Issuer) AddKey(kid string, k crypto.Signer) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys[kid] = k
}

// SetDelay makes the key set answer after d.
func (is *Issuer) SetDelay(d time.Duration) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.delay = d
}

// SetJWKS serves body as the key set.
func (is *Issuer) SetJWKS(body []byte) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.jwks = body
}

// Claims are the standard claims of a valid token for client, expiring
// in an hour.
func (is *Issuer) Claims(client, sub string, now time.Time) map[string]any {
	return map[string]any{"iss": is.URL, "aud": client, "sub": sub, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// Sign signs claims with key under kid (RS256 for RSA keys, ES256 for EC).
func Sign(t testing.TB, key crypto.Signer, kid string, claims map[string]any) string {
	t.Helper()
	alg := jose.RS256
	if _, ok := key.(*ecdsa.PrivateKey); ok {
		alg = jose.ES256
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NewRSAKey returns a new 2048-bit RSA key.
func NewRSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// NewECKey returns a new P-256 key.
func NewECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
