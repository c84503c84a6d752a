package iam

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// Snapshot is an immutable in-memory copy of what decisions need: every
// account's principals, their policies compiled, and the access keys with
// their secrets opened. Requests are authenticated and authorized against
// a Snapshot only, never the store; the service replaces it after every
// committed change.
type Snapshot struct {
	Revision int64
	accounts map[string]*accountState
	keys     map[string]*KeyInfo
	// orgs is where each member account of an organization sits (see
	// OrgPath), by account id.
	orgs map[string]*OrgPath

	// sets caches the compiled PolicySet per principal ARN (lazily built
	// from this snapshot's data, so it never reads the store).
	sets sync.Map
}

// KeyInfo is an access key as authentication sees it.
type KeyInfo struct {
	ID       string
	Account  string
	UserName string // "" for the root user
	Active   bool
	Secret   string
}

type accountState struct {
	id       string
	created  time.Time
	users    map[string]*userState // by lower-cased name
	groups   map[string]*groupState
	roles    map[string]*roleState
	policies map[string]*policy.Policy // default versions by policy ARN
	// policyRecords are the managed policies' records (path, tags) by ARN.
	policyRecords map[string]store.Policy
}

type userState struct {
	user     store.User
	arn      string
	inline   []*policy.Policy
	attached []string // policy ARNs
	groups   []string // lower-cased group names
}

type groupState struct {
	group    store.Group
	arn      string
	inline   []*policy.Policy
	attached []string
}

type roleState struct {
	role     store.Role
	arn      string
	trust    *policy.Policy
	inline   []*policy.Policy
	attached []string
}

// compiledCache keeps compiled policies across snapshots, keyed by type and
// document, so a reload parses only documents it has not seen.
type compiledCache struct {
	mu sync.Mutex
	m  map[[32]byte]*policy.Policy
}

func (c *compiledCache) get(doc string, t policy.Type, id string) (*policy.Policy, error) {
	h := sha256.Sum256([]byte(t.String() + "\x00" + id + "\x00" + doc))
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.m[h]; ok {
		return p, nil
	}
	p, err := policy.Parse(doc, t)
	if err != nil {
		return nil, err
	}
	p.ID = id
	if c.m == nil {
		c.m = make(map[[32]byte]*policy.Policy)
	}
	if len(c.m) > 100_000 {
		clear(c.m) // bound the cache; a reload refills what is in use
	}
	c.m[h] = p
	return p, nil
}

// loadSnapshot reads the whole store into a new Snapshot.
func (s *Service) loadSnapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{accounts: map[string]*accountState{}, keys: map[string]*KeyInfo{}}
	// The revision is read first: a change committed while the view is
	// read then shows as a newer revision, and the next check reloads.
	rev, err := s.store.Revision(ctx)
	if err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(r store.Reader) error {
		accounts, err := r.ListAccounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			st, err := s.loadAccount(ctx, r, a.ID, snap)
			if err != nil {
				return fmt.Errorf("load account %s: %w", a.ID, err)
			}
			st.created = a.CreateDate
			snap.accounts[a.ID] = st
		}
		return s.loadOrganizations(ctx, r, snap)
	})
	if err != nil {
		return nil, err
	}
	snap.Revision = rev
	return snap, nil
}

