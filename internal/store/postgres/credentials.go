package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// certCols are entityCols for a server certificate: no reference column.
const certCols = `c.pk, c.account, c.name, c.name_lower, c.path, c.id, c.created, '', c.data`

const sshKeyCols = `k.account, k.id, e.name, k.body, k.fingerprint, k.status, k.created`

const serviceCredCols = `c.account, c.id, e.name, c.service_name, c.service_user_name, c.sealed_secret,
	c.status, c.created, c.expiration`

const (
	qDeleteCertsOf = `DELETE FROM server_certificates WHERE account = $1`
	qGetCert       = `SELECT ` + certCols + `, c.body, c.chain, c.sealed_key FROM server_certificates c
		WHERE c.account = $1 AND c.name_lower = $2`
	// $1 account, $2 prefix, $3 marker flag, $4 marker, $5 limit.
	qListCerts = `SELECT ` + certCols + ` FROM server_certificates c
		WHERE c.account = $1 AND starts_with(c.path, $2)
		  AND (NOT $3 OR c.name_lower > $4)
		ORDER BY c.name_lower, c.name
		LIMIT $5`
	qCreateCert = `INSERT INTO server_certificates
		(account, name, name_lower, path, id, created, body, chain, sealed_key, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	qUpdateCert = `UPDATE server_certificates SET name = $1, name_lower = $2, path = $3, data = $4
		WHERE account = $5 AND name_lower = $6`
	qDeleteCert = `DELETE FROM server_certificates WHERE account = $1 AND name_lower = $2`

	qGetSSHKey = `SELECT ` + sshKeyCols + ` FROM ssh_public_keys k JOIN entities e ON e.pk = k.user_pk
		WHERE k.account = $1 AND k.id = $2`
	qUserSSHKeys = `SELECT ` + sshKeyCols + ` FROM ssh_public_keys k JOIN entities e ON e.pk = k.user_pk
		WHERE k.user_pk = $1 ORDER BY k.created, k.id`
	qCreateSSHKey = `INSERT INTO ssh_public_keys (account, id, user_pk, body, fingerprint, status, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
	qUpdateSSHKey = `UPDATE ssh_public_keys SET status = $1 WHERE account = $2 AND id = $3`
	qDeleteSSHKey = `DELETE FROM ssh_public_keys WHERE account = $1 AND id = $2`

	qGetServiceCred = `SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = $1 AND c.id = $2`
	qUserServiceCreds = `SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.user_pk = $1 ORDER BY c.created, c.id`
	qAccountServiceCreds = `SELECT ` + serviceCredCols + ` FROM service_credentials c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = $1 ORDER BY e.name_lower, e.name, c.created, c.id`
	qCreateServiceCred = `INSERT INTO service_credentials
		(account, id, user_pk, service_name, service_user_name, sealed_secret, status, created, expiration)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	qUpdateServiceCred = `UPDATE service_credentials SET status = $1, sealed_secret = $2 WHERE account = $3 AND id = $4`
	qDeleteServiceCred = `DELETE FROM service_credentials WHERE account = $1 AND id = $2`
)

// notFound is ErrNotFound for op.
func notFound(op string) error { return fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound) }

// ---- server certificates ----

// GetServerCertificate matches name case-insensitively.
func (t *txn) GetServerCertificate(ctx context.Context, acct, name string) (store.ServerCertificate, error) {
	var (
		r           entityRow
		body, chain string
		key         []byte
	)
	dest := append(r.dest(), str(&body), str(&chain), &key)
	if err := t.get(ctx, "get server certificate", qGetCert, []any{escape(acct), escape(fold(name))}, dest...); err != nil {
		return store.ServerCertificate{}, err
	}
	c, err := rec.ServerCertificate(r.Entity)
	if err != nil {
		return store.ServerCertificate{}, err
	}
	c.Body, c.Chain, c.SealedKey = body, chain, key
	return c, nil
}

// ListServerCertificates compares the path prefix as bytes.
func (t *txn) ListServerCertificates(ctx context.Context, acct, pathPrefix string, p store.PageRequest) (store.Page[store.ServerCertificate], error) {
	return page(ctx, t, "list server certificates", qListCerts, []any{escape(acct), escape(pathPrefix)}, p, rec.ServerCertificate)
}

// CreateServerCertificate returns ErrNotFound if the account is absent and
// ErrAlreadyExists for a taken name.
func (t *txn) CreateServerCertificate(ctx context.Context, c store.ServerCertificate) error {
	const op = "create server certificate"
	w, err := rec.ServerCertificateEntity(c)
	if err != nil {
		return err
	}
	created, err := timeArg(w.Created)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, c.Account); err != nil {
		return err
	}
	key := c.SealedKey
	if key == nil {
		key = []byte{}
	}
	_, err = t.execSafe(ctx, op, qCreateCert, escape(w.Account), escape(w.Name), escape(w.NameLower), escape(w.Path),
		escape(w.ID), created, escape(c.Body), escape(c.Chain), key, w.Data)
	return err
}

// UpdateServerCertificate renames, moves and retags the certificate name.
func (t *txn) UpdateServerCertificate(ctx context.Context, name string, c store.ServerCertificate) error {
	const op = "update server certificate"
	w, err := rec.ServerCertificateEntity(c)
	if err != nil {
		return err
	}
	tag, err := t.execSafe(ctx, op, qUpdateCert, escape(w.Name), escape(w.NameLower), escape(w.Path), w.Data,
		escape(w.Account), escape(fold(name)))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound(op)
	}
	return nil
}

// DeleteServerCertificate returns ErrNotFound if absent.
func (t *txn) DeleteServerCertificate(ctx context.Context, acct, name string) error {
	return t.execOne(ctx, "delete server certificate", qDeleteCert, escape(acct), escape(fold(name)))
}

// ---- SSH public keys ----

func scanSSHKey(rows pgx.Row) (store.SSHPublicKey, error) {
	var k store.SSHPublicKey
	var status string
	if err := rows.Scan(str(&k.Account), str(&k.ID), str(&k.UserName), str(&k.Body), str(&k.Fingerprint),
		str(&status), tm(&k.UploadDate)); err != nil {
		return k, err
	}
	k.Status = store.AccessKeyStatus(status)
	return k, nil
}

// GetSSHPublicKey returns ErrNotFound if the account has no key id.
func (t *txn) GetSSHPublicKey(ctx context.Context, acct, id string) (store.SSHPublicKey, error) {
	var k store.SSHPublicKey
	var status string
	err := t.get(ctx, "get SSH public key", qGetSSHKey, []any{escape(acct), escape(id)},
		str(&k.Account), str(&k.ID), str(&k.UserName), str(&k.Body), str(&k.Fingerprint), str(&status), tm(&k.UploadDate))
	k.Status = store.AccessKeyStatus(status)
	return k, err
}

// ListSSHPublicKeys returns ErrNotFound if the user is absent.
func (t *txn) ListSSHPublicKeys(ctx context.Context, acct, user string) ([]store.SSHPublicKey, error) {
	const op = "list SSH public keys"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return nil, err
	}
	var out []store.SSHPublicKey
	err = t.each(ctx, op, qUserSSHKeys, []any{pk}, func(rows pgx.Rows) error {
		k, err := scanSSHKey(rows)
		out = append(out, k)
		return err
	})
	return out, err
}

// CreateSSHPublicKey returns ErrNotFound if the user is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateSSHPublicKey(ctx context.Context, k store.SSHPublicKey) error {
	const op = "create SSH public key"
	if err := rec.CheckSSHPublicKey(k); err != nil {
		return err
	}
	created, err := timeArg(k.UploadDate)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", k.Account, store.KindUser, k.UserName)
	if err != nil {
		return err
	}
	_, err = t.execSafe(ctx, op, qCreateSSHKey, escape(k.Account), escape(k.ID), pk, escape(k.Body),
		escape(k.Fingerprint), escape(string(k.Status)), created)
	return err
}

// UpdateSSHPublicKey sets the status of key k.ID.
func (t *txn) UpdateSSHPublicKey(ctx context.Context, k store.SSHPublicKey) error {
	if err := rec.CheckSSHPublicKey(k); err != nil {
		return err
	}
	return t.execOne(ctx, "update SSH public key", qUpdateSSHKey, escape(string(k.Status)), escape(k.Account), escape(k.ID))
}

// DeleteSSHPublicKey returns ErrNotFound if absent.
func (t *txn) DeleteSSHPublicKey(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete SSH public key", qDeleteSSHKey, escape(acct), escape(id))
}

// ---- service-specific credentials ----

func scanServiceCred(rows pgx.Row) (store.ServiceCredential, error) {
	var c store.ServiceCredential
	var status string
	if err := rows.Scan(str(&c.Account), str(&c.ID), str(&c.UserName), str(&c.ServiceName), str(&c.ServiceUserName),
		&c.SealedSecret, str(&status), tm(&c.CreateDate), tm(&c.Expiration)); err != nil {
		return c, err
	}
	c.Status = store.AccessKeyStatus(status)
	if len(c.SealedSecret) == 0 {
		c.SealedSecret = nil
	}
	return c, nil
}

// GetServiceCredential returns ErrNotFound if the account has no
// credential id.
func (t *txn) GetServiceCredential(ctx context.Context, acct, id string) (store.ServiceCredential, error) {
	var out []store.ServiceCredential
	err := t.each(ctx, "get service credential", qGetServiceCred, []any{escape(acct), escape(id)}, func(rows pgx.Rows) error {
		c, err := scanServiceCred(rows)
		out = append(out, c)
		return err
	})
	if err != nil {
		return store.ServiceCredential{}, err
	}
	if len(out) == 0 {
		return store.ServiceCredential{}, notFound("get service credential")
	}
	return out[0], nil
}

// ListServiceCredentials lists one user's credentials, or with user ""
// the account's.
func (t *txn) ListServiceCredentials(ctx context.Context, acct, user string) ([]store.ServiceCredential, error) {
	const op = "list service credentials"
	query, args := qAccountServiceCreds, []any{escape(acct)}
	if user != "" {
		pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
		if err != nil {
			return nil, err
		}
		query, args = qUserServiceCreds, []any{pk}
	}
	var out []store.ServiceCredential
	err := t.each(ctx, op, query, args, func(rows pgx.Rows) error {
		c, err := scanServiceCred(rows)
		out = append(out, c)
		return err
	})
	return out, err
}

// CreateServiceCredential returns ErrNotFound if the user is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateServiceCredential(ctx context.Context, c store.ServiceCredential) error {
	const op = "create service credential"
	if err := rec.CheckServiceCredential(c); err != nil {
		return err
	}
	created, err := timeArg(c.CreateDate)
	if err != nil {
		return err
	}
	expiration, err := timeArg(c.Expiration)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", c.Account, store.KindUser, c.UserName)
	if err != nil {
		return err
	}
	secret := c.SealedSecret
	if secret == nil {
		secret = []byte{}
	}
	_, err = t.execSafe(ctx, op, qCreateServiceCred, escape(c.Account), escape(c.ID), pk, escape(c.ServiceName),
		escape(c.ServiceUserName), secret, escape(string(c.Status)), created, expiration)
	return err
}

// UpdateServiceCredential sets the status and sealed secret of c.ID.
func (t *txn) UpdateServiceCredential(ctx context.Context, c store.ServiceCredential) error {
	if err := rec.CheckServiceCredential(c); err != nil {
		return err
	}
	secret := c.SealedSecret
	if secret == nil {
		secret = []byte{}
	}
	return t.execOne(ctx, "update service credential", qUpdateServiceCred, escape(string(c.Status)), secret,
		escape(c.Account), escape(c.ID))
}

// DeleteServiceCredential returns ErrNotFound if absent.
func (t *txn) DeleteServiceCredential(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete service credential", qDeleteServiceCred, escape(acct), escape(id))
}
