package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// Run runs the conformance suite. newStore must return a new, empty,
// migrated store for each call and close it through t.Cleanup. Every
// subtest gets its own store, so a subtest runs alone with
// -run 'TestX/Name'.
//
// Times in the suite have microsecond precision (PostgreSQL's); a
// backend must return them equal (time.Time.Equal) to what it was given.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Ping", testPing},
		{"Accounts", testAccounts},
		{"Users", testUsers},
		{"Groups", testGroups},
		{"Roles", testRoles},
		{"Policies", testPolicies},
		{"CaseInsensitiveNames", testCaseInsensitiveNames},
		{"EntityNeedsAccount", testEntityNeedsAccount},
		{"RenameCarriesRelations", testRenameCarriesRelations},
		{"DeleteCascades", testDeleteCascades},
		{"PathPrefix", testPathPrefix},
		{"ListOrder", testListOrder},
		{"Pagination", testPagination},
		{"GroupMembership", testGroupMembership},
		{"Attachments", testAttachments},
		{"BoundaryUses", testBoundaryUses},
		{"InlinePolicies", testInlinePolicies},
		{"PolicyVersions", testPolicyVersions},
		{"AccessKeys", testAccessKeys},
		{"MultiAccountIsolation", testMultiAccountIsolation},
		{"ConcurrentCreateUser", testConcurrentCreateUser},
		{"ConcurrentKeyLimit", testConcurrentKeyLimit},
		{"Revision", testRevision},
		{"RecordKeepsRevision", testRecordKeepsRevision},
		{"Rollback", testRollback},
		{"SpecialStrings", testSpecialStrings},
		{"DeleteAccountData", testDeleteAccountData},
		{"LoadAccount", testLoadAccount},
		{"OIDCProviders", testOIDCProviders},
		{"SAMLProviders", testSAMLProviders},
		{"ProviderOrderAndIsolation", testProviderOrderAndIsolation},
		{"ServiceKeys", testServiceKeys},
		{"AssertionIDs", testAssertionIDs},
		{"DeleteAccountDataProviders", testDeleteAccountDataProviders},
		{"MFADevices", testMFADevices},
		{"MFAAssignment", testMFAAssignment},
		{"MFAIsolation", testMFAIsolation},
		{"DeleteAccountDataMFA", testDeleteAccountDataMFA},
		{"InstanceProfiles", testInstanceProfiles},
		{"InstanceProfileRoles", testInstanceProfileRoles},
		{"AccountAliases", testAccountAliases},
		{"AccountSettings", testAccountSettings},
		{"ServerCertificates", testServerCertificates},
		{"UserCredentials", testUserCredentials},
		{"Organizations", testOrganizations},
		{"OrganizationChanges", testOrganizationChanges},
		{"DeleteAccountDataOrganizations", testDeleteAccountDataOrganizations},
		{"OrgFeatures", testOrgFeatures},
		{"OrgHandshakes", testOrgHandshakes},
		{"ServiceAccess", testServiceAccess},
		{"AccessReportJobs", testAccessReportJobs},
		{"LoginProfiles", testLoginProfiles},
		{"PasswordPolicies", testPasswordPolicies},
		{"SigningCertificates", testSigningCertificates},
		{"CredentialReports", testCredentialReports},
		{"DeleteAccountDataLogins", testDeleteAccountDataLogins},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

// The two accounts every subtest starts with (see setup).
const (
	acct1 = "111111111111"
	acct2 = "222222222222"
)

// t0 is the suite's clock; microsecond precision (see Run).
var t0 = time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// diffOpts: nil and empty slices are the same; time.Time compares with
// Equal (cmp uses the Equal method), so locations do not matter.
var diffOpts = cmp.Options{cmpopts.EquateEmpty()}

func requireEqual(t *testing.T, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, diffOpts); d != "" {
		t.Fatalf("mismatch (-want +got):\n%s", d)
	}
}

// setup creates acct1 and acct2.
func setup(t *testing.T, s store.Store) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, a := range []string{acct1, acct2} {
			if err := tx.CreateAccount(t.Context(), store.Account{ID: a, CreateDate: t0}); err != nil {
				return err
			}
		}
		return nil
	})
}

// update runs fn in s.Update and requires success.
func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	require.NoError(t, s.Update(t.Context(), fn))
}

