package api

import (
	"context"
	"errors"
	"net/url"

	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Handler is one entry of an action table. Build handlers with [Action].
type Handler interface {
	// ActionName is the value of the Action parameter, e.g. "CreateUser".
	ActionName() string
	// unsigned reports whether the action is called without SigV4.
	unsigned() bool
	serve(ctx context.Context, call *Call, form url.Values) (any, error)
	// serveJSON is serve for a JSON-protocol request body; invalid turns
	// a constraint violation into the service's error.
	serveJSON(ctx context.Context, call *Call, body []byte, invalid func(*jsonproto.FieldError) error) (any, error)
}

// Target is the resource an action acts on, as authorization sees it.
type Target struct {
	// ARN is the resource's ARN, with the path where the entity has one.
	ARN string
	// Tags are the resource's tags (iam:ResourceTag/*, aws:ResourceTag/*).
	Tags []store.Tag
	// Account owns the resource; "" means the caller's account.
	Account string
	// Policy is the resource's resource-based policy (a role's trust
	// policy for sts:AssumeRole*), or nil.
	Policy *policy.Policy
}

// Action declares one API action: how to find the resource it acts on,
// which condition keys it adds, and what it does. In is the decoded input
// (a struct with `query` tags, or `json` tags for a JSON-protocol
// service); Out is the XML or JSON result (nil for none).
type Action[In, Out any] struct {
	Name string
	// IAMAction is the action authorization checks, e.g. "iam:CreateUser".
	IAMAction string
	// ReadOnly marks actions that change nothing (for the audit event).
	ReadOnly bool
	// NoAuthorization marks actions every authenticated caller may call
	// (sts:GetCallerIdentity).
	NoAuthorization bool
	// Unsigned marks actions called without SigV4, whose input carries its
	// own proof of identity (AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
	// A signed request is still verified. For an unsigned request the
	// Resource function authenticates: it verifies the proof and sets
	// Call.Caller before authorization.
	Unsigned bool
	// Resource returns the resource the call acts on. It must read only the
	// snapshot, never the store.
	Resource func(ctx context.Context, c *Call, in *In) (Target, error)
	// Context adds the action's own condition keys (aws:RequestTag/*,
	// aws:TagKeys, iam:PermissionsBoundary ...).
	Context func(c *Call, in *In, keys *policy.Context)
	// Do runs the action.
	Do func(ctx context.Context, c *Call, in *In) (*Out, error)
}

// ActionName returns the action's name.
func (a Action[In, Out]) ActionName() string { return a.Name }

func (a Action[In, Out]) unsigned() bool { return a.Unsigned }

func (a Action[In, Out]) serve(ctx context.Context, call *Call, form url.Values) (any, error) {
	var in In
	if err := query.Decode(form, &in); err != nil {
		return nil, err
	}
	return a.run(ctx, call, &in)
}

func (a Action[In, Out]) serveJSON(ctx context.Context, call *Call, body []byte, invalid func(*jsonproto.FieldError) error) (any, error) {
	var in In
	if err := jsonproto.Decode(body, &in); err != nil {
		var fe *jsonproto.FieldError
		if errors.As(err, &fe) && invalid != nil {
			return nil, invalid(fe)
		}
		return nil, err
	}
	return a.run(ctx, call, &in)
}

// run authorizes and runs a decoded call.
func (a Action[In, Out]) run(ctx context.Context, call *Call, in *In) (any, error) {
	call.Input = in
	call.ReadOnly = a.ReadOnly
	if call.auditFailing && !a.ReadOnly {
		return nil, awserr.ServiceUnavailable()
	}
	if !a.NoAuthorization {
		var target Target
		if a.Resource != nil {
			var err error
			if target, err = a.Resource(ctx, call, in); err != nil {
				return nil, err
			}
		} else {
			target.ARN = "*"
		}
		var keys policy.Context
		if a.Context != nil {
			a.Context(call, in, &keys)
		}
		if err := call.Authorize(a.IAMAction, target, keys); err != nil {
			return nil, err
		}
	}
	out, err := a.Do(ctx, call, in)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	return out, nil
}
