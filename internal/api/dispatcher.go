package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/audit"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/sigv4"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

// MaxBodyBytes bounds a request body. The largest legitimate IAM or STS
// input (a SAML assertion of 100,000 characters) fits well within it.
const MaxBodyBytes = 1 << 20

// Service is one Query API served on the endpoint: its SigV4 scope name,
// API version, XML namespace, and action table.
type Service struct {
	Name      string // "iam", "sts": the SigV4 credential scope's service
	Version   string // "2010-05-08"
	Namespace string
	Source    string // eventSource, e.g. "iam.amazonaws.com"
	Failure   func() *awserr.Error
	handlers  map[string]Handler
	// Target is the X-Amz-Target prefix of a JSON-protocol service
	// ("AWSOrganizationsV20161128"); "" for a Query service. See json.go.
	Target  string
	invalid func(*jsonproto.FieldError) error
}

// NewService returns a service with its handlers.
func NewService(name, version, namespace, source string, failure func() *awserr.Error, handlers ...Handler) *Service {
	s := &Service{Name: name, Version: version, Namespace: namespace, Source: source, Failure: failure, handlers: map[string]Handler{}}
	for _, h := range handlers {
		if _, dup := s.handlers[h.ActionName()]; dup {
			panic("api: duplicate action " + h.ActionName())
		}
		s.handlers[h.ActionName()] = h
	}
	return s
}

// Actions lists the service's action names.
func (s *Service) Actions() []string {
	out := make([]string, 0, len(s.handlers))
	for name := range s.handlers {
		out = append(out, name)
	}
	return out
}

// Config configures a Dispatcher.
type Config struct {
	IAM      *iam.Service
	Services []*Service
	Verifier *sigv4.Verifier
	Audit    audit.Sink
	Log      *slog.Logger
	Now      func() time.Time
	// RequestID returns a new request id; by default a random UUID.
	RequestID func() string
	// Observe, when set, is told of every finished request (for metrics).
	Observe func(service, action, code string, d time.Duration)
	// Accessed, when set, is told of every authenticated call of an action
	// the service serves, before authorization, so denied attempts count
	// too (IAM's last accessed data; see AccessRecorder).
	Accessed func(c *Call, service, action string)
}

// Dispatcher serves the Query APIs.
type Dispatcher struct {
	cfg      Config
	services map[string]*Service
	// auditFailing is set when the last audit write failed and cleared by
	// the next that succeeds. While it is set, actions that change state
	// or mint credentials are refused: nothing may happen unaudited
	// (RELIABILITY 29). Read-only actions go on, and their events probe
	// the sink.
	auditFailing atomic.Bool
}

// NewDispatcher returns a Dispatcher.
func NewDispatcher(cfg Config) *Dispatcher {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RequestID == nil {
		cfg.RequestID = uuid.NewString
	}
	if cfg.Audit == nil {
		cfg.Audit = audit.Discard{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{cfg: cfg, services: map[string]*Service{}}
	for _, s := range cfg.Services {
		d.services[s.Name] = s
	}
	return d
}

// ServeHTTP handles one Query API request, or one JSON-protocol request
// (it carries X-Amz-Target).
func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		d.serveJSON(w, r, target)
		return
	}
	start := d.cfg.Now()
	call := &Call{RequestID: d.cfg.RequestID(), Time: start.UTC(), SourceIP: sourceIP(r), UserAgent: r.UserAgent(), Secure: r.TLS != nil}
	svc := d.services["iam"]
	action := ""
	var result any
	var err error
	defer func() {
		d.finish(w, r, d.respond, svc, action, call, result, err, recover(), start)
	}()
	var form url.Values
	var body []byte
	form, body, err = readForm(w, r)
	if err != nil {
		return
	}
	action = form.Get("Action")
	if d.isUnsignedCall(r, form, action) {
		svc = d.services["sts"]
		if call.Snapshot, err = d.cfg.IAM.Current(r.Context()); err != nil {
			err = awserr.ServiceUnavailable()
			return
		}
		call.IAM = d.cfg.IAM
		result, err = d.dispatch(r.Context(), svc, call, form, action)
		return
	}
	var key *sigv4.Result
	if key, err = d.cfg.Verifier.Verify(r.Context(), r, body); err != nil {
		if s := d.services[scopeService(r)]; s != nil {
			svc = s
		}
		return
	}
	if s := d.services[key.Service]; s != nil {
		svc = s
	}
	if err = d.authenticated(r.Context(), call, svc, key, action); err != nil {
		return
	}
	result, err = d.dispatch(r.Context(), svc, call, form, action)
}

