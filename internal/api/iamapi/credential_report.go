package iamapi

import (
	"context"
	"encoding/base64"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
)

type generateCredentialReportResult struct {
	State       string `xml:"State"`
	Description string `xml:"Description,omitempty"`
}

// getCredentialReportResult: Content is a blob, base64 on the wire.
type getCredentialReportResult struct {
	Content       string     `xml:"Content"`
	ReportFormat  string     `xml:"ReportFormat"`
	GeneratedTime query.Time `xml:"GeneratedTime"`
}

// credentialReportActions: the report actions have no resource type, so
// they are authorized on "*".
func credentialReportActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[struct{}, generateCredentialReportResult]{
			Name: "GenerateCredentialReport", IAMAction: "iam:GenerateCredentialReport",
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*generateCredentialReportResult, error) {
				state, err := s.GenerateCredentialReport(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := &generateCredentialReportResult{State: string(state)}
				if state == iam.ReportStarted {
					out.Description = "No report exists. Starting a new report generation task"
				}
				return out, nil
			},
		},
		api.Action[struct{}, getCredentialReportResult]{
			Name: "GetCredentialReport", IAMAction: "iam:GetCredentialReport", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*getCredentialReportResult, error) {
				r, err := s.GetCredentialReport(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				return &getCredentialReportResult{Content: base64.StdEncoding.EncodeToString(r.Content),
					ReportFormat: "text/csv", GeneratedTime: query.Time(r.GeneratedTime)}, nil
			},
		},
	}
}
