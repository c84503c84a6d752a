package orgs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// AWS's quotas for an organization ([Quotas for AWS Organizations]).
//
// [Quotas for AWS Organizations]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
const (
	// MaxOUDepth: OUs nest up to five levels under the root.
	MaxOUDepth = 5
	// MaxOUs in an organization.
	MaxOUs = 2000
	// MaxAccounts is AWS's default quota of accounts in an organization.
	MaxAccounts = 10
	// MaxPoliciesPerTarget: SCPs (and RCPs) attached to one root, OU or account.
	MaxPoliciesPerTarget = 5
	// MaxPoliciesPerType in an organization.
	MaxPoliciesPerType = 1000
	// MaxTags on one resource.
	MaxTags = 50
)

// Service runs Organizations actions.
type Service struct {
	iam *iam.Service
	now func() time.Time
}

// New returns a Service that keeps its state through the IAM service's
// store (and snapshot).
func New(s *iam.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{iam: s, now: now}
}

// Org is an organization as the actions see it: everything of it, with
// indexes by id.
type Org struct {
	store.OrgData
	Root     *store.OrgUnit
	units    map[string]*store.OrgUnit
	accounts map[string]*store.OrgAccount
	policies map[string]*store.OrgPolicy
}

func newOrg(d store.OrgData) *Org {
	o := &Org{OrgData: d, units: map[string]*store.OrgUnit{}, accounts: map[string]*store.OrgAccount{}, policies: map[string]*store.OrgPolicy{}}
	for i := range o.Units {
		u := &o.Units[i]
		o.units[u.ID] = u
		if u.ParentID == "" {
			o.Root = u
		}
	}
	for i := range o.Accounts {
		o.accounts[o.Accounts[i].Account] = &o.Accounts[i]
	}
	for i := range o.Policies {
		o.policies[o.Policies[i].ID] = &o.Policies[i]
	}
	return o
}

// ID returns the organization's id.
func (o *Org) ID() string { return o.Organization.ID }

// Management returns the management account's id.
func (o *Org) Management() string { return o.Organization.ManagementAccount }

// load reads the organization of the caller's account;
// AWSOrganizationsNotInUseException when it belongs to none.
func load(ctx context.Context, r store.Reader, caller string) (*Org, error) {
	o, err := r.OrganizationOf(ctx, caller)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotInUse()
	}
	if err != nil {
		return nil, err
	}
	d, err := r.LoadOrganization(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return newOrg(d), nil
}

// loadManaged is load for the actions only the management account may
// call: a member account gets AccessDeniedException.
func loadManaged(ctx context.Context, r store.Reader, caller string) (*Org, error) {
	o, err := load(ctx, r, caller)
	if err != nil {
		return nil, err
	}
	if o.Management() != caller {
		return nil, errAccessDenied()
	}
	return o, nil
}

// view runs fn, a read-only action, on the caller's organization: the
// management account and delegated administrators may call it.
func (s *Service) view(ctx context.Context, caller string, fn func(o *Org) error) error {
	return s.iam.ViewStore(ctx, func(r store.Reader) error {
		o, err := load(ctx, r, caller)
		if err != nil {
			return err
		}
		if o.Management() != caller && !o.isDelegatedAdmin(caller) {
			return errAccessDenied()
		}
		return fn(o)
	})
}

// update runs fn on the caller's organization in one transaction
// (management account only).
func (s *Service) update(ctx context.Context, caller string, fn func(tx store.Tx, o *Org) error) error {
	return s.iam.UpdateStore(ctx, func(tx store.Tx) error {
		o, err := loadManaged(ctx, tx, caller)
		if err != nil {
			return err
		}
		return fn(tx, o)
	})
}

// ---- ids and ARNs ----

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

func newOrgID() string    { return "o-" + randomString(lowerAlnum, 10) }
func newRootID() string   { return "r-" + randomString(lowerAlnum, 4) }
func newPolicyID() string { return "p-" + randomString(lowerAlnum, 8) }
func newRequestID() string {
	return "car-" + randomString(lowerAlnum, 32)
}

// newOUID returns an OU id: the root's suffix and 8 characters.
func newOUID(root string) string {
	return "ou-" + strings.TrimPrefix(root, "r-") + "-" + randomString(lowerAlnum, 8)
}

// newAccountID returns a random 12-digit account id (not starting with 0).
func newAccountID() string {
	return randomString("123456789", 1) + randomString("0123456789", 11)
}

// OrganizationARN returns the organization's ARN.
func OrganizationARN(mgmt, org string) string {
	return "arn:aws:organizations::" + mgmt + ":organization/" + org
}

// RootARN returns a root's ARN.
func RootARN(mgmt, org, id string) string {
	return "arn:aws:organizations::" + mgmt + ":root/" + org + "/" + id
}

