package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func testKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := New(bytes.Repeat([]byte{7}, KeySize))
	require.NoError(t, err)
	return k
}

func TestSealOpen(t *testing.T) {
	k := testKeyring(t)
	sealed := k.Seal([]byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "access-key:AKIAEXAMPLE")
	require.NotContains(t, string(sealed), "wJalrXUtnFEMI", "the plaintext does not show")
	pt, err := k.Open(sealed, "access-key:AKIAEXAMPLE")
	require.NoError(t, err)
	require.Equal(t, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", string(pt))

	again := k.Seal(pt, "access-key:AKIAEXAMPLE")
	require.NotEqual(t, sealed, again, "random nonces")
}

func TestOpenRefusesMovedTamperedOrForeign(t *testing.T) {
	k := testKeyring(t)
	a := k.Seal([]byte("secret-a"), "access-key:A")
	b := k.Seal([]byte("secret-b"), "access-key:B")
	// Swapping two rows' ciphertexts: neither opens.
	_, err := k.Open(a, "access-key:B")
	require.ErrorIs(t, err, ErrOpen)
	_, err = k.Open(b, "access-key:A")
	require.ErrorIs(t, err, ErrOpen)
	for i := range a {
		m := bytes.Clone(a)
		m[i] ^= 1
		_, err := k.Open(m, "access-key:A")
		require.ErrorIs(t, err, ErrOpen, "byte %d flipped", i)
	}
	other, err := New(bytes.Repeat([]byte{8}, KeySize))
	require.NoError(t, err)
	_, err = other.Open(a, "access-key:A")
	require.ErrorIs(t, err, ErrOpen)
	_, err = k.Open(nil, "access-key:A")
	require.ErrorIs(t, err, ErrOpen)
}

func TestNewRejectsShortKeys(t *testing.T) {
	_, err := New(make([]byte, 16))
	require.Error(t, err)
}

func TestParseKey(t *testing.T) {
	hexKey := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	k, err := ParseKey(hexKey + "\n")
	require.NoError(t, err)
	require.Len(t, k, KeySize)
	k2, err := ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	require.NoError(t, err)
	require.Equal(t, k, k2)
	_, err = ParseKey("too-short")
	require.Error(t, err)
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "master.key")
	k1, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	k2, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	require.Equal(t, k1, k2, "the key persists")

	require.NoError(t, os.Chmod(path, 0o644))
	_, err = LoadOrCreateKeyFile(path)
	require.ErrorContains(t, err, "readable by others")

	require.NoError(t, os.WriteFile(path, []byte("garbage"), 0o600))
	_, err = LoadOrCreateKeyFile(path)
	require.Error(t, err, "a garbled key file refuses to start rather than serve")
}
