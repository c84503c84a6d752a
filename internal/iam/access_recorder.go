package iam

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// Access is one authenticated attempt by an IAM user or role to call an
// action, allowed or denied: what IAM's last accessed data is made of.
//
// AWS behaviour: the service last accessed data "includes all attempts to
// access an AWS API, not just the successful ones", and AWS "does not
// report unauthenticated requests" ([GenerateServiceLastAccessedDetails]).
//
// [GenerateServiceLastAccessedDetails]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
type Access struct {
	Account string
	// Kind is store.KindUser or store.KindRole.
	Kind store.EntityKind
	// Name and ID are the entity's name and unique id.
	Name, ID string
	// Service is the namespace ("iam"), Action the action's name
	// ("ListUsers").
	Service, Action string
	Region          string
	Time            time.Time
}

// accessRecorder keeps the accesses not yet written to the store, as the
// usage recorder keeps access-key uses (see usage.go): writing the store
// on every request would make every call a write. FlushAccess writes them;
// the server calls it every few seconds and at shutdown, and a report
// flushes first, so it includes this node's latest accesses.
type accessRecorder struct {
	mu      sync.Mutex
	pending map[accessKey]accessUse
	// tracked holds, per namespace of a service whose actions are
	// tracked, the action names.
	tracked map[string]trackedActions
}

// trackedActions are the tracked actions of one service.
type trackedActions struct {
	sorted []string
	set    map[string]bool
}

type accessKey struct {
	account string
	kind    store.EntityKind
	name    string // lower-cased
	id      string
	service string
	action  string // "" for the service
}

type accessUse struct {
	name   string // as the request named the entity
	when   time.Time
	region string
}

// TrackActions makes the service with namespace ns one whose actions the
// last accessed data tracks (ACTION_LEVEL reports), with actions its
// action names. AWS tracks actions of a fixed set of services; Warden
// tracks those of the services it serves.
func (s *Service) TrackActions(ns string, actions []string) {
	sorted := slices.Clone(actions)
	slices.Sort(sorted)
	t := trackedActions{sorted: slices.Compact(sorted), set: make(map[string]bool, len(actions))}
	for _, a := range t.sorted {
		t.set[a] = true
	}
	s.access.mu.Lock()
	defer s.access.mu.Unlock()
	if s.access.tracked == nil {
		s.access.tracked = map[string]trackedActions{}
	}
	s.access.tracked[strings.ToLower(ns)] = t
}

// trackedActions returns the tracked actions of ns (nil if the service's
// actions are not tracked).
func (s *Service) trackedActions(ns string) []string {
	s.access.mu.Lock()
	defer s.access.mu.Unlock()
	return s.access.tracked[ns].sorted
}

// RecordAccess notes an access: the service's, and the action's when the
// service's actions are tracked. The latest access of each entity to each
// service and action is kept.
func (s *Service) RecordAccess(a Access) {
	if a.Kind != store.KindUser && a.Kind != store.KindRole {
		return
	}
	ns := strings.ToLower(a.Service)
	when := a.Time.UTC()
	s.access.mu.Lock()
	defer s.access.mu.Unlock()
	if s.access.pending == nil {
		s.access.pending = map[accessKey]accessUse{}
	}
	k := accessKey{account: a.Account, kind: a.Kind, name: strings.ToLower(a.Name), id: a.ID, service: ns}
	use := accessUse{name: a.Name, when: when, region: a.Region}
	s.access.note(k, use)
	if s.access.tracked[ns].set[a.Action] {
		k.action = a.Action
		s.access.note(k, use)
	}
}

// note keeps the later of u and the pending use of k. The caller holds mu.
func (r *accessRecorder) note(k accessKey, u accessUse) {
	if old, ok := r.pending[k]; ok && old.when.After(u.when) {
		return
	}
	r.pending[k] = u
}

// FlushAccess writes the recorded accesses to the store in one
// transaction. Accesses of entities deleted (or replaced by namesakes)
// meanwhile are dropped. On failure the accesses are kept for the next
// flush.
func (s *Service) FlushAccess(ctx context.Context) error {
	s.access.mu.Lock()
	pending := s.access.pending
	s.access.pending = nil
	s.access.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	err := s.store.Record(ctx, func(tx store.Tx) error {
		for k, u := range pending {
			err := tx.RecordServiceAccess(ctx, store.ServiceAccess{Account: k.account, Kind: k.kind, EntityName: u.name,
				EntityID: k.id, Service: k.service, Action: k.action, Time: u.when, Region: u.region})
			if err != nil && !isNotFound(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.access.mu.Lock()
		if s.access.pending == nil {
			s.access.pending = map[accessKey]accessUse{}
		}
		for k, u := range pending {
			s.access.note(k, u)
		}
		s.access.mu.Unlock()
	}
	return err
}