// OUARN returns an organizational unit's ARN.
func OUARN(mgmt, org, id string) string {
	return "arn:aws:organizations::" + mgmt + ":ou/" + org + "/" + id
}

// AccountARN returns a member account's ARN.
func AccountARN(mgmt, org, id string) string {
	return "arn:aws:organizations::" + mgmt + ":account/" + org + "/" + id
}

// PolicyARN returns a policy's ARN; AWS-managed policies have one ARN in
// every organization.
func PolicyARN(mgmt, org, typ, id string) string { return iam.OrgPolicyARN(mgmt, org, typ, id) }

// ARNOf returns the ARN of an entity of o by its id (root, OU, account,
// policy), or "" if o has no such entity.
func (o *Org) ARNOf(id string) string {
	m, org := o.Management(), o.ID()
	if u := o.units[id]; u != nil {
		if u.ParentID == "" {
			return RootARN(m, org, id)
		}
		return OUARN(m, org, id)
	}
	if o.accounts[id] != nil {
		return AccountARN(m, org, id)
	}
	if p, ok := o.Policy(id); ok {
		return PolicyARN(m, org, p.Type, id)
	}
	return ""
}

// Path returns the path of a unit or account as AWS writes it
// ("o-…/r-…/ou-…/"), with the entity itself last.
func (o *Org) Path(id string) string {
	var ids []string
	cur := id
	if a := o.accounts[id]; a != nil {
		ids = append(ids, id)
		cur = a.ParentID
	}
	for n := 0; cur != "" && n <= len(o.Units); n++ {
		u := o.units[cur]
		if u == nil {
			break
		}
		ids = append(ids, cur)
		cur = u.ParentID
	}
	slices.Reverse(ids)
	return o.ID() + "/" + strings.Join(ids, "/") + "/"
}

// depth returns how many OUs a unit sits under (the root is 0, its OUs 1).
func (o *Org) depth(id string) int {
	n := 0
	for u := o.units[id]; u != nil && u.ParentID != ""; u = o.units[u.ParentID] {
		n++
	}
	return n
}

// Policy returns a policy of the organization or an AWS-managed one.
func (o *Org) Policy(id string) (store.OrgPolicy, bool) {
	if m, ok := iam.OrgManagedPolicies[id]; ok {
		return store.OrgPolicy{Org: o.ID(), ID: m.ID, Name: m.Name, Description: m.Description, Type: m.Type, Content: m.Content}, true
	}
	if p := o.policies[id]; p != nil {
		return *p, true
	}
	return store.OrgPolicy{}, false
}

// enabled reports whether the policy type is enabled on the root.
func (o *Org) enabled(typ string) bool { return slices.Contains(o.Root.PolicyTypes, typ) }

// attachedTo returns the policies of a type attached to a target.
func (o *Org) attachedTo(target, typ string) []store.OrgPolicy {
	var out []store.OrgPolicy
	for _, a := range o.Attachments {
		if a.TargetID != target {
			continue
		}
		if p, ok := o.Policy(a.PolicyID); ok && p.Type == typ {
			out = append(out, p)
		}
	}
	return out
}

// ---- paging ----

// Page is one page of a list and the token of the next ("" for none).
type Page[T any] struct {
	Items     []T
	NextToken string
}

// DefaultMaxResults is the page size when the caller sets none.
const DefaultMaxResults = 20

// page returns the page of items (sorted by key) after token. A token is
// the key of the last item of the previous page, encoded.
func page[T any](items []T, key func(T) string, token string, maxResults *int32) (Page[T], error) {
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	start := 0
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) == 0 {
			return Page[T]{}, invalidInput("INVALID_NEXT_TOKEN", "The specified token is invalid.")
		}
		after := string(raw)
		start, _ = slices.BinarySearchFunc(items, after, func(it T, k string) int { return strings.Compare(key(it), k) })
		if start < len(items) && key(items[start]) == after {
			start++
		}
	}
	n := DefaultMaxResults
	if maxResults != nil {
		n = int(*maxResults)
	}
	end := min(start+n, len(items))
	p := Page[T]{Items: items[start:end]}
	if end < len(items) {
		p.NextToken = base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	}
	return p, nil
}

// isNotFound reports a store ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// isExists reports a store ErrAlreadyExists.
func isExists(err error) bool { return errors.Is(err, store.ErrAlreadyExists) }

// Resource returns the ARN and tags of an entity (root, OU, account,
// policy) of the caller's organization by its id, or "" when there is
// none: the resource authorization asks about.
func (s *Service) Resource(ctx context.Context, caller, id string) (string, []store.Tag) {
	var arn string
	var tags []store.Tag
	_ = s.iam.ViewStore(ctx, func(r store.Reader) error {
		if o, err := load(ctx, r, caller); err == nil {
			arn = o.ARNOf(id)
			tags, _ = o.tags(id)
		}
		return nil
	})
	return arn, tags
}
