package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// accountSummaryEntry is one entry of a map in the Query protocol:
// <entry><key>Users</key><value>3</value></entry>.
type accountSummaryEntry struct {
	Key   string `xml:"key"`
	Value int    `xml:"value"`
}

type accountSummaryResult struct {
	SummaryMap []accountSummaryEntry `xml:"SummaryMap>entry"`
}

// PolicyDetail is the PolicyDetail shape: an inline policy, its document
// URL-encoded.
type PolicyDetail struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

// UserDetail is the UserDetail shape of GetAccountAuthorizationDetails.
type UserDetail struct {
	Path                    string           `xml:"Path"`
	UserName                string           `xml:"UserName"`
	UserID                  string           `xml:"UserId"`
	ARN                     string           `xml:"Arn"`
	CreateDate              query.Time       `xml:"CreateDate"`
	UserPolicyList          []PolicyDetail   `xml:"UserPolicyList>member"`
	GroupList               []string         `xml:"GroupList>member"`
	AttachedManagedPolicies []AttachedPolicy `xml:"AttachedManagedPolicies>member"`
	PermissionsBoundary     *Boundary        `xml:"PermissionsBoundary,omitempty"`
	Tags                    *Members[Tag]    `xml:"Tags,omitempty"`
}

// GroupDetail is the GroupDetail shape.
type GroupDetail struct {
	Path                    string           `xml:"Path"`
	GroupName               string           `xml:"GroupName"`
	GroupID                 string           `xml:"GroupId"`
	ARN                     string           `xml:"Arn"`
	CreateDate              query.Time       `xml:"CreateDate"`
	GroupPolicyList         []PolicyDetail   `xml:"GroupPolicyList>member"`
	AttachedManagedPolicies []AttachedPolicy `xml:"AttachedManagedPolicies>member"`
}

// RoleDetail is the RoleDetail shape. InstanceProfileList is always
// empty: Warden has no instance profiles.
type RoleDetail struct {
	Path                     string           `xml:"Path"`
	RoleName                 string           `xml:"RoleName"`
	RoleID                   string           `xml:"RoleId"`
	ARN                      string           `xml:"Arn"`
	CreateDate               query.Time       `xml:"CreateDate"`
	AssumeRolePolicyDocument string           `xml:"AssumeRolePolicyDocument"`
	InstanceProfileList      []struct{}       `xml:"InstanceProfileList>member"`
	RolePolicyList           []PolicyDetail   `xml:"RolePolicyList>member"`
	AttachedManagedPolicies  []AttachedPolicy `xml:"AttachedManagedPolicies>member"`
	PermissionsBoundary      *Boundary        `xml:"PermissionsBoundary,omitempty"`
	Tags                     *Members[Tag]    `xml:"Tags,omitempty"`
	RoleLastUsed             *RoleLastUsed    `xml:"RoleLastUsed"`
}

// ManagedPolicyDetail is the ManagedPolicyDetail shape: a managed policy
// with every version's document, URL-encoded.
type ManagedPolicyDetail struct {
	PolicyName                    string          `xml:"PolicyName"`
	PolicyID                      string          `xml:"PolicyId"`
	ARN                           string          `xml:"Arn"`
	Path                          string          `xml:"Path"`
	DefaultVersionID              string          `xml:"DefaultVersionId"`
	AttachmentCount               int             `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int             `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool            `xml:"IsAttachable"`
	Description                   string          `xml:"Description,omitempty"`
	CreateDate                    query.Time      `xml:"CreateDate"`
	UpdateDate                    query.Time      `xml:"UpdateDate"`
	PolicyVersionList             []PolicyVersion `xml:"PolicyVersionList>member"`
}

type accountAuthorizationDetailsResult struct {
	UserDetailList  []UserDetail          `xml:"UserDetailList>member"`
	GroupDetailList []GroupDetail         `xml:"GroupDetailList>member"`
	RoleDetailList  []RoleDetail          `xml:"RoleDetailList>member"`
	Policies        []ManagedPolicyDetail `xml:"Policies>member"`
	IsTruncated     bool                  `xml:"IsTruncated"`
	Marker          string                `xml:"Marker,omitempty"`
}

// accountInline converts inline policies; an empty list stays an empty
// element on the wire.
func accountInline(in []store.InlinePolicy) []PolicyDetail {
	out := make([]PolicyDetail, 0, len(in))
	for _, p := range in {
		out = append(out, PolicyDetail{PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)})
	}
	return out
}

