package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func attachmentARNs(as []store.Attachment) []string {
	return names(as, func(a store.Attachment) string { return a.PolicyARN })
}

func inlineNames(ps []store.InlinePolicy) []string {
	return names(ps, func(p store.InlinePolicy) string { return p.Name })
}

func keyIDs(ks []store.AccessKey) []string {
	return names(ks, func(k store.AccessKey) string { return k.ID })
}

// testRenameCarriesRelations: renaming a user, group or role keeps its
// memberships, attachments, inline policies and (users) access keys, now
// reported under the new name; the old name is gone.
func testRenameCarriesRelations(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	arnA := policyARN(acct1, "/", "A")
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "alice")),
			tx.CreateGroup(ctx, group(acct1, "devs")),
			tx.CreateRole(ctx, role(acct1, "runner")),
			tx.AddUserToGroup(ctx, acct1, "alice", "devs"),
			tx.CreateAccessKey(ctx, key(acct1, "alice", "AKIAALICE00000000001", t0)),
		} {
			if err != nil {
				return err
			}
		}
		for _, o := range []struct {
			kind store.EntityKind
			name string
		}{{store.KindUser, "alice"}, {store.KindGroup, "devs"}, {store.KindRole, "runner"}} {
			if err := tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: o.kind, OwnerName: o.name, PolicyARN: arnA}); err != nil {
				return err
			}
			if err := tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct1, OwnerKind: o.kind, OwnerName: o.name, Name: "inline", Document: "{}"}); err != nil {
				return err
			}
		}
		return nil
	})

	update(t, s, func(tx store.Tx) error {
		u := user(acct1, "Alice2")
		u.Path = "/moved/"
		if err := tx.UpdateUser(ctx, "ALICE", u); err != nil {
			return err
		}
		if err := tx.UpdateGroup(ctx, "devs", group(acct1, "Developers")); err != nil {
			return err
		}
		return tx.UpdateRole(ctx, "runner", role(acct1, "Builder"))
	})

	view(t, s, func(r store.Reader) error {
		_, err := r.GetUser(ctx, acct1, "alice")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.ListAttachments(ctx, acct1, store.KindUser, "alice")
		requireIs(t, err, store.ErrNotFound)

		gs, err := r.ListGroupsForUser(ctx, acct1, "alice2", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"Developers"}, names(gs.Items, groupName))
		us, err := r.ListGroupUsers(ctx, acct1, "developers", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"Alice2"}, names(us.Items, userName))
		require.Equal(t, "/moved/", us.Items[0].Path)

		for _, o := range []struct {
			kind store.EntityKind
			name string
		}{{store.KindUser, "Alice2"}, {store.KindGroup, "Developers"}, {store.KindRole, "Builder"}} {
			as, err := r.ListAttachments(ctx, acct1, o.kind, o.name)
			require.NoError(t, err)
			requireEqual(t, []store.Attachment{{Account: acct1, OwnerKind: o.kind, OwnerName: o.name, PolicyARN: arnA}}, as)
			ps, err := r.ListInlinePolicies(ctx, acct1, o.kind, o.name)
			require.NoError(t, err)
			requireEqual(t, []store.InlinePolicy{{Account: acct1, OwnerKind: o.kind, OwnerName: o.name, Name: "inline", Document: "{}"}}, ps)
		}
		pa, err := r.ListPolicyAttachments(ctx, acct1, arnA)
		require.NoError(t, err)
		requireEqual(t, []store.Attachment{
			{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "Developers", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindRole, OwnerName: "Builder", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "Alice2", PolicyARN: arnA},
		}, pa)

		k, err := r.GetAccessKey(ctx, "AKIAALICE00000000001")
		require.NoError(t, err)
		require.Equal(t, "Alice2", k.UserName)
		ks, err := r.ListAccessKeys(ctx, acct1, "alice2")
		require.NoError(t, err)
		requireEqual(t, []string{"AKIAALICE00000000001"}, keyIDs(ks))
		return nil
	})
}

