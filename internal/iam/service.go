// Package iam is the IAM domain service: one method per IAM action, with
// AWS's validation, quotas, rules and error messages, over the store. It
// also keeps the Snapshot that authentication and authorization read. It
// knows nothing of HTTP.
package iam

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/secrets"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Service runs IAM actions.
type Service struct {
	store    store.Store
	keyring  *secrets.Keyring
	now      func() time.Time
	log      *slog.Logger
	compiled compiledCache

	snap   atomic.Pointer[Snapshot]
	loadMu sync.Mutex // one snapshot load at a time
	// stale is set when a committed change could not be loaded into the
	// snapshot: until a reload succeeds, no request is decided.
	stale atomic.Bool
	// verified is when the snapshot was last known to be current (a
	// reload, or a check that the store's revision had not moved), in
	// UnixNano; maxAge bounds how old that may be (0: unbounded).
	verified atomic.Int64
	maxAge   time.Duration

	usage usageRecorder
	// access holds the last accessed data not yet written (access_recorder.go).
	access accessRecorder
	// passwords hashes console passwords, a bounded number at a time.
	passwords *passwordHasher
	// opened caches opened access-key secrets by key and sealed bytes.
	opened struct {
		mu sync.Mutex
		m  map[string]string
	}
	// deletionTasks holds the service-linked role deletion tasks this node
	// ran, by id (see DeleteServiceLinkedRole).
	deletionTasks sync.Map
}

// Config configures a Service.
type Config struct {
	Store   store.Store
	Keyring *secrets.Keyring
	Now     func() time.Time // default time.Now
	Log     *slog.Logger
	// MaxSnapshotAge, when set, bounds how long ago the snapshot must
	// have been confirmed current (see Watch) for requests to be decided:
	// older than that, the node refuses them. Nodes sharing a store set
	// it; a node that cannot reach its store then fails closed.
	MaxSnapshotAge time.Duration
}

// New returns a Service and loads its first snapshot.
func New(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{store: cfg.Store, keyring: cfg.Keyring, now: cfg.Now, log: cfg.Log, maxAge: cfg.MaxSnapshotAge,
		passwords: newPasswordHasher(runtime.GOMAXPROCS(0))}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Snapshot returns the current snapshot, which may be stale; requests use
// [Service.Current].
func (s *Service) Snapshot() *Snapshot { return s.snap.Load() }

// Current returns the snapshot to decide a request on. If a committed
// change has not reached the snapshot, it reloads first, and fails (so the
// request is refused, never decided on stale data) when it cannot.
func (s *Service) Current(ctx context.Context) (*Snapshot, error) {
	if s.stale.Load() {
		if err := s.Refresh(ctx); err != nil {
			return nil, err
		}
	}
	if s.maxAge > 0 {
		if age := time.Since(time.Unix(0, s.verified.Load())); age > s.maxAge {
			return nil, fmt.Errorf("%w: last confirmed %v ago", ErrSnapshotTooOld, age.Round(time.Millisecond))
		}
	}
	return s.snap.Load(), nil
}

// ErrSnapshotTooOld: the snapshot could not be confirmed current within
// the configured bound (the store is unreachable).
var ErrSnapshotTooOld = errors.New("iam: snapshot not confirmed current")

// Ready reports whether requests can be decided now.
func (s *Service) Ready(ctx context.Context) error {
	_, err := s.Current(ctx)
	return err
}

// Watch keeps the snapshot current with changes committed by other nodes
// sharing the store, until ctx ends. It reloads when changes delivers a
// revision newer than the snapshot's, and every poll interval it compares
// the store's revision with the snapshot's, so that a lost notification
// heals within poll. Each successful check confirms the snapshot current.
func (s *Service) Watch(ctx context.Context, changes <-chan int64, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	check := func() {
		rev, err := s.store.Revision(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("store revision check failed", "err", err)
			}
			return
		}
		if snap := s.snap.Load(); snap != nil && rev <= snap.Revision && !s.stale.Load() {
			s.verified.Store(time.Now().UnixNano())
			return
		}
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("snapshot reload failed", "err", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case rev, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			if snap := s.snap.Load(); snap == nil || rev > snap.Revision {
				check()
			}
		case <-t.C:
			check()
		}
	}
}

// Refresh reloads the snapshot from the store.
func (s *Service) Refresh(ctx context.Context) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	snap, err := s.loadSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("iam: load snapshot: %w", err)
	}
	s.snap.Store(snap)
	s.stale.Store(false)
	s.verified.Store(time.Now().UnixNano())
	return nil
}

