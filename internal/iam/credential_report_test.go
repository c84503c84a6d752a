package iam

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func TestCredentialReportLifecycle(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, _ := newTestService(t)
	clock := &loginClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s.now = clock.now
	getCode := func() string {
		t.Helper()
		_, err := s.GetCredentialReport(ctx, acct)
		require.Error(t, err)
		return err.Error()
	}

	require.Contains(t, getCode(), "ReportNotPresent: ")
	state, err := s.GenerateCredentialReport(ctx, acct)
	require.NoError(t, err)
	require.Equal(t, ReportStarted, state)
	first, err := s.GetCredentialReport(ctx, acct)
	require.NoError(t, err)
	require.True(t, first.GeneratedTime.Equal(clock.t))

	t.Run("reused for four hours", func(t *testing.T) {
		_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: "late"})
		require.NoError(t, err)
		clock.t = clock.t.Add(4*time.Hour - time.Second)
		state, err := s.GenerateCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Equal(t, ReportComplete, state)
		got, err := s.GetCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Equal(t, first.Content, got.Content)
	})
	t.Run("expires after four hours", func(t *testing.T) {
		clock.t = clock.t.Add(time.Second)
		require.Contains(t, getCode(), "ReportExpired: ")
		state, err := s.GenerateCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Equal(t, ReportStarted, state)
		got, err := s.GetCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Contains(t, string(got.Content), "\nlate,arn:aws:iam::123456789012:user/late,")
	})
	t.Run("in progress", func(t *testing.T) {
		// Another node has started a generation.
		clock.t = clock.t.Add(5 * time.Hour)
		require.NoError(t, s.store.Update(ctx, func(tx store.Tx) error {
			return tx.PutCredentialReport(ctx, store.CredentialReport{Account: acct, GeneratedTime: clock.t})
		}))
		require.Contains(t, getCode(), "ReportInProgress: ")
		state, err := s.GenerateCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Equal(t, ReportInProgress, state)
		// A generation that never finished stops counting after five minutes.
		clock.t = clock.t.Add(5 * time.Minute)
		require.Contains(t, getCode(), "ReportNotPresent: ")
		state, err = s.GenerateCredentialReport(ctx, acct)
		require.NoError(t, err)
		require.Equal(t, ReportStarted, state)
		_, err = s.GetCredentialReport(ctx, acct)
		require.NoError(t, err)
	})
}

func TestReportRowsPasswordColumns(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, _ := newTestService(t)
	clock := &loginClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s.now = clock.now
	_, err := s.CreateUser(ctx, acct, CreateUserInput{UserName: "sam"})
	require.NoError(t, err)
	_, err = s.CreateLoginProfile(ctx, acct, "sam", CreateLoginProfileInput{Password: ptr("Sunny-day-42")})
	require.NoError(t, err)
	row := func() []string {
		var out []string
		require.NoError(t, s.store.View(ctx, func(r store.Reader) error {
			u, err := r.GetUser(ctx, acct, "sam")
			if err != nil {
				return err
			}
			p, err := r.GetPasswordPolicy(ctx, acct)
			if isNotFound(err) {
				p, err = store.PasswordPolicy{}, nil
			}
			if err != nil {
				return err
			}
			out, err = reportUserRow(ctx, r, acct, u, p)
			return err
		}))
		return out[3:7]
	}
	changed := "2026-03-01T12:00:00+00:00"
	require.Equal(t, []string{"true", "no_information", changed, "N/A"}, row(), "never used, no rotation")

	clock.t = clock.t.Add(time.Hour)
	_, err = s.VerifyConsolePassword(ctx, acct, "sam", "Sunny-day-42")
	require.NoError(t, err)
	require.NoError(t, s.UpdateAccountPasswordPolicy(ctx, acct, UpdateAccountPasswordPolicyInput{MaxPasswordAge: ptr(10)}))
	require.Equal(t, []string{"true", "2026-03-01T13:00:00+00:00", changed, "2026-03-11T12:00:00+00:00"}, row())

	require.NoError(t, s.DeleteLoginProfile(ctx, acct, "sam"))
	require.Equal(t, []string{"false", "2026-03-01T13:00:00+00:00", "N/A", "N/A"}, row(),
		"a user who signed in before keeps the time; the rest is N/A")
}

func TestCredentialReportFailureLiftsTheMark(t *testing.T) {
	const acct = "123456789012"
	ctx := context.Background()
	s, fs := newTestService(t)
	fs.failReads.Store(true)
	_, err := s.GenerateCredentialReport(ctx, acct)
	require.ErrorIs(t, err, errDown)
	fs.failReads.Store(false)
	_, err = s.GetCredentialReport(ctx, acct)
	require.ErrorContains(t, err, "ReportNotPresent: ", "no report, and no generation in progress")
	state, err := s.GenerateCredentialReport(ctx, acct)
	require.NoError(t, err)
	require.Equal(t, ReportStarted, state, "the next call starts at once")
}
