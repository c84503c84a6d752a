package store

import (
	"context"
	"time"
)

// ServiceAccess is the last time an IAM user or role attempted to access
// a service, or one action of it: what IAM's last accessed reports are
// computed from.
type ServiceAccess struct {
	Account string
	// Kind is KindUser or KindRole.
	Kind EntityKind
	// EntityName names the entity: on write, as the caller knows it; on
	// read, the entity's current name (an access follows a rename).
	EntityName string
	// EntityID is the entity's unique id: an access recorded for an entity
	// never passes to a later one of the same name.
	EntityID string
	// Service is the service namespace in lower case, e.g. "iam".
	Service string
	// Action is "" for the service as a whole, else the action's name as
	// AWS spells it ("ListUsers").
	Action string
	Time   time.Time
	Region string
}

// AccessReportJob is a generated last accessed report, kept so that any
// node reads it back by its job id.
type AccessReportJob struct {
	ID      string
	Account string
	// Owner is the ARN of the principal that generated the job.
	Owner   string
	Created time.Time
	// Report is the computed report, in the IAM service's encoding.
	Report []byte
}

// ServiceAccessReader reads recorded service accesses and report jobs.
type ServiceAccessReader interface {
	// ListServiceAccess returns the account's accesses recorded at or
	// after since, each with its entity's current name, ordered by kind,
	// lower-cased entity name, service and action.
	ListServiceAccess(ctx context.Context, acct string, since time.Time) ([]ServiceAccess, error)
	// GetAccessReportJob returns ErrNotFound if there is no job with id.
	GetAccessReportJob(ctx context.Context, id string) (AccessReportJob, error)
}

// ServiceAccessWriter records service accesses and report jobs.
type ServiceAccessWriter interface {
	// RecordServiceAccess keeps the later of a's time and the time already
	// recorded for the same entity, service and action (with its region).
	// ErrNotFound if the account has no entity of a.Kind named
	// a.EntityName (case-insensitively) whose id is a.EntityID. The
	// accesses of an entity go with it when it is deleted.
	RecordServiceAccess(ctx context.Context, a ServiceAccess) error
	// CreateAccessReportJob returns ErrAlreadyExists if the id is taken
	// and ErrNotFound if the account does not exist.
	CreateAccessReportJob(ctx context.Context, j AccessReportJob) error
	// DeleteAccessReportJobsBefore removes every job created before t and
	// returns how many it removed.
	DeleteAccessReportJobsBefore(ctx context.Context, t time.Time) (int, error)
}
