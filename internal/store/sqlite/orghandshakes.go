package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/warden-iam/warden/internal/store"
)

var (
	qGetHandshake      = stmt(`SELECT data FROM org_handshakes WHERE id = ?1`)
	qOrgHandshakes     = stmt(`SELECT data FROM org_handshakes WHERE org = ?1 ORDER BY id`)
	qAccountHandshakes = stmt(`SELECT data FROM org_handshakes WHERE account = ?1 ORDER BY id`)
	qHandshakeOrg      = stmt(`SELECT org FROM org_handshakes WHERE id = ?1`)
	qPutHandshake      = stmt(`INSERT INTO org_handshakes (id, org, account, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET account = excluded.account, data = excluded.data`)
)

// GetOrgHandshake returns one handshake by id.
func (t *txn) GetOrgHandshake(ctx context.Context, id string) (store.OrgHandshake, error) {
	var h store.OrgHandshake
	var data string
	if err := t.get(ctx, "get handshake", qGetHandshake, []any{id}, &data); err != nil {
		return h, err
	}
	return h, rec.DecodeOrgRecord(data, &h)
}

// OrgHandshakes returns the handshakes an organization sent.
func (t *txn) OrgHandshakes(ctx context.Context, org string) ([]store.OrgHandshake, error) {
	return orgRecords[store.OrgHandshake](ctx, t, "list organization handshakes", qOrgHandshakes, org)
}

// AccountHandshakes returns the handshakes sent to an account.
func (t *txn) AccountHandshakes(ctx context.Context, acct string) ([]store.OrgHandshake, error) {
	return orgRecords[store.OrgHandshake](ctx, t, "list account handshakes", qAccountHandshakes, acct)
}

// PutOrgHandshake creates or replaces a handshake of an existing
// organization; a handshake id of another organization is
// ErrAlreadyExists.
func (t *txn) PutOrgHandshake(ctx context.Context, h store.OrgHandshake) error {
	const op = "put handshake"
	data, err := rec.OrgRecord(h)
	if err != nil {
		return err
	}
	if err := t.requireOrg(ctx, op, h.Org); err != nil {
		return err
	}
	var org string
	err = t.get(ctx, op, qHandshakeOrg, []any{h.ID}, &org)
	switch {
	case err == nil && org != h.Org:
		return fmt.Errorf("sqlite: %s: %w", op, store.ErrAlreadyExists)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	_, err = t.exec(ctx, op, qPutHandshake, h.ID, h.Org, h.Account, data)
	return err
}

var _ store.OrgHandshakeWriter = (*txn)(nil)
