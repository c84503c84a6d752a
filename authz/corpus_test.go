package authz_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

// corpusTime is the fixed clock of every corpus request (aws:CurrentTime).
var corpusTime = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// corpusCase is one entry of testdata/corpus/*.yaml: the policies that
// apply to one principal and resource, one request, and what AWS decides.
type corpusCase struct {
	Name   string `yaml:"name"`
	Source string `yaml:"source"`
	// Note says why, when the rule is not obvious from the source.
	Note string `yaml:"note"`

	Principal     string            `yaml:"principal"`
	PrincipalTags map[string]string `yaml:"principalTags"`
	UserID        string            `yaml:"userId"`
	// SourceUser is, for a federated-user session, the IAM user who called
	// GetFederationToken.
	SourceUser      string                `yaml:"sourceUser"`
	Action          string                `yaml:"action"`
	Resource        string                `yaml:"resource"`
	ResourceAccount string                `yaml:"resourceAccount"`
	Context         map[string]stringList `yaml:"context"`

	IdentityPolicies    []corpusPolicy   `yaml:"identityPolicies"`
	ResourcePolicy      *corpusPolicy    `yaml:"resourcePolicy"`
	ResourcePolicyType  string           `yaml:"resourcePolicyType"` // resource (default) or trust
	PermissionsBoundary *corpusPolicy    `yaml:"permissionsBoundary"`
	SessionPolicies     []corpusPolicy   `yaml:"sessionPolicies"`
	SCPs                [][]corpusPolicy `yaml:"scps"`
	RCPs                [][]corpusPolicy `yaml:"rcps"`

	Expected struct {
		Decision string `yaml:"decision"`
		Kind     string `yaml:"kind"`
		Message  string `yaml:"message"`
		// Matched lists "LABEL:SID" for every statement the diagnostic
		// reports as matching, in any order. LABEL is identity:I,
		// resource, boundary, session:I, scp:LEVEL.I or rcp:LEVEL.I; SID
		// is the statement's Sid, or #N (its index) when it has none.
		Matched []string `yaml:"matched"`
	} `yaml:"expected"`
}

// stringList is a YAML scalar or sequence of scalars.
type stringList []string

func (s *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = stringList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*s = list
	return nil
}

// corpusPolicy is a policy document written as a JSON string or as an
// inline YAML object, optionally wrapped as {arn: ..., document: ...} to
// give it an ARN (which AccessDenied messages quote).
type corpusPolicy struct {
	ARN string
	Doc string
}

func (p *corpusPolicy) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Doc = n.Value
		return nil
	}
	if n.Kind == yaml.MappingNode {
		var w struct {
			ARN      string    `yaml:"arn"`
			Document yaml.Node `yaml:"document"`
		}
		if isWrapper(n) {
			if err := n.Decode(&w); err != nil {
				return err
			}
			p.ARN = w.ARN
			n = &w.Document
			if n.Kind == yaml.ScalarNode {
				p.Doc = n.Value
				return nil
			}
		}
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("line %d: policy is not JSON-compatible: %w", n.Line, err)
	}
	p.Doc = string(b)
	return nil
}

func isWrapper(n *yaml.Node) bool {
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == "document" {
			return true
		}
	}
	return false
}

var corpusKinds = map[string]authz.Kind{
	"":         0,
	"scp":      authz.KindSCP,
	"rcp":      authz.KindRCP,
	"identity": authz.KindIdentity,
	"resource": authz.KindResource,
	"boundary": authz.KindBoundary,
	"session":  authz.KindSession,
}

var corpusDecisions = map[string]authz.Decision{
	"Allowed":          authz.Allowed,
	"ExplicitlyDenied": authz.ExplicitlyDenied,
	"ImplicitlyDenied": authz.ImplicitlyDenied,
}

func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no corpus files in testdata/corpus")
	total := 0
	for _, file := range files {
		cases := loadCorpus(t, file)
		total += len(cases)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.Name, func(t *testing.T) { runCorpusCase(t, tc) })
			}
		})
	}
	t.Logf("%d corpus cases in %d files", total, len(files))
}

func loadCorpus(t *testing.T, file string) []corpusCase {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var cases []corpusCase
	require.NoError(t, dec.Decode(&cases), "%s", file)
	require.NotEmpty(t, cases, "%s has no cases", file)
	seen := map[string]bool{}
	for i, tc := range cases {
		require.NotEmpty(t, tc.Name, "%s: case %d has no name", file, i)
		require.False(t, seen[tc.Name], "%s: case name %q is used twice", file, tc.Name)
		seen[tc.Name] = true
		require.True(t, strings.HasPrefix(tc.Source, "https://"), "%s: case %q lacks a source: URL", file, tc.Name)
		require.NotEmpty(t, tc.Principal, "%s: case %q has no principal", file, tc.Name)
		require.NotEmpty(t, tc.Action, "%s: case %q has no action", file, tc.Name)
		_, ok := corpusDecisions[tc.Expected.Decision]
		require.True(t, ok, "%s: case %q: decision %q is not Allowed, ExplicitlyDenied or ImplicitlyDenied", file, tc.Name, tc.Expected.Decision)
		_, ok = corpusKinds[tc.Expected.Kind]
		require.True(t, ok, "%s: case %q: unknown kind %q", file, tc.Name, tc.Expected.Kind)
	}
	return cases
}

