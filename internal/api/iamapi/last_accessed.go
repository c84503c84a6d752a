package iamapi

import (
	"context"
	"time"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
)

func init() {
	query.RegisterPattern("serviceNamespace", `[\w-]*`, `[\w-]*`)
}

// The wire shapes of the last accessed actions, as the AWS model has them.
type (
	generateServiceLastAccessedDetailsResult struct {
		JobID string `xml:"JobId"`
	}
	trackedActionWire struct {
		ActionName         string      `xml:"ActionName"`
		LastAccessedEntity string      `xml:"LastAccessedEntity,omitempty"`
		LastAccessedTime   *query.Time `xml:"LastAccessedTime,omitempty"`
		LastAccessedRegion string      `xml:"LastAccessedRegion,omitempty"`
	}
	serviceLastAccessedWire struct {
		ServiceName                string                      `xml:"ServiceName"`
		LastAuthenticated          *query.Time                 `xml:"LastAuthenticated,omitempty"`
		ServiceNamespace           string                      `xml:"ServiceNamespace"`
		LastAuthenticatedEntity    string                      `xml:"LastAuthenticatedEntity,omitempty"`
		LastAuthenticatedRegion    string                      `xml:"LastAuthenticatedRegion,omitempty"`
		TotalAuthenticatedEntities int                         `xml:"TotalAuthenticatedEntities"`
		TrackedActionsLastAccessed *Members[trackedActionWire] `xml:"TrackedActionsLastAccessed,omitempty"`
	}
	getServiceLastAccessedDetailsResult struct {
		JobStatus            string                           `xml:"JobStatus"`
		JobType              string                           `xml:"JobType"`
		JobCreationDate      query.Time                       `xml:"JobCreationDate"`
		ServicesLastAccessed Members[serviceLastAccessedWire] `xml:"ServicesLastAccessed"`
		JobCompletionDate    query.Time                       `xml:"JobCompletionDate"`
		IsTruncated          bool                             `xml:"IsTruncated"`
		Marker               string                           `xml:"Marker,omitempty"`
	}
	entityInfoWire struct {
		Arn  string `xml:"Arn"`
		Name string `xml:"Name"`
		Type string `xml:"Type"`
		ID   string `xml:"Id"`
		Path string `xml:"Path,omitempty"`
	}
	entityDetailsWire struct {
		EntityInfo        entityInfoWire `xml:"EntityInfo"`
		LastAuthenticated *query.Time    `xml:"LastAuthenticated,omitempty"`
	}
	getServiceLastAccessedDetailsWithEntitiesResult struct {
		JobStatus         string                     `xml:"JobStatus"`
		JobCreationDate   query.Time                 `xml:"JobCreationDate"`
		JobCompletionDate query.Time                 `xml:"JobCompletionDate"`
		EntityDetailsList Members[entityDetailsWire] `xml:"EntityDetailsList"`
		IsTruncated       bool                       `xml:"IsTruncated"`
		Marker            string                     `xml:"Marker,omitempty"`
	}
	policyGrantingWire struct {
		PolicyName string `xml:"PolicyName"`
		PolicyType string `xml:"PolicyType"`
		PolicyArn  string `xml:"PolicyArn,omitempty"`
		EntityType string `xml:"EntityType,omitempty"`
		EntityName string `xml:"EntityName,omitempty"`
	}
	servicePoliciesWire struct {
		ServiceNamespace string                      `xml:"ServiceNamespace"`
		Policies         Members[policyGrantingWire] `xml:"Policies"`
	}
	listPoliciesGrantingServiceAccessResult struct {
		PoliciesGrantingServiceAccess Members[servicePoliciesWire] `xml:"PoliciesGrantingServiceAccess"`
		IsTruncated                   bool                         `xml:"IsTruncated"`
	}
)

// optionalTime is nil for the zero time (an element AWS omits).
func optionalTime(t time.Time) *query.Time {
	if t.IsZero() {
		return nil
	}
	qt := query.Time(t)
	return &qt
}

// lastAccessedTarget is the resource of GenerateServiceLastAccessedDetails
// and ListPoliciesGrantingServiceAccess: the user, group, role or policy
// the Arn names (the Service Authorization Reference lists those resource
// types for both). The ARN is the caller's text; a user's or role's tags
// come with it when it names the entity.
func lastAccessedTarget(c *api.Call, arn string) api.Target {
	t := api.Target{ARN: arn}
	name := simLastName(arn)
	if u, ok := c.Snapshot.User(c.Caller.Account, name); ok && iam.UserARN(u.Account, u.Path, u.Name) == arn {
		t.Tags = u.Tags
	} else if r, ok := c.Snapshot.Role(c.Caller.Account, name); ok && iam.RoleARN(r.Account, r.Path, r.Name) == arn {
		t.Tags = r.Tags
	}
	return t
}

func serviceLastAccessedOf(in []iam.ServiceLastAccessed) Members[serviceLastAccessedWire] {
	out := Members[serviceLastAccessedWire]{Items: []serviceLastAccessedWire{}}
	for _, s := range in {
		w := serviceLastAccessedWire{ServiceName: s.ServiceName, ServiceNamespace: s.ServiceNamespace,
			LastAuthenticated: optionalTime(s.LastAuthenticated), LastAuthenticatedEntity: s.LastAuthenticatedEntity,
			LastAuthenticatedRegion: s.LastAuthenticatedRegion, TotalAuthenticatedEntities: s.TotalAuthenticatedEntities}
		if s.TrackedActions != nil {
			w.TrackedActionsLastAccessed = &Members[trackedActionWire]{Items: []trackedActionWire{}}
			for _, a := range s.TrackedActions {
				w.TrackedActionsLastAccessed.Items = append(w.TrackedActionsLastAccessed.Items, trackedActionWire{
					ActionName: a.ActionName, LastAccessedEntity: a.LastAccessedEntity,
					LastAccessedTime: optionalTime(a.LastAccessedTime), LastAccessedRegion: a.LastAccessedRegion})
			}
		}
		out.Items = append(out.Items, w)
	}
	return out
}

