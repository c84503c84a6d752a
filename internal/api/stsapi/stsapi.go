// Package stsapi is the STS action table and its wire structs.
package stsapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
)

type getCallerIdentityResult struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	ARN     string `xml:"Arn"`
}

type noInput struct{}

// Actions returns the STS action table.
func Actions() []api.Handler {
	return []api.Handler{
		api.Action[noInput, getCallerIdentityResult]{
			Name: "GetCallerIdentity", IAMAction: "sts:GetCallerIdentity", ReadOnly: true,
			// AWS behaviour: no permission is needed, and no policy can deny it.
			NoAuthorization: true,
			Do: func(_ context.Context, c *api.Call, _ *noInput) (*getCallerIdentityResult, error) {
				p := c.Caller.Principal
				return &getCallerIdentityResult{UserID: p.UserID, Account: c.Caller.Account, ARN: p.ARN}, nil
			},
		},
	}
}
