package orgapi

import (
	"context"
	"net/http"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/orgs"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Target is the X-Amz-Target prefix of the Organizations API.
const Target = "AWSOrganizationsV20161128"

// NewService returns the Organizations JSON service over s.
func NewService(s *orgs.Service) *api.Service {
	return api.NewJSONService("organizations", Target, "organizations.amazonaws.com", serviceException,
		func(fe *jsonproto.FieldError) error { return orgs.InvalidField(fe.Field, fe.Reason) }, Actions(s)...)
}

// serviceException is Organizations' generic 500.
func serviceException() *awserr.Error {
	return &awserr.Error{Code: "ServiceException", Message: "AWS Organizations can't complete your request because of an internal service error. Try again later.",
		Status: http.StatusInternalServerError, Fault: awserr.Receiver}
}

// entity is the resource of an action on one entity of the organization:
// its ARN, or "*" when the caller's organization has no such entity (the
// action then answers with its not-found exception).
func entity[In any](s *orgs.Service, id func(*In) string) func(context.Context, *api.Call, *In) (api.Target, error) {
	return func(ctx context.Context, c *api.Call, in *In) (api.Target, error) {
		return target(ctx, s, c, id(in)), nil
	}
}

// target is the resource of an entity by id: its ARN ("*" when the
// organization has no such entity) and its tags (aws:ResourceTag/*).
func target(ctx context.Context, s *orgs.Service, c *api.Call, id string) api.Target {
	arn, tags := s.Resource(ctx, c.Caller.Account, id)
	if arn == "" {
		arn = "*"
	}
	return api.Target{ARN: arn, Tags: tags}
}

// requestTags adds aws:RequestTag/KEY and aws:TagKeys for the tags a
// request sets.
func requestTags(tags []orgs.Tag, keys *policy.Context) {
	if len(tags) == 0 {
		return
	}
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys.Set("aws:RequestTag/"+t.Key, deref(t.Value))
		names = append(names, t.Key)
	}
	keys.Set("aws:TagKeys", names...)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type empty struct{}

// Actions returns the Organizations action table.
func Actions(s *orgs.Service) []api.Handler {
	var all []api.Handler
	for _, area := range [][]api.Handler{
		organizationActions(s),
		unitActions(s),
		accountActions(s),
		policyActions(s),
		tagActions(s),
		delegationActions(s),
		serviceAccessActions(s),
		handshakeActions(s),
	} {
		all = append(all, area...)
	}
	return all
}

type organizationResult struct {
	Organization Organization `json:"Organization"`
}

type listRootsResult struct {
	Roots     []Root `json:"Roots"`
	NextToken string `json:"NextToken,omitempty"`
}

func organizationActions(s *orgs.Service) []api.Handler {
	return []api.Handler{
		api.Action[orgs.CreateOrganizationInput, organizationResult]{
			Name: "CreateOrganization", IAMAction: "organizations:CreateOrganization",
			Do: func(ctx context.Context, c *api.Call, in *orgs.CreateOrganizationInput) (*organizationResult, error) {
				o, err := s.CreateOrganization(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &organizationResult{organizationOf(o)}, nil
			},
		},
		api.Action[empty, organizationResult]{
			Name: "DescribeOrganization", IAMAction: "organizations:DescribeOrganization", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, _ *empty) (*organizationResult, error) {
				o, err := s.DescribeOrganization(ctx, c.Caller.Account)
				if err != nil {
					return nil, err
				}
				return &organizationResult{organizationOf(o)}, nil
			},
		},
		api.Action[empty, empty]{
			Name: "DeleteOrganization", IAMAction: "organizations:DeleteOrganization",
			Do: func(ctx context.Context, c *api.Call, _ *empty) (*empty, error) {
				return &empty{}, s.DeleteOrganization(ctx, c.Caller.Account)
			},
		},
		api.Action[orgs.ListRootsInput, listRootsResult]{
			Name: "ListRoots", IAMAction: "organizations:ListRoots", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListRootsInput) (*listRootsResult, error) {
				o, p, err := s.ListRoots(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listRootsResult{Roots: mapList(p.Items, func(u store.OrgUnit) Root { return rootOf(o, u) }), NextToken: p.NextToken}, nil
			},
		},
	}
}

type ouResult struct {
	OrganizationalUnit OrganizationalUnit `json:"OrganizationalUnit"`
}

type listOUsResult struct {
	OrganizationalUnits []OrganizationalUnit `json:"OrganizationalUnits"`
	NextToken           string               `json:"NextToken,omitempty"`
}

type listChildrenResult struct {
	Children  []Child `json:"Children"`
	NextToken string  `json:"NextToken,omitempty"`
}

type listParentsResult struct {
	Parents   []Child `json:"Parents"`
	NextToken string  `json:"NextToken,omitempty"`
}

func childOf(c orgs.Child) Child { return Child{ID: c.ID, Type: c.Type} }

func unitActions(s *orgs.Service) []api.Handler {
	ouResultOf := func(o *orgs.Org, u store.OrgUnit, err error) (*ouResult, error) {
		if err != nil {
			return nil, err
		}
		return &ouResult{ouOf(o, u)}, nil
	}
	return []api.Handler{
		api.Action[orgs.CreateOrganizationalUnitInput, ouResult]{
			Name: "CreateOrganizationalUnit", IAMAction: "organizations:CreateOrganizationalUnit",
			Resource: entity(s, func(in *orgs.CreateOrganizationalUnitInput) string { return in.ParentID }),
			Context: func(_ *api.Call, in *orgs.CreateOrganizationalUnitInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *orgs.CreateOrganizationalUnitInput) (*ouResult, error) {
				return ouResultOf(s.CreateOrganizationalUnit(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.DescribeOrganizationalUnitInput, ouResult]{
			Name: "DescribeOrganizationalUnit", IAMAction: "organizations:DescribeOrganizationalUnit", ReadOnly: true,
			Resource: entity(s, func(in *orgs.DescribeOrganizationalUnitInput) string { return in.OrganizationalUnitID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.DescribeOrganizationalUnitInput) (*ouResult, error) {
				return ouResultOf(s.DescribeOrganizationalUnit(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.UpdateOrganizationalUnitInput, ouResult]{
			Name: "UpdateOrganizationalUnit", IAMAction: "organizations:UpdateOrganizationalUnit",
			Resource: entity(s, func(in *orgs.UpdateOrganizationalUnitInput) string { return in.OrganizationalUnitID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.UpdateOrganizationalUnitInput) (*ouResult, error) {
				return ouResultOf(s.UpdateOrganizationalUnit(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.DeleteOrganizationalUnitInput, empty]{
			Name: "DeleteOrganizationalUnit", IAMAction: "organizations:DeleteOrganizationalUnit",
			Resource: entity(s, func(in *orgs.DeleteOrganizationalUnitInput) string { return in.OrganizationalUnitID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.DeleteOrganizationalUnitInput) (*empty, error) {
				return &empty{}, s.DeleteOrganizationalUnit(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListForParentInput, listOUsResult]{
			Name: "ListOrganizationalUnitsForParent", IAMAction: "organizations:ListOrganizationalUnitsForParent", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListForParentInput) string { return in.ParentID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListForParentInput) (*listOUsResult, error) {
				o, p, err := s.ListOrganizationalUnitsForParent(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listOUsResult{OrganizationalUnits: mapList(p.Items, func(u store.OrgUnit) OrganizationalUnit { return ouOf(o, u) }), NextToken: p.NextToken}, nil
			},
		},
		api.Action[orgs.ListChildrenInput, listChildrenResult]{
			Name: "ListChildren", IAMAction: "organizations:ListChildren", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListChildrenInput) string { return in.ParentID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListChildrenInput) (*listChildrenResult, error) {
				p, err := s.ListChildren(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listChildrenResult{Children: mapList(p.Items, childOf), NextToken: p.NextToken}, nil
			},
		},
		api.Action[orgs.ListParentsInput, listParentsResult]{
			Name: "ListParents", IAMAction: "organizations:ListParents", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListParentsInput) string { return in.ChildID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListParentsInput) (*listParentsResult, error) {
				p, err := s.ListParents(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listParentsResult{Parents: mapList(p.Items, childOf), NextToken: p.NextToken}, nil
			},
		},
	}
}

type createAccountStatusResult struct {
	CreateAccountStatus CreateAccountStatus `json:"CreateAccountStatus"`
}

type listCreateAccountStatusResult struct {
	CreateAccountStatuses []CreateAccountStatus `json:"CreateAccountStatuses"`
	NextToken             string                `json:"NextToken,omitempty"`
}

type accountResult struct {
	Account Account `json:"Account"`
}

type listAccountsResult struct {
	Accounts  []Account `json:"Accounts"`
	NextToken string    `json:"NextToken,omitempty"`
}

func accountActions(s *orgs.Service) []api.Handler {
	accountByID := entity(s, func(in *orgs.AccountIDInput) string { return in.AccountID })
	listAccounts := func(o *orgs.Org, p orgs.Page[store.OrgAccount], err error) (*listAccountsResult, error) {
		if err != nil {
			return nil, err
		}
		return &listAccountsResult{Accounts: mapList(p.Items, func(a store.OrgAccount) Account { return accountOf(o, a) }), NextToken: p.NextToken}, nil
	}
	return []api.Handler{
		api.Action[orgs.CreateAccountInput, createAccountStatusResult]{
			Name: "CreateAccount", IAMAction: "organizations:CreateAccount",
			Context: func(_ *api.Call, in *orgs.CreateAccountInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *orgs.CreateAccountInput) (*createAccountStatusResult, error) {
				st, err := s.CreateAccount(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &createAccountStatusResult{statusOf(st)}, nil
			},
		},
		api.Action[orgs.DescribeCreateAccountStatusInput, createAccountStatusResult]{
			Name: "DescribeCreateAccountStatus", IAMAction: "organizations:DescribeCreateAccountStatus", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.DescribeCreateAccountStatusInput) (*createAccountStatusResult, error) {
				st, err := s.DescribeCreateAccountStatus(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &createAccountStatusResult{statusOf(st)}, nil
			},
		},
		api.Action[orgs.ListCreateAccountStatusInput, listCreateAccountStatusResult]{
			Name: "ListCreateAccountStatus", IAMAction: "organizations:ListCreateAccountStatus", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListCreateAccountStatusInput) (*listCreateAccountStatusResult, error) {
				p, err := s.ListCreateAccountStatus(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listCreateAccountStatusResult{CreateAccountStatuses: mapList(p.Items, statusOf), NextToken: p.NextToken}, nil
			},
		},
		api.Action[orgs.AccountIDInput, accountResult]{
			Name: "DescribeAccount", IAMAction: "organizations:DescribeAccount", ReadOnly: true, Resource: accountByID,
			Do: func(ctx context.Context, c *api.Call, in *orgs.AccountIDInput) (*accountResult, error) {
				o, a, err := s.DescribeAccount(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &accountResult{accountOf(o, a)}, nil
			},
		},
		api.Action[orgs.AccountIDInput, empty]{
			Name: "CloseAccount", IAMAction: "organizations:CloseAccount", Resource: accountByID,
			Do: func(ctx context.Context, c *api.Call, in *orgs.AccountIDInput) (*empty, error) {
				return &empty{}, s.CloseAccount(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.MoveAccountInput, empty]{
			Name: "MoveAccount", IAMAction: "organizations:MoveAccount",
			Resource: entity(s, func(in *orgs.MoveAccountInput) string { return in.AccountID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.MoveAccountInput) (*empty, error) {
				return &empty{}, s.MoveAccount(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.AccountIDInput, empty]{
			Name: "RemoveAccountFromOrganization", IAMAction: "organizations:RemoveAccountFromOrganization", Resource: accountByID,
			Do: func(ctx context.Context, c *api.Call, in *orgs.AccountIDInput) (*empty, error) {
				return &empty{}, s.RemoveAccountFromOrganization(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListAccountsInput, listAccountsResult]{
			Name: "ListAccounts", IAMAction: "organizations:ListAccounts", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListAccountsInput) (*listAccountsResult, error) {
				return listAccounts(s.ListAccounts(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.ListForParentInput, listAccountsResult]{
			Name: "ListAccountsForParent", IAMAction: "organizations:ListAccountsForParent", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListForParentInput) string { return in.ParentID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListForParentInput) (*listAccountsResult, error) {
				return listAccounts(s.ListAccountsForParent(ctx, c.Caller.Account, *in))
			},
		},
	}
}

type policyResult struct {
	Policy Policy `json:"Policy"`
}

type listPoliciesResult struct {
	Policies  []PolicySummary `json:"Policies"`
	NextToken string          `json:"NextToken,omitempty"`
}

type listTargetsResult struct {
	Targets   []PolicyTargetSummary `json:"Targets"`
	NextToken string                `json:"NextToken,omitempty"`
}

type rootResult struct {
	Root Root `json:"Root"`
}

func policyActions(s *orgs.Service) []api.Handler {
	policyByID := entity(s, func(in *orgs.PolicyIDInput) string { return in.PolicyID })
	attachment := entity(s, func(in *orgs.AttachPolicyInput) string { return in.PolicyID })
	root := entity(s, func(in *orgs.PolicyTypeInput) string { return in.RootID })
	policyResultOf := func(o *orgs.Org, p store.OrgPolicy, err error) (*policyResult, error) {
		if err != nil {
			return nil, err
		}
		return &policyResult{policyOf(o, p)}, nil
	}
	listPolicies := func(o *orgs.Org, p orgs.Page[store.OrgPolicy], err error) (*listPoliciesResult, error) {
		if err != nil {
			return nil, err
		}
		return &listPoliciesResult{Policies: mapList(p.Items, func(q store.OrgPolicy) PolicySummary { return policySummaryOf(o, q) }), NextToken: p.NextToken}, nil
	}
	rootResultOf := func(o *orgs.Org, u store.OrgUnit, err error) (*rootResult, error) {
		if err != nil {
			return nil, err
		}
		return &rootResult{rootOf(o, u)}, nil
	}
	return []api.Handler{
		api.Action[orgs.CreatePolicyInput, policyResult]{
			Name: "CreatePolicy", IAMAction: "organizations:CreatePolicy",
			Context: func(_ *api.Call, in *orgs.CreatePolicyInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *orgs.CreatePolicyInput) (*policyResult, error) {
				return policyResultOf(s.CreatePolicy(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.PolicyIDInput, policyResult]{
			Name: "DescribePolicy", IAMAction: "organizations:DescribePolicy", ReadOnly: true, Resource: policyByID,
			Do: func(ctx context.Context, c *api.Call, in *orgs.PolicyIDInput) (*policyResult, error) {
				return policyResultOf(s.DescribePolicy(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.UpdatePolicyInput, policyResult]{
			Name: "UpdatePolicy", IAMAction: "organizations:UpdatePolicy",
			Resource: entity(s, func(in *orgs.UpdatePolicyInput) string { return in.PolicyID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.UpdatePolicyInput) (*policyResult, error) {
				return policyResultOf(s.UpdatePolicy(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.PolicyIDInput, empty]{
			Name: "DeletePolicy", IAMAction: "organizations:DeletePolicy", Resource: policyByID,
			Do: func(ctx context.Context, c *api.Call, in *orgs.PolicyIDInput) (*empty, error) {
				return &empty{}, s.DeletePolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListPoliciesInput, listPoliciesResult]{
			Name: "ListPolicies", IAMAction: "organizations:ListPolicies", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListPoliciesInput) (*listPoliciesResult, error) {
				return listPolicies(s.ListPolicies(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.ListPoliciesForTargetInput, listPoliciesResult]{
			Name: "ListPoliciesForTarget", IAMAction: "organizations:ListPoliciesForTarget", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListPoliciesForTargetInput) string { return in.TargetID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListPoliciesForTargetInput) (*listPoliciesResult, error) {
				return listPolicies(s.ListPoliciesForTarget(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.ListTargetsForPolicyInput, listTargetsResult]{
			Name: "ListTargetsForPolicy", IAMAction: "organizations:ListTargetsForPolicy", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListTargetsForPolicyInput) string { return in.PolicyID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListTargetsForPolicyInput) (*listTargetsResult, error) {
				o, p, err := s.ListTargetsForPolicy(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listTargetsResult{Targets: mapList(p.Items, func(t orgs.Target) PolicyTargetSummary {
					return PolicyTargetSummary{ARN: o.ARNOf(t.ID), TargetID: t.ID, Name: t.Name, Type: t.Type}
				}), NextToken: p.NextToken}, nil
			},
		},
		// AttachPolicy and DetachPolicy act on two resources: the policy,
		// then the target, each authorized (Service Authorization
		// Reference: both are resources of the action).
		api.Action[orgs.AttachPolicyInput, empty]{
			Name: "AttachPolicy", IAMAction: "organizations:AttachPolicy", Resource: attachment,
			Do: func(ctx context.Context, c *api.Call, in *orgs.AttachPolicyInput) (*empty, error) {
				if err := c.Authorize("organizations:AttachPolicy", target(ctx, s, c, in.TargetID), policy.Context{}); err != nil {
					return nil, err
				}
				return &empty{}, s.AttachPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.AttachPolicyInput, empty]{
			Name: "DetachPolicy", IAMAction: "organizations:DetachPolicy", Resource: attachment,
			Do: func(ctx context.Context, c *api.Call, in *orgs.AttachPolicyInput) (*empty, error) {
				if err := c.Authorize("organizations:DetachPolicy", target(ctx, s, c, in.TargetID), policy.Context{}); err != nil {
					return nil, err
				}
				return &empty{}, s.DetachPolicy(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.PolicyTypeInput, rootResult]{
			Name: "EnablePolicyType", IAMAction: "organizations:EnablePolicyType", Resource: root,
			Do: func(ctx context.Context, c *api.Call, in *orgs.PolicyTypeInput) (*rootResult, error) {
				return rootResultOf(s.EnablePolicyType(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.PolicyTypeInput, rootResult]{
			Name: "DisablePolicyType", IAMAction: "organizations:DisablePolicyType", Resource: root,
			Do: func(ctx context.Context, c *api.Call, in *orgs.PolicyTypeInput) (*rootResult, error) {
				return rootResultOf(s.DisablePolicyType(ctx, c.Caller.Account, *in))
			},
		},
	}
}

type listTagsResult struct {
	Tags      []Tag  `json:"Tags"`
	NextToken string `json:"NextToken,omitempty"`
}

func tagActions(s *orgs.Service) []api.Handler {
	return []api.Handler{
		api.Action[orgs.TagResourceInput, empty]{
			Name: "TagResource", IAMAction: "organizations:TagResource",
			Resource: entity(s, func(in *orgs.TagResourceInput) string { return in.ResourceID }),
			Context:  func(_ *api.Call, in *orgs.TagResourceInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *orgs.TagResourceInput) (*empty, error) {
				return &empty{}, s.TagResource(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.UntagResourceInput, empty]{
			Name: "UntagResource", IAMAction: "organizations:UntagResource",
			Resource: entity(s, func(in *orgs.UntagResourceInput) string { return in.ResourceID }),
			Context: func(_ *api.Call, in *orgs.UntagResourceInput, keys *policy.Context) {
				keys.Set("aws:TagKeys", in.TagKeys...)
			},
			Do: func(ctx context.Context, c *api.Call, in *orgs.UntagResourceInput) (*empty, error) {
				return &empty{}, s.UntagResource(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListTagsForResourceInput, listTagsResult]{
			Name: "ListTagsForResource", IAMAction: "organizations:ListTagsForResource", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListTagsForResourceInput) string { return in.ResourceID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListTagsForResourceInput) (*listTagsResult, error) {
				p, err := s.ListTagsForResource(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listTagsResult{Tags: mapList(p.Items, func(t store.Tag) Tag { return Tag{Key: t.Key, Value: t.Value} }), NextToken: p.NextToken}, nil
			},
		},
	}
}

type listDelegatedAdministratorsResult struct {
	DelegatedAdministrators []DelegatedAdministrator `json:"DelegatedAdministrators"`
	NextToken               string                   `json:"NextToken,omitempty"`
}

type listDelegatedServicesResult struct {
	DelegatedServices []DelegatedService `json:"DelegatedServices"`
	NextToken         string             `json:"NextToken,omitempty"`
}

func delegationActions(s *orgs.Service) []api.Handler {
	delegated := entity(s, func(in *orgs.DelegationInput) string { return in.AccountID })
	principal := func(_ *api.Call, in *orgs.DelegationInput, keys *policy.Context) {
		servicePrincipal(in.ServicePrincipal, keys)
	}
	return []api.Handler{
		api.Action[orgs.DelegationInput, empty]{
			Name: "RegisterDelegatedAdministrator", IAMAction: "organizations:RegisterDelegatedAdministrator", Resource: delegated, Context: principal,
			Do: func(ctx context.Context, c *api.Call, in *orgs.DelegationInput) (*empty, error) {
				return &empty{}, s.RegisterDelegatedAdministrator(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.DelegationInput, empty]{
			Name: "DeregisterDelegatedAdministrator", IAMAction: "organizations:DeregisterDelegatedAdministrator", Resource: delegated, Context: principal,
			Do: func(ctx context.Context, c *api.Call, in *orgs.DelegationInput) (*empty, error) {
				return &empty{}, s.DeregisterDelegatedAdministrator(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[orgs.ListDelegatedAdministratorsInput, listDelegatedAdministratorsResult]{
			Name: "ListDelegatedAdministrators", IAMAction: "organizations:ListDelegatedAdministrators", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListDelegatedAdministratorsInput) (*listDelegatedAdministratorsResult, error) {
				o, p, err := s.ListDelegatedAdministrators(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listDelegatedAdministratorsResult{DelegatedAdministrators: mapList(p.Items, func(d orgs.DelegatedAdmin) DelegatedAdministrator {
					return delegatedAdminOf(o, d)
				}), NextToken: p.NextToken}, nil
			},
		},
		api.Action[orgs.ListDelegatedServicesInput, listDelegatedServicesResult]{
			Name: "ListDelegatedServicesForAccount", IAMAction: "organizations:ListDelegatedServicesForAccount", ReadOnly: true,
			Resource: entity(s, func(in *orgs.ListDelegatedServicesInput) string { return in.AccountID }),
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListDelegatedServicesInput) (*listDelegatedServicesResult, error) {
				p, err := s.ListDelegatedServicesForAccount(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &listDelegatedServicesResult{DelegatedServices: mapList(p.Items, func(d store.Delegation) DelegatedService {
					return DelegatedService{ServicePrincipal: d.ServicePrincipal, DelegationEnabledDate: jsonproto.Time(d.Enabled)}
				}), NextToken: p.NextToken}, nil
			},
		},
	}
}
