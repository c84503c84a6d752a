package oidc_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sts/oidc"
	"github.com/warden-iam/warden/internal/sts/oidc/oidctest"
)

const client = "sts.amazonaws.com"

// clock is a settable clock.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func provider(is *oidctest.Issuer, thumbprints ...string) oidc.Provider {
	return oidc.Provider{Account: "123456789012", URL: is.Host, ClientIDs: []string{"other", client}, Thumbprints: thumbprints, Version: "v1"}
}

func requireCode(t *testing.T, err error, code string) *awserr.Error {
	t.Helper()
	var ae *awserr.Error
	require.True(t, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(t, code, ae.Code, ae.Message)
	return ae
}

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestVerify(t *testing.T) {
	is := oidctest.Start(t)
	other := oidctest.Start(t)
	clk := newClock()
	v := oidc.New(oidc.Config{RootCAs: is.Pool(), Now: clk.Now})
	ctx := context.Background()
	now := clk.Now()
	good := func() map[string]any { return is.Claims(client, "repo:org/repo:ref:refs/heads/main", now) }
	with := func(k string, val any) map[string]any {
		c := good()
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	payload := b64(good())
	hsInput := b64(map[string]any{"alg": "HS256", "typ": "JWT", "kid": "rsa1"}) + "." + payload
	pub, err := x509.MarshalPKIXPublicKey(is.Key("rsa1").Public())
	require.NoError(t, err)
	mac := hmac.New(sha256.New, pub)
	mac.Write([]byte(hsInput))
	hs256 := hsInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	t.Run("rsa", func(t *testing.T) {
		tok, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("amr", []string{"a", "b"})))
		require.NoError(t, err)
		require.Equal(t, "repo:org/repo:ref:refs/heads/main", tok.Subject)
		require.Equal(t, client, tok.Audience)
		require.Equal(t, []string{"a", "b"}, tok.AMR)
	})
	t.Run("ec", func(t *testing.T) {
		_, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("ec1"), "ec1", good()))
		require.NoError(t, err)
	})
	t.Run("aud-list", func(t *testing.T) {
		tok, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("aud", []string{"x", client})))
		require.NoError(t, err)
		require.Equal(t, client, tok.Audience)
	})
	t.Run("nbf-within-skew", func(t *testing.T) {
		_, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("nbf", now.Add(4*time.Minute).Unix())))
		require.NoError(t, err)
	})

	for _, tc := range []struct {
		name, token, code string
	}{
		{"alg-none-with-signature-part", b64(map[string]any{"alg": "none"}) + "." + payload + ".", "InvalidIdentityToken"},
		{"alg-none-without-signature-part", b64(map[string]any{"alg": "none"}) + "." + payload, "InvalidIdentityToken"},
		{"hs256-with-rsa-public-key", hs256, "InvalidIdentityToken"},
		{"garbage", "abcd", "InvalidIdentityToken"},
		{"key-not-in-jwks-same-kid", oidctest.Sign(t, oidctest.NewRSAKey(t), "rsa1", good()), "InvalidIdentityToken"},
		{"key-not-in-jwks-unknown-kid", oidctest.Sign(t, oidctest.NewRSAKey(t), "nope", good()), "InvalidIdentityToken"},
		{"key-not-in-jwks-no-kid", oidctest.Sign(t, oidctest.NewRSAKey(t), "", good()), "InvalidIdentityToken"},
		{"another-providers-key", oidctest.Sign(t, other.Key("rsa1"), "rsa1", good()), "InvalidIdentityToken"},
		{"iss-trailing-slash", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("iss", is.URL+"/")), "InvalidIdentityToken"},
		{"iss-other", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("iss", other.URL)), "InvalidIdentityToken"},
		{"aud-not-in-client-list", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("aud", "someone-else")), "InvalidIdentityToken"},
		{"aud-missing", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("aud", nil)), "InvalidIdentityToken"},
		{"expired", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("exp", now.Add(-time.Second).Unix())), "ExpiredTokenException"},
		{"exp-missing", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("exp", nil)), "InvalidIdentityToken"},
		{"nbf-beyond-skew", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("nbf", now.Add(6*time.Minute).Unix())), "InvalidIdentityToken"},
		{"iat-beyond-skew", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("iat", now.Add(6*time.Minute).Unix())), "InvalidIdentityToken"},
		{"sub-missing", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("sub", nil)), "InvalidIdentityToken"},
		{"sub-empty", oidctest.Sign(t, is.Key("rsa1"), "rsa1", with("sub", "")), "InvalidIdentityToken"},
		{"tampered-payload", func() string {
			parts := strings.Split(oidctest.Sign(t, is.Key("rsa1"), "rsa1", good()), ".")
			return parts[0] + "." + b64(with("sub", "admin")) + "." + parts[2]
		}(), "InvalidIdentityToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(ctx, provider(is), tc.token)
			requireCode(t, err, tc.code)
		})
	}
}