// finish ends a request of either protocol: a panic becomes an internal
// failure, then the one response (written by respond), the audit event,
// the access log and the metrics. recovered is recover()'s value, taken in
// the deferred call itself (recover works only there).
func (d *Dispatcher) finish(w http.ResponseWriter, r *http.Request, respond responder, svc *Service, action string, call *Call, result any, err error, recovered any, start time.Time) {
	if recovered != nil {
		err = fmt.Errorf("panic: %v", recovered)
		d.cfg.Log.ErrorContext(r.Context(), "panic serving request", "request_id", call.RequestID, "panic", recovered)
	}
	code := respond(w, r, svc, action, call, result, err)
	d.record(svc, action, call, result, err, code)
	// The access log names who did what; never a secret (the key id, not
	// the key; no parameters).
	d.cfg.Log.DebugContext(r.Context(), "request", "request_id", call.RequestID, "service", svc.Name,
		"action", action, "code", code, "principal", call.Caller.Principal.ARN,
		"access_key_id", call.Caller.AccessKeyID, "source_ip", call.SourceIP, "duration", d.cfg.Now().Sub(start))
	if d.cfg.Observe != nil {
		d.cfg.Observe(svc.Name, action, code, d.cfg.Now().Sub(start))
	}
}

// responder writes a result or an error in one protocol and returns the
// error code ("" on success).
type responder func(w http.ResponseWriter, r *http.Request, svc *Service, action string, call *Call, result any, err error) string

// authenticated sets up a call whose signature verified, for either
// protocol: the caller the key belongs to, the snapshot the call is
// decided against (fail closed without one), the key's and the service's
// last use, and the limits of the caller's session.
func (d *Dispatcher) authenticated(ctx context.Context, call *Call, svc *Service, key *sigv4.Result, action string) error {
	call.Region = key.Region
	owner, ok := key.Key.Owner.(*Caller)
	if !ok {
		return errors.New("api: the key lookup returned no caller")
	}
	call.Caller = *owner
	call.Caller.AccessKeyID = key.AccessKeyID
	call.IAM = d.cfg.IAM
	var err error
	if call.Snapshot, err = d.cfg.IAM.Current(ctx); err != nil {
		d.cfg.Log.ErrorContext(ctx, "no trustworthy snapshot", "request_id", call.RequestID, "err", err)
		return awserr.ServiceUnavailable()
	}
	if call.Caller.Session == nil {
		d.cfg.IAM.RecordKeyUse(key.AccessKeyID, svc.Name, key.Region)
	}
	if d.cfg.Accessed != nil && svc.handlers[action] != nil {
		d.cfg.Accessed(call, svc.Name, action)
	}
	return sessionLimits(&call.Caller, svc.Name, action)
}

