package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// ---- login profiles, password policies, signing certificates, credential reports ----

// signingCertCols gives the user's current name, "" for the root user's.
const signingCertCols = `c.account, c.id, coalesce(e.name, ''), c.body, c.status, c.uploaded`

const (
	qGetLogin = `SELECT e.name, l.hash, l.reset_required, l.created, l.changed, l.history::text
		FROM login_profiles l JOIN entities e ON e.pk = l.user_pk WHERE l.user_pk = $1`
	qPutLogin = `INSERT INTO login_profiles (user_pk, account, hash, reset_required, created, changed, history)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (user_pk) DO UPDATE SET hash = $3, reset_required = $4, created = $5, changed = $6, history = $7`
	qDeleteLogin = `DELETE FROM login_profiles WHERE user_pk = $1`

	qGetPasswordPolicy = `SELECT min_length, require_symbols, require_numbers, require_uppercase,
		require_lowercase, allow_change, max_age, reuse_prevention, hard_expiry
		FROM password_policies WHERE account = $1`
	qPutPasswordPolicy = `INSERT INTO password_policies (account, min_length, require_symbols,
		require_numbers, require_uppercase, require_lowercase, allow_change, max_age, reuse_prevention, hard_expiry)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (account) DO UPDATE SET min_length = $2, require_symbols = $3, require_numbers = $4,
		require_uppercase = $5, require_lowercase = $6, allow_change = $7, max_age = $8,
		reuse_prevention = $9, hard_expiry = $10`
	qDeletePasswordPolicy = `DELETE FROM password_policies WHERE account = $1`

	qGetSigningCert = `SELECT ` + signingCertCols + ` FROM signing_certificates c LEFT JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = $1 AND c.id = $2`
	qUserSigningCerts = `SELECT ` + signingCertCols + ` FROM signing_certificates c JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = $1 AND c.user_pk = $2 ORDER BY c.uploaded, c.id`
	qRootSigningCerts = `SELECT ` + signingCertCols + ` FROM signing_certificates c LEFT JOIN entities e ON e.pk = c.user_pk
		WHERE c.account = $1 AND c.user_pk IS NULL ORDER BY c.uploaded, c.id`
	qCreateSigningCert = `INSERT INTO signing_certificates (account, id, user_pk, body, status, uploaded)
		VALUES ($1, $2, $3, $4, $5, $6)`
	qUpdateSigningCert = `UPDATE signing_certificates SET status = $3 WHERE account = $1 AND id = $2`
	qDeleteSigningCert = `DELETE FROM signing_certificates WHERE account = $1 AND id = $2`

	qGetReport = `SELECT generated, content FROM credential_reports WHERE account = $1`
	qPutReport = `INSERT INTO credential_reports (account, generated, content) VALUES ($1, $2, $3)
		ON CONFLICT (account) DO UPDATE SET generated = $2, content = $3`

	// Run by DeleteAccountData; login profiles and users' certificates go
	// with their users.
	qDeletePasswordPolicyOf = `DELETE FROM password_policies WHERE account = $1`
	qDeleteSigningCertsOf   = `DELETE FROM signing_certificates WHERE account = $1`
	qDeleteReportOf         = `DELETE FROM credential_reports WHERE account = $1`
)

// GetLoginProfile matches the user name case-insensitively; UserName is
// the user's current name.
func (t *txn) GetLoginProfile(ctx context.Context, acct, user string) (store.LoginProfile, error) {
	const op = "get login profile"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return store.LoginProfile{}, err
	}
	p := store.LoginProfile{Account: acct}
	var history string
	if err := t.get(ctx, op, qGetLogin, []any{pk},
		str(&p.UserName), str(&p.PasswordHash), &p.PasswordResetRequired, tm(&p.CreateDate), tm(&p.PasswordChanged), &history); err != nil {
		return store.LoginProfile{}, err
	}
	if err := json.Unmarshal([]byte(history), &p.History); err != nil {
		return store.LoginProfile{}, fmt.Errorf("postgres: %s: history: %w", op, err)
	}
	return p, nil
}

// PutLoginProfile returns ErrNotFound if the user is absent.
func (t *txn) PutLoginProfile(ctx context.Context, p store.LoginProfile) error {
	const op = "put login profile"
	created, err := timeArg(p.CreateDate)
	if err != nil {
		return err
	}
	changed, err := timeArg(p.PasswordChanged)
	if err != nil {
		return err
	}
	history := p.History
	if history == nil {
		history = []string{}
	}
	hist, err := json.Marshal(history)
	if err != nil {
		return err
	}
	pk, _, err := t.pkOf(ctx, op+": user", p.Account, store.KindUser, p.UserName)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qPutLogin, pk, escape(p.Account), escape(p.PasswordHash), p.PasswordResetRequired,
		created, changed, string(hist))
	return err
}

// DeleteLoginProfile returns ErrNotFound if the user or profile is absent.
func (t *txn) DeleteLoginProfile(ctx context.Context, acct, user string) error {
	const op = "delete login profile"
	pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
	if err != nil {
		return err
	}
	return t.execOne(ctx, op, qDeleteLogin, pk)
}

