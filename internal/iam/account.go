package iam

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// The account-wide views: GetAccountSummary (entity counts and quotas) and
// GetAccountAuthorizationDetails (every user, group, role and managed
// policy with its relationships), each read from one LoadAccount.

// Quotas GetAccountSummary reports for what Warden does not serve yet (or
// serves without a limit of its own), with AWS's default values.
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	accountPolicyVersionsInUseQuota        = 10000
	accountServerCertificatesQuota         = 20
	accountSigningCertificatesPerUserQuota = 2
	accountInstanceProfilesQuota           = 1000
	// accountGlobalEndpointTokenVersion: AWS's default for an account that
	// never changed it with SetSecurityTokenServicePreferences (1: tokens of the global endpoint valid in the
	// regions enabled by default).
	accountGlobalEndpointTokenVersion = 1
)

// AccountSummaryEntry is one entry of GetAccountSummary's SummaryMap.
type AccountSummaryEntry struct {
	Key   string
	Value int
}

// GetAccountSummary counts the account's IAM entities and reports its
// quotas: every key of the SummaryMapType enum of the AWS model, in the
// model's order. The quotas are the limits Warden enforces; the counts of
// what Warden does not serve (signing certificates,
// instance profiles) are 0.
//
// Decisions where AWS's documentation is thin:
//   - PolicyVersionsInUse counts the attachments of managed policies to
//     users, groups and roles (each attachment puts a policy's default
//     version in use).
//   - Providers counts OIDC and SAML identity providers together.
//   - AccountMFAEnabled and AccountPasswordPresent are 0: Warden's root
//     user has no MFA device or console password.
func (s *Service) GetAccountSummary(ctx context.Context, acct string) ([]AccountSummaryEntry, error) {
	var (
		data          store.AccountData
		mfa           []store.MFADevice
		oidc          []store.OIDCProvider
		saml          []store.SAMLProvider
		profiles      store.Page[store.InstanceProfile]
		settings      map[string]string
		certs         store.Page[store.ServerCertificate]
		rootCerts     []store.SigningCertificate
		rootKeys, inU int
	)
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		if data, err = r.LoadAccount(ctx, acct); err != nil {
			return err
		}
		if mfa, err = r.ListMFADevices(ctx, acct, store.MFAFilter{}); err != nil {
			return err
		}
		if profiles, err = r.ListInstanceProfiles(ctx, acct, "/", store.PageRequest{}); err != nil {
			return err
		}
		if certs, err = r.ListServerCertificates(ctx, acct, "/", store.PageRequest{}); err != nil {
			return err
		}
		if oidc, err = r.ListOIDCProviders(ctx, acct); err != nil {
			return err
		}
		if settings, err = r.GetAccountSettings(ctx, acct); err != nil {
			return err
		}
		if rootCerts, err = r.ListSigningCertificates(ctx, acct, ""); err != nil {
			return err
		}
		saml, err = r.ListSAMLProviders(ctx, acct)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, k := range data.AccessKeys {
		if k.UserName == "" {
			rootKeys++
		}
	}
	for _, d := range mfa {
		if d.UserName != "" {
			inU++
		}
	}
	present := func(n int) int { return min(n, 1) }
	return []AccountSummaryEntry{
		{"Users", len(data.Users)},
		{"UsersQuota", maxUsersPerAccount},
		{"Groups", len(data.Groups)},
		{"GroupsQuota", maxGroupsPerAccount},
		{"ServerCertificates", len(certs.Items)},
		{"ServerCertificatesQuota", accountServerCertificatesQuota},
		{"UserPolicySizeQuota", policy.MaxSize(policy.InlineUser)},
		{"GroupPolicySizeQuota", policy.MaxSize(policy.InlineGroup)},
		{"GroupsPerUserQuota", maxGroupsPerUser},
		{"SigningCertificatesPerUserQuota", accountSigningCertificatesPerUserQuota},
		{"AccessKeysPerUserQuota", maxKeysPerUser},
		{"MFADevices", len(mfa)},
		{"MFADevicesInUse", inU},
		{"AccountMFAEnabled", 0},
		{"AccountAccessKeysPresent", present(rootKeys)},
		{"AccountPasswordPresent", 0},
		{"AccountSigningCertificatesPresent", present(len(rootCerts))},
		{"AttachedPoliciesPerGroupQuota", maxAttachedPerEntity},
		{"AttachedPoliciesPerRoleQuota", maxAttachedPerEntity},
		{"AttachedPoliciesPerUserQuota", maxAttachedPerEntity},
		{"Policies", len(data.Policies)},
		{"PoliciesQuota", managedMaxPerAcct},
		{"PolicySizeQuota", policy.MaxSize(policy.Identity)},
		{"PolicyVersionsInUse", len(data.Attachments)},
		{"PolicyVersionsInUseQuota", accountPolicyVersionsInUseQuota},
		{"VersionsPerPolicyQuota", managedMaxVersions},
		{"GlobalEndpointTokenVersion", globalEndpointTokenVersion(settings)},
		{"AssumeRolePolicySizeQuota", policy.MaxSize(policy.Trust)},
		{"InstanceProfiles", len(profiles.Items)},
		{"InstanceProfilesQuota", accountInstanceProfilesQuota},
		{"Providers", len(oidc) + len(saml)},
		{"RolePolicySizeQuota", policy.MaxSize(policy.InlineRole)},
		{"Roles", len(data.Roles)},
		{"RolesQuota", maxRolesPerAccount},
	}, nil
}

