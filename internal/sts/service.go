package sts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/secrets"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts/oidc"
	"github.com/warden-iam/warden/policy"
)

// sealingPurpose names the service keys that seal session tokens.
const sealingPurpose = "session-token"

// Service issues temporary credentials.
type Service struct {
	store   store.Store
	keyring *secrets.Keyring
	iam     *iam.Service
	now     func() time.Time
	sealer  atomic.Pointer[Sealer]
	// lastKeyLoad is when OpenToken last reloaded the keys (UnixNano).
	lastKeyLoad atomic.Int64
	// oidc verifies web identity tokens (AssumeRoleWithWebIdentity).
	oidc *oidc.Verifier
}

// Config configures a Service.
type Config struct {
	Store   store.Store
	Keyring *secrets.Keyring
	IAM     *iam.Service
	Now     func() time.Time
	// OIDC configures the web identity token verifier; its clock
	// defaults to Now.
	OIDC oidc.Config
}

// New returns a Service. It loads the sealing keys from the store and, on
// the first start of a deployment, creates the first one.
func New(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{store: cfg.Store, keyring: cfg.Keyring, iam: cfg.IAM, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.OIDC.Now == nil {
		cfg.OIDC.Now = s.now
	}
	s.oidc = oidc.New(cfg.OIDC)
	if err := s.LoadKeys(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func keyAAD(id string) string { return "service-key:" + sealingPurpose + ":" + id }

// LoadKeys (re)reads the sealing keys; the newest seals. Nodes starting at
// once may each create a key; all of them open tokens, and the newest wins.
func (s *Service) LoadKeys(ctx context.Context) error {
	var keys []store.ServiceKey
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		if keys, err = tx.ListServiceKeys(ctx, sealingPurpose); err != nil || len(keys) > 0 {
			return err
		}
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		var id [8]byte
		if _, err := rand.Read(id[:]); err != nil {
			return err
		}
		k := store.ServiceKey{ID: hex.EncodeToString(id[:]), Purpose: sealingPurpose, CreateDate: s.now().UTC()}
		k.Sealed = s.keyring.Seal(raw, keyAAD(k.ID))
		keys = []store.ServiceKey{k}
		return tx.CreateServiceKey(ctx, k)
	})
	if err != nil {
		return fmt.Errorf("sts: load sealing keys: %w", err)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].CreateDate.Before(keys[j].CreateDate) })
	opened := map[string][]byte{}
	for _, k := range keys {
		raw, err := s.keyring.Open(k.Sealed, keyAAD(k.ID))
		if err != nil {
			return fmt.Errorf("sts: sealing key %s does not open under the master key: %w", k.ID, err)
		}
		opened[k.ID] = raw
	}
	sealer, err := NewSealer(opened, keys[len(keys)-1].ID)
	if err != nil {
		return err
	}
	s.sealer.Store(sealer)
	return nil
}

// Sealer returns the current sealer.
func (s *Service) Sealer() *Sealer { return s.sealer.Load() }

// OpenToken opens a session token. A token sealed with a key this node
// does not have yet (a key another node created) makes it reload the keys
// from the store, at most once a second, and try again.
func (s *Service) OpenToken(ctx context.Context, token string, now time.Time) (*Session, error) {
	sess, err := s.Sealer().Open(token, now)
	if !errors.Is(err, ErrUnknownKey) {
		return sess, err
	}
	last := s.lastKeyLoad.Load()
	if t := time.Now().UnixNano(); t-last > int64(time.Second) && s.lastKeyLoad.CompareAndSwap(last, t) {
		if lerr := s.LoadKeys(ctx); lerr != nil {
			return nil, err
		}
		return s.Sealer().Open(token, now)
	}
	return nil, err
}

