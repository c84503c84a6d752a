package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

func init() {
	// policyPathType of the AWS model: CreatePolicy Path, and PathPrefix of
	// ListPolicies and ListAttached*Policies. The iam inputs name it.
	query.RegisterPattern("policyPath", `((/[A-Za-z0-9\.,\+@=_-]+)*)/`, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
}

// Policy is the Policy shape of the AWS model: a managed policy.
type Policy struct {
	PolicyName                    string        `xml:"PolicyName"`
	PolicyID                      string        `xml:"PolicyId"`
	ARN                           string        `xml:"Arn"`
	Path                          string        `xml:"Path"`
	DefaultVersionID              string        `xml:"DefaultVersionId"`
	AttachmentCount               int           `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int           `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool          `xml:"IsAttachable"`
	Description                   string        `xml:"Description,omitempty"`
	CreateDate                    query.Time    `xml:"CreateDate"`
	UpdateDate                    query.Time    `xml:"UpdateDate"`
	Tags                          *Members[Tag] `xml:"Tags,omitempty"`
}

// PolicyVersion is the PolicyVersion shape. Document is URL-encoded, and
// only GetPolicyVersion returns it.
type PolicyVersion struct {
	Document         string     `xml:"Document,omitempty"`
	VersionID        string     `xml:"VersionId"`
	IsDefaultVersion bool       `xml:"IsDefaultVersion"`
	CreateDate       query.Time `xml:"CreateDate"`
}

// AttachedPolicy is the AttachedPolicy shape.
type AttachedPolicy struct {
	PolicyName string `xml:"PolicyName"`
	PolicyARN  string `xml:"PolicyArn"`
}

// The PolicyGroup, PolicyUser and PolicyRole shapes of ListEntitiesForPolicy.
type (
	PolicyGroup struct {
		GroupName string `xml:"GroupName"`
		GroupID   string `xml:"GroupId"`
	}
	PolicyUser struct {
		UserName string `xml:"UserName"`
		UserID   string `xml:"UserId"`
	}
	PolicyRole struct {
		RoleName string `xml:"RoleName"`
		RoleID   string `xml:"RoleId"`
	}
)

// policyView says which optional members a response carries. AWS
// behaviour (recorded in localstack's IAM snapshot tests): CreatePolicy
// returns tags only when some were set and no Description; GetPolicy
// returns both; ListPolicies neither.
type policyView uint8

const (
	policyViewCreate policyView = iota
	policyViewGet
	policyViewList
)

func policyOf(p iam.ManagedPolicy, view policyView) Policy {
	w := Policy{PolicyName: p.Name, PolicyID: p.ID, ARN: p.ARN(), Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount, IsAttachable: true,
		CreateDate: query.Time(p.CreateDate), UpdateDate: query.Time(p.UpdateDate)}
	switch view {
	case policyViewCreate:
		w.Tags = optionalTags(p.Tags)
	case policyViewGet:
		w.Description = p.Description
		w.Tags = optionalTags(p.Tags)
	}
	return w
}

func policyVersionOf(v iam.ManagedPolicyVersion, withDocument bool) PolicyVersion {
	w := PolicyVersion{VersionID: v.VersionID, IsDefaultVersion: v.IsDefault, CreateDate: query.Time(v.CreateDate)}
	if withDocument {
		w.Document = encodeDocument(v.Document)
	}
	return w
}

type policyResult struct {
	Policy Policy `xml:"Policy"`
}

type listPoliciesResult struct {
	Policies    []Policy `xml:"Policies>member"`
	IsTruncated bool     `xml:"IsTruncated"`
	Marker      string   `xml:"Marker,omitempty"`
}

type policyVersionResult struct {
	PolicyVersion PolicyVersion `xml:"PolicyVersion"`
}

type listPolicyVersionsResult struct {
	Versions    []PolicyVersion `xml:"Versions>member"`
	IsTruncated bool            `xml:"IsTruncated"`
	Marker      string          `xml:"Marker,omitempty"`
}

type listAttachedPoliciesResult struct {
	AttachedPolicies []AttachedPolicy `xml:"AttachedPolicies>member"`
	IsTruncated      bool             `xml:"IsTruncated"`
	Marker           string           `xml:"Marker,omitempty"`
}

type listEntitiesForPolicyResult struct {
	PolicyGroups []PolicyGroup `xml:"PolicyGroups>member"`
	PolicyUsers  []PolicyUser  `xml:"PolicyUsers>member"`
	PolicyRoles  []PolicyRole  `xml:"PolicyRoles>member"`
	IsTruncated  bool          `xml:"IsTruncated"`
	Marker       string        `xml:"Marker,omitempty"`
}

// The wire inputs of the attachment actions: the owner's parameter name
// differs per kind, the service takes one shape.
type (
	attachUserPolicyInput struct {
		UserName  string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
		PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	}
	attachGroupPolicyInput struct {
		GroupName string `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
		PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	}
	attachRolePolicyInput struct {
		RoleName  string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
		PolicyArn string `query:"PolicyArn,required" min:"20" max:"2048" pattern:"arn"`
	}
	listAttachedUserPoliciesInput struct {
		UserName   string  `query:"UserName,required" min:"1" max:"64" pattern:"name"`
		PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"policyPath"`
		Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
		MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	}
	listAttachedGroupPoliciesInput struct {
		GroupName  string  `query:"GroupName,required" min:"1" max:"128" pattern:"name"`
		PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"policyPath"`
		Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
		MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	}
	listAttachedRolePoliciesInput struct {
		RoleName   string  `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
		PathPrefix *string `query:"PathPrefix" min:"1" max:"512" pattern:"policyPath"`
		Marker     *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
		MaxItems   *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
	}
)

// policyWriteByARN is the resource of the actions that change a policy.
// AWS behaviour: an AWS managed policy belongs to the account "aws", so
// changing it is a request on another account's resource that no policy
// of that account allows: AccessDenied, "... is not authorized to
// perform: iam:DeletePolicy on resource: policy arn:aws:iam::aws:policy/X
// because no resource-based policy allows the iam:DeletePolicy action"
// (the IAM policy simulator reports these writes as implicitly denied
// even for AdministratorAccess).
func policyWriteByARN(ctx context.Context, c *api.Call, arn string) api.Target {
	t := byARN(ctx, c, arn)
	if awspolicies.IsAWSManaged(arn) {
		t.Account = awspolicies.Account
	}
	return t
}

// managedPolicyARNKey adds iam:PolicyARN, the condition key of the
// attachment actions.
func managedPolicyARNKey(arn string, keys *policy.Context) { keys.Set("iam:PolicyARN", arn) }

func attachedPage(p store.Page[iam.AttachedPolicy]) *listAttachedPoliciesResult {
	out := &listAttachedPoliciesResult{AttachedPolicies: []AttachedPolicy{}, IsTruncated: p.Truncated, Marker: p.Marker}
	for _, a := range p.Items {
		out.AttachedPolicies = append(out.AttachedPolicies, AttachedPolicy{PolicyName: a.Name, PolicyARN: a.ARN})
	}
	return out
}

func managedPolicyActions(s *iam.Service) []api.Handler {
	return slices.Concat([]api.Handler{
		api.Action[iam.CreatePolicyInput, policyResult]{
			Name: "CreatePolicy", IAMAction: "iam:CreatePolicy",
			Resource: func(_ context.Context, c *api.Call, in *iam.CreatePolicyInput) (api.Target, error) {
				return api.Target{ARN: iam.PolicyARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.PolicyName)}, nil
			},
			Context: func(_ *api.Call, in *iam.CreatePolicyInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *iam.CreatePolicyInput) (*policyResult, error) {
				p, err := s.CreatePolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &policyResult{Policy: policyOf(p, policyViewCreate)}, nil
			},
		},
		api.Action[iam.PolicyARNInput, policyResult]{
			Name: "GetPolicy", IAMAction: "iam:GetPolicy", ReadOnly: true,
			Resource: named(byARN, func(in *iam.PolicyARNInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PolicyARNInput) (*policyResult, error) {
				p, err := s.GetPolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &policyResult{Policy: policyOf(p, policyViewGet)}, nil
			},
		},
		api.Action[iam.PolicyARNInput, struct{}]{
			Name: "DeletePolicy", IAMAction: "iam:DeletePolicy",
			Resource: named(policyWriteByARN, func(in *iam.PolicyARNInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PolicyARNInput) (*struct{}, error) {
				return nil, s.DeletePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ListPoliciesInput, listPoliciesResult]{
			Name: "ListPolicies", IAMAction: "iam:ListPolicies", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListPoliciesInput) (api.Target, error) {
				return listTarget(c, "policy")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListPoliciesInput) (*listPoliciesResult, error) {
				p, err := s.ListPolicies(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listPoliciesResult{Policies: []Policy{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, mp := range p.Items {
					out.Policies = append(out.Policies, policyOf(mp, policyViewList))
				}
				return out, nil
			},
		},
		api.Action[iam.CreatePolicyVersionInput, policyVersionResult]{
			Name: "CreatePolicyVersion", IAMAction: "iam:CreatePolicyVersion",
			Resource: named(policyWriteByARN, func(in *iam.CreatePolicyVersionInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.CreatePolicyVersionInput) (*policyVersionResult, error) {
				v, err := s.CreatePolicyVersion(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &policyVersionResult{PolicyVersion: policyVersionOf(v, false)}, nil
			},
		},
		api.Action[iam.PolicyVersionInput, policyVersionResult]{
			Name: "GetPolicyVersion", IAMAction: "iam:GetPolicyVersion", ReadOnly: true,
			Resource: named(byARN, func(in *iam.PolicyVersionInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PolicyVersionInput) (*policyVersionResult, error) {
				v, err := s.GetPolicyVersion(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &policyVersionResult{PolicyVersion: policyVersionOf(v, true)}, nil
			},
		},
		api.Action[iam.ListPolicyVersionsInput, listPolicyVersionsResult]{
			Name: "ListPolicyVersions", IAMAction: "iam:ListPolicyVersions", ReadOnly: true,
			Resource: named(byARN, func(in *iam.ListPolicyVersionsInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListPolicyVersionsInput) (*listPolicyVersionsResult, error) {
				p, err := s.ListPolicyVersions(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listPolicyVersionsResult{Versions: []PolicyVersion{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, v := range p.Items {
					out.Versions = append(out.Versions, policyVersionOf(v, false))
				}
				return out, nil
			},
		},
		api.Action[iam.PolicyVersionInput, struct{}]{
			Name: "DeletePolicyVersion", IAMAction: "iam:DeletePolicyVersion",
			Resource: named(policyWriteByARN, func(in *iam.PolicyVersionInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PolicyVersionInput) (*struct{}, error) {
				return nil, s.DeletePolicyVersion(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.PolicyVersionInput, struct{}]{
			Name: "SetDefaultPolicyVersion", IAMAction: "iam:SetDefaultPolicyVersion",
			Resource: named(policyWriteByARN, func(in *iam.PolicyVersionInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.PolicyVersionInput) (*struct{}, error) {
				return nil, s.SetDefaultPolicyVersion(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[attachUserPolicyInput, struct{}]{
			Name: "AttachUserPolicy", IAMAction: "iam:AttachUserPolicy",
			Resource: named(userByName, func(in *attachUserPolicyInput) string { return in.UserName }),
			Context: func(_ *api.Call, in *attachUserPolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachUserPolicyInput) (*struct{}, error) {
				return nil, s.AttachUserPolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.UserName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[attachGroupPolicyInput, struct{}]{
			Name: "AttachGroupPolicy", IAMAction: "iam:AttachGroupPolicy",
			Resource: named(groupByName, func(in *attachGroupPolicyInput) string { return in.GroupName }),
			Context: func(_ *api.Call, in *attachGroupPolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachGroupPolicyInput) (*struct{}, error) {
				return nil, s.AttachGroupPolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.GroupName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[attachRolePolicyInput, struct{}]{
			Name: "AttachRolePolicy", IAMAction: "iam:AttachRolePolicy",
			Resource: named(roleARNByName, func(in *attachRolePolicyInput) string { return in.RoleName }),
			Context: func(_ *api.Call, in *attachRolePolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachRolePolicyInput) (*struct{}, error) {
				return nil, s.AttachRolePolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.RoleName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[attachUserPolicyInput, struct{}]{
			Name: "DetachUserPolicy", IAMAction: "iam:DetachUserPolicy",
			Resource: named(userByName, func(in *attachUserPolicyInput) string { return in.UserName }),
			Context: func(_ *api.Call, in *attachUserPolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachUserPolicyInput) (*struct{}, error) {
				return nil, s.DetachUserPolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.UserName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[attachGroupPolicyInput, struct{}]{
			Name: "DetachGroupPolicy", IAMAction: "iam:DetachGroupPolicy",
			Resource: named(groupByName, func(in *attachGroupPolicyInput) string { return in.GroupName }),
			Context: func(_ *api.Call, in *attachGroupPolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachGroupPolicyInput) (*struct{}, error) {
				return nil, s.DetachGroupPolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.GroupName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[attachRolePolicyInput, struct{}]{
			Name: "DetachRolePolicy", IAMAction: "iam:DetachRolePolicy",
			Resource: named(roleARNByName, func(in *attachRolePolicyInput) string { return in.RoleName }),
			Context: func(_ *api.Call, in *attachRolePolicyInput, keys *policy.Context) {
				managedPolicyARNKey(in.PolicyArn, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *attachRolePolicyInput) (*struct{}, error) {
				return nil, s.DetachRolePolicy(ctx, c.Caller.Account, iam.AttachPolicyInput{Owner: in.RoleName, PolicyArn: in.PolicyArn})
			},
		},
		api.Action[listAttachedUserPoliciesInput, listAttachedPoliciesResult]{
			Name: "ListAttachedUserPolicies", IAMAction: "iam:ListAttachedUserPolicies", ReadOnly: true,
			Resource: named(userByName, func(in *listAttachedUserPoliciesInput) string { return in.UserName }),
			Do: func(ctx context.Context, c *api.Call, in *listAttachedUserPoliciesInput) (*listAttachedPoliciesResult, error) {
				p, err := s.ListAttachedUserPolicies(ctx, c.Caller.Account, iam.ListAttachedPoliciesInput{
					Owner: in.UserName, PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems})
				if err != nil {
					return nil, err
				}
				return attachedPage(p), nil
			},
		},
		api.Action[listAttachedGroupPoliciesInput, listAttachedPoliciesResult]{
			Name: "ListAttachedGroupPolicies", IAMAction: "iam:ListAttachedGroupPolicies", ReadOnly: true,
			Resource: named(groupByName, func(in *listAttachedGroupPoliciesInput) string { return in.GroupName }),
			Do: func(ctx context.Context, c *api.Call, in *listAttachedGroupPoliciesInput) (*listAttachedPoliciesResult, error) {
				p, err := s.ListAttachedGroupPolicies(ctx, c.Caller.Account, iam.ListAttachedPoliciesInput{
					Owner: in.GroupName, PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems})
				if err != nil {
					return nil, err
				}
				return attachedPage(p), nil
			},
		},
		api.Action[listAttachedRolePoliciesInput, listAttachedPoliciesResult]{
			Name: "ListAttachedRolePolicies", IAMAction: "iam:ListAttachedRolePolicies", ReadOnly: true,
			Resource: named(roleARNByName, func(in *listAttachedRolePoliciesInput) string { return in.RoleName }),
			Do: func(ctx context.Context, c *api.Call, in *listAttachedRolePoliciesInput) (*listAttachedPoliciesResult, error) {
				p, err := s.ListAttachedRolePolicies(ctx, c.Caller.Account, iam.ListAttachedPoliciesInput{
					Owner: in.RoleName, PathPrefix: in.PathPrefix, Marker: in.Marker, MaxItems: in.MaxItems})
				if err != nil {
					return nil, err
				}
				return attachedPage(p), nil
			},
		},
	}, taggable[iam.TagPolicyInput, iam.UntagPolicyInput, iam.ListPolicyTagsInput]{
		Kind: "Policy", Target: byARN, WriteTarget: policyWriteByARN,
		TagID:   func(in *iam.TagPolicyInput) string { return in.PolicyArn },
		UntagID: func(in *iam.UntagPolicyInput) string { return in.PolicyArn },
		ListID:  func(in *iam.ListPolicyTagsInput) string { return in.PolicyArn },
		Tags:    func(in *iam.TagPolicyInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagPolicyInput) []string { return in.TagKeys },
		Tag:     s.TagPolicy, Untag: s.UntagPolicy, List: s.ListPolicyTags,
	}.actions(), []api.Handler{
		api.Action[iam.ListEntitiesForPolicyInput, listEntitiesForPolicyResult]{
			Name: "ListEntitiesForPolicy", IAMAction: "iam:ListEntitiesForPolicy", ReadOnly: true,
			Resource: named(byARN, func(in *iam.ListEntitiesForPolicyInput) string { return in.PolicyArn }),
			Do: func(ctx context.Context, c *api.Call, in *iam.ListEntitiesForPolicyInput) (*listEntitiesForPolicyResult, error) {
				p, err := s.ListEntitiesForPolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listEntitiesForPolicyResult{PolicyGroups: []PolicyGroup{}, PolicyUsers: []PolicyUser{},
					PolicyRoles: []PolicyRole{}, IsTruncated: p.Truncated, Marker: p.Marker}
				for _, e := range p.Items {
					switch e.Kind {
					case store.KindGroup:
						out.PolicyGroups = append(out.PolicyGroups, PolicyGroup{GroupName: e.Name, GroupID: e.ID})
					case store.KindUser:
						out.PolicyUsers = append(out.PolicyUsers, PolicyUser{UserName: e.Name, UserID: e.ID})
					case store.KindRole:
						out.PolicyRoles = append(out.PolicyRoles, PolicyRole{RoleName: e.Name, RoleID: e.ID})
					}
				}
				return out, nil
			},
		},
	})
}
