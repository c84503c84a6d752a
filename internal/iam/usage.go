package iam

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// usageRecorder remembers when each access key was last used. Writing the
// store on every request would make every call a write; instead uses are
// kept in memory, shown at once by GetAccessKeyLastUsed, and written to
// the store by FlushUsage (which the server calls periodically and at
// shutdown). AWS itself updates last-used data with a delay.
type usageRecorder struct {
	mu      sync.Mutex
	pending map[string]keyUse
	roles   map[roleKey]keyUse
}

type roleKey struct{ account, name string }

// RecordRoleUse notes that a role was assumed (RoleLastUsed).
func (s *Service) RecordRoleUse(acct, role, region string) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	if s.usage.roles == nil {
		s.usage.roles = make(map[roleKey]keyUse)
	}
	s.usage.roles[roleKey{acct, strings.ToLower(role)}] = keyUse{when: s.now().UTC(), region: region}
}

// PendingRoleUse returns a role use not yet written to the store.
func (s *Service) PendingRoleUse(acct, role string) (time.Time, string, bool) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	u, ok := s.usage.roles[roleKey{acct, strings.ToLower(role)}]
	return u.when, u.region, ok
}

type keyUse struct {
	when    time.Time
	service string
	region  string
}

// RecordKeyUse notes that an access key authenticated a request.
func (s *Service) RecordKeyUse(keyID, service, region string) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	if s.usage.pending == nil {
		s.usage.pending = make(map[string]keyUse)
	}
	s.usage.pending[keyID] = keyUse{when: s.now().UTC(), service: service, region: region}
}

func (s *Service) pendingUse(keyID string) (keyUse, bool) {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	u, ok := s.usage.pending[keyID]
	return u, ok
}

// FlushUsage writes the recorded key uses to the store in one
// transaction. Keys deleted meanwhile are skipped.
func (s *Service) FlushUsage(ctx context.Context) error {
	s.usage.mu.Lock()
	pending, roles := s.usage.pending, s.usage.roles
	s.usage.pending, s.usage.roles = nil, nil
	s.usage.mu.Unlock()
	if len(pending) == 0 && len(roles) == 0 {
		return nil
	}
	err := s.store.Record(ctx, func(tx store.Tx) error {
		for k, u := range roles {
			r, err := tx.GetRole(ctx, k.account, k.name)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			r.LastUsedDate, r.LastUsedRegion = u.when, u.region
			if err := tx.UpdateRole(ctx, r.Name, r); err != nil && !isNotFound(err) {
				return err
			}
		}
		for id, u := range pending {
			k, err := tx.GetAccessKey(ctx, id)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			k.LastUsedDate, k.LastUsedService, k.LastUsedRegion = u.when, u.service, u.region
			if err := tx.UpdateAccessKey(ctx, k); err != nil && !isNotFound(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Put the uses back so a later flush writes them.
		s.usage.mu.Lock()
		if s.usage.pending == nil {
			s.usage.pending = map[string]keyUse{}
		}
		for id, u := range pending {
			if _, newer := s.usage.pending[id]; !newer {
				s.usage.pending[id] = u
			}
		}
		if s.usage.roles == nil {
			s.usage.roles = map[roleKey]keyUse{}
		}
		for k, u := range roles {
			if _, newer := s.usage.roles[k]; !newer {
				s.usage.roles[k] = u
			}
		}
		s.usage.mu.Unlock()
	}
	return err
}