// lastAccessedActions: the report actions. GenerateServiceLastAccessedDetails
// acts on the entity or policy; the Get actions have no resource type and
// are authorized on "*"; ListPoliciesGrantingServiceAccess acts on the
// user, group or role. A job is read back only by the principal that
// generated it (see iam.Service.GetServiceLastAccessedDetails).
func lastAccessedActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.GenerateServiceLastAccessedDetailsInput, generateServiceLastAccessedDetailsResult]{
			Name: "GenerateServiceLastAccessedDetails", IAMAction: "iam:GenerateServiceLastAccessedDetails",
			Resource: func(_ context.Context, c *api.Call, in *iam.GenerateServiceLastAccessedDetailsInput) (api.Target, error) {
				return lastAccessedTarget(c, in.Arn), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.GenerateServiceLastAccessedDetailsInput) (*generateServiceLastAccessedDetailsResult, error) {
				id, err := s.GenerateServiceLastAccessedDetails(ctx, c.Snapshot, c.Caller.Account, c.Caller.Principal.ARN, *in)
				if err != nil {
					return nil, err
				}
				return &generateServiceLastAccessedDetailsResult{JobID: id}, nil
			},
		},
		api.Action[iam.GetServiceLastAccessedDetailsInput, getServiceLastAccessedDetailsResult]{
			Name: "GetServiceLastAccessedDetails", IAMAction: "iam:GetServiceLastAccessedDetails", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.GetServiceLastAccessedDetailsInput) (*getServiceLastAccessedDetailsResult, error) {
				p, err := s.GetServiceLastAccessedDetails(ctx, c.Caller.Account, c.Caller.Principal.ARN, *in)
				if err != nil {
					return nil, err
				}
				return &getServiceLastAccessedDetailsResult{JobStatus: iam.JobCompleted, JobType: p.Granularity,
					JobCreationDate: query.Time(p.Created), JobCompletionDate: query.Time(p.Completed),
					ServicesLastAccessed: serviceLastAccessedOf(p.Items), IsTruncated: p.Truncated, Marker: p.Marker}, nil
			},
		},
		api.Action[iam.GetServiceLastAccessedDetailsWithEntitiesInput, getServiceLastAccessedDetailsWithEntitiesResult]{
			Name: "GetServiceLastAccessedDetailsWithEntities", IAMAction: "iam:GetServiceLastAccessedDetailsWithEntities", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.GetServiceLastAccessedDetailsWithEntitiesInput) (*getServiceLastAccessedDetailsWithEntitiesResult, error) {
				p, err := s.GetServiceLastAccessedDetailsWithEntities(ctx, c.Caller.Account, c.Caller.Principal.ARN, *in)
				if err != nil {
					return nil, err
				}
				out := &getServiceLastAccessedDetailsWithEntitiesResult{JobStatus: iam.JobCompleted,
					JobCreationDate: query.Time(p.Created), JobCompletionDate: query.Time(p.Completed),
					EntityDetailsList: Members[entityDetailsWire]{Items: []entityDetailsWire{}}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, e := range p.Items {
					out.EntityDetailsList.Items = append(out.EntityDetailsList.Items, entityDetailsWire{
						EntityInfo:        entityInfoWire{Arn: e.Info.ARN, Name: e.Info.Name, Type: e.Info.Type, ID: e.Info.ID, Path: e.Info.Path},
						LastAuthenticated: optionalTime(e.LastAuthenticated)})
				}
				return out, nil
			},
		},
		api.Action[iam.ListPoliciesGrantingServiceAccessInput, listPoliciesGrantingServiceAccessResult]{
			Name: "ListPoliciesGrantingServiceAccess", IAMAction: "iam:ListPoliciesGrantingServiceAccess", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.ListPoliciesGrantingServiceAccessInput) (api.Target, error) {
				return lastAccessedTarget(c, in.Arn), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListPoliciesGrantingServiceAccessInput) (*listPoliciesGrantingServiceAccessResult, error) {
				entries, err := s.ListPoliciesGrantingServiceAccess(ctx, c.Snapshot, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listPoliciesGrantingServiceAccessResult{PoliciesGrantingServiceAccess: Members[servicePoliciesWire]{Items: []servicePoliciesWire{}}}
				for _, e := range entries {
					w := servicePoliciesWire{ServiceNamespace: e.ServiceNamespace, Policies: Members[policyGrantingWire]{Items: []policyGrantingWire{}}}
					for _, p := range e.Policies {
						w.Policies.Items = append(w.Policies.Items, policyGrantingWire{PolicyName: p.PolicyName, PolicyType: p.PolicyType,
							PolicyArn: p.PolicyARN, EntityType: p.EntityType, EntityName: p.EntityName})
					}
					out.PoliciesGrantingServiceAccess.Items = append(out.PoliciesGrantingServiceAccess.Items, w)
				}
				return out, nil
			},
		},
	}
}
