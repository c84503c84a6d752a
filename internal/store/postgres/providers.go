package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// ---- OIDC providers ----

func oidcWrite(p store.OIDCProvider) (created any, data string, err error) {
	if data, err = rec.OIDCData(p); err != nil {
		return nil, "", err
	}
	if created, err = timeArg(p.CreateDate); err != nil {
		return nil, "", err
	}
	return created, data, nil
}

// GetOIDCProvider matches the URL exactly (case-sensitively).
func (t *txn) GetOIDCProvider(ctx context.Context, acct, url string) (store.OIDCProvider, error) {
	var created time.Time
	var data string
	if err := t.get(ctx, "get OIDC provider", qGetOIDC, []any{escape(acct), escape(url)}, tm(&created), &data); err != nil {
		return store.OIDCProvider{}, err
	}
	return rec.OIDC(acct, url, created, data)
}

// ListOIDCProviders orders by URL as bytes.
func (t *txn) ListOIDCProviders(ctx context.Context, acct string) ([]store.OIDCProvider, error) {
	var out []store.OIDCProvider
	err := t.each(ctx, "list OIDC providers", qListOIDC, []any{escape(acct)}, func(rows pgx.Rows) error {
		var url, data string
		var created time.Time
		if err := rows.Scan(str(&url), tm(&created), &data); err != nil {
			return err
		}
		p, err := rec.OIDC(acct, url, created, data)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// CreateOIDCProvider returns ErrNotFound if the account does not exist and
// ErrAlreadyExists if it has a provider with p.URL.
func (t *txn) CreateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	const op = "create OIDC provider"
	created, data, err := oidcWrite(p)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qCreateOIDC, escape(p.Account), escape(p.URL), created, data)
	return err
}

// UpdateOIDCProvider finds the provider by p.Account and p.URL and
// replaces every other field (the create date too).
func (t *txn) UpdateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	created, data, err := oidcWrite(p)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update OIDC provider", qUpdateOIDC, created, data, escape(p.Account), escape(p.URL))
}

// DeleteOIDCProvider returns ErrNotFound if there is no such provider.
func (t *txn) DeleteOIDCProvider(ctx context.Context, acct, url string) error {
	return t.execOne(ctx, "delete OIDC provider", qDeleteOIDC, escape(acct), escape(url))
}

// ---- SAML providers ----

func scanSAML(rows pgx.Row) (store.SAMLProvider, error) {
	var p store.SAMLProvider
	var data string
	if err := rows.Scan(str(&p.Account), str(&p.Name), str(&p.Metadata), tm(&p.CreateDate), tm(&p.ValidUntil), &data); err != nil {
		return p, err
	}
	var err error
	p.Tags, err = rec.SAMLTags(p.Name, data)
	return p, err
}

func samlWrite(p store.SAMLProvider) (created, validUntil any, data string, err error) {
	if data, err = rec.SAMLData(p); err != nil {
		return nil, nil, "", err
	}
	if created, err = timeArg(p.CreateDate); err != nil {
		return nil, nil, "", err
	}
	if validUntil, err = timeArg(p.ValidUntil); err != nil {
		return nil, nil, "", err
	}
	return created, validUntil, data, nil
}

// GetSAMLProvider matches the name case-insensitively and returns it in
// its stored case.
func (t *txn) GetSAMLProvider(ctx context.Context, acct, name string) (store.SAMLProvider, error) {
	if t.failed != nil {
		return store.SAMLProvider{}, t.failed
	}
	const op = "get SAML provider"
	p, err := scanSAML(t.tx.QueryRow(ctx, qGetSAML, escape(acct), escape(fold(name))))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.SAMLProvider{}, fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.SAMLProvider{}, t.fail(ctx, op, err)
	}
	return p, nil
}

// ListSAMLProviders orders by lower-cased name, as the entity lists do.
func (t *txn) ListSAMLProviders(ctx context.Context, acct string) ([]store.SAMLProvider, error) {
	var out []store.SAMLProvider
	err := t.each(ctx, "list SAML providers", qListSAML, []any{escape(acct)}, func(rows pgx.Rows) error {
		p, err := scanSAML(rows)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// CreateSAMLProvider returns ErrNotFound if the account does not exist and
// ErrAlreadyExists if it has a provider of that name (case-insensitively).
func (t *txn) CreateSAMLProvider(ctx context.Context, p store.SAMLProvider) error {
	const op = "create SAML provider"
	created, validUntil, data, err := samlWrite(p)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qCreateSAML,
		escape(p.Account), escape(p.Name), escape(fold(p.Name)), escape(p.Metadata), created, validUntil, data)
	return err
}

// UpdateSAMLProvider finds the provider by p.Account and p.Name (case-
// insensitively) and replaces every other field; the name takes p.Name's
// case. ErrNotFound if there is no such provider.
func (t *txn) UpdateSAMLProvider(ctx context.Context, p store.SAMLProvider) error {
	created, validUntil, data, err := samlWrite(p)
	if err != nil {
		return err
	}
	return t.execOne(ctx, "update SAML provider", qUpdateSAML,
		escape(p.Name), escape(p.Metadata), created, validUntil, data, escape(p.Account), escape(fold(p.Name)))
}

// DeleteSAMLProvider matches the name case-insensitively; ErrNotFound if
// there is no such provider.
func (t *txn) DeleteSAMLProvider(ctx context.Context, acct, name string) error {
	return t.execOne(ctx, "delete SAML provider", qDeleteSAML, escape(acct), escape(fold(name)))
}

// ---- service keys ----

// ListServiceKeys returns the purpose's keys oldest first, then by id.
func (t *txn) ListServiceKeys(ctx context.Context, purpose string) ([]store.ServiceKey, error) {
	var out []store.ServiceKey
	err := t.each(ctx, "list service keys", qListServiceKeys, []any{escape(purpose)}, func(rows pgx.Rows) error {
		k := store.ServiceKey{Purpose: purpose}
		if err := rows.Scan(str(&k.ID), &k.Sealed, tm(&k.CreateDate)); err != nil {
			return err
		}
		if len(k.Sealed) == 0 {
			k.Sealed = nil
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

// CreateServiceKey returns ErrAlreadyExists if the purpose has k.ID.
func (t *txn) CreateServiceKey(ctx context.Context, k store.ServiceKey) error {
	if err := rec.CheckText("service key id", k.ID, "purpose", k.Purpose); err != nil {
		return err
	}
	created, err := timeArg(k.CreateDate)
	if err != nil {
		return err
	}
	sealed := k.Sealed
	if sealed == nil {
		sealed = []byte{}
	}
	_, err = t.execSafe(ctx, "create service key", qCreateServiceKey, escape(k.Purpose), escape(k.ID), sealed, created)
	return err
}

// ---- SAML assertion ids ----

// UseAssertionID first removes every record that expired at or before
// now (so a record is live while now < expires), then records id; a live
// record of id is a replay, ErrAlreadyExists (a unique violation inside a
// savepoint, which leaves the transaction usable).
func (t *txn) UseAssertionID(ctx context.Context, id string, now, expires time.Time) error {
	const op = "use assertion id"
	if err := rec.CheckText("assertion id", id); err != nil {
		return err
	}
	n, err := timeArg(now)
	if err != nil {
		return err
	}
	e, err := timeArg(expires)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, op, qExpireAssertions, n); err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qUseAssertion, escape(id), e)
	return err
}