// Credentials are temporary credentials as STS returns them.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// issue fills in the session's credentials and times and seals it.
func (s *Service) issue(sess *Session, d time.Duration) Credentials {
	now := s.now().UTC().Truncate(time.Second)
	sess.AccessKeyID = iam.NewKeyID("ASIA", sess.Account)
	sess.Secret = iam.NewSecretAccessKey()
	sess.Issued = now
	sess.Expires = now.Add(d)
	return Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.Secret,
		SessionToken: s.Sealer().Seal(sess), Expiration: sess.Expires}
}

// Caller is who asks for credentials.
type Caller struct {
	Account  string
	Root     bool
	UserName string // an IAM user (also behind a user session)
	UserID   string
	// Session is set when the caller uses temporary credentials.
	Session *Session
	// Region is the signing region, for the role's last-used record.
	Region string
	// MFA is set when this request proved MFA with a one-time code (the
	// caller verified it): the session is MFA-authenticated from now.
	MFA bool
}

// Duration bounds, in seconds. AWS behaviour: 15 minutes to the role's
// maximum for AssumeRole (an hour when chaining), up to 36 hours for
// GetSessionToken and GetFederationToken, an hour for the root user.
const (
	minDuration         = 900
	chainedMaxDuration  = 3600
	userMaxDuration     = 129600
	rootMaxDuration     = 3600
	defaultRoleDuration = 3600
	defaultUserDuration = 43200
	maxSessionTags      = 50
	maxSessionPolicies  = 10
)

// AssumeRoleInput is what AssumeRole (and its federated kin) asks for.
type AssumeRoleInput struct {
	RoleARN           string
	RoleSessionName   string
	DurationSeconds   *int
	Policy            *string
	PolicyARNs        []string
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    *string
	Provider          string
	ProviderKeys      []Tag
}

// Issued is a new role session.
type Issued struct {
	Credentials Credentials
	Session     *Session
	// AssumedRoleARN is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION and
	// AssumedRoleID is ROLEID:SESSION.
	AssumedRoleARN string
	AssumedRoleID  string
	// PackedPolicySize is the percentage of the packed-policy budget the
	// session policies and tags use.
	PackedPolicySize int
}

// errRole refuses the request the way AWS does when the role cannot be
// assumed, without saying whether it exists.
func errRole(who, roleARN string) error {
	return awserr.AccessDenied("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", who, roleARN)
}

// AssumeRole issues a role session. Authorization (the trust policy and
// the caller's identity policies) happened before; this checks the
// request's own rules and issues the credentials.
func (s *Service) AssumeRole(ctx context.Context, c Caller, callerARN string, in AssumeRoleInput) (Issued, error) {
	if c.Root && c.Session == nil {
		// AWS behaviour: the root user cannot assume roles.
		return Issued{}, awserr.AccessDenied("Roles may not be assumed by root accounts.")
	}
	acct, roleName, ok := ParseRoleARN(in.RoleARN)
	if !ok {
		return Issued{}, awserr.ValidationError("%s is invalid", in.RoleARN)
	}
	snap := s.iam.Snapshot()
	role, found := snap.Role(acct, roleName)
	if !found || snap.AccountClosed(acct) {
		return Issued{}, errRole(callerARN, in.RoleARN)
	}
	chained := c.Session != nil && c.Session.Kind == KindAssumedRole
	d := defaultRoleDuration
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		switch {
		case chained && d > chainedMaxDuration:
			return Issued{}, awserr.ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		case d > role.MaxSessionDuration:
			return Issued{}, awserr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	} else if chained && d > chainedMaxDuration {
		d = chainedMaxDuration
	}
	sess := &Session{Kind: KindAssumedRole, Account: acct, RoleName: role.Name, RoleID: role.ID, RolePath: role.Path,
		SessionName: in.RoleSessionName, Chained: chained, Provider: in.Provider, ProviderKeys: in.ProviderKeys}
	if err := s.sessionPolicies(sess, in.Policy, in.PolicyARNs); err != nil {
		return Issued{}, err
	}
	if err := inheritAndSetTags(sess, c.Session, in.Tags, in.TransitiveTagKeys); err != nil {
		return Issued{}, err
	}
	if err := setSourceIdentity(sess, c.Session, in.SourceIdentity); err != nil {
		return Issued{}, err
	}
	if c.Session != nil && c.Session.MFA {
		sess.MFA, sess.MFAAuthTime = true, c.Session.MFAAuthTime
	}
	if c.MFA {
		sess.MFA, sess.MFAAuthTime = true, s.now().UTC().Truncate(time.Second)
	}
	creds := s.issue(sess, time.Duration(d)*time.Second)
	s.iam.RecordRoleUse(acct, role.Name, c.Region)
	return Issued{Credentials: creds, Session: sess,
		AssumedRoleARN:   AssumedRoleARN(acct, role.Name, in.RoleSessionName),
		AssumedRoleID:    role.ID + ":" + in.RoleSessionName,
		PackedPolicySize: packedSize(sess)}, nil
}

