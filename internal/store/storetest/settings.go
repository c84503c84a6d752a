package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func testAccountSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	settings := func(acct string) map[string]string {
		var m map[string]string
		view(t, s, func(r store.Reader) error {
			var err error
			m, err = r.GetAccountSettings(ctx, acct)
			return err
		})
		return m
	}
	require.Equal(t, map[string]string{}, settings(acct1))
	update(t, s, func(tx store.Tx) error {
		return tx.PutAccountSettings(ctx, acct1, map[string]string{"a": "1", "B": "two\x00"})
	})
	require.Equal(t, map[string]string{"a": "1", "B": "two\x00"}, settings(acct1))
	// Names are case-sensitive; a value replaces, "" removes.
	update(t, s, func(tx store.Tx) error {
		return tx.PutAccountSettings(ctx, acct1, map[string]string{"A": "x", "a": "3", "B": "", "gone": ""})
	})
	require.Equal(t, map[string]string{"a": "3", "A": "x"}, settings(acct1))
	require.Equal(t, map[string]string{}, settings(acct2), "settings are per account")

	err := updateErr(t, s, func(tx store.Tx) error {
		return tx.PutAccountSettings(ctx, "999999999999", map[string]string{"a": "1"})
	})
	requireIs(t, err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Equal(t, map[string]string{}, settings(acct1), "the --dev reset clears settings")
}
