package sts

import (
	"bytes"
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func testSealer(t testing.TB, keys map[string][]byte, current string) *Sealer {
	t.Helper()
	s, err := NewSealer(keys, current)
	require.NoError(t, err)
	return s
}

func fullSession() *Session {
	return &Session{
		Kind: KindAssumedRole, Account: "123456789012", AccessKeyID: "ASIAEXAMPLE000000001", Secret: "s3cr3t",
		Issued: t0, Expires: t0.Add(time.Hour), RoleName: "admin", RoleID: "AROAEXAMPLE0000000001", RolePath: "/ops/",
		SessionName: "alice", SourceIdentity: "alice@example.com", MFA: true, MFAAuthTime: t0.Add(-time.Minute),
		Chained: true, Tags: []Tag{{"team", "red"}, {"env", ""}}, TransitiveKeys: []string{"team"},
		Policy: `{"Version":"2012-10-17","Statement":[]}`, PolicyARNs: []string{"arn:aws:iam::123456789012:policy/p"},
		Provider: "token.actions.githubusercontent.com", ProviderKeys: []Tag{{"token.actions.githubusercontent.com:sub", "repo:o/r:ref:refs/heads/main"}},
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := testSealer(t, map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}, "k1")
	in := fullSession()
	tok := s.Seal(in)
	out, err := s.Open(tok, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, in, out)
	require.NotContains(t, tok, "s3cr3t")

	minimal := &Session{Kind: KindUser, Account: "123456789012", AccessKeyID: "ASIA1", Secret: "x", Issued: t0, Expires: t0.Add(time.Hour)}
	out, err = s.Open(s.Seal(minimal), t0)
	require.NoError(t, err)
	require.Equal(t, minimal, out)
}

func TestOpenExpired(t *testing.T) {
	s := testSealer(t, map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}, "k1")
	tok := s.Seal(fullSession())
	sess, err := s.Open(tok, t0.Add(time.Hour))
	require.ErrorIs(t, err, ErrTokenExpired, "at the expiry instant the token is expired")
	require.Equal(t, "alice", sess.SessionName)
	_, err = s.Open(tok, t0.Add(time.Hour-time.Millisecond))
	require.NoError(t, err)
}

func TestOpenRefusesTamperingAndForeignKeys(t *testing.T) {
	s := testSealer(t, map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}, "k1")
	tok := s.Seal(fullSession())
	raw, err := base64.StdEncoding.DecodeString(tok)
	require.NoError(t, err)
	for i := range raw {
		m := bytes.Clone(raw)
		m[i] ^= 0x20
		_, err := s.Open(base64.StdEncoding.EncodeToString(m), t0)
		require.ErrorIs(t, err, ErrTokenInvalid, "byte %d", i)
	}
	other := testSealer(t, map[string][]byte{"k1": bytes.Repeat([]byte{2}, 32)}, "k1")
	_, err = other.Open(tok, t0)
	require.ErrorIs(t, err, ErrTokenInvalid, "same key id, other key")
	for _, bad := range []string{"", "!!!", "AQ==", base64.StdEncoding.EncodeToString([]byte{1, 200})} {
		_, err := s.Open(bad, t0)
		require.ErrorIs(t, err, ErrTokenInvalid, bad)
	}
}

func TestKeyRotation(t *testing.T) {
	k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	old := testSealer(t, map[string][]byte{"k1": k1}, "k1")
	tok := old.Seal(fullSession())
	rotated := testSealer(t, map[string][]byte{"k1": k1, "k2": k2}, "k2")
	_, err := rotated.Open(tok, t0)
	require.NoError(t, err, "tokens of the previous key still open")
	newTok := rotated.Seal(fullSession())
	_, err = old.Open(newTok, t0)
	require.ErrorIs(t, err, ErrTokenInvalid, "a node without the new key refuses its tokens")
}

func TestNewSealerErrors(t *testing.T) {
	_, err := NewSealer(map[string][]byte{"k1": make([]byte, 32)}, "k2")
	require.Error(t, err)
	_, err = NewSealer(map[string][]byte{"k1": make([]byte, 7)}, "k1")
	require.Error(t, err)
}

// BenchmarkOpen measures verifying a session token: "first" opens it
// (base64, AES-GCM, decoding), "repeat" is a token the node has seen.
func BenchmarkOpen(b *testing.B) {
	s := testSealer(b, map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}, "k1")
	sess := fullSession()
	sess.Policy = ""
	tok := s.Seal(sess)
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.open(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("repeat", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Open(tok, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func FuzzOpen(f *testing.F) {
	s := testSealer(f, map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}, "k1")
	f.Add(s.Seal(fullSession()))
	f.Add("")
	f.Add("AQJrMQ==")
	f.Fuzz(func(t *testing.T, tok string) {
		sess, err := s.Open(tok, t0)
		if err == nil && sess == nil {
			t.Fatal("no session and no error")
		}
	})
}

func FuzzDecodeSession(f *testing.F) {
	f.Add(encodeSession(fullSession()))
	f.Fuzz(func(t *testing.T, b []byte) {
		sess, err := decodeSession(b)
		if err != nil {
			return
		}
		again, err := decodeSession(encodeSession(sess))
		require.NoError(t, err)
		require.Equal(t, sess, again)
	})
}