func (s *Service) loadAccount(ctx context.Context, r store.Reader, acct string, snap *Snapshot) (*accountState, error) {
	d, err := r.LoadAccount(ctx, acct)
	if err != nil {
		return nil, err
	}
	st := &accountState{id: acct, users: map[string]*userState{}, groups: map[string]*groupState{},
		roles: map[string]*roleState{}, policies: map[string]*policy.Policy{}, policyRecords: map[string]store.Policy{}}

	// Managed policies: the default version of each, compiled.
	defaults := make(map[string]string, len(d.Policies))
	for _, p := range d.Policies {
		defaults[strings.ToLower(p.Name)] = p.DefaultVersion
	}
	docs := make(map[string]string, len(d.Policies))
	for _, v := range d.PolicyVersions {
		if defaults[strings.ToLower(v.PolicyName)] == v.VersionID {
			docs[strings.ToLower(v.PolicyName)] = v.Document
		}
	}
	for _, p := range d.Policies {
		arn := PolicyARN(acct, p.Path, p.Name)
		doc, ok := docs[strings.ToLower(p.Name)]
		if !ok {
			return nil, fmt.Errorf("policy %s has no default version %q", arn, p.DefaultVersion)
		}
		compiled, err := s.compiled.get(doc, policy.Identity, arn)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", arn, err)
		}
		st.policies[arn] = compiled
		st.policyRecords[arn] = p
	}
	for _, g := range d.Groups {
		st.groups[strings.ToLower(g.Name)] = &groupState{group: g, arn: GroupARN(acct, g.Path, g.Name)}
	}
	for _, u := range d.Users {
		st.users[strings.ToLower(u.Name)] = &userState{user: u, arn: UserARN(acct, u.Path, u.Name)}
	}
	for _, ro := range d.Roles {
		rs := &roleState{role: ro, arn: RoleARN(acct, ro.Path, ro.Name)}
		if rs.trust, err = s.compiled.get(ro.AssumeRolePolicy, policy.Trust, rs.arn+"/trust"); err != nil {
			return nil, fmt.Errorf("trust policy of role %s: %w", ro.Name, err)
		}
		st.roles[strings.ToLower(ro.Name)] = rs
	}
	for _, m := range d.Memberships {
		if u := st.users[strings.ToLower(m.UserName)]; u != nil {
			u.groups = append(u.groups, strings.ToLower(m.GroupName))
		}
	}
	for _, a := range d.Attachments {
		if o := st.owner(a.OwnerKind, a.OwnerName); o != nil {
			*o.attached = append(*o.attached, a.PolicyARN)
		}
	}
	inlineTypes := map[store.EntityKind]policy.Type{store.KindUser: policy.InlineUser, store.KindGroup: policy.InlineGroup, store.KindRole: policy.InlineRole}
	for _, ip := range d.InlinePolicies {
		o := st.owner(ip.OwnerKind, ip.OwnerName)
		if o == nil {
			continue
		}
		p, err := s.compiled.get(ip.Document, inlineTypes[ip.OwnerKind], fmt.Sprintf("%s/%s/inline/%s", ip.OwnerKind, ip.OwnerName, ip.Name))
		if err != nil {
			return nil, fmt.Errorf("inline policy %s of %s %s: %w", ip.Name, ip.OwnerKind, ip.OwnerName, err)
		}
		*o.inline = append(*o.inline, p)
	}
	for _, k := range d.AccessKeys {
		secret, err := s.openSecret(k)
		if err != nil {
			return nil, err
		}
		snap.keys[k.ID] = &KeyInfo{ID: k.ID, Account: k.Account, UserName: k.UserName, Active: k.Status == store.KeyActive, Secret: secret}
	}
	return st, nil
}

// ownerLists are the policy lists of a user, group or role.
type ownerLists struct {
	inline   *[]*policy.Policy
	attached *[]string
}

func (a *accountState) owner(kind store.EntityKind, name string) *ownerLists {
	switch kind {
	case store.KindUser:
		if u := a.users[strings.ToLower(name)]; u != nil {
			return &ownerLists{&u.inline, &u.attached}
		}
	case store.KindGroup:
		if g := a.groups[strings.ToLower(name)]; g != nil {
			return &ownerLists{&g.inline, &g.attached}
		}
	case store.KindRole:
		if r := a.roles[strings.ToLower(name)]; r != nil {
			return &ownerLists{&r.inline, &r.attached}
		}
	}
	return nil
}