// dispatch routes an authenticated (or unsigned) call to its handler.
func (d *Dispatcher) dispatch(ctx context.Context, svc *Service, call *Call, form url.Values, action string) (any, error) {
	call.auditFailing = d.auditFailing.Load()
	if action == "" {
		return nil, awserr.New("MissingAction", http.StatusBadRequest, "Missing Action")
	}
	h, ok := svc.handlers[action]
	if !ok {
		return nil, awserr.InvalidAction("Could not find operation %s for version %s", action, form.Get("Version"))
	}
	if v := form.Get("Version"); v != svc.Version {
		if v == "" {
			return nil, awserr.MissingParameter("The request must contain the parameter Version")
		}
		return nil, awserr.InvalidAction("Could not find operation %s for version %s", action, v)
	}
	// Action and Version have been read; the input decoder sees the rest.
	form.Del("Action")
	form.Del("Version")
	for k := range form {
		if strings.HasPrefix(k, "X-Amz-") {
			form.Del(k) // presigned-query authentication parameters
		}
	}
	return h.serve(ctx, call, form)
}

// isUnsignedCall reports whether a request without any SigV4 signature
// calls an STS action that AWS serves unsigned.
func (d *Dispatcher) isUnsignedCall(r *http.Request, form url.Values, action string) bool {
	if r.Header.Get("Authorization") != "" || form.Get("X-Amz-Signature") != "" || form.Get("X-Amz-Credential") != "" {
		return false
	}
	svc := d.services["sts"]
	if svc == nil {
		return false
	}
	h, ok := svc.handlers[action]
	return ok && h.unsigned()
}

// readForm reads the request's parameters: a form-encoded POST body, or
// the query string of a GET. The body is read once, bounded.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, []byte, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, nil, err
	}
	switch r.Method {
	case http.MethodPost:
		if len(body) > 0 {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/x-www-form-urlencoded" {
				return nil, nil, awserr.UnsupportedProtocol("The request's Content-Type must be application/x-www-form-urlencoded.")
			}
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, awserr.MalformedQueryString("The request body is not a valid URL-encoded form.")
		}
		// Parameters may also come in the query string (presigned requests).
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, nil, awserr.MalformedQueryString("The query string is not valid URL encoding.")
		}
		for k, v := range q {
			form[k] = append(form[k], v...)
		}
		return form, body, nil
	case http.MethodGet:
		form, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, nil, awserr.MalformedQueryString("The query string is not valid URL encoding.")
		}
		return form, body, nil
	}
	return nil, nil, awserr.New("InvalidHttpRequest", http.StatusMethodNotAllowed, "The %s method is not supported.", r.Method)
}

// readBody reads the request body once, bounded by MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, awserr.RequestEntityTooLarge("Request body must be less than %d bytes.", MaxBodyBytes)
		}
		return nil, awserr.New("IncompleteBody", http.StatusBadRequest, "The request body could not be read.")
	}
	return body, nil
}

// respond writes the result or the error, and returns the error code ("" on
// success) for the audit event and metrics. It is the one place an error
// becomes bytes on the wire.
func (d *Dispatcher) respond(w http.ResponseWriter, r *http.Request, svc *Service, action string, call *Call, result any, err error) string {
	if err == nil {
		body, encErr := query.EncodeResult(svc.Namespace, action, result, call.RequestID)
		if encErr == nil {
			query.WriteXML(w, http.StatusOK, body)
			return ""
		}
		err = encErr
	}
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		d.cfg.Log.ErrorContext(r.Context(), "unhandled error", "request_id", call.RequestID, "action", action, "err", err)
		ae = svc.Failure()
	}
	w.Header().Set("x-amzn-RequestId", call.RequestID)
	query.WriteXML(w, ae.Status, query.EncodeError(svc.Namespace, ae, call.RequestID))
	return ae.Code
}