// GetAccountAuthorizationDetailsInput is the input of
// GetAccountAuthorizationDetails.
// The decoder checks `enum` on scalars only, so GetAccountAuthorizationDetails
// checks Filter itself.
type GetAccountAuthorizationDetailsInput struct {
	Filter   []string `query:"Filter"`
	Marker   *string  `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int     `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// AccountUserDetail is a user with its groups and policies.
type AccountUserDetail struct {
	User     store.User
	Groups   []string // the groups' names, in name order
	Inline   []store.InlinePolicy
	Attached []AttachedPolicy
}

// AccountGroupDetail is a group with its policies.
type AccountGroupDetail struct {
	Group    store.Group
	Inline   []store.InlinePolicy
	Attached []AttachedPolicy
}

// AccountRoleDetail is a role with its policies.
type AccountRoleDetail struct {
	Role     store.Role
	Inline   []store.InlinePolicy
	Attached []AttachedPolicy
}

// AccountPolicyDetail is a managed policy with all its versions, newest
// first.
type AccountPolicyDetail struct {
	Policy   ManagedPolicy
	Versions []ManagedPolicyVersion
}

// AccountAuthorizationDetails is one page of GetAccountAuthorizationDetails.
type AccountAuthorizationDetails struct {
	Users     []AccountUserDetail
	Groups    []AccountGroupDetail
	Roles     []AccountRoleDetail
	Policies  []AccountPolicyDetail
	Truncated bool
	Marker    string
}

// accountItem is one entity of the authorization details, in the order
// they are paged: users, groups, roles, then policies, each by lower-cased
// name. key is its position, which markers name.
type accountItem struct {
	key string
	add func(*AccountAuthorizationDetails)
}

// GetAccountAuthorizationDetails returns the account's users, groups,
// roles and managed policies with their relationships, filtered by entity
// type and paged over all of them together. The policies are the
// account's own (LocalManagedPolicy) and the AWS managed policies the
// account uses (AWSManagedPolicy). The marker is the position of the last
// entity returned ("user/alice").
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, acct string, in GetAccountAuthorizationDetailsInput) (AccountAuthorizationDetails, error) {
	for _, f := range in.Filter {
		if !slices.Contains(accountEntityTypes, f) {
			return AccountAuthorizationDetails{}, awserr.ValidationError(
				"1 validation error detected: Value '[%s]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [%s]]",
				strings.Join(in.Filter, ", "), strings.Join(accountEntityTypes, ", "))
		}
	}
	var data store.AccountData
	if err := s.view(ctx, func(r store.Reader) error {
		var err error
		data, err = r.LoadAccount(ctx, acct)
		return err
	}); err != nil {
		return AccountAuthorizationDetails{}, err
	}
	want := func(t string) bool { return len(in.Filter) == 0 || slices.Contains(in.Filter, t) }
	items := s.accountItems(data, want)

	req := page(in.Marker, in.MaxItems)
	start := 0
	if req.Marker != "" {
		i, found := slices.BinarySearchFunc(items, req.Marker, func(it accountItem, m string) int { return accountCompareKeys(it.key, m) })
		if !found && !accountValidMarker(req.Marker) {
			return AccountAuthorizationDetails{}, awserr.ValidationError("Invalid Marker: the value was not returned by a previous call.")
		}
		if found {
			i++
		}
		start = i
	}
	out := AccountAuthorizationDetails{}
	end := len(items)
	if req.MaxItems > 0 && start+req.MaxItems < end {
		end = start + req.MaxItems
		out.Truncated = true
		out.Marker = items[end-1].key
	}
	for _, it := range items[start:end] {
		it.add(&out)
	}
	return out, nil
}

