package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
)

func init() {
	query.RegisterPattern("orgEntityPath", `^o-[0-9a-z]{10,32}\/r-[0-9a-z]{4,32}[0-9a-z-\/]*`, `o-[0-9a-z]{10,32}/r-[0-9a-z]{4,32}[0-9a-z/-]*`)
	query.RegisterPattern("orgPolicyId", `^p-[0-9a-zA-Z_]{8,128}$`, `p-[0-9a-zA-Z_]{8,128}`)
}

// The wire shapes of the Organizations access report actions, as the AWS
// model has them. ErrorDetails is never sent: a Warden job never fails
// (see iam.GenerateOrganizationsAccessReport).
type (
	generateOrganizationsAccessReportResult struct {
		JobID string `xml:"JobId"`
	}
	accessDetailWire struct {
		ServiceName                string      `xml:"ServiceName"`
		ServiceNamespace           string      `xml:"ServiceNamespace"`
		Region                     string      `xml:"Region,omitempty"`
		EntityPath                 string      `xml:"EntityPath,omitempty"`
		LastAuthenticatedTime      *query.Time `xml:"LastAuthenticatedTime,omitempty"`
		TotalAuthenticatedEntities int         `xml:"TotalAuthenticatedEntities"`
	}
	getOrganizationsAccessReportResult struct {
		JobStatus                   string                    `xml:"JobStatus"`
		JobCreationDate             query.Time                `xml:"JobCreationDate"`
		JobCompletionDate           query.Time                `xml:"JobCompletionDate"`
		NumberOfServicesAccessible  int                       `xml:"NumberOfServicesAccessible"`
		NumberOfServicesNotAccessed int                       `xml:"NumberOfServicesNotAccessed"`
		AccessDetails               Members[accessDetailWire] `xml:"AccessDetails"`
		IsTruncated                 bool                      `xml:"IsTruncated"`
		Marker                      string                    `xml:"Marker,omitempty"`
	}
)

// orgAccessReportActions: GenerateOrganizationsAccessReport acts on the
// access-report resource of the entity path
// (arn:aws:iam::ACCOUNT:access-report/ENTITY_PATH, the Service
// Authorization Reference's resource type); GetOrganizationsAccessReport
// has no resource type and is authorized on "*". A job is read back only
// by the principal that generated it, in the management account.
func orgAccessReportActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.GenerateOrganizationsAccessReportInput, generateOrganizationsAccessReportResult]{
			Name: "GenerateOrganizationsAccessReport", IAMAction: "iam:GenerateOrganizationsAccessReport",
			Resource: func(_ context.Context, c *api.Call, in *iam.GenerateOrganizationsAccessReportInput) (api.Target, error) {
				return api.Target{ARN: "arn:aws:iam::" + c.Caller.Account + ":access-report/" + in.EntityPath}, nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.GenerateOrganizationsAccessReportInput) (*generateOrganizationsAccessReportResult, error) {
				id, err := s.GenerateOrganizationsAccessReport(ctx, c.Caller.Account, c.Caller.Principal.ARN, *in)
				if err != nil {
					return nil, err
				}
				return &generateOrganizationsAccessReportResult{JobID: id}, nil
			},
		},
		api.Action[iam.GetOrganizationsAccessReportInput, getOrganizationsAccessReportResult]{
			Name: "GetOrganizationsAccessReport", IAMAction: "iam:GetOrganizationsAccessReport", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.GetOrganizationsAccessReportInput) (*getOrganizationsAccessReportResult, error) {
				p, err := s.GetOrganizationsAccessReport(ctx, c.Caller.Account, c.Caller.Principal.ARN, *in)
				if err != nil {
					return nil, err
				}
				out := &getOrganizationsAccessReportResult{JobStatus: iam.JobCompleted,
					JobCreationDate: query.Time(p.Created), JobCompletionDate: query.Time(p.Completed),
					NumberOfServicesAccessible: p.Accessible, NumberOfServicesNotAccessed: p.NotAccessed,
					AccessDetails: Members[accessDetailWire]{Items: []accessDetailWire{}}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, sv := range p.Items {
					out.AccessDetails.Items = append(out.AccessDetails.Items, accessDetailWire{ServiceName: sv.ServiceName,
						ServiceNamespace: sv.ServiceNamespace, Region: sv.Region, EntityPath: sv.EntityPath,
						LastAuthenticatedTime: optionalTime(sv.LastAuthenticated), TotalAuthenticatedEntities: sv.TotalAuthenticatedEntities})
				}
				return out, nil
			},
		},
	}
}
