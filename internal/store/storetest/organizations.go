package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

const (
	orgID  = "o-abcdefghij"
	rootID = "r-abcd"
)

// orgFixture creates an organization managed by acct1 with its root, an
// OU, acct1 and acct2 as members (acct2 in the OU), an SCP attached to
// the OU and the AWS-managed FullAWSAccess attached to the root, and one
// CreateAccount request. It returns what it stored.
func orgFixture(t *testing.T, s store.Store) store.OrgData {
	t.Helper()
	ctx := t.Context()
	d := store.OrgData{
		Organization: store.Organization{ID: orgID, ManagementAccount: acct1, ManagementEmail: "m@example.com", FeatureSet: "ALL", CreateDate: t0},
		Units: []store.OrgUnit{
			{Org: orgID, ID: rootID, Name: "Root", PolicyTypes: []string{"SERVICE_CONTROL_POLICY"}, CreateDate: t0},
			{Org: orgID, ID: "ou-abcd-11111111", ParentID: rootID, Name: "Eng", Tags: []store.Tag{{Key: "k", Value: "v"}}, CreateDate: at(1)},
		},
		Accounts: []store.OrgAccount{
			{Org: orgID, Account: acct1, ParentID: rootID, Email: "m@example.com", Name: "mgmt", Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "CREATED", Joined: t0},
			{Org: orgID, Account: acct2, ParentID: "ou-abcd-11111111", Email: "b@example.com", Name: "b", Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "CREATED", Joined: at(2), Tags: []store.Tag{{Key: "team", Value: "x"}},
				Delegations: []store.Delegation{{ServicePrincipal: "guardduty.amazonaws.com", Enabled: at(3)}}},
		},
		Policies: []store.OrgPolicy{
			{Org: orgID, ID: "p-abcdefgh", Name: "DenyAll", Description: "d", Type: "SERVICE_CONTROL_POLICY", Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`},
		},
		Attachments: []store.OrgAttachment{
			{Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: rootID},
			{Org: orgID, PolicyID: "p-abcdefgh", TargetID: "ou-abcd-11111111"},
		},
		Requests: []store.CreateAccountStatus{
			{Org: orgID, ID: "car-abcdefgh", AccountName: "b", State: "SUCCEEDED", AccountID: acct2, Requested: at(2), Completed: at(2)},
		},
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, d.Organization); err != nil {
			return err
		}
		for _, u := range d.Units {
			if err := tx.CreateOrgUnit(ctx, u); err != nil {
				return err
			}
		}
		for _, a := range d.Accounts {
			if err := tx.CreateOrgAccount(ctx, a); err != nil {
				return err
			}
		}
		for _, p := range d.Policies {
			if err := tx.CreateOrgPolicy(ctx, p); err != nil {
				return err
			}
		}
		for _, a := range d.Attachments {
			if err := tx.AttachOrgPolicy(ctx, a); err != nil {
				return err
			}
		}
		for _, r := range d.Requests {
			if err := tx.PutCreateAccountStatus(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	return d
}

// loadOrg loads an organization with its lists sorted by id.
func loadOrg(t *testing.T, s store.Store, id string) store.OrgData {
	t.Helper()
	var d store.OrgData
	view(t, s, func(r store.Reader) error {
		var err error
		d, err = r.LoadOrganization(t.Context(), id)
		return err
	})
	sortOrg(&d)
	return d
}

func sortOrg(d *store.OrgData) {
	slices.SortFunc(d.Units, func(a, b store.OrgUnit) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Accounts, func(a, b store.OrgAccount) int { return cmp.Compare(a.Account, b.Account) })
	slices.SortFunc(d.Policies, func(a, b store.OrgPolicy) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Attachments, func(a, b store.OrgAttachment) int {
		return cmp.Or(cmp.Compare(a.PolicyID, b.PolicyID), cmp.Compare(a.TargetID, b.TargetID))
	})
	slices.SortFunc(d.Requests, func(a, b store.CreateAccountStatus) int { return cmp.Compare(a.ID, b.ID) })
}

// testOrganizations: every record round-trips through LoadOrganization,
// ListOrganizations and OrganizationOf, with the sentinels of creation.
func testOrganizations(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	want := orgFixture(t, s)
	sortOrg(&want)
	requireEqual(t, want, loadOrg(t, s, orgID))

	view(t, s, func(r store.Reader) error {
		orgs, err := r.ListOrganizations(ctx)
		require.NoError(t, err)
		requireEqual(t, []store.Organization{want.Organization}, orgs)
		for _, a := range []string{acct1, acct2} {
			o, err := r.OrganizationOf(ctx, a)
			require.NoError(t, err)
			requireEqual(t, want.Organization, o)
		}
		_, err = r.OrganizationOf(ctx, "333333333333")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.LoadOrganization(ctx, "o-zzzzzzzzzz")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})

	for _, tc := range []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"second organization of the account", func(tx store.Tx) error {
			return tx.CreateOrganization(ctx, store.Organization{ID: "o-zzzzzzzzzz", ManagementAccount: acct1, CreateDate: t0})
		}, store.ErrAlreadyExists},
		{"organization of no account", func(tx store.Tx) error {
			return tx.CreateOrganization(ctx, store.Organization{ID: "o-zzzzzzzzzz", ManagementAccount: "333333333333", CreateDate: t0})
		}, store.ErrNotFound},
		{"duplicate OU name under one parent", func(tx store.Tx) error {
			return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: "ou-abcd-22222222", ParentID: rootID, Name: "Eng"})
		}, store.ErrAlreadyExists},
		{"OU of an absent parent", func(tx store.Tx) error {
			return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: "ou-abcd-22222222", ParentID: "ou-abcd-99999999", Name: "X"})
		}, store.ErrNotFound},
		{"OU of an absent organization", func(tx store.Tx) error {
			return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: "o-zzzzzzzzzz", ID: "r-zzzz", Name: "Root"})
		}, store.ErrNotFound},
		{"account in a second organization", func(tx store.Tx) error {
			return tx.CreateOrgAccount(ctx, store.OrgAccount{Org: orgID, Account: acct2, ParentID: rootID})
		}, store.ErrAlreadyExists},
		{"membership of an absent account", func(tx store.Tx) error {
			return tx.CreateOrgAccount(ctx, store.OrgAccount{Org: orgID, Account: "333333333333", ParentID: rootID})
		}, store.ErrNotFound},
		{"duplicate policy name", func(tx store.Tx) error {
			return tx.CreateOrgPolicy(ctx, store.OrgPolicy{Org: orgID, ID: "p-zzzzzzzz", Name: "DenyAll"})
		}, store.ErrAlreadyExists},
		{"duplicate attachment", func(tx store.Tx) error {
			return tx.AttachOrgPolicy(ctx, store.OrgAttachment{Org: orgID, PolicyID: "p-abcdefgh", TargetID: "ou-abcd-11111111"})
		}, store.ErrAlreadyExists},
		{"detach what is not attached", func(tx store.Tx) error {
			return tx.DetachOrgPolicy(ctx, store.OrgAttachment{Org: orgID, PolicyID: "p-abcdefgh", TargetID: rootID})
		}, store.ErrNotFound},
		{"update an absent OU", func(tx store.Tx) error {
			return tx.UpdateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: "ou-abcd-99999999", Name: "X"})
		}, store.ErrNotFound},
		{"move an account to an absent parent", func(tx store.Tx) error {
			return tx.UpdateOrgAccount(ctx, store.OrgAccount{Org: orgID, Account: acct2, ParentID: "ou-abcd-99999999"})
		}, store.ErrNotFound},
		{"request id of another organization", func(tx store.Tx) error {
			if err := tx.CreateOrganization(ctx, store.Organization{ID: "o-zzzzzzzzzz", ManagementAccount: acct2, CreateDate: t0}); err != nil {
				return err
			}
			return tx.PutCreateAccountStatus(ctx, store.CreateAccountStatus{Org: "o-zzzzzzzzzz", ID: "car-abcdefgh", State: "IN_PROGRESS"})
		}, store.ErrAlreadyExists},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireIs(t, updateErr(t, s, tc.fn), tc.want)
		})
	}
	// Nothing of the failed calls was kept.
	requireEqual(t, want, loadOrg(t, s, orgID))
}

// testOrganizationChanges: updates, moves, renames, deletes with their
// attachments, and the cascade of DeleteOrganization.
func testOrganizationChanges(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	want := orgFixture(t, s)
	const ou = "ou-abcd-11111111"
	update(t, s, func(tx store.Tx) error {
		u := want.Units[1]
		u.Name, u.Tags, u.CreateDate = "Engineering", nil, at(9) // the date is kept
		if err := tx.UpdateOrgUnit(ctx, u); err != nil {
			return err
		}
		a := want.Accounts[1]
		a.ParentID, a.Status, a.State, a.Joined = rootID, "SUSPENDED", "SUSPENDED", at(9) // the join date is kept
		if err := tx.UpdateOrgAccount(ctx, a); err != nil {
			return err
		}
		p := want.Policies[0]
		p.Name, p.Content = "Renamed", `{}`
		if err := tx.UpdateOrgPolicy(ctx, p); err != nil {
			return err
		}
		root := want.Units[0]
		root.PolicyTypes = []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}
		if err := tx.UpdateOrgUnit(ctx, root); err != nil {
			return err
		}
		return tx.PutCreateAccountStatus(ctx, store.CreateAccountStatus{Org: orgID, ID: "car-abcdefgh", AccountName: "b", State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS", Requested: at(2), Completed: at(3)})
	})
	want.Units[1].Name, want.Units[1].Tags = "Engineering", nil
	want.Units[0].PolicyTypes = []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}
	want.Accounts[1].ParentID, want.Accounts[1].Status, want.Accounts[1].State = rootID, "SUSPENDED", "SUSPENDED"
	want.Policies[0].Name, want.Policies[0].Content = "Renamed", `{}`
	want.Requests[0] = store.CreateAccountStatus{Org: orgID, ID: "car-abcdefgh", AccountName: "b", State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS", Requested: at(2), Completed: at(3)}
	sortOrg(&want)
	requireEqual(t, want, loadOrg(t, s, orgID))

	// A unit with children cannot go; an empty one goes with its attachments.
	update(t, s, func(tx store.Tx) error {
		return tx.CreateOrgUnit(ctx, store.OrgUnit{Org: orgID, ID: "ou-abcd-22222222", ParentID: ou, Name: "Child"})
	})
	require.Error(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteOrgUnit(ctx, orgID, ou) }))
	update(t, s, func(tx store.Tx) error {
		if err := tx.DeleteOrgUnit(ctx, orgID, "ou-abcd-22222222"); err != nil {
			return err
		}
		return tx.DeleteOrgUnit(ctx, orgID, ou)
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteOrgUnit(ctx, orgID, ou) }), store.ErrNotFound)
	got := loadOrg(t, s, orgID)
	require.Len(t, got.Units, 1)
	requireEqual(t, []store.OrgAttachment{{Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: rootID}}, got.Attachments)

	// A policy and an account go with their attachments.
	update(t, s, func(tx store.Tx) error {
		for _, a := range []store.OrgAttachment{{Org: orgID, PolicyID: "p-abcdefgh", TargetID: acct2}, {Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: acct2}} {
			if err := tx.AttachOrgPolicy(ctx, a); err != nil {
				return err
			}
		}
		return tx.DeleteOrgPolicy(ctx, orgID, "p-abcdefgh")
	})
	requireEqual(t, []store.OrgAttachment{{Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: acct2}, {Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: rootID}}, loadOrg(t, s, orgID).Attachments)
	update(t, s, func(tx store.Tx) error { return tx.DeleteOrgAccount(ctx, orgID, acct2) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteOrgAccount(ctx, orgID, acct2) }), store.ErrNotFound)
	got = loadOrg(t, s, orgID)
	require.Len(t, got.Accounts, 1)
	requireEqual(t, []store.OrgAttachment{{Org: orgID, PolicyID: "p-FullAWSAccess", TargetID: rootID}}, got.Attachments)
	view(t, s, func(r store.Reader) error {
		_, err := r.OrganizationOf(ctx, acct2)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})

	// The organization goes with everything of it; its ids are free again.
	update(t, s, func(tx store.Tx) error { return tx.DeleteOrganization(ctx, orgID) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteOrganization(ctx, orgID) }), store.ErrNotFound)
	view(t, s, func(r store.Reader) error {
		orgs, err := r.ListOrganizations(ctx)
		require.NoError(t, err)
		require.Empty(t, orgs)
		return nil
	})
	orgFixture(t, s)
}

// testDeleteAccountDataOrganizations: the --dev reset of a management
// account removes its organization; a member's reset leaves it.
func testDeleteAccountDataOrganizations(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	orgFixture(t, s)
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct2) })
	require.Len(t, loadOrg(t, s, orgID).Accounts, 2)
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	view(t, s, func(r store.Reader) error {
		_, err := r.LoadOrganization(ctx, orgID)
		requireIs(t, err, store.ErrNotFound)
		_, err = r.OrganizationOf(ctx, acct2)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
}