// testDeleteCascades: deleting an entity removes what hangs from it, and
// nothing else.
func testDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	arnA := policyARN(acct1, "/", "A")
	arnP := policyARN(acct1, "/team/", "Managed")
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "alice")),
			tx.CreateUser(ctx, user(acct1, "bob")),
			tx.CreateGroup(ctx, group(acct1, "devs")),
			tx.CreateRole(ctx, role(acct1, "runner")),
			tx.CreatePolicy(ctx, func() store.Policy { p := policy(acct1, "Managed"); p.Path = "/team/"; return p }()),
			tx.CreatePolicyVersion(ctx, store.PolicyVersion{Account: acct1, PolicyName: "Managed", VersionID: "v1", Document: "{}", CreateDate: t0}),
			tx.AddUserToGroup(ctx, acct1, "alice", "devs"),
			tx.AddUserToGroup(ctx, acct1, "bob", "devs"),
			tx.CreateAccessKey(ctx, key(acct1, "alice", "AKIAALICE00000000001", t0)),
			tx.CreateAccessKey(ctx, key(acct1, "bob", "AKIABOB0000000000001", t0)),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "alice", PolicyARN: arnA}),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "bob", PolicyARN: arnA}),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindRole, OwnerName: "runner", PolicyARN: arnP}),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "bob", PolicyARN: arnP}),
			tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct1, OwnerKind: store.KindUser, OwnerName: "alice", Name: "p", Document: "{}"}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "alice") })
	// Re-creating the name starts empty.
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "alice")) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetAccessKey(ctx, "AKIAALICE00000000001")
		requireIs(t, err, store.ErrNotFound)
		us, err := r.ListGroupUsers(ctx, acct1, "devs", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"bob"}, names(us.Items, userName))
		gs, err := r.ListGroupsForUser(ctx, acct1, "alice", store.PageRequest{})
		require.NoError(t, err)
		require.Empty(t, gs.Items)
		as, err := r.ListAttachments(ctx, acct1, store.KindUser, "alice")
		require.NoError(t, err)
		require.Empty(t, as)
		ps, err := r.ListInlinePolicies(ctx, acct1, store.KindUser, "alice")
		require.NoError(t, err)
		require.Empty(t, ps)
		ks, err := r.ListAccessKeys(ctx, acct1, "alice")
		require.NoError(t, err)
		require.Empty(t, ks)
		// bob is untouched.
		_, err = r.GetAccessKey(ctx, "AKIABOB0000000000001")
		require.NoError(t, err)
		pa, err := r.ListPolicyAttachments(ctx, acct1, arnA)
		require.NoError(t, err)
		requireEqual(t, []string{"bob"}, names(pa, func(a store.Attachment) string { return a.OwnerName }))
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, acct1, "devs") })
	view(t, s, func(r store.Reader) error {
		gs, err := r.ListGroupsForUser(ctx, acct1, "bob", store.PageRequest{})
		require.NoError(t, err)
		require.Empty(t, gs.Items)
		return nil
	})

	// Deleting a managed policy deletes its versions and detaches it
	// (attachments name it by ARN).
	update(t, s, func(tx store.Tx) error { return tx.DeletePolicy(ctx, acct1, "managed") })
	update(t, s, func(tx store.Tx) error { return tx.CreatePolicy(ctx, policy(acct1, "Managed")) })
	view(t, s, func(r store.Reader) error {
		vs, err := r.ListPolicyVersions(ctx, acct1, "Managed")
		require.NoError(t, err)
		require.Empty(t, vs)
		pa, err := r.ListPolicyAttachments(ctx, acct1, arnP)
		require.NoError(t, err)
		require.Empty(t, pa)
		as, err := r.ListAttachments(ctx, acct1, store.KindUser, "bob")
		require.NoError(t, err)
		requireEqual(t, []string{arnA}, attachmentARNs(as))
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "runner") })
	update(t, s, func(tx store.Tx) error { return tx.CreateRole(ctx, role(acct1, "runner")) })
	view(t, s, func(r store.Reader) error {
		as, err := r.ListAttachments(ctx, acct1, store.KindRole, "runner")
		require.NoError(t, err)
		require.Empty(t, as)
		return nil
	})
}

