package iam

import (
	"context"
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
	pending := s.usage.pending
	s.usage.pending = nil
	s.usage.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
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
			s.usage.pending = pending
		} else {
			for id, u := range pending {
				if _, newer := s.usage.pending[id]; !newer {
					s.usage.pending[id] = u
				}
			}
		}
		s.usage.mu.Unlock()
	}
	return err
}