// AssumedRoleARN is the ARN of a role session.
func AssumedRoleARN(acct, role, session string) string {
	return "arn:aws:sts::" + acct + ":assumed-role/" + role + "/" + session
}

// ParseRoleARN splits arn:aws:iam::ACCOUNT:role/PATH/NAME.
func ParseRoleARN(arn string) (acct, name string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:aws:iam::")
	if !found {
		return "", "", false
	}
	acct, res, found := strings.Cut(rest, ":role/")
	if !found || len(acct) != 12 || res == "" || strings.HasSuffix(res, "/") {
		return "", "", false
	}
	return acct, res[strings.LastIndexByte(res, '/')+1:], true
}

// sessionPolicies validates and records the session policies. AWS
// behaviour: an inline policy of at most 2,048 characters and at most 10
// managed policy ARNs.
func (s *Service) sessionPolicies(sess *Session, doc *string, arns []string) error {
	if len(arns) > maxSessionPolicies {
		return awserr.ValidationError("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to %d", maxSessionPolicies)
	}
	if doc != nil {
		if _, err := policy.Parse(*doc, policy.Session); err != nil {
			var pe *policy.Error
			if errors.As(err, &pe) {
				f := pe.First()
				if f.Code == policy.CodeValidationError {
					return awserr.ValidationError("%s", f.Message)
				}
				return awserr.MalformedPolicyDocument("%s", f.Message)
			}
			return err
		}
		sess.Policy = *doc
	}
	for _, a := range arns {
		if !strings.HasPrefix(a, "arn:") || !strings.Contains(a, ":policy/") {
			return awserr.InvalidParameterValue("The policy ARN %s is not valid.", a)
		}
	}
	sess.PolicyARNs = arns
	return nil
}

// inheritAndSetTags sets the session tags: transitive tags of the calling
// session first (AWS behaviour: they cannot be overridden), then the
// request's.
func inheritAndSetTags(sess, parent *Session, tags []Tag, transitive []string) error {
	if len(tags) > maxSessionTags {
		return awserr.ValidationError("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", maxSessionTags)
	}
	seen := map[string]bool{}
	if parent != nil {
		for _, k := range parent.TransitiveKeys {
			for _, t := range parent.Tags {
				if strings.EqualFold(t.Key, k) {
					sess.Tags = append(sess.Tags, t)
					sess.TransitiveKeys = append(sess.TransitiveKeys, t.Key)
					seen[strings.ToLower(t.Key)] = true
				}
			}
		}
	}
	requested := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return awserr.InvalidParameterValue("One or more of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
		}
		if requested[k] {
			return awserr.InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		requested[k] = true
		sess.Tags = append(sess.Tags, t)
	}
	for _, k := range transitive {
		if !requested[strings.ToLower(k)] {
			return awserr.InvalidParameterValue("The specified transitive tag key must be included in the requested tags.")
		}
		sess.TransitiveKeys = append(sess.TransitiveKeys, k)
	}
	return nil
}