// update runs fn in a store transaction and, once it commits, refreshes
// the snapshot so that the next request sees the change.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.store.Update(ctx, fn); err != nil {
		return storeInputError(err)
	}
	// The change is committed, so the call succeeded. If the reload fails,
	// the snapshot is marked stale and requests are refused until a reload
	// succeeds.
	if err := s.Refresh(context.WithoutCancel(ctx)); err != nil {
		s.stale.Store(true)
		s.log.ErrorContext(ctx, "snapshot reload after a committed change failed; refusing requests until it succeeds", "err", err)
	}
	return nil
}

// record runs fn in a store transaction for bookkeeping that decisions
// never read (reports, last-used data): no node reloads its snapshot for it.
func (s *Service) record(ctx context.Context, fn func(store.Tx) error) error {
	return storeInputError(s.store.Record(ctx, fn))
}

func (s *Service) view(ctx context.Context, fn func(store.Reader) error) error {
	return storeInputError(s.store.View(ctx, fn))
}

// storeInputError turns the store's refusals of bad input into AWS's 400s;
// other errors pass through (and become a 500 at the edge).
func storeInputError(err error) error {
	switch {
	case errors.Is(err, store.ErrInvalidMarker):
		return awserr.ValidationError("Invalid Marker: the value was not returned by a previous call.")
	case errors.Is(err, store.ErrInvalidText):
		return awserr.ValidationError("A parameter value is not valid UTF-8.")
	}
	return err
}

// ARNs of IAM entities. AWS behaviour: the ARN holds the entity's path.
func entityARN(acct, kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:aws:iam::" + acct + ":" + kind + path + name
}

// UserARN returns the ARN of a user.
func UserARN(acct, path, name string) string { return entityARN(acct, "user", path, name) }

// GroupARN returns the ARN of a group.
func GroupARN(acct, path, name string) string { return entityARN(acct, "group", path, name) }

// RoleARN returns the ARN of a role.
func RoleARN(acct, path, name string) string { return entityARN(acct, "role", path, name) }

// PolicyARN returns the ARN of a customer managed policy.
func PolicyARN(acct, path, name string) string { return entityARN(acct, "policy", path, name) }

// RootARN returns the ARN of an account's root user.
func RootARN(acct string) string { return "arn:aws:iam::" + acct + ":root" }

// ParsePolicyARN splits a customer managed policy ARN of account acct into
// path and name. ok is false for other ARNs.
func ParsePolicyARN(acct, arn string) (path, name string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:aws:iam::"+acct+":policy")
	if !found || !strings.HasPrefix(rest, "/") {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	return rest[:i+1], rest[i+1:], rest[i+1:] != ""
}

// isNotFound and friends classify store errors.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
func isExists(err error) bool   { return errors.Is(err, store.ErrAlreadyExists) }

// PathOrRoot returns the path, "/" when none was given: the path of an
// entity an input creates, and of the ARN its creation is authorized on.
func PathOrRoot(p *string) string {
	if p == nil || *p == "" {
		return "/"
	}
	return *p
}

// errNoSuchUser is AWS's error for an absent user.
func errNoSuchUser(name string) error {
	return awserr.NoSuchEntity("The user with name %s cannot be found.", name)
}

// documentError turns a policy validation error into the AWS error the IAM
// API returns: the first finding's code and message, verbatim, with the
// status of the code (LimitExceeded is a 409, the others 400).
func documentError(err error) error {
	var pe *policy.Error
	if !errors.As(err, &pe) {
		return err
	}
	f := pe.First()
	status := http.StatusBadRequest
	if f.Code == policy.CodeLimitExceeded {
		status = http.StatusConflict
	}
	return awserr.New(f.Code, status, "%s", f.Message)
}

// ownerName returns the stored name (its case preserved) of a user, group
// or role, or AWS's NoSuchEntity: "The user with name X cannot be found."
func ownerName(ctx context.Context, r store.Reader, acct string, kind store.EntityKind, name string) (string, error) {
	var (
		stored string
		err    error
	)
	switch kind {
	case store.KindUser:
		var u store.User
		u, err = r.GetUser(ctx, acct, name)
		stored = u.Name
	case store.KindGroup:
		var g store.Group
		g, err = r.GetGroup(ctx, acct, name)
		stored = g.Name
	case store.KindRole:
		var ro store.Role
		ro, err = r.GetRole(ctx, acct, name)
		stored = ro.Name
	default:
		return "", fmt.Errorf("iam: %s is not a policy owner", kind)
	}
	if isNotFound(err) {
		return "", awserr.NoSuchEntity("The %s with name %s cannot be found.", kind, name)
	}
	return stored, err
}
