package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func access(acct string, kind store.EntityKind, name, id, service, action string, when time.Time, region string) store.ServiceAccess {
	return store.ServiceAccess{Account: acct, Kind: kind, EntityName: name, EntityID: id, Service: service,
		Action: action, Time: when, Region: region}
}

func listAccess(t *testing.T, s store.Store, acct string, since time.Time) []store.ServiceAccess {
	t.Helper()
	var out []store.ServiceAccess
	view(t, s, func(r store.Reader) error {
		var err error
		out, err = r.ListServiceAccess(t.Context(), acct, since)
		return err
	})
	return out
}

// testServiceAccess: the later time wins, a record needs the entity with
// its id, reads follow renames and come in order, since filters, deletion
// cascades, and accounts are isolated.
func testServiceAccess(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	alice, bob, runner := user(acct1, "Alice"), user(acct1, "bob"), role(acct1, "runner")
	update(t, s, func(tx store.Tx) error {
		for _, u := range []store.User{alice, bob, user(acct2, "alice")} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return tx.CreateRole(ctx, runner)
	})
	record := func(a store.ServiceAccess) error {
		return updateErr(t, s, func(tx store.Tx) error { return tx.RecordServiceAccess(ctx, a) })
	}
	require.NoError(t, record(access(acct1, store.KindUser, "alice", alice.ID, "IAM", "", at(5), "us-east-1")))
	require.NoError(t, record(access(acct1, store.KindUser, "alice", alice.ID, "iam", "", at(3), "eu-west-1")), "an earlier time is kept out")
	require.NoError(t, record(access(acct1, store.KindUser, "alice", alice.ID, "iam", "ListUsers", at(5), "us-east-1")))
	require.NoError(t, record(access(acct1, store.KindUser, "alice", alice.ID, "iam", "ListUsers", at(9), "eu-west-1")), "a later time wins")
	require.NoError(t, record(access(acct1, store.KindRole, "runner", runner.ID, "sts", "", at(1), "us-west-2")))
	require.NoError(t, record(access(acct1, store.KindUser, "bob", bob.ID, "iam", "", at(2), "us-east-1")))
	require.NoError(t, record(access(acct2, store.KindUser, "alice", "AIDA"+acct2+"alice", "iam", "", at(7), "us-east-1")))

	requireIs(t, record(access(acct1, store.KindUser, "alice", "AIDAOTHER", "iam", "", at(1), "us-east-1")), store.ErrNotFound, "another id")
	requireIs(t, record(access(acct1, store.KindUser, "carol", "AIDA"+acct1+"carol", "iam", "", at(1), "us-east-1")), store.ErrNotFound, "no such user")
	requireIs(t, record(access(acct1, store.KindRole, "alice", alice.ID, "iam", "", at(1), "us-east-1")), store.ErrNotFound, "wrong kind")

	want := []store.ServiceAccess{
		access(acct1, store.KindRole, "runner", runner.ID, "sts", "", at(1), "us-west-2"),
		access(acct1, store.KindUser, "Alice", alice.ID, "iam", "", at(5), "us-east-1"),
		access(acct1, store.KindUser, "Alice", alice.ID, "iam", "ListUsers", at(9), "eu-west-1"),
		access(acct1, store.KindUser, "bob", bob.ID, "iam", "", at(2), "us-east-1"),
	}
	requireEqual(t, want, listAccess(t, s, acct1, time.Time{}))
	requireEqual(t, []store.ServiceAccess{want[1], want[2]}, listAccess(t, s, acct1, at(5)))
	require.Len(t, listAccess(t, s, acct2, time.Time{}), 1)

	// A rename carries the accesses; a deletion removes them.
	renamed := alice
	renamed.Name = "alicia"
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "alice", renamed) })
	got := listAccess(t, s, acct1, time.Time{})
	require.Len(t, got, 4)
	require.Equal(t, "alicia", got[1].EntityName)
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "alicia") })
	update(t, s, func(tx store.Tx) error { return tx.DeleteRole(ctx, acct1, "runner") })
	requireEqual(t, []store.ServiceAccess{want[3]}, listAccess(t, s, acct1, time.Time{}))
}

// testAccessReportJobs: jobs round-trip, ids are unique, the account must
// exist, old jobs are deleted, and DeleteAccountData removes an account's
// jobs and accesses.
func testAccessReportJobs(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	j1 := store.AccessReportJob{ID: "job-1", Account: acct1, Owner: "arn:aws:iam::111111111111:user/alice", Created: at(1), Report: []byte(`{"a":1}`)}
	j2 := store.AccessReportJob{ID: "job-2", Account: acct1, Owner: "arn:aws:iam::111111111111:user/alice", Created: at(10), Report: []byte(`{}`)}
	j3 := store.AccessReportJob{ID: "job-3", Account: acct2, Owner: "arn:aws:iam::222222222222:root", Created: at(1), Report: []byte(`[]`)}
	update(t, s, func(tx store.Tx) error {
		for _, j := range []store.AccessReportJob{j1, j2, j3} {
			if err := tx.CreateAccessReportJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	get := func(id string) (store.AccessReportJob, error) {
		var j store.AccessReportJob
		err := s.View(ctx, func(r store.Reader) error {
			var err error
			j, err = r.GetAccessReportJob(ctx, id)
			return err
		})
		return j, err
	}
	got, err := get("job-1")
	require.NoError(t, err)
	requireEqual(t, j1, got)
	_, err = get("job-9")
	requireIs(t, err, store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateAccessReportJob(ctx, j1) }), store.ErrAlreadyExists)
	orphan := j1
	orphan.ID, orphan.Account = "job-4", "333333333333"
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateAccessReportJob(ctx, orphan) }), store.ErrNotFound)

	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.DeleteAccessReportJobsBefore(ctx, at(5))
		return err
	})
	require.Equal(t, 2, n)
	_, err = get("job-1")
	requireIs(t, err, store.ErrNotFound)
	_, err = get("job-2")
	require.NoError(t, err)

	u := user(acct1, "alice")
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.RecordServiceAccess(ctx, access(acct1, store.KindUser, "alice", u.ID, "iam", "", at(1), "us-east-1"))
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	_, err = get("job-2")
	requireIs(t, err, store.ErrNotFound)
	require.Empty(t, listAccess(t, s, acct1, time.Time{}))
}