// record writes the request's audit event.
func (d *Dispatcher) record(svc *Service, action string, call *Call, result any, err error, code string) {
	e := &audit.Event{
		EventVersion:       "1.08",
		EventTime:          audit.FormatTime(call.Time),
		EventSource:        svc.Source,
		EventName:          action,
		AWSRegion:          orDefault(call.Region, "us-east-1"),
		SourceIPAddress:    call.SourceIP,
		UserAgent:          call.UserAgent,
		RequestParameters:  audit.Parameters(call.Input),
		RequestID:          call.RequestID,
		EventID:            uuid.NewString(),
		ReadOnly:           call.ReadOnly,
		EventType:          "AwsApiCall",
		ManagementEvent:    true,
		RecipientAccountID: call.Caller.Account,
		EventCategory:      "Management",
	}
	if err == nil {
		e.ResponseElements = audit.Parameters(result)
	} else {
		e.ErrorCode = code
		var ae *awserr.Error
		if errors.As(err, &ae) {
			e.ErrorMessage = ae.Message
		}
	}
	c := call.Caller
	e.UserIdentity = audit.UserIdentity{ARN: c.Principal.ARN, AccountID: c.Account, AccessKeyID: c.AccessKeyID, PrincipalID: c.Principal.UserID, UserName: c.UserName}
	switch c.Principal.Type {
	case policy.PrincipalAccount:
		e.UserIdentity.Type = "Root"
		e.UserIdentity.PrincipalID = c.Account
	case policy.PrincipalUser:
		e.UserIdentity.Type = "IAMUser"
	case policy.PrincipalAssumedRole:
		e.UserIdentity.Type = "AssumedRole"
	case policy.PrincipalFederatedUser:
		e.UserIdentity.Type = "FederatedUser"
	}
	if werr := d.cfg.Audit.Write(e); werr != nil {
		d.auditFailing.Store(true)
		d.cfg.Log.Error("audit event not written; refusing changes until the audit trail accepts events again", "request_id", call.RequestID, "err", werr)
		return
	}
	d.auditFailing.Store(false)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sourceIP is the client's address (without the port).
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// scopeService reads the service of the SigV4 credential scope without
// verifying anything, so that an authentication error is rendered in the
// namespace of the service the client meant.
func scopeService(r *http.Request) string {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, _ := strings.Cut(h, "Credential=")
		cred, _, _ = strings.Cut(rest, ",")
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) == 5 {
		return parts[3]
	}
	return ""
}

// KeyFunc returns the SigV4 key lookup over the service's snapshot:
// unknown and inactive keys get InvalidClientTokenId; a session token is
// opened (no lookup) and must belong to the access key id it came with.
func KeyFunc(s *iam.Service, t *sts.Service, now func() time.Time) sigv4.KeyFunc {
	invalid := func() error {
		return awserr.InvalidClientTokenID("The security token included in the request is invalid.")
	}
	return func(ctx context.Context, id, token string) (sigv4.Key, error) {
		snap, err := s.Current(ctx)
		if err != nil {
			return sigv4.Key{}, awserr.ServiceUnavailable()
		}
		if token != "" {
			sess, err := t.OpenToken(ctx, token, now())
			switch {
			case errors.Is(err, sts.ErrTokenExpired):
				return sigv4.Key{}, awserr.ExpiredToken("The security token included in the request is expired")
			case err != nil || sess.AccessKeyID != id:
				return sigv4.Key{}, invalid()
			}
			c, ok := sessionCaller(snap, sess)
			if !ok || snap.AccountClosed(sess.Account) {
				return sigv4.Key{}, invalid()
			}
			return sigv4.Key{Secret: sess.Secret, Owner: c}, nil
		}
		k := snap.Key(id)
		if k == nil || !k.Active || snap.AccountClosed(k.Account) {
			return sigv4.Key{}, invalid()
		}
		c := &Caller{Account: k.Account, UserName: k.UserName}
		if k.UserName == "" {
			c.Principal = rootPrincipal(k.Account)
			return sigv4.Key{Secret: k.Secret, Owner: c}, nil
		}
		u, ok := snap.User(k.Account, k.UserName)
		if !ok {
			return sigv4.Key{}, invalid()
		}
		c.UserName = u.Name
		c.Principal = userPrincipal(u)
		return sigv4.Key{Secret: k.Secret, Owner: c}, nil
	}
}

func rootPrincipal(acct string) policy.Principal {
	return policy.Principal{Type: policy.PrincipalAccount, ARN: iam.RootARN(acct), Account: acct, UserID: acct}
}