func TestVerifyTLSTrust(t *testing.T) {
	is := oidctest.Start(t)
	ctx := context.Background()
	token := func() string { return oidctest.Sign(t, is.Key("rsa1"), "rsa1", is.Claims(client, "alice", time.Now())) }
	thumb := oidc.Thumbprint(is.Server.Certificate())

	t.Run("no-thumbprint-untrusted-ca", func(t *testing.T) {
		v := oidc.New(oidc.Config{}) // the system pool does not know the test CA
		ae := requireCode(t, func() error { _, err := v.Verify(ctx, provider(is), token()); return err }(), "InvalidIdentityToken")
		require.Equal(t, "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint", ae.Message)
		require.Zero(t, is.JWKSHits.Load(), "no key set is read from an untrusted server")
	})
	t.Run("wrong-thumbprint", func(t *testing.T) {
		v := oidc.New(oidc.Config{})
		_, err := v.Verify(ctx, provider(is, strings.Repeat("0", 40)), token())
		requireCode(t, err, "InvalidIdentityToken")
	})
	t.Run("thumbprint-of-the-certificate", func(t *testing.T) {
		v := oidc.New(oidc.Config{})
		_, err := v.Verify(ctx, provider(is, strings.ToUpper(thumb)), token())
		require.NoError(t, err)
	})
	t.Run("ca-pool", func(t *testing.T) {
		v := oidc.New(oidc.Config{RootCAs: is.Pool()})
		_, err := v.Verify(ctx, provider(is), token())
		require.NoError(t, err)
	})
}

func TestVerifyJWKSAbuse(t *testing.T) {
	ctx := context.Background()

	t.Run("slow-jwks", func(t *testing.T) {
		is := oidctest.Start(t)
		is.SetDelay(5 * time.Second)
		v := oidc.New(oidc.Config{RootCAs: is.Pool(), Timeout: 300 * time.Millisecond})
		start := time.Now()
		_, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("rsa1"), "rsa1", is.Claims(client, "alice", time.Now())))
		requireCode(t, err, "IDPCommunicationError")
		require.Less(t, time.Since(start), 2*time.Second)
	})
	t.Run("oversized-jwks", func(t *testing.T) {
		is := oidctest.Start(t)
		is.SetJWKS([]byte(`{"keys":[],"pad":"` + strings.Repeat("a", 2<<10) + `"}`))
		v := oidc.New(oidc.Config{RootCAs: is.Pool(), MaxBytes: 1 << 10})
		_, err := v.Verify(ctx, provider(is), oidctest.Sign(t, is.Key("rsa1"), "rsa1", is.Claims(client, "alice", time.Now())))
		requireCode(t, err, "InvalidIdentityToken")
	})
	t.Run("kid-flood", func(t *testing.T) {
		is := oidctest.Start(t)
		clk := newClock()
		v := oidc.New(oidc.Config{RootCAs: is.Pool(), Now: clk.Now})
		p := provider(is)
		_, err := v.Verify(ctx, p, oidctest.Sign(t, is.Key("rsa1"), "rsa1", is.Claims(client, "alice", clk.Now())))
		require.NoError(t, err)
		require.EqualValues(t, 1, is.JWKSHits.Load())

		attacker := oidctest.NewRSAKey(t)
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := v.Verify(ctx, p, oidctest.Sign(t, attacker, fmt.Sprintf("random-%d", i), is.Claims(client, "alice", clk.Now())))
				if err == nil {
					t.Error("a token signed by an unknown key was accepted")
				}
			}()
		}
		wg.Wait()
		require.LessOrEqual(t, is.JWKSHits.Load(), int64(2), "a kid flood triggers at most one refetch")

		// A rotated key is picked up once the interval has passed.
		is.AddKey("rsa2", oidctest.NewRSAKey(t))
		clk.Advance(61 * time.Second)
		_, err = v.Verify(ctx, p, oidctest.Sign(t, is.Key("rsa2"), "rsa2", is.Claims(client, "alice", clk.Now())))
		require.NoError(t, err)
	})
}