// setSourceIdentity sets the source identity. AWS behaviour: once a session
// has one, every session chained from it keeps it.
func setSourceIdentity(sess, parent *Session, requested *string) error {
	if parent != nil && parent.SourceIdentity != "" {
		if requested != nil && *requested != parent.SourceIdentity {
			return awserr.AccessDenied("The source identity of the calling session cannot be changed.")
		}
		sess.SourceIdentity = parent.SourceIdentity
		return nil
	}
	if requested != nil {
		sess.SourceIdentity = *requested
	}
	return nil
}

// packedSize estimates AWS's PackedPolicySize: the share (in percent) of
// the packed budget the session policies and tags use. AWS's packing is
// not public; Warden counts the plaintext against 2,048 characters.
func packedSize(sess *Session) int { return PackedSize(sess) }

// PackedSize is the PackedPolicySize of a session.
func PackedSize(sess *Session) int {
	n := len(sess.Policy)
	for _, a := range sess.PolicyARNs {
		n += len(a)
	}
	for _, t := range sess.Tags {
		n += len(t.Key) + len(t.Value)
	}
	return n * 100 / 2048
}

// GetSessionToken issues a session of the calling user (or root user).
// AWS behaviour: 900 s to 36 h (an hour for the root user), 12 h by
// default; a session cannot make another.
func (s *Service) GetSessionToken(ctx context.Context, c Caller, duration *int) (Credentials, error) {
	if c.Session != nil {
		return Credentials{}, awserr.AccessDenied("Cannot call GetSessionToken with session credentials")
	}
	d := defaultUserDuration
	max := userMaxDuration
	if c.Root {
		d, max = rootMaxDuration, rootMaxDuration
	}
	if duration != nil {
		d = *duration
		if d < minDuration || d > max {
			return Credentials{}, awserr.ValidationError("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", d, max)
		}
	}
	sess := &Session{Kind: KindUser, Account: c.Account, UserName: c.UserName, UserID: c.UserID}
	if c.Root {
		sess.Kind = KindRoot
	}
	if c.MFA {
		sess.MFA, sess.MFAAuthTime = true, s.now().UTC().Truncate(time.Second)
	}
	return s.issue(sess, time.Duration(d)*time.Second), nil
}

// FederationInput is what GetFederationToken asks for.
type FederationInput struct {
	Name            string
	DurationSeconds *int
	Policy          *string
	PolicyARNs      []string
	Tags            []Tag
}

// GetFederationToken issues a federated-user session for the calling IAM
// user. AWS behaviour: its permissions are the intersection of the user's
// policies and the session policies passed here (none passed: no
// permissions); 900 s to 36 h, an hour for the root user.
func (s *Service) GetFederationToken(ctx context.Context, c Caller, in FederationInput) (Credentials, *Session, error) {
	if c.Session != nil {
		return Credentials{}, nil, awserr.AccessDenied("Cannot call GetFederationToken with session credentials")
	}
	d := defaultUserDuration
	max := userMaxDuration
	if c.Root {
		d, max = rootMaxDuration, rootMaxDuration
	}
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d < minDuration || d > max {
			return Credentials{}, nil, awserr.ValidationError("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", d, max)
		}
	}
	sess := &Session{Kind: KindFederatedUser, Account: c.Account, UserName: c.UserName, UserID: c.UserID, FederatedName: in.Name}
	if err := s.sessionPolicies(sess, in.Policy, in.PolicyARNs); err != nil {
		return Credentials{}, nil, err
	}
	if err := inheritAndSetTags(sess, nil, in.Tags, nil); err != nil {
		return Credentials{}, nil, err
	}
	return s.issue(sess, time.Duration(d)*time.Second), sess, nil
}

// FederatedUserARN is the ARN of a federated-user session.
func FederatedUserARN(acct, name string) string {
	return "arn:aws:sts::" + acct + ":federated-user/" + name
}
