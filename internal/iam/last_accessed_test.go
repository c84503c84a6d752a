package iam

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

const laAcct = "123456789012"

var laT0 = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

func laListAccess(t *testing.T, s *Service) []store.ServiceAccess {
	t.Helper()
	var out []store.ServiceAccess
	require.NoError(t, s.store.View(context.Background(), func(r store.Reader) error {
		var err error
		out, err = r.ListServiceAccess(context.Background(), laAcct, time.Time{})
		return err
	}))
	return out
}

// TestRecordAccess: the recorder keeps the latest access per entity,
// service and tracked action, ignores the root user, and the flush writes
// it; accesses of an entity deleted, or replaced by a namesake, meanwhile
// are dropped.
func TestRecordAccess(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	alice, err := s.CreateUser(ctx, laAcct, CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	bob, err := s.CreateUser(ctx, laAcct, CreateUserInput{UserName: "bob"})
	require.NoError(t, err)
	runner, err := s.CreateRole(ctx, laAcct, CreateRoleInput{RoleName: "runner", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	require.NoError(t, err)
	s.TrackActions("iam", []string{"ListUsers", "GetUser", "ListUsers"})

	user := func(name, id, svc, action string, at time.Time, region string) Access {
		return Access{Account: laAcct, Kind: store.KindUser, Name: name, ID: id, Service: svc, Action: action, Region: region, Time: at}
	}
	s.RecordAccess(user("ALICE", alice.ID, "iam", "ListUsers", laT0.Add(2*time.Minute), "eu-west-1"))
	s.RecordAccess(user("alice", alice.ID, "iam", "GetUser", laT0.Add(time.Minute), "us-east-1"))
	s.RecordAccess(user("alice", alice.ID, "iam", "ListUsers", laT0, "us-east-1")) // earlier: kept out
	s.RecordAccess(user("alice", alice.ID, "sts", "GetCallerIdentity", laT0, "us-east-1"))
	s.RecordAccess(Access{Account: laAcct, Kind: store.KindRole, Name: "runner", ID: runner.ID, Service: "iam", Action: "CreateUser", Region: "us-west-2", Time: laT0})
	s.RecordAccess(Access{Account: laAcct, Service: "iam", Action: "ListUsers", Region: "us-east-1", Time: laT0}) // root: no entity
	s.RecordAccess(user("bob", bob.ID, "iam", "ListUsers", laT0, "us-east-1"))
	require.NoError(t, s.DeleteUser(ctx, laAcct, UserNameInput{UserName: "bob"}))
	_, err = s.CreateUser(ctx, laAcct, CreateUserInput{UserName: "bob"}) // a namesake with a new id
	require.NoError(t, err)
	require.NoError(t, s.FlushAccess(ctx))

	want := []store.ServiceAccess{
		{Account: laAcct, Kind: store.KindRole, EntityName: "runner", EntityID: runner.ID, Service: "iam", Time: laT0, Region: "us-west-2"},
		{Account: laAcct, Kind: store.KindUser, EntityName: "alice", EntityID: alice.ID, Service: "iam", Time: laT0.Add(2 * time.Minute), Region: "eu-west-1"},
		{Account: laAcct, Kind: store.KindUser, EntityName: "alice", EntityID: alice.ID, Service: "iam", Action: "GetUser", Time: laT0.Add(time.Minute), Region: "us-east-1"},
		{Account: laAcct, Kind: store.KindUser, EntityName: "alice", EntityID: alice.ID, Service: "iam", Action: "ListUsers", Time: laT0.Add(2 * time.Minute), Region: "eu-west-1"},
		{Account: laAcct, Kind: store.KindUser, EntityName: "alice", EntityID: alice.ID, Service: "sts", Time: laT0, Region: "us-east-1"},
	}
	got := laListAccess(t, s)
	for i := range got {
		got[i].Time = got[i].Time.UTC()
	}
	require.Equal(t, want, got)
	require.NoError(t, s.FlushAccess(ctx), "nothing pending: no write")
}

// failingUpdates fails Update and Record on demand.
type failingUpdates struct {
	store.Store
	fail atomic.Bool
}

func (f *failingUpdates) Update(ctx context.Context, fn func(store.Tx) error) error {
	if f.fail.Load() {
		return errDown
	}
	return f.Store.Update(ctx, fn)
}

func (f *failingUpdates) Record(ctx context.Context, fn func(store.Tx) error) error {
	if f.fail.Load() {
		return errDown
	}
	return f.Store.Record(ctx, fn)
}

// TestFlushAccessRetries: accesses a failed flush could not write are
// written by the next, unless a later access replaced them.
func TestFlushAccessRetries(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	alice, err := s.CreateUser(ctx, laAcct, CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	fu := &failingUpdates{Store: s.store}
	s.store = fu
	s.RecordAccess(Access{Account: laAcct, Kind: store.KindUser, Name: "alice", ID: alice.ID, Service: "iam", Action: "GetUser", Region: "us-east-1", Time: laT0})
	fu.fail.Store(true)
	require.ErrorIs(t, s.FlushAccess(ctx), errDown)
	fu.fail.Store(false)
	s.RecordAccess(Access{Account: laAcct, Kind: store.KindUser, Name: "alice", ID: alice.ID, Service: "iam", Region: "eu-west-1", Time: laT0.Add(-time.Hour)})
	require.NoError(t, s.FlushAccess(ctx))
	got := laListAccess(t, s)
	require.Len(t, got, 1)
	require.True(t, got[0].Time.Equal(laT0), "the later access survives the failed flush")
	require.Equal(t, "us-east-1", got[0].Region)
}

func laPolicy(t *testing.T, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(doc, policy.Identity)
	require.NoError(t, err)
	return p
}

// TestComputeReport: the services the policies grant, by namespace, with
// the latest access, the number of entities that accessed each, and at
// ACTION_LEVEL the tracked actions the policies allow.
func TestComputeReport(t *testing.T) {
	pols := []*policy.Policy{
		laPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","s3:GetObject"],"Resource":"*"}]}`),
		laPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`),
		// Denied outright: lambda, and the tracked action iam:GetGroup; a
		// conditional deny takes nothing away.
		laPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:*","ec2:*","iam:GetGroup"],"Resource":"*"},
			{"Effect":"Deny","Action":["lambda:*","iam:GetGroup"],"Resource":"*"},
			{"Effect":"Deny","Action":"iam:GetRole","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
	}
	alice := reportEntityRef{kind: store.KindUser, info: EntityInfo{ARN: "arn:aws:iam::123456789012:user/alice", Name: "alice", Type: "USER", ID: "AIDAALICE", Path: "/"}}
	bob := reportEntityRef{kind: store.KindUser, info: EntityInfo{ARN: "arn:aws:iam::123456789012:user/bob", Name: "bob", Type: "USER", ID: "AIDABOB", Path: "/"}}
	acc := func(id, svc, action string, minutes int, region string) store.ServiceAccess {
		return store.ServiceAccess{Account: laAcct, Kind: store.KindUser, EntityID: id, Service: svc, Action: action,
			Time: laT0.Add(time.Duration(minutes) * time.Minute), Region: region}
	}
	accesses := []store.ServiceAccess{
		acc("AIDAALICE", "iam", "", 5, "us-east-1"),
		acc("AIDAALICE", "iam", "GetUser", 5, "us-east-1"),
		acc("AIDABOB", "iam", "", 9, "eu-west-1"),
		acc("AIDABOB", "iam", "ListUsers", 9, "eu-west-1"), // not allowed: not reported
		acc("AIDABOB", "ec2", "", 3, "eu-west-1"),          // not granted: not reported
		acc("AIDACAROL", "iam", "", 20, "eu-west-1"),       // not an entity of the report
	}
	tracked := func(ns string) []string {
		if ns == "iam" {
			return []string{"GetGroup", "GetRole", "GetUser", "ListUsers"}
		}
		return nil
	}
	services, ents := computeReport(pols, []reportEntityRef{alice, bob}, accesses, true, tracked)
	want := []ServiceLastAccessed{
		{ServiceName: "AWS Identity and Access Management", ServiceNamespace: "iam", LastAuthenticated: laT0.Add(9 * time.Minute),
			LastAuthenticatedEntity: bob.info.ARN, LastAuthenticatedRegion: "eu-west-1", TotalAuthenticatedEntities: 2,
			TrackedActions: []TrackedActionLastAccessed{
				{ActionName: "GetRole"},
				{ActionName: "GetUser", LastAccessedTime: laT0.Add(5 * time.Minute), LastAccessedEntity: alice.info.ARN, LastAccessedRegion: "us-east-1"},
			}},
		{ServiceName: "Amazon Simple Storage Service", ServiceNamespace: "s3"},
		{ServiceName: "AWS Security Token Service", ServiceNamespace: "sts", TrackedActions: nil},
	}
	require.Equal(t, want, services)
	require.Equal(t, []ReportEntity{
		{Info: alice.info, Last: map[string]time.Time{"iam": laT0.Add(5 * time.Minute)}},
		{Info: bob.info, Last: map[string]time.Time{"iam": laT0.Add(9 * time.Minute)}},
	}, ents)

	services, _ = computeReport(pols, []reportEntityRef{alice, bob}, accesses, false, tracked)
	require.Nil(t, services[0].TrackedActions, "SERVICE_LEVEL reports no actions")
}

// TestComputeReportEverything: "Action": "*" grants every service of the
// catalog.
func TestComputeReportEverything(t *testing.T) {
	all := laPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	services, _ := computeReport([]*policy.Policy{all}, nil, nil, false, func(string) []string { return nil })
	require.Greater(t, len(services), 50)
	for _, sla := range services {
		require.True(t, sla.LastAuthenticated.IsZero())
		require.Zero(t, sla.TotalAuthenticatedEntities)
	}
}

// TestLastAccessedSubject: what Arn may name.
func TestLastAccessedSubject(t *testing.T) {
	for _, tc := range []struct {
		name, arn string
		policies  bool
		code      string
	}{
		{"user", "arn:aws:iam::123456789012:user/eng/alice", true, ""},
		{"group", "arn:aws:iam::123456789012:group/devs", false, ""},
		{"role", "arn:aws:iam::123456789012:role/service-role/runner", false, ""},
		{"policy", "arn:aws:iam::123456789012:policy/p", true, ""},
		{"policy where none is taken", "arn:aws:iam::123456789012:policy/p", false, "InvalidInput"},
		{"aws managed policy", "arn:aws:iam::aws:policy/ReadOnlyAccess", true, ""},
		{"aws managed policy where none is taken", "arn:aws:iam::aws:policy/ReadOnlyAccess", false, "InvalidInput"},
		{"another account's policy", "arn:aws:iam::210987654321:policy/p", true, "NoSuchEntity"},
		{"another account's user", "arn:aws:iam::210987654321:user/alice", true, "NoSuchEntity"},
		{"not an entity", "arn:aws:iam::123456789012:instance-profile/x", true, "InvalidInput"},
		{"another service", "arn:aws:s3:::bucket/user/x", true, "InvalidInput"},
		{"assumed role", "arn:aws:sts::123456789012:assumed-role/r/s", true, "InvalidInput"},
		{"no name", "arn:aws:iam::123456789012:user/", true, "InvalidInput"},
		{"not an arn", "user/alice-and-some-more", true, "InvalidInput"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lastAccessedSubject(laAcct, tc.arn, tc.policies)
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			var ae *awserr.Error
			require.True(t, errors.As(err, &ae), "%v", err)
			require.Equal(t, tc.code, ae.Code)
		})
	}
}

// FuzzLastAccessedSubject: reading an Arn never panics, and an ARN it
// accepts is exactly the ARN of the entity it names.
func FuzzLastAccessedSubject(f *testing.F) {
	for _, s := range []string{
		"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:group/a/b/devs",
		"arn:aws:iam::123456789012:role/service-role/r", "arn:aws:iam::123456789012:policy/p",
		"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::210987654321:user/x", "arn:aws:iam::123456789012:user/",
		"arn:aws:iam::123456789012:userx", "arn:aws:sts::123456789012:assumed-role/r/s", "",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, policies bool) {
		sub, err := lastAccessedSubject(laAcct, s, policies)
		if err != nil {
			var ae *awserr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%q: not an AWS error: %v", s, err)
			}
			return
		}
		if got := entityARN(sub.account, string(sub.kind), sub.path, sub.name); got != s {
			t.Fatalf("%q read as %s %q at %q, whose ARN is %q", s, sub.kind, sub.name, sub.path, got)
		}
	})
}

// TestReportPeriods: accesses older than the 400-day tracking period are
// not reported, and a job is read back for seven days, then is gone.
func TestReportPeriods(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	now := laT0
	s.now = func() time.Time { return now }
	alice, err := s.CreateUser(ctx, laAcct, CreateUserInput{UserName: "alice"})
	require.NoError(t, err)
	err = s.PutUserPolicy(ctx, laAcct, PutUserPolicyInput{UserName: "alice", PolicyName: "p",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`})
	require.NoError(t, err)
	s.RecordAccess(Access{Account: laAcct, Kind: store.KindUser, Name: "alice", ID: alice.ID, Service: "iam", Action: "GetUser", Region: "us-east-1", Time: laT0})
	owner := "arn:aws:iam::123456789012:root"
	arn := "arn:aws:iam::123456789012:user/alice"
	report := func() ServiceLastAccessed {
		t.Helper()
		id, err := s.GenerateServiceLastAccessedDetails(ctx, s.Snapshot(), laAcct, owner, GenerateServiceLastAccessedDetailsInput{Arn: arn})
		require.NoError(t, err)
		p, err := s.GetServiceLastAccessedDetails(ctx, laAcct, owner, GetServiceLastAccessedDetailsInput{JobID: id})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		return p.Items[0]
	}

	now = laT0.Add(400*24*time.Hour - time.Minute)
	require.True(t, report().LastAuthenticated.Equal(laT0), "within the tracking period")
	now = laT0.Add(400*24*time.Hour + time.Minute)
	require.True(t, report().LastAuthenticated.IsZero(), "past the tracking period")

	id, err := s.GenerateServiceLastAccessedDetails(ctx, s.Snapshot(), laAcct, owner, GenerateServiceLastAccessedDetailsInput{Arn: arn})
	require.NoError(t, err)
	_, err = s.GetServiceLastAccessedDetails(ctx, laAcct, "arn:aws:iam::123456789012:user/alice", GetServiceLastAccessedDetailsInput{JobID: id})
	require.Error(t, err, "another principal's job")
	start := now
	now = start.Add(7*24*time.Hour - time.Minute)
	_, err = s.GetServiceLastAccessedDetails(ctx, laAcct, owner, GetServiceLastAccessedDetailsInput{JobID: id})
	require.NoError(t, err, "kept seven days")
	now = start.Add(7*24*time.Hour + time.Minute)
	_, err = s.GetServiceLastAccessedDetails(ctx, laAcct, owner, GetServiceLastAccessedDetailsInput{JobID: id})
	var ae *awserr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "NoSuchEntity", ae.Code)
	report() // generating purges the expired jobs
	require.ErrorIs(t, s.store.View(ctx, func(r store.Reader) error {
		_, err := r.GetAccessReportJob(ctx, id)
		return err
	}), store.ErrNotFound)
}
