package orgs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// TestHandshakeState: an open handshake expires at its expiry; a closed
// one keeps its state; each goes 30 days after it closed or expired.
func TestHandshakeState(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	open := store.OrgHandshake{State: "OPEN", Requested: t0, Expires: t0.Add(HandshakeExpiry)}
	require.Equal(t, "OPEN", state(open, t0.Add(HandshakeExpiry-time.Second)))
	require.Equal(t, "EXPIRED", state(open, t0.Add(HandshakeExpiry)))
	require.False(t, gone(open, t0.Add(HandshakeExpiry+HandshakeRetention-time.Second)))
	require.True(t, gone(open, t0.Add(HandshakeExpiry+HandshakeRetention)))

	closed := store.OrgHandshake{State: "ACCEPTED", Requested: t0, Expires: t0.Add(HandshakeExpiry), Closed: t0.Add(time.Hour)}
	require.Equal(t, "ACCEPTED", state(closed, t0.Add(100*24*time.Hour)))
	require.False(t, gone(closed, t0.Add(time.Hour+HandshakeRetention-time.Second)))
	require.True(t, gone(closed, t0.Add(time.Hour+HandshakeRetention)))
}

func TestRecognizedServicePrincipal(t *testing.T) {
	for _, ok := range []string{"iam.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"} {
		require.NoError(t, recognized(ok), ok)
	}
	for _, bad := range []string{"example.com", ".amazonaws.com", "amazonaws.com", "iam..amazonaws.com", "iam.amazonaws.com.evil"} {
		require.Error(t, recognized(bad), bad)
	}
}
