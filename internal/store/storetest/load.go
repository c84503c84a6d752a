package storetest

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testLoadAccount: LoadAccount returns everything of one account, and
// nothing of another.
func testLoadAccount(t *testing.T, s store.Store) {
	setup(t, s)
	ctx := t.Context()
	arn := policyARN(acct1, "/", "p")
	update(t, s, func(tx store.Tx) error {
		for _, a := range []string{acct1, acct2} {
			if err := tx.CreateUser(ctx, user(a, "alice")); err != nil {
				return err
			}
		}
		steps := []error{
			tx.CreateUser(ctx, user(acct1, "Bob")),
			tx.CreateGroup(ctx, group(acct1, "devs")),
			tx.CreateRole(ctx, role(acct1, "app")),
			tx.CreatePolicy(ctx, policy(acct1, "p")),
			tx.CreatePolicyVersion(ctx, store.PolicyVersion{Account: acct1, PolicyName: "p", VersionID: "v1", Document: "doc-1", CreateDate: t0}),
			tx.CreatePolicyVersion(ctx, store.PolicyVersion{Account: acct1, PolicyName: "p", VersionID: "v2", Document: "doc-2", CreateDate: at(1)}),
			tx.AddUserToGroup(ctx, acct1, "Bob", "devs"),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "devs", PolicyARN: arn}),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindRole, OwnerName: "app", PolicyARN: arn}),
			tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct1, OwnerKind: store.KindUser, OwnerName: "alice", Name: "own", Document: "inline"}),
			tx.CreateAccessKey(ctx, key(acct1, "alice", "AKIALOAD000000000001", t0)),
			tx.CreateAccessKey(ctx, key(acct1, "", "AKIALOADROOT00000001", t0)),
			tx.CreateAccessKey(ctx, key(acct2, "alice", "AKIALOADOTHER0000001", t0)),
		}
		for _, err := range steps {
			if err != nil {
				return err
			}
		}
		return nil
	})
	var d store.AccountData
	view(t, s, func(r store.Reader) error {
		var err error
		d, err = r.LoadAccount(ctx, acct1)
		return err
	})
	require.Equal(t, acct1, d.Account.ID)
	users := names(d.Users, userName)
	sort.Strings(users)
	require.Equal(t, []string{"Bob", "alice"}, users)
	require.Equal(t, []string{"devs"}, names(d.Groups, groupName))
	require.Len(t, d.Roles, 1)
	require.Equal(t, "app", d.Roles[0].Name)
	require.Len(t, d.Policies, 1)
	require.Len(t, d.PolicyVersions, 2)
	require.Equal(t, []store.Membership{{Account: acct1, UserName: "Bob", GroupName: "devs"}}, d.Memberships)
	require.Len(t, d.Attachments, 2)
	for _, a := range d.Attachments {
		require.Equal(t, arn, a.PolicyARN)
	}
	require.Len(t, d.InlinePolicies, 1)
	require.Equal(t, store.KindUser, d.InlinePolicies[0].OwnerKind)
	require.Equal(t, "alice", d.InlinePolicies[0].OwnerName)
	require.Equal(t, "inline", d.InlinePolicies[0].Document)
	keys := keyIDs(d.AccessKeys)
	sort.Strings(keys)
	require.Equal(t, []string{"AKIALOAD000000000001", "AKIALOADROOT00000001"}, keys, "root keys too; no other account's")

	view(t, s, func(r store.Reader) error {
		_, err := r.LoadAccount(ctx, "999999999999")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}
