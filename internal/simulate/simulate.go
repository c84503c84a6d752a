package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

// Input is one request in the simulation format. An absent policy field
// means that policy type does not apply. A present SCP or RCP level lists
// every policy attached there, so an empty level allows nothing.
type Input struct {
	Principal               string                     `json:"principal"`
	PrincipalTags           map[string]string          `json:"principalTags,omitempty"`
	UserID                  string                     `json:"userId,omitempty"`
	Action                  string                     `json:"action"`
	Resource                string                     `json:"resource"`
	ResourceAccount         string                     `json:"resourceAccount,omitempty"`
	Context                 map[string]json.RawMessage `json:"context,omitempty"`
	Time                    string                     `json:"time,omitempty"`
	IdentityPolicies        []json.RawMessage          `json:"identityPolicies,omitempty"`
	ResourcePolicy          json.RawMessage            `json:"resourcePolicy,omitempty"`
	ResourcePolicyType      string                     `json:"resourcePolicyType,omitempty"`
	PermissionsBoundary     json.RawMessage            `json:"permissionsBoundary,omitempty"`
	SessionPolicy           json.RawMessage            `json:"sessionPolicy,omitempty"`
	SessionPolicies         []json.RawMessage          `json:"sessionPolicies,omitempty"`
	ServiceControlPolicies  [][]json.RawMessage        `json:"serviceControlPolicies,omitempty"`
	ResourceControlPolicies [][]json.RawMessage        `json:"resourceControlPolicies,omitempty"`
}

// Output is the result of one request.
type Output struct {
	Decision           string       `json:"decision,omitempty"`
	Reason             string       `json:"reason,omitempty"`
	Matched            []Matched    `json:"matched,omitempty"`
	MissingContextKeys []string     `json:"missingContextKeys,omitempty"`
	Warnings           []string     `json:"warnings,omitempty"`
	Error              *OutputError `json:"error,omitempty"`
}

// Matched is one statement that matched the request.
type Matched struct {
	Kind      string `json:"kind"`
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	Sid       string `json:"sid,omitempty"`
	Effect    string `json:"effect"`
}

// OutputError says why a request could not be decided.
type OutputError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
	Policy  string `json:"policy,omitempty"`
	Path    string `json:"path,omitempty"`
}

func (e *OutputError) Error() string {
	s := e.Code + ": " + e.Message
	if e.Policy != "" {
		s = e.Policy + ": " + s
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// ReadInputs decodes one request or a JSON array of them. single reports
// whether the input was one object, so the output can take the same shape.
func ReadInputs(data []byte) (inputs []json.RawMessage, single bool, err error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, false, errors.New("the input is empty: give one request object or an array of them")
	}
	if data[0] == '[' {
		if err := json.Unmarshal(data, &inputs); err != nil {
			return nil, false, fmt.Errorf("the input is not a JSON array of requests: %w", err)
		}
		return inputs, false, nil
	}
	return []json.RawMessage{data}, true, nil
}

// Run decides one request given as JSON. Every fault of the input becomes
// an Output with Error set; Run never panics on bad input.
func Run(raw json.RawMessage) Output {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Output{Error: &OutputError{Code: "InvalidInput", Message: "the request is not valid JSON in the simulation format", Detail: err.Error()}}
	}
	req, set, warnings, err := build(&in)
	if err != nil {
		var oe *OutputError
		if errors.As(err, &oe) {
			return Output{Error: oe}
		}
		return Output{Error: &OutputError{Code: "InvalidInput", Message: err.Error()}}
	}
	var d authz.Diagnostic
	res := authz.Explain(set, req, &d)
	out := Output{Decision: res.Decision.String(), Reason: reason(res, req), Warnings: warnings}
	for _, m := range d.Matched {
		out.Matched = append(out.Matched, Matched{Kind: kindName(m.Kind), Policy: m.Policy.ID, Statement: m.Rule.Index, Sid: m.Rule.Sid, Effect: m.Rule.Effect.String()})
	}
	out.MissingContextKeys = append(out.MissingContextKeys, d.MissingContextKeys...)
	return out
}

func reason(res authz.Result, req *authz.Request) string {
	switch {
	case res.Decision != authz.Allowed:
		return res.Message(req)
	case res.Policy != nil:
		s := fmt.Sprintf("allowed by statement %d", res.Rule.Index)
		if res.Rule.Sid != "" {
			s = fmt.Sprintf("allowed by statement %q", res.Rule.Sid)
		}
		return s + " of the " + res.Kind.String() + " " + res.Policy.ID
	case req.Principal.Type == policy.PrincipalAccount:
		return "allowed: the root user may perform every action in its own account unless an explicit deny or an organization policy stops it"
	}
	return "allowed: AWS allows " + req.Action + " to every authenticated caller, whatever its policies say"
}

func kindName(k authz.Kind) string {
	switch k {
	case authz.KindSCP:
		return "scp"
	case authz.KindRCP:
		return "rcp"
	case authz.KindIdentity:
		return "identity"
	case authz.KindResource:
		return "resource"
	case authz.KindBoundary:
		return "boundary"
	case authz.KindSession:
		return "session"
	}
	return ""
}

