package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
)

func init() {
	query.RegisterPattern("delegationRequestId", `[\w-]+`, `[\w-]+`)
	query.RegisterPattern("notificationChannel", `^[a-zA-Z0-9:_.-]+$`, `[a-zA-Z0-9:_.-]+`)
	query.RegisterPattern("accountId", `\d{12}`, `\d{12}`)
	query.RegisterPattern("delegationOwnerId", `^[a-zA-Z0-9:/+=,.@_-]+$`, `[a-zA-Z0-9:/+=,.@_-]+`)
}

type listDelegationRequestsResult struct {
	DelegationRequests []struct{} `xml:"DelegationRequests>member"`
	IsTruncated        bool       `xml:"IsTruncated"`
}

// delegationActions are the IAM temporary delegation actions, role
// templates and human-readable summaries: features whose other half is
// AWS itself (see package iam, delegation.go). They check their input and
// answer as AWS answers an account without the feature. AWS's Service
// Authorization Reference gives them no resource type Warden can name,
// so they are authorized on "*".
func delegationActions(s *iam.Service) []api.Handler {
	onRequest := func(name string) api.Handler {
		return api.Action[iam.DelegationRequestInput, struct{}]{
			Name: name, IAMAction: "iam:" + name,
			Do: func(ctx context.Context, c *api.Call, in *iam.DelegationRequestInput) (*struct{}, error) {
				return nil, s.DelegationRequest(ctx, c.Caller.Account, in.DelegationRequestID)
			},
		}
	}
	withNotes := func(name string) api.Handler {
		return api.Action[iam.DelegationNotesInput, struct{}]{
			Name: name, IAMAction: "iam:" + name,
			Do: func(ctx context.Context, c *api.Call, in *iam.DelegationNotesInput) (*struct{}, error) {
				return nil, s.DelegationRequest(ctx, c.Caller.Account, in.DelegationRequestID)
			},
		}
	}
	return []api.Handler{
		api.Action[iam.CreateDelegationRequestInput, struct{}]{
			Name: "CreateDelegationRequest", IAMAction: "iam:CreateDelegationRequest",
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateDelegationRequestInput) (*struct{}, error) {
				return nil, s.CreateDelegationRequest(ctx, c.Caller.Principal.ARN, *in)
			},
		},
		api.Action[iam.GetDelegationRequestInput, struct{}]{
			Name: "GetDelegationRequest", IAMAction: "iam:GetDelegationRequest", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.GetDelegationRequestInput) (*struct{}, error) {
				return nil, s.DelegationRequest(ctx, c.Caller.Account, in.DelegationRequestID)
			},
		},
		api.Action[iam.ListDelegationRequestsInput, listDelegationRequestsResult]{
			Name: "ListDelegationRequests", IAMAction: "iam:ListDelegationRequests", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.ListDelegationRequestsInput) (*listDelegationRequestsResult, error) {
				if err := s.ListDelegationRequests(ctx, c.Caller.Account, *in); err != nil {
					return nil, err
				}
				return &listDelegationRequestsResult{DelegationRequests: []struct{}{}}, nil
			},
		},
		onRequest("AcceptDelegationRequest"),
		onRequest("AssociateDelegationRequest"),
		onRequest("SendDelegationToken"),
		withNotes("RejectDelegationRequest"),
		withNotes("UpdateDelegationRequest"),
		api.Action[iam.HumanReadableSummaryInput, struct{}]{
			Name: "GetHumanReadableSummary", IAMAction: "iam:GetHumanReadableSummary", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.HumanReadableSummaryInput) (*struct{}, error) {
				return nil, s.GetHumanReadableSummary(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.RoleTemplateInput, struct{}]{
			Name: "GetRoleTemplateVersion", IAMAction: "iam:GetRoleTemplateVersion", ReadOnly: true,
			Do: func(ctx context.Context, _ *api.Call, in *iam.RoleTemplateInput) (*struct{}, error) {
				return nil, s.RoleTemplate(ctx, in.TemplateARN)
			},
		},
		api.Action[iam.AcquireRoleInput, struct{}]{
			Name: "AcquireRole", IAMAction: "iam:AcquireRole",
			Do: func(ctx context.Context, _ *api.Call, in *iam.AcquireRoleInput) (*struct{}, error) {
				return nil, s.RoleTemplate(ctx, in.TemplateARN)
			},
		},
	}
}