func testGroupMembership(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, n := range []string{"carol", "Alice", "bob"} {
			if err := tx.CreateUser(ctx, user(acct1, n)); err != nil {
				return err
			}
		}
		for _, n := range []string{"ops", "Devs", "all"} {
			if err := tx.CreateGroup(ctx, group(acct1, n)); err != nil {
				return err
			}
		}
		for _, m := range [][2]string{{"carol", "all"}, {"alice", "all"}, {"BOB", "all"}, {"alice", "ops"}, {"alice", "devs"}} {
			if err := tx.AddUserToGroup(ctx, acct1, m[0], m[1]); err != nil {
				return err
			}
		}
		// Idempotent.
		return tx.AddUserToGroup(ctx, acct1, "ALICE", "ALL")
	})
	view(t, s, func(r store.Reader) error {
		us, err := r.ListGroupUsers(ctx, acct1, "All", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"Alice", "bob", "carol"}, names(us.Items, userName))
		gs, err := r.ListGroupsForUser(ctx, acct1, "alice", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"all", "Devs", "ops"}, names(gs.Items, groupName))
		gs, err = r.ListGroupsForUser(ctx, acct1, "bob", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"all"}, names(gs.Items, groupName))

		_, err = r.ListGroupUsers(ctx, acct1, "nogroup", store.PageRequest{})
		requireIs(t, err, store.ErrNotFound)
		_, err = r.ListGroupsForUser(ctx, acct1, "nobody", store.PageRequest{})
		requireIs(t, err, store.ErrNotFound)
		return nil
	})

	for _, tc := range []struct{ name, user, group string }{
		{"add-missing-user", "nobody", "all"},
		{"add-missing-group", "alice", "nogroup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.AddUserToGroup(ctx, acct1, tc.user, tc.group) }), store.ErrNotFound)
		})
	}
	for _, tc := range []struct{ name, user, group string }{
		{"remove-missing-user", "nobody", "all"},
		{"remove-missing-group", "alice", "nogroup"},
		{"remove-non-member", "bob", "ops"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.RemoveUserFromGroup(ctx, acct1, tc.user, tc.group) }), store.ErrNotFound)
		})
	}
	update(t, s, func(tx store.Tx) error { return tx.RemoveUserFromGroup(ctx, acct1, "Alice", "ALL") })
	view(t, s, func(r store.Reader) error {
		us, err := r.ListGroupUsers(ctx, acct1, "all", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"bob", "carol"}, names(us.Items, userName))
		gs, err := r.ListGroupsForUser(ctx, acct1, "alice", store.PageRequest{})
		require.NoError(t, err)
		requireEqual(t, []string{"Devs", "ops"}, names(gs.Items, groupName))
		return nil
	})
}

func testAttachments(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	arnB := policyARN(acct1, "/", "B")
	arnA := policyARN(acct1, "/", "A")
	aws := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "zed")),
			tx.CreateUser(ctx, user(acct1, "Amy")),
			tx.CreateGroup(ctx, group(acct1, "devs")),
			tx.CreateRole(ctx, role(acct1, "runner")),
			tx.CreateUser(ctx, user(acct2, "zed")),
		} {
			if err != nil {
				return err
			}
		}
		for _, a := range []store.Attachment{
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnB},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: aws},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "ZED", PolicyARN: arnA}, // idempotent
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "amy", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindRole, OwnerName: "runner", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "devs", PolicyARN: arnA},
			{Account: acct2, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnA},
		} {
			if err := tx.Attach(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(r store.Reader) error {
		as, err := r.ListAttachments(ctx, acct1, store.KindUser, "Zed")
		require.NoError(t, err)
		requireEqual(t, []store.Attachment{
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnB},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: aws},
		}, as)
		pa, err := r.ListPolicyAttachments(ctx, acct1, arnA)
		require.NoError(t, err)
		requireEqual(t, []store.Attachment{
			{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "devs", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindRole, OwnerName: "runner", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "Amy", PolicyARN: arnA},
			{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: arnA},
		}, pa)
		pa, err = r.ListPolicyAttachments(ctx, acct1, "arn:aws:iam::111111111111:policy/none")
		require.NoError(t, err)
		require.Empty(t, pa)
		_, err = r.ListAttachments(ctx, acct1, store.KindUser, "nobody")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.ListAttachments(ctx, acct1, store.KindGroup, "zed") // a user, not a group
		requireIs(t, err, store.ErrNotFound)
		return nil
	})

	for _, tc := range []struct {
		name string
		a    store.Attachment
	}{
		{"attach-missing-owner", store.Attachment{Account: acct1, OwnerKind: store.KindRole, OwnerName: "nobody", PolicyARN: arnA}},
		{"attach-wrong-account", store.Attachment{Account: acct2, OwnerKind: store.KindRole, OwnerName: "runner", PolicyARN: arnA}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.Attach(ctx, tc.a) }), store.ErrNotFound)
		})
	}
	for _, tc := range []struct {
		name string
		a    store.Attachment
	}{
		{"detach-not-attached", store.Attachment{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "devs", PolicyARN: arnB}},
		{"detach-missing-owner", store.Attachment{Account: acct1, OwnerKind: store.KindGroup, OwnerName: "nobody", PolicyARN: arnA}},
		{"detach-arn-is-case-sensitive", store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "zed", PolicyARN: policyARN(acct1, "/", "a")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.Detach(ctx, tc.a) }), store.ErrNotFound)
		})
	}
	update(t, s, func(tx store.Tx) error {
		return tx.Detach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "ZED", PolicyARN: arnA})
	})
	view(t, s, func(r store.Reader) error {
		as, err := r.ListAttachments(ctx, acct1, store.KindUser, "zed")
		require.NoError(t, err)
		requireEqual(t, []string{arnB, aws}, attachmentARNs(as))
		// acct2's zed keeps its attachment.
		as, err = r.ListAttachments(ctx, acct2, store.KindUser, "zed")
		require.NoError(t, err)
		requireEqual(t, []string{arnA}, attachmentARNs(as))
		return nil
	})
}