// updateErr runs fn in s.Update and returns its error.
func updateErr(t *testing.T, s store.Store, fn func(tx store.Tx) error) error {
	t.Helper()
	return s.Update(t.Context(), fn)
}

// view runs fn in s.View and requires success.
func view(t *testing.T, s store.Store, fn func(r store.Reader) error) {
	t.Helper()
	require.NoError(t, s.View(t.Context(), fn))
}

// requireIs fails unless errors.Is(err, target).
func requireIs(t *testing.T, err, target error, msgAndArgs ...any) {
	t.Helper()
	require.ErrorIs(t, err, target, msgAndArgs...)
}

func user(acct, name string) store.User {
	return store.User{Account: acct, Name: name, Path: "/", ID: "AIDA" + acct + name, CreateDate: t0}
}

func group(acct, name string) store.Group {
	return store.Group{Account: acct, Name: name, Path: "/", ID: "AGPA" + acct + name, CreateDate: t0}
}

func role(acct, name string) store.Role {
	return store.Role{
		Account: acct, Name: name, Path: "/", ID: "AROA" + acct + name, CreateDate: t0,
		AssumeRolePolicy:   `{"Version":"2012-10-17","Statement":[]}`,
		MaxSessionDuration: 3600,
	}
}

func policy(acct, name string) store.Policy {
	return store.Policy{
		Account: acct, Name: name, Path: "/", ID: "ANPA" + acct + name,
		DefaultVersion: "v1", NextVersion: 2, CreateDate: t0, UpdateDate: t0,
	}
}

func policyARN(acct, path, name string) string {
	return "arn:aws:iam::" + acct + ":policy" + path + name
}

func key(acct, userName, id string, created time.Time) store.AccessKey {
	return store.AccessKey{
		ID: id, Account: acct, UserName: userName, Status: store.KeyActive,
		CreateDate: created, SealedSecret: []byte("sealed:" + id),
	}
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out
}

func userName(u store.User) string   { return u.Name }
func groupName(g store.Group) string { return g.Name }
func roleName(r store.Role) string   { return r.Name }
func policyName(p store.Policy) string {
	return p.Name
}

func testPing(t *testing.T, s store.Store) {
	require.NoError(t, s.Ping(t.Context()))
}

func testAccounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	update(t, s, func(tx store.Tx) error {
		for _, a := range []string{"333333333333", acct2, acct1} {
			if err := tx.CreateAccount(ctx, store.Account{ID: a, CreateDate: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	err := updateErr(t, s, func(tx store.Tx) error {
		return tx.CreateAccount(ctx, store.Account{ID: acct1, CreateDate: t0})
	})
	requireIs(t, err, store.ErrAlreadyExists)
	view(t, s, func(r store.Reader) error {
		a, err := r.GetAccount(ctx, acct1)
		require.NoError(t, err)
		requireEqual(t, store.Account{ID: acct1, CreateDate: t0}, a)
		_, err = r.GetAccount(ctx, "999999999999")
		requireIs(t, err, store.ErrNotFound)
		all, err := r.ListAccounts(ctx)
		require.NoError(t, err)
		requireEqual(t, []string{acct1, acct2, "333333333333"}, names(all, func(a store.Account) string { return a.ID }))
		return nil
	})
}

func testUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	u := store.User{
		Account: acct1, Name: "Alice", Path: "/eng/", ID: "AIDAALICE0000000000001", CreateDate: t0,
		PermissionsBoundary: policyARN(acct1, "/", "Boundary"),
		Tags:                []store.Tag{{Key: "team", Value: "core"}, {Key: "cost", Value: "42"}},
		PasswordLastUsed:    at(5),
	}
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, u) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetUser(ctx, acct1, "Alice")
		require.NoError(t, err)
		requireEqual(t, u, got)
		return nil
	})

	// Update replaces every field; tags keep their order.
	u2 := u
	u2.Path = "/ops/"
	u2.PermissionsBoundary = ""
	u2.Tags = []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}}
	u2.PasswordLastUsed = time.Time{}
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "Alice", u2) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetUser(ctx, acct1, "alice")
		require.NoError(t, err)
		requireEqual(t, u2, got)
		require.True(t, got.PasswordLastUsed.IsZero())
		return nil
	})

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "nobody", user(acct1, "nobody")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "nobody") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "ALICE") })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetUser(ctx, acct1, "Alice")
		requireIs(t, err, store.ErrNotFound)
		p, err := r.ListUsers(ctx, acct1, "/", store.PageRequest{})
		require.NoError(t, err)
		require.Empty(t, p.Items)
		require.False(t, p.Truncated)
		return nil
	})
	// The name is free again.
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "alice")) })
}

