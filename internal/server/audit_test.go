package server_test

import (
	"context"
	"errors"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/audit"
	"github.com/warden-iam/warden/internal/server/servertest"
)

// switchableSink writes to a real file, or to /dev/full (every write fails
// with ENOSPC) while broken is set.
type switchableSink struct {
	good, full *audit.FileSink
	broken     atomic.Bool
}

func (s *switchableSink) Write(e *audit.Event) error {
	if s.broken.Load() {
		return s.full.Write(e)
	}
	return s.good.Write(e)
}

func (s *switchableSink) Close() error { return errors.Join(s.good.Close(), s.full.Close()) }

// TestAuditFailureRefusesChanges: while the audit trail refuses events,
// actions that change state or mint credentials are refused and reads go
// on; the node recovers when the trail does (RELIABILITY 29).
func TestAuditFailureRefusesChanges(t *testing.T) {
	good, err := audit.OpenFile(t.TempDir() + "/audit.jsonl")
	require.NoError(t, err)
	full, err := audit.OpenFile("/dev/full")
	require.NoError(t, err)
	sink := &switchableSink{good: good, full: full}
	srv := servertest.Start(t, servertest.WithAudit(sink))
	ctx := context.Background()
	c := srv.RootIAM()

	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("before")})
	require.NoError(t, err)

	sink.broken.Store(true)
	require.ErrorIs(t, full.Write(&audit.Event{}), syscall.ENOSPC, "/dev/full fails writes")
	// A read's event fails to write: from then on changes are refused.
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err, "reads go on")
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("during")})
	requireAPIError(t, err, "ServiceUnavailable", "")
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("before")})
	requireAPIError(t, err, "ServiceUnavailable", "")
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("during")})
	// The refused change did not happen.
	requireAPIError(t, err, "NoSuchEntity", "")

	sink.broken.Store(false)
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("after")})
	require.NoError(t, err, "changes resume once the trail accepts events")
}