// openSecret opens a key's sealed secret, reusing the last opening of the
// same sealed bytes, so a reload opens only the keys that changed.
func (s *Service) openSecret(k store.AccessKey) (string, error) {
	cacheKey := k.ID + "\x00" + string(k.SealedSecret)
	s.opened.mu.Lock()
	secret, ok := s.opened.m[cacheKey]
	s.opened.mu.Unlock()
	if ok {
		return secret, nil
	}
	pt, err := s.keyring.Open(k.SealedSecret, keyAAD(k.ID))
	if err != nil {
		return "", fmt.Errorf("access key %s: %w", k.ID, err)
	}
	s.opened.mu.Lock()
	if s.opened.m == nil || len(s.opened.m) > 100_000 {
		s.opened.m = map[string]string{}
	}
	s.opened.m[cacheKey] = string(pt)
	s.opened.mu.Unlock()
	return string(pt), nil
}

// keyAAD binds a sealed secret to its access key.
func keyAAD(id string) string { return "access-key:" + id }

// Key returns an access key, or nil.
func (snap *Snapshot) Key(id string) *KeyInfo { return snap.keys[id] }

// UserARNOf returns the ARN of a user (with its path), or "" if absent.
func (snap *Snapshot) UserARNOf(acct, name string) string {
	if a := snap.accounts[acct]; a != nil {
		if u := a.users[strings.ToLower(name)]; u != nil {
			return u.arn
		}
	}
	return ""
}

// User returns a user as the snapshot has it.
func (snap *Snapshot) User(acct, name string) (store.User, bool) {
	if a := snap.accounts[acct]; a != nil {
		if u := a.users[strings.ToLower(name)]; u != nil {
			return u.user, true
		}
	}
	return store.User{}, false
}

// GroupARNOf returns the ARN of a group (with its path), or "".
func (snap *Snapshot) GroupARNOf(acct, name string) string {
	if a := snap.accounts[acct]; a != nil {
		if g := a.groups[strings.ToLower(name)]; g != nil {
			return g.arn
		}
	}
	return ""
}

// RoleARNOf returns the ARN of a role (with its path), or "".
func (snap *Snapshot) RoleARNOf(acct, name string) string {
	if a := snap.accounts[acct]; a != nil {
		if r := a.roles[strings.ToLower(name)]; r != nil {
			return r.arn
		}
	}
	return ""
}

// UserPolicySet returns the compiled policies of a user: its own inline
// and attached policies, its groups', its permissions boundary, and the
// service control policies of its account.
func (snap *Snapshot) UserPolicySet(acct, name string) *authz.PolicySet {
	a := snap.accounts[acct]
	if a == nil {
		return authz.NewPolicySet(authz.Policies{})
	}
	u := a.users[strings.ToLower(name)]
	if u == nil {
		return authz.NewPolicySet(authz.Policies{})
	}
	if ps, ok := snap.sets.Load(u.arn); ok {
		return ps.(*authz.PolicySet)
	}
	ps := authz.Policies{SCPs: snap.scps(acct)}
	ps.Identity = append(ps.Identity, u.inline...)
	ps.Identity = append(ps.Identity, a.resolve(u.attached)...)
	for _, gname := range u.groups {
		if g := a.groups[gname]; g != nil {
			ps.Identity = append(ps.Identity, g.inline...)
			ps.Identity = append(ps.Identity, a.resolve(g.attached)...)
		}
	}
	if b := u.user.PermissionsBoundary; b != "" {
		ps.Boundary = a.policy(b)
		if ps.Boundary == nil {
			// A boundary whose policy cannot be found allows nothing:
			// fail closed.
			ps.Boundary = emptyPolicy(b)
		}
	}
	set := authz.NewPolicySet(ps)
	actual, _ := snap.sets.LoadOrStore(u.arn, set)
	return actual.(*authz.PolicySet)
}

