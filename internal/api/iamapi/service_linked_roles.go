package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
)

type deleteServiceLinkedRoleResult struct {
	DeletionTaskID string `xml:"DeletionTaskId"`
}

type deletionStatusResult struct {
	Status string `xml:"Status"`
}

func serviceLinkedRoleActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.CreateServiceLinkedRoleInput, roleResult]{
			Name: "CreateServiceLinkedRole", IAMAction: "iam:CreateServiceLinkedRole",
			// The role's name follows from the service, so the resource is
			// the role the service would get without a suffix.
			Resource: func(_ context.Context, c *api.Call, in *iam.CreateServiceLinkedRoleInput) (api.Target, error) {
				return api.Target{ARN: iam.ServiceLinkedRoleARN(c.Caller.Account, in.AWSServiceName, in.CustomSuffix)}, nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.CreateServiceLinkedRoleInput) (*roleResult, error) {
				r, err := s.CreateServiceLinkedRole(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &roleResult{Role: roleOf(r, roleCreated)}, nil
			},
		},
		api.Action[iam.DeleteServiceLinkedRoleInput, deleteServiceLinkedRoleResult]{
			Name: "DeleteServiceLinkedRole", IAMAction: "iam:DeleteServiceLinkedRole",
			Resource: named(roleByName, func(in *iam.DeleteServiceLinkedRoleInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.DeleteServiceLinkedRoleInput) (*deleteServiceLinkedRoleResult, error) {
				task, err := s.DeleteServiceLinkedRole(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &deleteServiceLinkedRoleResult{DeletionTaskID: task}, nil
			},
		},
		api.Action[iam.DeletionTaskInput, deletionStatusResult]{
			Name: "GetServiceLinkedRoleDeletionStatus", IAMAction: "iam:GetServiceLinkedRoleDeletionStatus", ReadOnly: true,
			// Authorized on "*": the task names a role that no longer exists.
			Do: func(ctx context.Context, c *api.Call, in *iam.DeletionTaskInput) (*deletionStatusResult, error) {
				st, err := s.GetServiceLinkedRoleDeletionStatus(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &deletionStatusResult{Status: st}, nil
			},
		},
	}
}
