package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/warden-iam/warden/internal/store"
)

// ---- service last accessed data ----

const (
	qAccessEntity = `SELECT pk FROM entities WHERE account = $1 AND kind = $2 AND name_lower = $3 AND id = $4`
	qRecordAccess = `INSERT INTO service_access (entity_pk, service, action, at, region) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (entity_pk, service, action) DO UPDATE SET at = excluded.at, region = excluded.region
		WHERE excluded.at > service_access.at`
	qListAccess = `SELECT e.kind, e.name, e.id, a.service, a.action, a.at, a.region
		FROM service_access a JOIN entities e ON e.pk = a.entity_pk
		WHERE e.account = $1 AND ($2::timestamptz IS NULL OR a.at >= $2)
		ORDER BY e.kind, e.name_lower, a.service, a.action`
	qGetAccessJob       = `SELECT id, account, owner, created, report FROM access_report_jobs WHERE id = $1`
	qCreateAccessJob    = `INSERT INTO access_report_jobs (id, account, owner, created, report) VALUES ($1, $2, $3, $4, $5)`
	qDeleteAccessJobs   = `DELETE FROM access_report_jobs WHERE created < $1`
	qDeleteAccessJobsOf = `DELETE FROM access_report_jobs WHERE account = $1`
)

// RecordServiceAccess returns ErrNotFound unless the account has the
// entity with that name and id.
func (t *txn) RecordServiceAccess(ctx context.Context, a store.ServiceAccess) error {
	const op = "record service access"
	at, err := timeArg(a.Time)
	if err != nil {
		return err
	}
	if at == nil {
		return errors.New("postgres: record service access: no time")
	}
	var pk int64
	if err := t.get(ctx, op+": entity", qAccessEntity, []any{escape(a.Account), string(a.Kind), escape(fold(a.EntityName)), escape(a.EntityID)}, &pk); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qRecordAccess, pk, escape(strings.ToLower(a.Service)), escape(a.Action), at, escape(a.Region))
	return err
}

// ListServiceAccess orders by kind, lower-cased name, service and action.
func (t *txn) ListServiceAccess(ctx context.Context, acct string, since time.Time) ([]store.ServiceAccess, error) {
	from, err := timeArg(since)
	if err != nil {
		return nil, err
	}
	var out []store.ServiceAccess
	err = t.each(ctx, "list service access", qListAccess, []any{escape(acct), from}, func(rows pgx.Rows) error {
		a := store.ServiceAccess{Account: acct}
		var kind string
		if err := rows.Scan(str(&kind), str(&a.EntityName), str(&a.EntityID), str(&a.Service), str(&a.Action), tm(&a.Time), str(&a.Region)); err != nil {
			return err
		}
		a.Kind = store.EntityKind(kind)
		out = append(out, a)
		return nil
	})
	return out, err
}

// GetAccessReportJob returns ErrNotFound for an unknown id.
func (t *txn) GetAccessReportJob(ctx context.Context, id string) (store.AccessReportJob, error) {
	var j store.AccessReportJob
	var report string
	if err := t.get(ctx, "get access report job", qGetAccessJob, []any{escape(id)}, str(&j.ID), str(&j.Account), str(&j.Owner), tm(&j.Created), str(&report)); err != nil {
		return j, err
	}
	j.Report = []byte(report)
	return j, nil
}

// CreateAccessReportJob returns ErrNotFound if the account is absent and
// ErrAlreadyExists for a taken id.
func (t *txn) CreateAccessReportJob(ctx context.Context, j store.AccessReportJob) error {
	const op = "create access report job"
	created, err := timeArg(j.Created)
	if err != nil {
		return err
	}
	if created == nil {
		return fmt.Errorf("postgres: %s: no creation time", op)
	}
	if err := t.requireAccount(ctx, op, j.Account); err != nil {
		return err
	}
	_, err = t.exec(ctx, op, qCreateAccessJob, escape(j.ID), escape(j.Account), escape(j.Owner), created, escape(string(j.Report)))
	return err
}

// DeleteAccessReportJobsBefore removes the jobs created before before.
func (t *txn) DeleteAccessReportJobsBefore(ctx context.Context, before time.Time) (int, error) {
	cutoff, err := timeArg(before)
	if err != nil {
		return 0, err
	}
	if cutoff == nil {
		return 0, nil // nothing was created before the zero time
	}
	tag, err := t.exec(ctx, "delete access report jobs", qDeleteAccessJobs, cutoff)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}