// accountEntityTypes are the values of the model's EntityType enum.
var accountEntityTypes = []string{"User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"}

// The kinds in paging order, as markers name them.
var accountKinds = []string{"user", "group", "role", "policy"}

// accountCompareKeys orders markers: by kind in paging order, then name.
func accountCompareKeys(a, b string) int {
	ak, an, _ := strings.Cut(a, "/")
	bk, bn, _ := strings.Cut(b, "/")
	if c := cmp.Compare(slices.Index(accountKinds, ak), slices.Index(accountKinds, bk)); c != 0 {
		return c
	}
	return cmp.Compare(an, bn)
}

// accountValidMarker reports whether m has the form of a marker this
// action makes, so that a marker whose entity was deleted meanwhile still
// continues the list.
func accountValidMarker(m string) bool {
	k, n, ok := strings.Cut(m, "/")
	return ok && n != "" && slices.Contains(accountKinds, k)
}

// accountItems builds the sorted entities the filter selects.
func (s *Service) accountItems(data store.AccountData, want func(string) bool) []accountItem {
	acct := data.Account.ID
	inline := map[store.EntityKind]map[string][]store.InlinePolicy{}
	for _, p := range data.InlinePolicies {
		if inline[p.OwnerKind] == nil {
			inline[p.OwnerKind] = map[string][]store.InlinePolicy{}
		}
		k := strings.ToLower(p.OwnerName)
		inline[p.OwnerKind][k] = append(inline[p.OwnerKind][k], p)
	}
	attached := map[store.EntityKind]map[string][]AttachedPolicy{}
	attachCount := map[string]int{}
	for _, a := range data.Attachments {
		attachCount[a.PolicyARN]++
		if attached[a.OwnerKind] == nil {
			attached[a.OwnerKind] = map[string][]AttachedPolicy{}
		}
		_, name, _ := managedSplitARN(a.PolicyARN)
		k := strings.ToLower(a.OwnerName)
		attached[a.OwnerKind][k] = append(attached[a.OwnerKind][k], AttachedPolicy{Name: name, ARN: a.PolicyARN})
	}
	for _, byOwner := range inline {
		for _, ps := range byOwner {
			slices.SortFunc(ps, func(a, b store.InlinePolicy) int {
				return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			})
		}
	}
	for _, byOwner := range attached {
		for _, ps := range byOwner {
			slices.SortFunc(ps, func(a, b AttachedPolicy) int { return cmp.Compare(a.ARN, b.ARN) })
		}
	}
	groupNames := map[string]string{}
	for _, g := range data.Groups {
		groupNames[strings.ToLower(g.Name)] = g.Name
	}
	memberOf := map[string][]string{}
	for _, m := range data.Memberships {
		k := strings.ToLower(m.UserName)
		name := m.GroupName
		if stored, ok := groupNames[strings.ToLower(name)]; ok {
			name = stored
		}
		memberOf[k] = append(memberOf[k], name)
	}

	var items []accountItem
	key := func(kind, name string) string { return kind + "/" + strings.ToLower(name) }
	if want("User") {
		for _, u := range data.Users {
			k := strings.ToLower(u.Name)
			groups := memberOf[k]
			slices.SortFunc(groups, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
			d := AccountUserDetail{User: u, Groups: groups, Inline: inline[store.KindUser][k], Attached: attached[store.KindUser][k]}
			items = append(items, accountItem{key: key("user", u.Name), add: func(o *AccountAuthorizationDetails) { o.Users = append(o.Users, d) }})
		}
	}
	if want("Group") {
		for _, g := range data.Groups {
			k := strings.ToLower(g.Name)
			d := AccountGroupDetail{Group: g, Inline: inline[store.KindGroup][k], Attached: attached[store.KindGroup][k]}
			items = append(items, accountItem{key: key("group", g.Name), add: func(o *AccountAuthorizationDetails) { o.Groups = append(o.Groups, d) }})
		}
	}
	if want("Role") {
		for _, r := range data.Roles {
			k := strings.ToLower(r.Name)
			// A use not yet flushed to the store is newer than the stored one.
			if when, region, ok := s.PendingRoleUse(acct, r.Name); ok {
				r.LastUsedDate, r.LastUsedRegion = when, region
			}
			d := AccountRoleDetail{Role: r, Inline: inline[store.KindRole][k], Attached: attached[store.KindRole][k]}
			items = append(items, accountItem{key: key("role", r.Name), add: func(o *AccountAuthorizationDetails) { o.Roles = append(o.Roles, d) }})
		}
	}
	boundaryUses := map[string]int{}
	for _, u := range data.Users {
		if u.PermissionsBoundary != "" {
			boundaryUses[u.PermissionsBoundary]++
		}
	}
	for _, r := range data.Roles {
		if r.PermissionsBoundary != "" {
			boundaryUses[r.PermissionsBoundary]++
		}
	}
	if want("AWSManagedPolicy") {
		items = append(items, accountAWSManaged(attachCount, boundaryUses)...)
	}
	if want("LocalManagedPolicy") {
		versions := map[string][]store.PolicyVersion{}
		for _, v := range data.PolicyVersions {
			k := strings.ToLower(v.PolicyName)
			versions[k] = append(versions[k], v)
		}
		for _, p := range data.Policies {
			mp := ManagedPolicy{Policy: p}
			mp.AttachmentCount = attachCount[mp.ARN()]
			mp.BoundaryUsageCount = boundaryUses[mp.ARN()]
			vs := versions[strings.ToLower(p.Name)]
			// Newest first, as ListPolicyVersions returns them.
			slices.SortFunc(vs, func(a, b store.PolicyVersion) int {
				if c := b.CreateDate.Compare(a.CreateDate); c != 0 {
					return c
				}
				return cmp.Compare(accountVersionNumber(b.VersionID), accountVersionNumber(a.VersionID))
			})
			d := AccountPolicyDetail{Policy: mp}
			for _, v := range vs {
				d.Versions = append(d.Versions, ManagedPolicyVersion{PolicyVersion: v, IsDefault: v.VersionID == p.DefaultVersion})
			}
			items = append(items, accountItem{key: key("policy", p.Name), add: func(o *AccountAuthorizationDetails) { o.Policies = append(o.Policies, d) }})
		}
	}
	slices.SortFunc(items, func(a, b accountItem) int { return accountCompareKeys(a.key, b.key) })
	return items
}

// accountVersionNumber is the number of a version id ("v3" is 3).
func accountVersionNumber(id string) int {
	n := 0
	for _, c := range strings.TrimPrefix(id, "v") {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