func build(in *Input) (*authz.Request, *authz.PolicySet, []string, error) {
	if in.Action == "" {
		return nil, nil, nil, errors.New(`the request has no "action"`)
	}
	if in.Resource == "" {
		return nil, nil, nil, errors.New(`the request has no "resource" (use "*" for actions on no particular resource)`)
	}
	principal, err := policy.ParsePrincipal(in.Principal)
	if err != nil {
		return nil, nil, nil, err
	}
	principal.Tags = in.PrincipalTags
	principal.UserID = in.UserID
	req := &authz.Request{Principal: principal, Action: in.Action, Resource: in.Resource, ResourceAccount: in.ResourceAccount}
	if in.Time != "" {
		t, err := time.Parse(time.RFC3339, in.Time)
		if err != nil {
			return nil, nil, nil, fmt.Errorf(`"time" must be RFC 3339, e.g. 2026-01-02T15:04:05Z: %w`, err)
		}
		req.Time = t
	}
	for k, raw := range in.Context {
		vals, err := contextValues(raw)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("context key %q: %w", k, err)
		}
		req.Context.Set(k, vals...)
	}
	req.SetGlobalKeys()

	b := &builder{}
	var ps authz.Policies
	for i, raw := range in.IdentityPolicies {
		ps.Identity = append(ps.Identity, b.parse(raw, policy.Identity, fmt.Sprintf("identityPolicies[%d]", i)))
	}
	if present(in.ResourcePolicy) {
		t := policy.Resource
		if in.ResourcePolicyType != "" {
			if t, err = policy.ParseType(in.ResourcePolicyType); err != nil || (t != policy.Resource && t != policy.Trust) {
				return nil, nil, nil, fmt.Errorf(`"resourcePolicyType" is "resource" or "trust", not %q`, in.ResourcePolicyType)
			}
		}
		ps.Resource = b.parse(in.ResourcePolicy, t, "resourcePolicy")
	}
	if present(in.PermissionsBoundary) {
		ps.Boundary = b.parse(in.PermissionsBoundary, policy.Boundary, "permissionsBoundary")
	}
	if present(in.SessionPolicy) {
		ps.Session = append(ps.Session, b.parse(in.SessionPolicy, policy.Session, "sessionPolicy"))
	}
	for i, raw := range in.SessionPolicies {
		ps.Session = append(ps.Session, b.parse(raw, policy.Identity, fmt.Sprintf("sessionPolicies[%d]", i)))
	}
	if in.ServiceControlPolicies != nil {
		ps.SCPs = b.levels(in.ServiceControlPolicies, policy.SCP, "serviceControlPolicies")
	}
	if in.ResourceControlPolicies != nil {
		ps.RCPs = b.levels(in.ResourceControlPolicies, policy.RCP, "resourceControlPolicies")
	}
	if b.err != nil {
		return nil, nil, nil, b.err
	}
	return req, authz.NewPolicySet(ps), b.warnings, nil
}

// present reports whether a policy field holds a document. An empty object
// and null stand for "no policy of this type", as an absent key does.
func present(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !isEmptyObject(t)
}

func isEmptyObject(b []byte) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
}

type builder struct {
	err      error
	warnings []string
}

func (b *builder) levels(levels [][]json.RawMessage, t policy.Type, name string) [][]*policy.Policy {
	out := make([][]*policy.Policy, len(levels))
	for i, level := range levels {
		out[i] = []*policy.Policy{}
		for j, raw := range level {
			out[i] = append(out[i], b.parse(raw, t, fmt.Sprintf("%s[%d][%d]", name, i, j)))
		}
	}
	return out
}

// parse reads one policy, given as a JSON object or as a string holding
// one (as IAM APIs return documents).
func (b *builder) parse(raw json.RawMessage, t policy.Type, name string) *policy.Policy {
	if b.err != nil {
		return nil
	}
	doc := string(bytes.TrimSpace(raw))
	if len(doc) > 0 && doc[0] == '"' {
		if err := json.Unmarshal(raw, &doc); err != nil {
			b.err = &OutputError{Code: "InvalidInput", Message: "the policy is not a JSON string or object", Policy: name}
			return nil
		}
	}
	if empty, ok := emptyStatementPolicy(doc, t); ok {
		empty.ID = name
		b.warnings = append(b.warnings, name+`: "Statement" is empty; AWS would refuse to store this policy, and here it allows nothing`)
		return empty
	}
	p, err := policy.Parse(doc, t)
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			f := pe.First()
			b.err = &OutputError{Code: f.Code, Message: f.Message, Detail: f.Detail, Policy: name, Path: f.Path}
		} else {
			b.err = &OutputError{Code: policy.CodeMalformed, Message: err.Error(), Policy: name}
		}
		return nil
	}
	p.ID = name
	for _, w := range p.Warnings {
		b.warnings = append(b.warnings, name+": "+w.String())
	}
	return p
}

// emptyStatementPolicy recognises a document whose Statement is an empty
// array, which AWS refuses to store but which a simulation input may use to
// say "a policy that allows nothing".
func emptyStatementPolicy(doc string, t policy.Type) (*policy.Policy, bool) {
	var shape struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &shape); err != nil {
		return nil, false
	}
	if !bytes.Equal(bytes.Join(bytes.Fields(shape.Statement), nil), []byte("[]")) {
		return nil, false
	}
	return &policy.Policy{Type: t, Document: &policy.Document{Version: shape.Version, Source: doc}}, true
}

// contextValues reads a context value: a string, number or boolean, or an
// array of them (a multivalued key).
func contextValues(raw json.RawMessage) ([]string, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, errors.New("a context value is a string, number or boolean, or an array of them, not null")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		list = []json.RawMessage{raw}
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		var v any
		dec := json.NewDecoder(bytes.NewReader(item))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, strconv.FormatBool(x))
		default:
			return nil, errors.New("a context value is a string, number or boolean, or an array of them")
		}
	}
	return out, nil
}