func testGroups(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	g := store.Group{Account: acct1, Name: "Admins", Path: "/org/", ID: "AGPAADMINS00000000001", CreateDate: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateGroup(ctx, g) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetGroup(ctx, acct1, "admins")
		require.NoError(t, err)
		requireEqual(t, g, got)
		return nil
	})
	g2 := g
	g2.Name = "Operators"
	g2.Path = "/org/ops/"
	update(t, s, func(tx store.Tx) error { return tx.UpdateGroup(ctx, "ADMINS", g2) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetGroup(ctx, acct1, "Admins")
		requireIs(t, err, store.ErrNotFound)
		got, err := r.GetGroup(ctx, acct1, "operators")
		require.NoError(t, err)
		requireEqual(t, g2, got)
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateGroup(ctx, "Admins", g) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, acct1, "Admins") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, acct1, "Operators") })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetGroup(ctx, acct1, "Operators")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}

func testRoles(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	r := store.Role{
		Account: acct1, Name: "Deployer", Path: "/service-role/", ID: "AROADEPLOYER000000001", CreateDate: t0,
		AssumeRolePolicy:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		Description:         "deploys things",
		MaxSessionDuration:  7200,
		PermissionsBoundary: policyARN(acct1, "/", "Boundary"),
		Tags:                []store.Tag{{Key: "env", Value: "prod"}},
		LastUsedDate:        at(9),
		LastUsedRegion:      "eu-west-1",
	}
	update(t, s, func(tx store.Tx) error { return tx.CreateRole(ctx, r) })
	view(t, s, func(rd store.Reader) error {
		got, err := rd.GetRole(ctx, acct1, "DEPLOYER")
		require.NoError(t, err)
		requireEqual(t, r, got)
		return nil
	})
	r2 := r
	r2.Description = ""
	r2.MaxSessionDuration = 3600
	r2.AssumeRolePolicy = `{"Version":"2012-10-17","Statement":[]}`
	r2.LastUsedDate = time.Time{}
	r2.LastUsedRegion = ""
	r2.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateRole(ctx, "deployer", r2) })
	view(t, s, func(rd store.Reader) error {
		got, err := rd.GetRole(ctx, acct1, "Deployer")
		require.NoError(t, err)
		requireEqual(t, r2, got)
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateRole(ctx, "nobody", role(acct1, "nobody")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "nobody") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "Deployer") })
	view(t, s, func(rd store.Reader) error {
		_, err := rd.GetRole(ctx, acct1, "Deployer")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}

func testPolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	p := store.Policy{
		Account: acct1, Name: "ReadOnly", Path: "/team/", ID: "ANPAREADONLY000000001",
		Description: "read things", DefaultVersion: "v1", NextVersion: 2,
		CreateDate: t0, UpdateDate: t0, Tags: []store.Tag{{Key: "k", Value: "v"}},
	}
	update(t, s, func(tx store.Tx) error { return tx.CreatePolicy(ctx, p) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetPolicy(ctx, acct1, "readonly")
		require.NoError(t, err)
		requireEqual(t, p, got)
		return nil
	})
	p2 := p
	p2.DefaultVersion = "v2"
	p2.NextVersion = 3
	p2.UpdateDate = at(1)
	p2.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdatePolicy(ctx, p2) })
	view(t, s, func(r store.Reader) error {
		got, err := r.GetPolicy(ctx, acct1, "ReadOnly")
		require.NoError(t, err)
		requireEqual(t, p2, got)
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdatePolicy(ctx, policy(acct1, "nobody")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeletePolicy(ctx, acct1, "nobody") }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeletePolicy(ctx, acct1, "READONLY") })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetPolicy(ctx, acct1, "ReadOnly")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}

// createNamed creates an entity of kind named name in acct.
func createNamed(tx store.Tx, t *testing.T, kind store.EntityKind, acct, name string) error {
	ctx := t.Context()
	switch kind {
	case store.KindUser:
		return tx.CreateUser(ctx, user(acct, name))
	case store.KindGroup:
		return tx.CreateGroup(ctx, group(acct, name))
	case store.KindRole:
		return tx.CreateRole(ctx, role(acct, name))
	case store.KindPolicy:
		return tx.CreatePolicy(ctx, policy(acct, name))
	}
	return fmt.Errorf("unknown kind %q", kind)
}