// RolePolicySet returns the compiled identity policies and boundary of a
// role, for its sessions, with the service control policies of its account
// (none for a service-linked role).
func (snap *Snapshot) RolePolicySet(acct, name string) *authz.PolicySet {
	a := snap.accounts[acct]
	if a == nil {
		return authz.NewPolicySet(authz.Policies{})
	}
	r := a.roles[strings.ToLower(name)]
	if r == nil {
		return authz.NewPolicySet(authz.Policies{})
	}
	if ps, ok := snap.sets.Load(r.arn); ok {
		return ps.(*authz.PolicySet)
	}
	var ps authz.Policies
	if !isServiceLinked(r.role) {
		ps.SCPs = snap.scps(acct)
	}
	ps.Identity = append(ps.Identity, r.inline...)
	ps.Identity = append(ps.Identity, a.resolve(r.attached)...)
	if b := r.role.PermissionsBoundary; b != "" {
		ps.Boundary = a.policy(b)
		if ps.Boundary == nil {
			ps.Boundary = emptyPolicy(b)
		}
	}
	set := authz.NewPolicySet(ps)
	actual, _ := snap.sets.LoadOrStore(r.arn, set)
	return actual.(*authz.PolicySet)
}

func (a *accountState) resolve(arns []string) []*policy.Policy {
	out := make([]*policy.Policy, 0, len(arns))
	for _, arn := range arns {
		if p := a.policy(arn); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// policy returns the compiled default version of a managed policy the
// account can use: its own, or an AWS managed policy. Nil if none.
func (a *accountState) policy(arn string) *policy.Policy {
	if p := a.policies[arn]; p != nil {
		return p
	}
	return awspolicies.Compiled(arn)
}

func emptyPolicy(id string) *policy.Policy {
	return &policy.Policy{ID: id, Type: policy.Boundary, Document: &policy.Document{}}
}

// AccountCreateDate returns when an account was created (zero if unknown).
func (s *Service) AccountCreateDate(acct string) time.Time {
	if a := s.Snapshot().accounts[acct]; a != nil {
		return a.created
	}
	return time.Time{}
}

// HasAccount reports whether the account exists.
func (snap *Snapshot) HasAccount(acct string) bool { return snap.accounts[acct] != nil }

// Group returns a group as the snapshot has it.
func (snap *Snapshot) Group(acct, name string) (store.Group, bool) {
	if a := snap.accounts[acct]; a != nil {
		if g := a.groups[strings.ToLower(name)]; g != nil {
			return g.group, true
		}
	}
	return store.Group{}, false
}

// ManagedPolicy returns a customer managed policy's record by ARN.
func (snap *Snapshot) ManagedPolicy(acct, arn string) (store.Policy, bool) {
	if a := snap.accounts[acct]; a != nil {
		p, ok := a.policyRecords[arn]
		return p, ok
	}
	return store.Policy{}, false
}

// CompiledPolicy returns a managed policy's default version, compiled, by
// ARN, or nil: the account's own policy, or an AWS managed policy.
func (snap *Snapshot) CompiledPolicy(acct, arn string) *policy.Policy {
	if a := snap.accounts[acct]; a != nil {
		return a.policy(arn)
	}
	return nil
}

// SessionPolicies compiles a session's inline policy and resolves its
// managed policy ARNs (those that do not exist allow nothing). The result
// is never nil: a session with no session policy of a kind that needs one
// (a federated user) is allowed nothing.
func (s *Service) SessionPolicies(snap *Snapshot, acct, doc string, arns []string) ([]*policy.Policy, error) {
	out := []*policy.Policy{}
	if doc != "" {
		p, err := s.compiled.get(doc, policy.Session, "session-policy")
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	for _, a := range arns {
		if p := snap.CompiledPolicy(acct, a); p != nil {
			out = append(out, p)
		} else if p := RootTaskPolicy(a); p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// RoleTrust returns a role's compiled trust policy, or nil if there is no
// such role.
func (snap *Snapshot) RoleTrust(acct, name string) *policy.Policy {
	if a := snap.accounts[acct]; a != nil {
		if r := a.roles[strings.ToLower(name)]; r != nil {
			return r.trust
		}
	}
	return nil
}
