package orgapi

import (
	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/orgs"
	"github.com/warden-iam/warden/internal/store"
)

// The model's patterns, in Go syntax (AWS Organizations API reference).
func init() {
	jsonproto.RegisterPattern("any", `[\s\S]*`)
	jsonproto.RegisterPattern("rootId", `r-[0-9a-z]{4,32}`)
	jsonproto.RegisterPattern("ouId", `ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`)
	jsonproto.RegisterPattern("parentId", `r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`)
	jsonproto.RegisterPattern("childId", `\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`)
	jsonproto.RegisterPattern("targetId", `\d{12}|r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`)
	jsonproto.RegisterPattern("taggableResourceId", `\d{12}|r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|p-[0-9a-zA-Z_]{8,128}|rp-[0-9a-zA-Z_]{4,128}`)
	jsonproto.RegisterPattern("accountId", `\d{12}`)
	jsonproto.RegisterPattern("policyId", `p-[0-9a-zA-Z_]{8,128}`)
	jsonproto.RegisterPattern("createAccountRequestId", `car-[a-z0-9]{8,32}`)
	jsonproto.RegisterPattern("email", `[^\s@]+@[^\s@]+\.[^\s@]+`)
	jsonproto.RegisterPattern("accountName", `[\x{0020}-\x{007E}]+`)
	jsonproto.RegisterPattern("roleName", `[\w+=,.@-]{1,64}`)
	jsonproto.RegisterPattern("servicePrincipal", `[\w+=,.@-]*`)
}

// PolicyTypeSummary is a policy type's status on a root.
type PolicyTypeSummary struct {
	Type   string `json:"Type"`
	Status string `json:"Status"`
}

func policyTypes(types []string) []PolicyTypeSummary {
	out := []PolicyTypeSummary{}
	for _, t := range types {
		out = append(out, PolicyTypeSummary{Type: t, Status: "ENABLED"})
	}
	return out
}

// Organization is the Organization shape.
type Organization struct {
	ARN                  string              `json:"Arn"`
	ID                   string              `json:"Id"`
	FeatureSet           string              `json:"FeatureSet"`
	MasterAccountARN     string              `json:"MasterAccountArn"`
	MasterAccountID      string              `json:"MasterAccountId"`
	MasterAccountEmail   string              `json:"MasterAccountEmail" audit:"redact"`
	AvailablePolicyTypes []PolicyTypeSummary `json:"AvailablePolicyTypes"`
}

func organizationOf(o *orgs.Org) Organization {
	m, id := o.Management(), o.ID()
	return Organization{ARN: orgs.OrganizationARN(m, id), ID: id, FeatureSet: o.Organization.FeatureSet,
		MasterAccountARN: orgs.AccountARN(m, id, m), MasterAccountID: m, MasterAccountEmail: o.Organization.ManagementEmail,
		AvailablePolicyTypes: policyTypes(o.Root.PolicyTypes)}
}

// Root is the Root shape.
type Root struct {
	ARN         string              `json:"Arn"`
	ID          string              `json:"Id"`
	Name        string              `json:"Name"`
	PolicyTypes []PolicyTypeSummary `json:"PolicyTypes"`
}

func rootOf(o *orgs.Org, u store.OrgUnit) Root {
	return Root{ARN: orgs.RootARN(o.Management(), o.ID(), u.ID), ID: u.ID, Name: u.Name, PolicyTypes: policyTypes(u.PolicyTypes)}
}

// OrganizationalUnit is the OrganizationalUnit shape.
type OrganizationalUnit struct {
	ARN  string `json:"Arn"`
	ID   string `json:"Id"`
	Name string `json:"Name"`
	Path string `json:"Path"`
}

func ouOf(o *orgs.Org, u store.OrgUnit) OrganizationalUnit {
	return OrganizationalUnit{ARN: orgs.OUARN(o.Management(), o.ID(), u.ID), ID: u.ID, Name: u.Name, Path: o.Path(u.ID)}
}

// Account is the Account shape. The model marks an account's email and
// name sensitive, so the audit trail hides them (audit:"redact"), as
// CloudTrail does.
type Account struct {
	ARN             string         `json:"Arn"`
	ID              string         `json:"Id"`
	Email           string         `json:"Email" audit:"redact"`
	Name            string         `json:"Name" audit:"redact"`
	Status          string         `json:"Status"`
	State           string         `json:"State"`
	JoinedMethod    string         `json:"JoinedMethod"`
	JoinedTimestamp jsonproto.Time `json:"JoinedTimestamp"`
	Paths           []string       `json:"Paths"`
}

