package iam

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// An organization for the report tests: mgmt and b under the root, a in
// ou1, c in ou2 below ou1. ou1 has an SCP allowing IAM and STS in place
// of FullAWSAccess; ou2 denies STS.
const (
	orOrg  = "o-a1b2c3d4e5"
	orRoot = "r-ab12"
	orOU1  = "ou-ab12-11111111"
	orOU2  = "ou-ab12-22222222"
	orMgmt = "123456789012"
	orA    = "111111111111"
	orB    = "222222222222"
	orC    = "333333333333"
)

func orgReportTree(t *testing.T, s *Service, scps bool) *orgTree {
	t.Helper()
	types := []string{PolicyTypeRCP}
	if scps {
		types = append(types, PolicyTypeSCP)
	}
	d := store.OrgData{
		Organization: store.Organization{ID: orOrg, ManagementAccount: orMgmt, FeatureSet: "ALL"},
		Units: []store.OrgUnit{
			{Org: orOrg, ID: orRoot, Name: "Root", PolicyTypes: types},
			{Org: orOrg, ID: orOU1, ParentID: orRoot, Name: "one"},
			{Org: orOrg, ID: orOU2, ParentID: orOU1, Name: "two"},
		},
		Accounts: []store.OrgAccount{
			{Org: orOrg, Account: orMgmt, ParentID: orRoot}, {Org: orOrg, Account: orB, ParentID: orRoot},
			{Org: orOrg, Account: orA, ParentID: orOU1}, {Org: orOrg, Account: orC, ParentID: orOU2},
		},
		Policies: []store.OrgPolicy{
			{Org: orOrg, ID: "p-iamonly12", Name: "iam", Type: PolicyTypeSCP,
				Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:Get*"],"Resource":"*"}]}`},
			{Org: orOrg, ID: "p-nosts1234", Name: "nosts", Type: PolicyTypeSCP,
				Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:*","Resource":"*"}]}`},
			{Org: orOrg, ID: "p-rcp12345", Name: "rcp", Type: PolicyTypeRCP,
				Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`},
		},
	}
	for _, a := range [][2]string{
		{FullAWSAccess.ID, orRoot}, {FullAWSAccess.ID, orMgmt}, {FullAWSAccess.ID, orB}, {FullAWSAccess.ID, orA},
		{FullAWSAccess.ID, orOU2}, {FullAWSAccess.ID, orC}, {"p-iamonly12", orOU1}, {"p-nosts1234", orOU2},
		{"p-rcp12345", orRoot},
	} {
		d.Attachments = append(d.Attachments, store.OrgAttachment{Org: orOrg, PolicyID: a[0], TargetID: a[1]})
	}
	tree, err := s.newOrgTree(d)
	require.NoError(t, err)
	return tree
}

// TestOrgTreeResolve: which entity paths name an entity.
func TestOrgTreeResolve(t *testing.T) {
	s, _ := newTestService(t)
	tree := orgReportTree(t, s, true)
	for path, want := range map[string][]string{
		orOrg + "/" + orRoot:                                         {orRoot},
		orOrg + "/" + orRoot + "/":                                   {orRoot},
		orOrg + "/" + orRoot + "/" + orOU1 + "/" + orOU2:             {orRoot, orOU1, orOU2},
		orOrg + "/" + orRoot + "/" + orOU1 + "/" + orA:               {orRoot, orOU1, orA},
		orOrg + "/" + orRoot + "/" + orMgmt:                          {orRoot, orMgmt},
		orOrg + "/" + orRoot + "/" + orOU1 + "/" + orOU2 + "/" + orC: {orRoot, orOU1, orOU2, orC},
	} {
		got, err := tree.resolve(path)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
	for _, path := range []string{
		orOrg,
		"o-0000000000/" + orRoot,
		orOrg + "/" + orOU1,
		orOrg + "/" + orRoot + "/" + orOU2,
		orOrg + "/" + orRoot + "/" + orA,
		orOrg + "/" + orRoot + "/" + orOU1 + "/" + orA + "/" + orOU2,
		orOrg + "/" + orRoot + "//" + orB,
		orOrg + "/" + orRoot + "/" + orB + "//",
		orOrg + "/" + orRoot + "/444444444444",
	} {
		_, err := tree.resolve(path)
		requireAWSError(t, err, "InvalidInput")
	}
}

// TestOrgReportScope: the services and accounts of each kind of report.
func TestOrgReportScope(t *testing.T) {
	s, _ := newTestService(t)
	tree := orgReportTree(t, s, true)
	path := func(ids ...string) string { return tree.path(ids) }
	cases := []struct {
		name     string
		levels   []string
		policy   string
		allowed  []string // namespaces checked as allowed
		denied   []string // and as not allowed
		accounts map[string]string
	}{
		{"root", []string{orRoot}, "", []string{"iam", "sts", "s3", "ec2"}, nil,
			map[string]string{orA: path(orRoot, orOU1, orA), orB: path(orRoot, orB), orC: path(orRoot, orOU1, orOU2, orC)}},
		{"ou1", []string{orRoot, orOU1}, "", []string{"iam", "sts"}, []string{"s3", "ec2"},
			map[string]string{orA: path(orRoot, orOU1, orA), orC: path(orRoot, orOU1, orOU2, orC)}},
		// ou2 allows everything but denies STS; ou1 above it allows IAM
		// and STS: IAM only.
		{"ou2", []string{orRoot, orOU1, orOU2}, "", []string{"iam"}, []string{"sts", "s3"},
			map[string]string{orC: path(orRoot, orOU1, orOU2, orC)}},
		{"account b", []string{orRoot, orB}, "", []string{"iam", "s3"}, nil, map[string]string{orB: path(orRoot, orB)}},
		{"management", []string{orRoot, orMgmt}, "p-iamonly12", []string{"iam", "s3"}, nil, map[string]string{orMgmt: path(orRoot, orMgmt)}},
		// A policy: the services it allows, the accounts it applies to.
		{"root, policy", []string{orRoot}, "p-iamonly12", []string{"iam", "sts"}, []string{"s3"},
			map[string]string{orA: path(orRoot, orOU1, orA), orC: path(orRoot, orOU1, orOU2, orC)}},
		{"b, policy not applying", []string{orRoot, orB}, "p-iamonly12", []string{"iam"}, []string{"s3"}, map[string]string{}},
		// A deny-only SCP allows nothing.
		{"c, deny policy", []string{orRoot, orOU1, orOU2, orC}, "p-nosts1234", nil, []string{"iam", "sts"},
			map[string]string{orC: path(orRoot, orOU1, orOU2, orC)}},
	}
	for _, c := range cases {
		sc := tree.scope(c.levels, c.policy)
		for _, ns := range c.allowed {
			require.True(t, sc.allows(ns), "%s: %s", c.name, ns)
		}
		for _, ns := range c.denied {
			require.False(t, sc.allows(ns), "%s: %s", c.name, ns)
		}
		require.Equal(t, c.accounts, sc.accounts, c.name)
	}
	require.Nil(t, orgReportTree(t, s, false).scps, "SCPs not enabled")
	require.NotContains(t, tree.policies, "p-rcp12345", "an RCP is not an SCP")
}

// TestComputeOrgReport: the latest service-level access among the
// scope's accounts, the number of accounts, ties to the lower path.
func TestComputeOrgReport(t *testing.T) {
	sc := orgReportScope{
		allows:   func(ns string) bool { return ns == "iam" || ns == "sts" || ns == "s3" },
		accounts: map[string]string{orA: "o/r/ou/" + orA, orB: "o/r/" + orB},
	}
	at := func(m int) time.Time { return laT0.Add(time.Duration(m) * time.Minute) }
	accesses := []store.ServiceAccess{
		{Account: orA, Kind: store.KindUser, EntityID: "AIDA1", Service: "iam", Time: at(5), Region: "eu-west-1"},
		{Account: orA, Kind: store.KindRole, EntityID: "AROA1", Service: "iam", Time: at(7), Region: "us-east-1"},
		{Account: orA, Kind: store.KindRole, EntityID: "AROA1", Service: "iam", Action: "ListUsers", Time: at(9), Region: "us-east-1"},
		{Account: orB, Kind: store.KindUser, EntityID: "AIDA2", Service: "iam", Time: at(6), Region: "us-west-2"},
		{Account: orB, Kind: store.KindUser, EntityID: "AIDA2", Service: "sts", Time: at(3), Region: "us-west-2"},
		{Account: orA, Kind: store.KindUser, EntityID: "AIDA1", Service: "sts", Time: at(3), Region: "eu-west-1"},
		{Account: orB, Kind: store.KindUser, EntityID: "AIDA2", Service: "ec2", Time: at(8), Region: "us-west-2"}, // not allowed
		{Account: orC, Kind: store.KindUser, EntityID: "AIDA3", Service: "s3", Time: at(8), Region: "us-west-2"},  // not in scope
	}
	got := computeOrgReport(sc, accesses)
	require.Equal(t, []OrgServiceAccess{
		{ServiceName: "AWS Identity and Access Management", ServiceNamespace: "iam", LastAuthenticated: at(7),
			EntityPath: "o/r/ou/" + orA, Region: "us-east-1", TotalAuthenticatedEntities: 2},
		{ServiceName: "Amazon Simple Storage Service", ServiceNamespace: "s3"},
		{ServiceName: "AWS Security Token Service", ServiceNamespace: "sts", LastAuthenticated: at(3),
			EntityPath: "o/r/" + orB, Region: "us-west-2", TotalAuthenticatedEntities: 2},
	}, got)
	require.Equal(t, []OrgServiceAccess{}, computeOrgReport(orgReportScope{allows: func(string) bool { return false }}, accesses))
}