// renameNamed renames an entity of kind from old to name.
func renameNamed(tx store.Tx, t *testing.T, kind store.EntityKind, acct, old, name string) error {
	ctx := t.Context()
	switch kind {
	case store.KindUser:
		return tx.UpdateUser(ctx, old, user(acct, name))
	case store.KindGroup:
		return tx.UpdateGroup(ctx, old, group(acct, name))
	case store.KindRole:
		return tx.UpdateRole(ctx, old, role(acct, name))
	}
	return fmt.Errorf("kind %q cannot be renamed", kind)
}

// getName returns the stored name of the entity found by name.
func getName(r store.Reader, t *testing.T, kind store.EntityKind, acct, name string) (string, error) {
	ctx := t.Context()
	switch kind {
	case store.KindUser:
		u, err := r.GetUser(ctx, acct, name)
		return u.Name, err
	case store.KindGroup:
		g, err := r.GetGroup(ctx, acct, name)
		return g.Name, err
	case store.KindRole:
		ro, err := r.GetRole(ctx, acct, name)
		return ro.Name, err
	case store.KindPolicy:
		p, err := r.GetPolicy(ctx, acct, name)
		return p.Name, err
	}
	return "", fmt.Errorf("unknown kind %q", kind)
}

var allKinds = []store.EntityKind{store.KindUser, store.KindGroup, store.KindRole, store.KindPolicy}

func testCaseInsensitiveNames(t *testing.T, s store.Store) {
	setup(t, s)
	for _, kind := range allKinds {
		t.Run(string(kind), func(t *testing.T) {
			update(t, s, func(tx store.Tx) error { return createNamed(tx, t, kind, acct1, "Alice") })
			for _, dup := range []string{"alice", "ALICE", "Alice", "aLiCe"} {
				err := updateErr(t, s, func(tx store.Tx) error { return createNamed(tx, t, kind, acct1, dup) })
				requireIs(t, err, store.ErrAlreadyExists, "create %q after %q", dup, "Alice")
			}
			view(t, s, func(r store.Reader) error {
				for _, q := range []string{"ALICE", "alice", "Alice"} {
					got, err := getName(r, t, kind, acct1, q)
					require.NoError(t, err)
					require.Equal(t, "Alice", got, "lookup %q returns the stored case", q)
				}
				_, err := getName(r, t, kind, acct1, "Alic")
				requireIs(t, err, store.ErrNotFound)
				return nil
			})
		})
	}
	// The same name in another kind does not clash (all four exist now).
	// Renames: to a name taken case-insensitively fails; a change of case
	// only succeeds and is kept.
	for _, kind := range []store.EntityKind{store.KindUser, store.KindGroup, store.KindRole} {
		t.Run("rename-"+string(kind), func(t *testing.T) {
			update(t, s, func(tx store.Tx) error { return createNamed(tx, t, kind, acct1, "Bob") })
			err := updateErr(t, s, func(tx store.Tx) error { return renameNamed(tx, t, kind, acct1, "Bob", "aLICE") })
			requireIs(t, err, store.ErrAlreadyExists)
			update(t, s, func(tx store.Tx) error { return renameNamed(tx, t, kind, acct1, "bob", "BOB") })
			view(t, s, func(r store.Reader) error {
				got, err := getName(r, t, kind, acct1, "bob")
				require.NoError(t, err)
				require.Equal(t, "BOB", got)
				return nil
			})
		})
	}
}

func testEntityNeedsAccount(t *testing.T, s store.Store) {
	setup(t, s)
	for _, kind := range allKinds {
		err := updateErr(t, s, func(tx store.Tx) error { return createNamed(tx, t, kind, "999999999999", "x") })
		requireIs(t, err, store.ErrNotFound, "create %s in a missing account", kind)
	}
	err := updateErr(t, s, func(tx store.Tx) error {
		return tx.CreateAccessKey(t.Context(), key("999999999999", "", "AKIAROOTNOACCOUNT001", t0))
	})
	requireIs(t, err, store.ErrNotFound)
}

// errSentinel is what test closures return to force a rollback.
var errSentinel = errors.New("storetest: roll back")