func accountOf(o *orgs.Org, a store.OrgAccount) Account {
	return Account{ARN: orgs.AccountARN(o.Management(), o.ID(), a.Account), ID: a.Account, Email: a.Email, Name: a.Name,
		Status: a.Status, State: a.State, JoinedMethod: a.JoinedMethod, JoinedTimestamp: jsonproto.Time(a.Joined),
		Paths: []string{o.Path(a.Account)}}
}

// CreateAccountStatus is the CreateAccountStatus shape.
type CreateAccountStatus struct {
	ID                 string          `json:"Id"`
	AccountName        string          `json:"AccountName" audit:"redact"`
	State              string          `json:"State"`
	RequestedTimestamp jsonproto.Time  `json:"RequestedTimestamp"`
	CompletedTimestamp *jsonproto.Time `json:"CompletedTimestamp,omitempty"`
	AccountID          string          `json:"AccountId,omitempty"`
	FailureReason      string          `json:"FailureReason,omitempty"`
}

func statusOf(s store.CreateAccountStatus) CreateAccountStatus {
	w := CreateAccountStatus{ID: s.ID, AccountName: s.AccountName, State: s.State, RequestedTimestamp: jsonproto.Time(s.Requested),
		AccountID: s.AccountID, FailureReason: s.FailureReason}
	if !s.Completed.IsZero() {
		t := jsonproto.Time(s.Completed)
		w.CompletedTimestamp = &t
	}
	return w
}

// PolicySummary is the PolicySummary shape.
type PolicySummary struct {
	ARN         string `json:"Arn"`
	ID          string `json:"Id"`
	Name        string `json:"Name"`
	Description string `json:"Description"`
	Type        string `json:"Type"`
	AWSManaged  bool   `json:"AwsManaged"`
}

func policySummaryOf(o *orgs.Org, p store.OrgPolicy) PolicySummary {
	_, managed := iam.OrgManagedPolicies[p.ID]
	return PolicySummary{ARN: orgs.PolicyARN(o.Management(), o.ID(), p.Type, p.ID), ID: p.ID, Name: p.Name,
		Description: p.Description, Type: p.Type, AWSManaged: managed}
}

// Policy is the Policy shape.
type Policy struct {
	PolicySummary PolicySummary `json:"PolicySummary"`
	Content       string        `json:"Content"`
}

func policyOf(o *orgs.Org, p store.OrgPolicy) Policy {
	return Policy{PolicySummary: policySummaryOf(o, p), Content: p.Content}
}

// PolicyTargetSummary is the PolicyTargetSummary shape.
type PolicyTargetSummary struct {
	ARN      string `json:"Arn"`
	TargetID string `json:"TargetId"`
	Name     string `json:"Name"`
	Type     string `json:"Type"`
}

// Child is the Child and Parent shape.
type Child struct {
	ID   string `json:"Id"`
	Type string `json:"Type"`
}

// Tag is the Tag shape.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func mapList[T, W any](items []T, f func(T) W) []W {
	out := make([]W, 0, len(items))
	for _, it := range items {
		out = append(out, f(it))
	}
	return out
}

// DelegatedAdministrator is the DelegatedAdministrator shape: an
// account's fields (without Paths) and when its delegation began.
type DelegatedAdministrator struct {
	ARN                   string         `json:"Arn"`
	ID                    string         `json:"Id"`
	Email                 string         `json:"Email" audit:"redact"`
	Name                  string         `json:"Name" audit:"redact"`
	Status                string         `json:"Status"`
	State                 string         `json:"State"`
	JoinedMethod          string         `json:"JoinedMethod"`
	JoinedTimestamp       jsonproto.Time `json:"JoinedTimestamp"`
	DelegationEnabledDate jsonproto.Time `json:"DelegationEnabledDate"`
}

func delegatedAdminOf(o *orgs.Org, d orgs.DelegatedAdmin) DelegatedAdministrator {
	a := accountOf(o, d.Account)
	return DelegatedAdministrator{ARN: a.ARN, ID: a.ID, Email: a.Email, Name: a.Name, Status: a.Status, State: a.State,
		JoinedMethod: a.JoinedMethod, JoinedTimestamp: a.JoinedTimestamp, DelegationEnabledDate: jsonproto.Time(d.Enabled.Enabled)}
}

// DelegatedService is the DelegatedService shape.
type DelegatedService struct {
	ServicePrincipal      string         `json:"ServicePrincipal"`
	DelegationEnabledDate jsonproto.Time `json:"DelegationEnabledDate"`
}