func accountAttached(in []iam.AttachedPolicy) []AttachedPolicy {
	out := make([]AttachedPolicy, 0, len(in))
	for _, a := range in {
		out = append(out, AttachedPolicy{PolicyName: a.Name, PolicyARN: a.ARN})
	}
	return out
}

// accountDetailsOf converts a page of authorization details. Every list
// is present, empty when there is nothing in it, as AWS returns them.
func accountDetailsOf(d iam.AccountAuthorizationDetails) *accountAuthorizationDetailsResult {
	out := &accountAuthorizationDetailsResult{UserDetailList: []UserDetail{}, GroupDetailList: []GroupDetail{},
		RoleDetailList: []RoleDetail{}, Policies: []ManagedPolicyDetail{}, IsTruncated: d.Truncated, Marker: d.Marker}
	for _, u := range d.Users {
		groups := u.Groups
		if groups == nil {
			groups = []string{}
		}
		out.UserDetailList = append(out.UserDetailList, UserDetail{Path: u.User.Path, UserName: u.User.Name,
			UserID: u.User.ID, ARN: iam.UserARN(u.User.Account, u.User.Path, u.User.Name),
			CreateDate: query.Time(u.User.CreateDate), UserPolicyList: accountInline(u.Inline), GroupList: groups,
			AttachedManagedPolicies: accountAttached(u.Attached), PermissionsBoundary: boundary(u.User.PermissionsBoundary),
			Tags: optionalTags(u.User.Tags)})
	}
	for _, g := range d.Groups {
		out.GroupDetailList = append(out.GroupDetailList, GroupDetail{Path: g.Group.Path, GroupName: g.Group.Name,
			GroupID: g.Group.ID, ARN: iam.GroupARN(g.Group.Account, g.Group.Path, g.Group.Name),
			CreateDate: query.Time(g.Group.CreateDate), GroupPolicyList: accountInline(g.Inline),
			AttachedManagedPolicies: accountAttached(g.Attached)})
	}
	for _, r := range d.Roles {
		ro := r.Role
		out.RoleDetailList = append(out.RoleDetailList, RoleDetail{Path: ro.Path, RoleName: ro.Name, RoleID: ro.ID,
			ARN: iam.RoleARN(ro.Account, ro.Path, ro.Name), CreateDate: query.Time(ro.CreateDate),
			AssumeRolePolicyDocument: encodeDocument(ro.AssumeRolePolicy), InstanceProfileList: []struct{}{},
			RolePolicyList: accountInline(r.Inline), AttachedManagedPolicies: accountAttached(r.Attached),
			PermissionsBoundary: boundary(ro.PermissionsBoundary), Tags: optionalTags(ro.Tags),
			RoleLastUsed: &RoleLastUsed{LastUsedDate: query.TimePtr(ro.LastUsedDate), Region: ro.LastUsedRegion}})
	}
	for _, p := range d.Policies {
		w := ManagedPolicyDetail{PolicyName: p.Policy.Name, PolicyID: p.Policy.ID, ARN: p.Policy.ARN(),
			Path: p.Policy.Path, DefaultVersionID: p.Policy.DefaultVersion, AttachmentCount: p.Policy.AttachmentCount,
			PermissionsBoundaryUsageCount: p.Policy.BoundaryUsageCount, IsAttachable: true,
			Description: p.Policy.Description, CreateDate: query.Time(p.Policy.CreateDate),
			UpdateDate: query.Time(p.Policy.UpdateDate), PolicyVersionList: []PolicyVersion{}}
		for _, v := range p.Versions {
			w.PolicyVersionList = append(w.PolicyVersionList, policyVersionOf(v, true))
		}
		out.Policies = append(out.Policies, w)
	}
	return out
}

func accountActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[struct{}, accountSummaryResult]{
			Name: "GetAccountSummary", IAMAction: "iam:GetAccountSummary", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *struct{}) (*accountSummaryResult, error) {
				entries, err := s.GetAccountSummary(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				out := &accountSummaryResult{SummaryMap: make([]accountSummaryEntry, 0, len(entries))}
				for _, e := range entries {
					out.SummaryMap = append(out.SummaryMap, accountSummaryEntry(e))
				}
				return out, nil
			},
		},
		api.Action[iam.GetAccountAuthorizationDetailsInput, accountAuthorizationDetailsResult]{
			Name: "GetAccountAuthorizationDetails", IAMAction: "iam:GetAccountAuthorizationDetails", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *iam.GetAccountAuthorizationDetailsInput) (*accountAuthorizationDetailsResult, error) {
				d, err := s.GetAccountAuthorizationDetails(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return accountDetailsOf(d), nil
			},
		},
	}
}