func userPrincipal(u store.User) policy.Principal {
	return policy.Principal{Type: policy.PrincipalUser, ARN: iam.UserARN(u.Account, u.Path, u.Name), Account: u.Account, UserID: u.ID, Tags: tagMap(u.Tags, nil)}
}

// tagMap merges tags into one map; later tags win (session tags override
// the role's own).
func tagMap(tags []store.Tag, session []sts.Tag) map[string]string {
	m := make(map[string]string, len(tags)+len(session))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	for _, t := range session {
		for k := range m {
			if strings.EqualFold(k, t.Key) {
				delete(m, k)
			}
		}
		m[t.Key] = t.Value
	}
	return m
}

// sessionCaller is the caller a session acts as. The session's role or
// user must still exist as the same entity (same unique id): a session
// never outlives what it was issued for, nor passes to a namesake.
func sessionCaller(snap *iam.Snapshot, sess *sts.Session) (*Caller, bool) {
	c := &Caller{Account: sess.Account, Session: sess}
	switch sess.Kind {
	case sts.KindAssumedRole:
		r, ok := snap.Role(sess.Account, sess.RoleName)
		if !ok || r.ID != sess.RoleID {
			return nil, false
		}
		c.Principal = policy.Principal{Type: policy.PrincipalAssumedRole, Account: sess.Account,
			ARN:     sts.AssumedRoleARN(sess.Account, r.Name, sess.SessionName),
			RoleARN: iam.RoleARN(sess.Account, r.Path, r.Name),
			UserID:  r.ID + ":" + sess.SessionName, Tags: tagMap(r.Tags, sess.Tags)}
	case sts.KindUser, sts.KindFederatedUser:
		u, ok := snap.User(sess.Account, sess.UserName)
		if !ok || u.ID != sess.UserID {
			return nil, false
		}
		c.UserName = u.Name
		c.Principal = userPrincipal(u)
		if sess.Kind == sts.KindFederatedUser {
			c.Principal = policy.Principal{Type: policy.PrincipalFederatedUser, Account: sess.Account,
				ARN: sts.FederatedUserARN(sess.Account, sess.FederatedName), UserARN: c.Principal.ARN,
				UserID: sess.Account + ":" + sess.FederatedName, Tags: tagMap(nil, sess.Tags)}
		}
	case sts.KindRoot:
		c.Principal = rootPrincipal(sess.Account)
	default:
		return nil, false
	}
	return c, true
}

// sessionLimits applies AWS's limits on what temporary credentials may
// call: GetSessionToken credentials without MFA call no IAM action and, in
// STS, only AssumeRole and GetCallerIdentity; federated users call no IAM
// action and only GetCallerIdentity in STS.
func sessionLimits(c *Caller, service, action string) error {
	sess := c.Session
	if sess == nil || sess.Kind == sts.KindAssumedRole {
		return nil
	}
	if sess.Privileged() && (service == "iam" || action == "GetCallerIdentity") {
		// A root session from AssumeRoot calls the IAM actions its task
		// policy allows, and no other STS action.
		return nil
	}
	denied := awserr.AccessDenied("User: %s is not authorized to perform: %s:%s with the credentials of a %s session", c.Principal.ARN, service, action, map[sts.Kind]string{
		sts.KindUser: "GetSessionToken", sts.KindRoot: "GetSessionToken", sts.KindFederatedUser: "GetFederationToken"}[sess.Kind])
	switch {
	case service == "iam" && sess.Kind == sts.KindFederatedUser:
		return denied
	case service == "iam" && !sess.MFA:
		return awserr.InvalidClientTokenID("The security token included in the request is invalid")
	case service == "sts" && action == "GetCallerIdentity":
		return nil
	case service == "sts" && sess.Kind == sts.KindFederatedUser:
		return denied
	case service == "sts" && action != "AssumeRole":
		return denied
	}
	return nil
}