// GetPasswordPolicy returns ErrNotFound if the account has none.
func (t *txn) GetPasswordPolicy(ctx context.Context, acct string) (store.PasswordPolicy, error) {
	p := store.PasswordPolicy{Account: acct}
	var minLength, maxAge, reuse int32
	err := t.get(ctx, "get password policy", qGetPasswordPolicy, []any{escape(acct)},
		&minLength, &p.RequireSymbols, &p.RequireNumbers, &p.RequireUppercaseCharacters,
		&p.RequireLowercaseCharacters, &p.AllowUsersToChangePassword, &maxAge, &reuse, &p.HardExpiry)
	if err != nil {
		return store.PasswordPolicy{}, err
	}
	p.MinimumPasswordLength, p.MaxPasswordAge, p.PasswordReusePrevention = int(minLength), int(maxAge), int(reuse)
	return p, nil
}

// PutPasswordPolicy returns ErrNotFound if the account is absent.
func (t *txn) PutPasswordPolicy(ctx context.Context, p store.PasswordPolicy) error {
	const op = "put password policy"
	if err := t.requireAccount(ctx, op, p.Account); err != nil {
		return err
	}
	_, err := t.exec(ctx, op, qPutPasswordPolicy, escape(p.Account), p.MinimumPasswordLength, p.RequireSymbols,
		p.RequireNumbers, p.RequireUppercaseCharacters, p.RequireLowercaseCharacters,
		p.AllowUsersToChangePassword, p.MaxPasswordAge, p.PasswordReusePrevention, p.HardExpiry)
	return err
}

// DeletePasswordPolicy returns ErrNotFound if the account has none.
func (t *txn) DeletePasswordPolicy(ctx context.Context, acct string) error {
	return t.execOne(ctx, "delete password policy", qDeletePasswordPolicy, escape(acct))
}

func scanCert(rows pgx.Row) (store.SigningCertificate, error) {
	var c store.SigningCertificate
	var status string
	err := rows.Scan(str(&c.Account), str(&c.ID), str(&c.UserName), str(&c.Body), str(&status), tm(&c.UploadDate))
	c.Status = store.AccessKeyStatus(status)
	return c, err
}

// GetSigningCertificate matches the id exactly; UserName is the user's
// current name.
func (t *txn) GetSigningCertificate(ctx context.Context, acct, id string) (store.SigningCertificate, error) {
	if t.failed != nil {
		return store.SigningCertificate{}, t.failed
	}
	const op = "get signing certificate"
	c, err := scanCert(t.tx.QueryRow(ctx, qGetSigningCert, escape(acct), escape(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.SigningCertificate{}, fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.SigningCertificate{}, t.fail(ctx, op, err)
	}
	return c, nil
}

// ListSigningCertificates returns ErrNotFound if user is not "" and absent.
func (t *txn) ListSigningCertificates(ctx context.Context, acct, user string) ([]store.SigningCertificate, error) {
	const op = "list signing certificates"
	query, args := qRootSigningCerts, []any{escape(acct)}
	if user != "" {
		pk, _, err := t.pkOf(ctx, op+": user", acct, store.KindUser, user)
		if err != nil {
			return nil, err
		}
		query, args = qUserSigningCerts, []any{escape(acct), pk}
	}
	var out []store.SigningCertificate
	err := t.each(ctx, op, query, args, func(rows pgx.Rows) error {
		c, err := scanCert(rows)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// CreateSigningCertificate returns ErrNotFound if the account, or the user
// when c.UserName is not "", is absent; ErrAlreadyExists for a taken id.
func (t *txn) CreateSigningCertificate(ctx context.Context, c store.SigningCertificate) error {
	const op = "create signing certificate"
	uploaded, err := timeArg(c.UploadDate)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, c.Account); err != nil {
		return err
	}
	var userPK any
	if c.UserName != "" {
		pk, _, err := t.pkOf(ctx, op+": user", c.Account, store.KindUser, c.UserName)
		if err != nil {
			return err
		}
		userPK = pk
	}
	_, err = t.execSafe(ctx, op, qCreateSigningCert, escape(c.Account), escape(c.ID), userPK, escape(c.Body),
		escape(string(c.Status)), uploaded)
	return err
}

// UpdateSigningCertificate sets the status; ErrNotFound if absent.
func (t *txn) UpdateSigningCertificate(ctx context.Context, c store.SigningCertificate) error {
	return t.execOne(ctx, "update signing certificate", qUpdateSigningCert, escape(c.Account), escape(c.ID), escape(string(c.Status)))
}

// DeleteSigningCertificate returns ErrNotFound if absent.
func (t *txn) DeleteSigningCertificate(ctx context.Context, acct, id string) error {
	return t.execOne(ctx, "delete signing certificate", qDeleteSigningCert, escape(acct), escape(id))
}

// GetCredentialReport returns ErrNotFound if the account has none.
func (t *txn) GetCredentialReport(ctx context.Context, acct string) (store.CredentialReport, error) {
	r := store.CredentialReport{Account: acct}
	var generated time.Time
	if err := t.get(ctx, "get credential report", qGetReport, []any{escape(acct)}, tm(&generated), &r.Content); err != nil {
		return store.CredentialReport{}, err
	}
	r.GeneratedTime = generated
	return r, nil
}

// PutCredentialReport returns ErrNotFound if the account is absent.
func (t *txn) PutCredentialReport(ctx context.Context, r store.CredentialReport) error {
	const op = "put credential report"
	generated, err := timeArg(r.GeneratedTime)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, r.Account); err != nil {
		return err
	}
	content := r.Content
	if content == nil {
		content = []byte{}
	}
	_, err = t.exec(ctx, op, qPutReport, escape(r.Account), generated, content)
	return err
}