func runCorpusCase(t *testing.T, tc corpusCase) {
	labels := map[*policy.Policy]string{}
	parse := func(cp corpusPolicy, typ policy.Type, label string) *policy.Policy {
		t.Helper()
		p, err := policy.Parse(cp.Doc, typ)
		require.NoError(t, err, "%s policy %s:\n%s", typ, label, cp.Doc)
		p.ID = label
		if cp.ARN != "" {
			p.ID = cp.ARN
		}
		labels[p] = label
		return p
	}

	var ps authz.Policies
	for i, cp := range tc.IdentityPolicies {
		ps.Identity = append(ps.Identity, parse(cp, policy.Identity, fmt.Sprintf("identity:%d", i)))
	}
	if tc.ResourcePolicy != nil {
		typ := policy.Resource
		switch tc.ResourcePolicyType {
		case "", "resource":
		case "trust":
			typ = policy.Trust
		default:
			t.Fatalf("resourcePolicyType %q is not resource or trust", tc.ResourcePolicyType)
		}
		ps.Resource = parse(*tc.ResourcePolicy, typ, "resource")
	} else {
		require.Empty(t, tc.ResourcePolicyType, "resourcePolicyType without resourcePolicy")
	}
	if tc.PermissionsBoundary != nil {
		ps.Boundary = parse(*tc.PermissionsBoundary, policy.Boundary, "boundary")
	}
	if tc.SessionPolicies != nil {
		ps.Session = []*policy.Policy{}
		for i, cp := range tc.SessionPolicies {
			ps.Session = append(ps.Session, parse(cp, policy.Session, fmt.Sprintf("session:%d", i)))
		}
	}
	for l, level := range tc.SCPs {
		list := []*policy.Policy{}
		for i, cp := range level {
			list = append(list, parse(cp, policy.SCP, fmt.Sprintf("scp:%d.%d", l, i)))
		}
		ps.SCPs = append(ps.SCPs, list)
	}
	for l, level := range tc.RCPs {
		list := []*policy.Policy{}
		for i, cp := range level {
			list = append(list, parse(cp, policy.RCP, fmt.Sprintf("rcp:%d.%d", l, i)))
		}
		ps.RCPs = append(ps.RCPs, list)
	}

	p, err := policy.ParsePrincipal(tc.Principal)
	require.NoError(t, err)
	p.Tags = tc.PrincipalTags
	if tc.UserID != "" {
		p.UserID = tc.UserID
	}
	p.UserARN = tc.SourceUser
	req := &authz.Request{
		Principal:       p,
		Action:          tc.Action,
		Resource:        tc.Resource,
		ResourceAccount: tc.ResourceAccount,
		Time:            corpusTime,
	}
	for k, v := range tc.Context {
		req.Context.Set(k, v...)
	}
	req.SetGlobalKeys()

	set := authz.NewPolicySet(ps)
	got := authz.Evaluate(set, req)
	var d authz.Diagnostic
	explained := authz.Explain(set, req, &d)

	want := corpusDecisions[tc.Expected.Decision]
	require.Equal(t, want.String(), got.Decision.String(), "decision (kind %q, message %q)", kindName(got.Kind), got.Message(req))
	require.Equal(t, tc.Expected.Kind, kindName(got.Kind), "kind of %s decision", got.Decision)
	require.Equal(t, got.Decision.String(), explained.Decision.String(), "Explain disagrees with Evaluate")
	require.Equal(t, kindName(got.Kind), kindName(explained.Kind), "Explain's kind disagrees with Evaluate's")
	if tc.Expected.Message != "" {
		require.Equal(t, tc.Expected.Message, got.Message(req))
	}
	if got.Decision == authz.Allowed {
		require.Empty(t, got.Message(req), "an allow has no message")
	}
	if tc.Expected.Matched != nil {
		var matched []string
		for _, m := range d.Matched {
			label, ok := labels[m.Policy]
			require.True(t, ok, "diagnostic names a policy the case did not give")
			sid := m.Rule.Sid
			if sid == "" {
				sid = fmt.Sprintf("#%d", m.Rule.Index)
			}
			matched = append(matched, label+":"+sid)
		}
		sort.Strings(matched)
		wantMatched := append([]string(nil), tc.Expected.Matched...)
		sort.Strings(wantMatched)
		if len(wantMatched) == 0 {
			require.Empty(t, matched, "matched statements")
		} else {
			require.Equal(t, wantMatched, matched, "matched statements")
		}
	}
}

func kindName(k authz.Kind) string {
	for name, kk := range corpusKinds {
		if kk == k {
			return name
		}
	}
	return fmt.Sprintf("Kind(%d)", k)
}
