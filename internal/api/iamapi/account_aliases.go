package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
)

func init() {
	// AWS's pattern uses a lookahead (no "--"); Go's regexp has none, so
	// the same language is written as runs of [a-z0-9] joined by single
	// hyphens, with the length (3 to 63) left to the min and max tags.
	query.RegisterPattern("accountAlias", `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, `[a-z0-9]+(?:-[a-z0-9]+)*`)
}

type listAccountAliasesResult struct {
	AccountAliases []string `xml:"AccountAliases>member"`
	IsTruncated    bool     `xml:"IsTruncated"`
}

// accountAliasActions: the alias actions have no resource type, so they
// are authorized on "*".
func accountAliasActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.AccountAliasInput, struct{}]{
			Name: "CreateAccountAlias", IAMAction: "iam:CreateAccountAlias",
			Do: func(ctx context.Context, c *api.Call, in *iam.AccountAliasInput) (*struct{}, error) {
				return nil, s.CreateAccountAlias(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.AccountAliasInput, struct{}]{
			Name: "DeleteAccountAlias", IAMAction: "iam:DeleteAccountAlias",
			Do: func(ctx context.Context, c *api.Call, in *iam.AccountAliasInput) (*struct{}, error) {
				return nil, s.DeleteAccountAlias(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListAccountAliasesInput, listAccountAliasesResult]{
			Name: "ListAccountAliases", IAMAction: "iam:ListAccountAliases", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.ListAccountAliasesInput) (*listAccountAliasesResult, error) {
				aliases, err := s.ListAccountAliases(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listAccountAliasesResult{AccountAliases: aliases}, nil
			},
		},
	}
}
