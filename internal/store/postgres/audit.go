package postgres

import (
	"context"
	"fmt"
)

// AppendAuditEvent stores one audit event (a CloudTrail record as JSON).
// It writes outside any Update: an event is not a change of IAM state and
// does not move the revision.
func (s *Store) AppendAuditEvent(ctx context.Context, event []byte) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO audit_events (event) VALUES ($1)`, string(event)); err != nil {
		return fmt.Errorf("postgres: append audit event: %s", flatten(ctx, err))
	}
	return nil
}

// AuditEvents returns the most recent stored events, oldest first.
func (s *Store) AuditEvents(ctx context.Context, limit int) ([][]byte, error) {
	rows, err := s.pool.Query(ctx, `SELECT event FROM (SELECT seq, event FROM audit_events ORDER BY seq DESC LIMIT $1) e ORDER BY seq`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit events: %s", flatten(ctx, err))
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("postgres: audit events: %s", flatten(ctx, err))
		}
		out = append(out, []byte(e))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: audit events: %s", flatten(ctx, err))
	}
	return out, nil
}