func testBoundaryUses(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	b := policyARN(acct1, "/", "Boundary")
	other := policyARN(acct1, "/", "Other")
	update(t, s, func(tx store.Tx) error {
		u1 := user(acct1, "u1")
		u1.PermissionsBoundary = b
		u2 := user(acct1, "u2")
		u2.PermissionsBoundary = other
		r1 := role(acct1, "r1")
		r1.PermissionsBoundary = b
		x := user(acct2, "u1")
		x.PermissionsBoundary = b
		for _, err := range []error{
			tx.CreateUser(ctx, u1), tx.CreateUser(ctx, u2), tx.CreateUser(ctx, user(acct1, "u3")),
			tx.CreateRole(ctx, r1), tx.CreateRole(ctx, role(acct1, "r2")), tx.CreateUser(ctx, x),
			tx.Attach(ctx, store.Attachment{Account: acct1, OwnerKind: store.KindUser, OwnerName: "u3", PolicyARN: b}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	count := func(arn string) int {
		var n int
		view(t, s, func(r store.Reader) error {
			var err error
			n, err = r.CountBoundaryUses(ctx, acct1, arn)
			return err
		})
		return n
	}
	require.Equal(t, 2, count(b), "u1 and r1; not acct2's u1, not an attachment")
	require.Equal(t, 1, count(other))
	require.Equal(t, 0, count(policyARN(acct1, "/", "None")))
	// Clearing the boundary stops counting it.
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "u1", user(acct1, "u1")) })
	require.Equal(t, 1, count(b))
	update(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "r1") })
	require.Equal(t, 0, count(b))
}

func testInlinePolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "same")),
			tx.CreateGroup(ctx, group(acct1, "same")),
			tx.CreateRole(ctx, role(acct1, "same")),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	for _, kind := range []store.EntityKind{store.KindUser, store.KindGroup, store.KindRole} {
		t.Run(string(kind), func(t *testing.T) {
			ip := func(name, doc string) store.InlinePolicy {
				return store.InlinePolicy{Account: acct1, OwnerKind: kind, OwnerName: "same", Name: name, Document: doc}
			}
			update(t, s, func(tx store.Tx) error {
				for _, p := range []store.InlinePolicy{ip("zeta", `{"z":1}`), ip("Alpha", `{"a":1}`), ip("beta", `{"b":1}`)} {
					if err := tx.PutInlinePolicy(ctx, p); err != nil {
						return err
					}
				}
				return nil
			})
			view(t, s, func(r store.Reader) error {
				ps, err := r.ListInlinePolicies(ctx, acct1, kind, "SAME")
				require.NoError(t, err)
				requireEqual(t, []store.InlinePolicy{ip("Alpha", `{"a":1}`), ip("beta", `{"b":1}`), ip("zeta", `{"z":1}`)}, ps)
				p, err := r.GetInlinePolicy(ctx, acct1, kind, "same", "ALPHA")
				require.NoError(t, err)
				requireEqual(t, ip("Alpha", `{"a":1}`), p)
				_, err = r.GetInlinePolicy(ctx, acct1, kind, "same", "gamma")
				requireIs(t, err, store.ErrNotFound)
				_, err = r.GetInlinePolicy(ctx, acct1, kind, "nobody", "alpha")
				requireIs(t, err, store.ErrNotFound)
				_, err = r.ListInlinePolicies(ctx, acct1, kind, "nobody")
				requireIs(t, err, store.ErrNotFound)
				return nil
			})
			// Put replaces the policy whose name matches case-insensitively;
			// the stored name takes the new case.
			update(t, s, func(tx store.Tx) error { return tx.PutInlinePolicy(ctx, ip("ALPHA", `{"a":2}`)) })
			view(t, s, func(r store.Reader) error {
				p, err := r.GetInlinePolicy(ctx, acct1, kind, "same", "alpha")
				require.NoError(t, err)
				requireEqual(t, ip("ALPHA", `{"a":2}`), p)
				ps, err := r.ListInlinePolicies(ctx, acct1, kind, "same")
				require.NoError(t, err)
				require.Len(t, ps, 3)
				return nil
			})
			requireIs(t, updateErr(t, s, func(tx store.Tx) error {
				return tx.PutInlinePolicy(ctx, store.InlinePolicy{Account: acct1, OwnerKind: kind, OwnerName: "nobody", Name: "x", Document: "{}"})
			}), store.ErrNotFound)
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteInlinePolicy(ctx, acct1, kind, "same", "gamma") }), store.ErrNotFound)
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteInlinePolicy(ctx, acct1, kind, "nobody", "zeta") }), store.ErrNotFound)
			update(t, s, func(tx store.Tx) error { return tx.DeleteInlinePolicy(ctx, acct1, kind, "same", "Zeta") })
			view(t, s, func(r store.Reader) error {
				ps, err := r.ListInlinePolicies(ctx, acct1, kind, "same")
				require.NoError(t, err)
				requireEqual(t, []string{"ALPHA", "beta"}, inlineNames(ps))
				return nil
			})
		})
	}
	// Each owner has its own policies: the three kinds above share the
	// owner name "same" and still have three policies each.
	view(t, s, func(r store.Reader) error {
		for _, kind := range []store.EntityKind{store.KindUser, store.KindGroup, store.KindRole} {
			ps, err := r.ListInlinePolicies(ctx, acct1, kind, "same")
			require.NoError(t, err)
			require.Len(t, ps, 2, string(kind))
		}
		return nil
	})
}

func testPolicyVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	pv := func(id string, minute int) store.PolicyVersion {
		return store.PolicyVersion{Account: acct1, PolicyName: "Managed", VersionID: id, Document: `{"v":"` + id + `"}`, CreateDate: at(minute)}
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreatePolicy(ctx, policy(acct1, "Managed")); err != nil {
			return err
		}
		// v10 after v9: newest first must not be text order.
		for i, id := range []string{"v1", "v2", "v9", "v10"} {
			if err := tx.CreatePolicyVersion(ctx, pv(id, i)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(r store.Reader) error {
		vs, err := r.ListPolicyVersions(ctx, acct1, "managed")
		require.NoError(t, err)
		requireEqual(t, []store.PolicyVersion{pv("v10", 3), pv("v9", 2), pv("v2", 1), pv("v1", 0)}, vs)
		v, err := r.GetPolicyVersion(ctx, acct1, "MANAGED", "v2")
		require.NoError(t, err)
		requireEqual(t, pv("v2", 1), v)
		_, err = r.GetPolicyVersion(ctx, acct1, "Managed", "v3")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetPolicyVersion(ctx, acct1, "Nobody", "v1")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreatePolicyVersion(ctx, pv("v2", 7)) }), store.ErrAlreadyExists)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		v := pv("v1", 0)
		v.PolicyName = "Nobody"
		return tx.CreatePolicyVersion(ctx, v)
	}), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeletePolicyVersion(ctx, acct1, "Managed", "v3") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeletePolicyVersion(ctx, acct1, "managed", "v9") })
	// A later version with the same create date still lists first.
	update(t, s, func(tx store.Tx) error { return tx.CreatePolicyVersion(ctx, pv("v11", 3)) })
	view(t, s, func(r store.Reader) error {
		vs, err := r.ListPolicyVersions(ctx, acct1, "Managed")
		require.NoError(t, err)
		requireEqual(t, []string{"v11", "v10", "v2", "v1"}, names(vs, func(v store.PolicyVersion) string { return v.VersionID }))
		_, err = r.GetPolicyVersion(ctx, acct1, "Managed", "v9")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}

func testAccessKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	kAlice1 := key(acct1, "alice", "AKIAALICE00000000001", at(2))
	kAlice2 := key(acct1, "alice", "AKIAALICE00000000002", at(1))
	kRoot := key(acct1, "", "AKIAROOT000000000001", at(0))
	kOther := key(acct2, "alice", "AKIAOTHER00000000001", at(0))
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateUser(ctx, user(acct1, "Alice")),
			tx.CreateUser(ctx, user(acct2, "alice")),
			tx.CreateAccessKey(ctx, kAlice1),
			tx.CreateAccessKey(ctx, kAlice2),
			tx.CreateAccessKey(ctx, kRoot),
			tx.CreateAccessKey(ctx, kOther),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	// Keys report the user's stored name.
	kAlice1.UserName, kAlice2.UserName = "Alice", "Alice"
	view(t, s, func(r store.Reader) error {
		for _, want := range []store.AccessKey{kAlice1, kAlice2, kRoot, kOther} {
			got, err := r.GetAccessKey(ctx, want.ID)
			require.NoError(t, err)
			requireEqual(t, want, got)
		}
		_, err := r.GetAccessKey(ctx, "AKIANOSUCHKEY0000001")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetAccessKey(ctx, "akiaalice00000000001")
		requireIs(t, err, store.ErrNotFound, "key ids are case-sensitive")

		ks, err := r.ListAccessKeys(ctx, acct1, "ALICE")
		require.NoError(t, err)
		requireEqual(t, []store.AccessKey{kAlice2, kAlice1}, ks) // oldest first
		ks, err = r.ListAccessKeys(ctx, acct1, "")
		require.NoError(t, err)
		requireEqual(t, []store.AccessKey{kRoot}, ks)
		ks, err = r.ListAccessKeys(ctx, acct2, "")
		require.NoError(t, err)
		require.Empty(t, ks)
		_, err = r.ListAccessKeys(ctx, acct1, "nobody")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})

	for _, tc := range []struct {
		name string
		k    store.AccessKey
		want error
	}{
		{"duplicate-id", key(acct1, "alice", kAlice1.ID, t0), store.ErrAlreadyExists},
		{"duplicate-id-other-account", key(acct2, "alice", kAlice1.ID, t0), store.ErrAlreadyExists},
		{"missing-user", key(acct1, "nobody", "AKIANOBODY0000000001", t0), store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateAccessKey(ctx, tc.k) }), tc.want)
		})
	}

	// UpdateAccessKey changes status and last-used fields only.
	upd := kAlice1
	upd.Status = store.KeyInactive
	upd.LastUsedDate = at(30)
	upd.LastUsedService = "iam"
	upd.LastUsedRegion = "us-east-1"
	ignored := upd
	ignored.SealedSecret = []byte("other")
	ignored.CreateDate = at(99)
	ignored.UserName = "someone"
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccessKey(ctx, ignored) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateAccessKey(ctx, key(acct1, "alice", "AKIANOSUCHKEY0000001", t0))
	}), store.ErrNotFound)
	view(t, s, func(r store.Reader) error {
		got, err := r.GetAccessKey(ctx, kAlice1.ID)
		require.NoError(t, err)
		requireEqual(t, upd, got)
		return nil
	})

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccessKey(ctx, kAlice2.ID) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteAccessKey(ctx, kAlice2.ID) }), store.ErrNotFound)
	view(t, s, func(r store.Reader) error {
		_, err := r.GetAccessKey(ctx, kAlice2.ID)
		requireIs(t, err, store.ErrNotFound)
		ks, err := r.ListAccessKeys(ctx, acct1, "alice")
		require.NoError(t, err)
		requireEqual(t, []string{kAlice1.ID}, keyIDs(ks))
		return nil
	})
}
