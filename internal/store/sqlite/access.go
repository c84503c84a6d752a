package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// ---- service last accessed data ----

var (
	qAccessEntity = stmt(`SELECT pk FROM entities WHERE account = ?1 AND kind = ?2 AND name_lower = ?3 AND id = ?4`)
	qRecordAccess = stmt(`INSERT INTO service_access (entity_pk, service, action, at, region) VALUES (?1, ?2, ?3, ?4, ?5)
		ON CONFLICT (entity_pk, service, action) DO UPDATE SET at = excluded.at, region = excluded.region
		WHERE excluded.at > service_access.at`)
	qListAccess = stmt(`SELECT e.kind, e.name, e.id, a.service, a.action, a.at, a.region
		FROM service_access a JOIN entities e ON e.pk = a.entity_pk
		WHERE e.account = ?1 AND a.at >= ?2
		ORDER BY e.kind, e.name_lower, a.service, a.action`)
	qGetAccessJob       = stmt(`SELECT id, account, owner, created, report FROM access_report_jobs WHERE id = ?1`)
	qCreateAccessJob    = stmt(`INSERT INTO access_report_jobs (id, account, owner, created, report) VALUES (?1, ?2, ?3, ?4, ?5)`)
	qDeleteAccessJobs   = stmt(`DELETE FROM access_report_jobs WHERE created < ?1`)
	qDeleteAccessJobsOf = stmt(`DELETE FROM access_report_jobs WHERE account = ?1`)
)

// RecordServiceAccess returns ErrNotFound unless the account has the
// entity with that name and id.
func (t *txn) RecordServiceAccess(ctx context.Context, a store.ServiceAccess) error {
	const op = "record service access"
	if a.Time.IsZero() {
		return errors.New("sqlite: record service access: no time")
	}
	at, err := encodeTime(a.Time)
	if err != nil {
		return err
	}
	var pk int64
	if err := t.get(ctx, op+": entity", qAccessEntity, []any{a.Account, string(a.Kind), fold(a.EntityName), a.EntityID}, &pk); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qRecordAccess, pk, strings.ToLower(a.Service), a.Action, at, a.Region)
	return err
}

// ListServiceAccess orders by kind, lower-cased name, service and action.
func (t *txn) ListServiceAccess(ctx context.Context, acct string, since time.Time) ([]store.ServiceAccess, error) {
	from, err := encodeTime(since)
	if err != nil {
		return nil, err
	}
	var out []store.ServiceAccess
	err = t.each(ctx, "list service access", qListAccess, []any{acct, from}, func(rows *sql.Rows) error {
		a := store.ServiceAccess{Account: acct}
		var kind, at string
		if err := rows.Scan(&kind, &a.EntityName, &a.EntityID, &a.Service, &a.Action, &at, &a.Region); err != nil {
			return err
		}
		a.Kind = store.EntityKind(kind)
		if a.Time, err = decodeTime(at); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// GetAccessReportJob returns ErrNotFound for an unknown id.
func (t *txn) GetAccessReportJob(ctx context.Context, id string) (store.AccessReportJob, error) {
	var j store.AccessReportJob
	var created, report string
	if err := t.get(ctx, "get access report job", qGetAccessJob, []any{id}, &j.ID, &j.Account, &j.Owner, &created, &report); err != nil {
		return j, err
	}
	j.Report = []byte(report)
	var err error
	j.Created, err = decodeTime(created)
	return j, err
}

// CreateAccessReportJob returns ErrNotFound if the account is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateAccessReportJob(ctx context.Context, j store.AccessReportJob) error {
	const op = "create access report job"
	created, err := encodeTime(j.Created)
	if err != nil {
		return err
	}
	if err := t.requireAccount(ctx, op, j.Account); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateAccessJob, j.ID, j.Account, j.Owner, created, string(j.Report))
	return err
}

// DeleteAccessReportJobsBefore removes the jobs created before before.
func (t *txn) DeleteAccessReportJobsBefore(ctx context.Context, before time.Time) (int, error) {
	const op = "delete access report jobs"
	cutoff, err := encodeTime(before)
	if err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, op, qDeleteAccessJobs, cutoff)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.fail(ctx, op, err)
	}
	return int(n), nil
}
