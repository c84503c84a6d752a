package authz_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

// workload is the format of the shared benchmark files (testdata/bench):
// identity policies of one IAM user in account 123456789012 and a request.
type workload struct {
	Policies []json.RawMessage `json:"policies"`
	Request  struct {
		Action   string            `json:"action"`
		Resource string            `json:"resource"`
		Context  map[string]string `json:"context"`
	} `json:"request"`
	WantAllow bool `json:"wantAllow"`
}

func loadWorkload(tb testing.TB, name string) (*authz.PolicySet, *authz.Request, bool) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "bench", name))
	require.NoError(tb, err)
	var w workload
	require.NoError(tb, json.Unmarshal(data, &w))
	var ps authz.Policies
	for i, raw := range w.Policies {
		p, err := policy.Parse(string(raw), policy.Identity)
		require.NoError(tb, err, "policy %d", i)
		p.ID = fmt.Sprintf("arn:aws:iam::123456789012:policy/bench-%d", i)
		ps.Identity = append(ps.Identity, p)
	}
	req := &authz.Request{
		Principal: policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"},
		Action:    w.Request.Action,
		Resource:  w.Request.Resource,
		Time:      time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
	}
	for k, v := range w.Request.Context {
		req.Context.Set(k, v)
	}
	req.SetGlobalKeys()
	return authz.NewPolicySet(ps), req, w.WantAllow
}

// maxQuota builds a principal at AWS's maximum quotas: 20 managed policies
// of about 6,144 characters, 10 groups with 10 managed policies each, and
// 10,240 characters of inline policy. No statement allows the request but
// the last one, so the decision reads everything the index offers.
func maxQuota(tb testing.TB) (*authz.PolicySet, *authz.Request) {
	tb.Helper()
	services := []string{"s3", "ec2", "iam", "dynamodb", "sqs", "sns", "kms", "lambda", "logs", "cloudwatch"}
	verbs := []string{"Get", "Put", "List", "Describe", "Delete", "Create", "Update", "Tag"}
	build := func(n int, limit int, typ policy.Type) *policy.Policy {
		var stmts []string
		size := 60
		for i := 0; ; i++ {
			svc := services[(n+i)%len(services)]
			var s string
			switch i % 3 {
			case 0:
				s = fmt.Sprintf(`{"Effect":"Allow","Action":"%s:%s%d*","Resource":"arn:aws:%s:::r-%d-%d/*"}`,
					svc, verbs[i%len(verbs)], i, svc, n, i)
			case 1:
				s = fmt.Sprintf(`{"Effect":"Allow","Action":["%s:%sThing%d","%s:%sItem%d"],"Resource":"arn:aws:%s:::r-%d-%d"}`,
					svc, verbs[i%len(verbs)], i, svc, verbs[(i+1)%len(verbs)], i, svc, n, i)
			default:
				s = fmt.Sprintf(`{"Effect":"Allow","Action":"%s:%s*","Resource":"*","Condition":{"StringEquals":{"aws:username":"u%d"}}}`,
					svc, verbs[i%len(verbs)], i)
			}
			if size+len(s)+1 > limit {
				break
			}
			size += len(s) + 1
			stmts = append(stmts, s)
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		p, err := policy.Parse(doc, typ)
		require.NoError(tb, err)
		return p
	}
	var ps authz.Policies
	for i := 0; i < 20+10*10; i++ {
		ps.Identity = append(ps.Identity, build(i, policy.MaxSize(policy.Identity), policy.Identity))
	}
	ps.Identity = append(ps.Identity, build(999, policy.MaxSize(policy.InlineRole)-200, policy.InlineRole))
	last, err := policy.Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-prod/*"}]}`, policy.InlineUser)
	require.NoError(tb, err)
	ps.Identity = append(ps.Identity, last)
	req := &authz.Request{
		Principal: policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::data-prod/reports/2024/q1.csv",
	}
	req.Context.Set("aws:SourceIp", "10.1.2.3")
	req.SetGlobalKeys()
	return authz.NewPolicySet(ps), req
}

func countStatements(ps *authz.PolicySet) int {
	n := 0
	for _, p := range ps.Policies().Identity {
		n += len(p.Rules)
	}
	return n
}

func TestBenchmarkWorkloadsDecideAsExpected(t *testing.T) {
	for _, name := range []string{"i_small.json", "ii_realistic_allow.json", "iii_realistic_deny.json"} {
		t.Run(name, func(t *testing.T) {
			ps, req, want := loadWorkload(t, name)
			res := authz.Evaluate(ps, req)
			require.Equal(t, want, res.Allowed(), "decision %v", res.Decision)
			if !want {
				require.Equal(t, authz.ExplicitlyDenied, res.Decision)
			}
		})
	}
	t.Run("max_quota", func(t *testing.T) {
		ps, req := maxQuota(t)
		n := countStatements(ps)
		require.GreaterOrEqual(t, n, 5000, "the max-quota principal should hold thousands of statements")
		require.True(t, authz.Evaluate(ps, req).Allowed())
	})
}

func BenchmarkDecision(b *testing.B) {
	for _, tc := range []struct{ name, file string }{
		{"small", "i_small.json"},
		{"realistic_allow", "ii_realistic_allow.json"},
		{"realistic_deny", "iii_realistic_deny.json"},
	} {
		ps, req, want := loadWorkload(b, tc.file)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if authz.Evaluate(ps, req).Allowed() != want {
					b.Fatal("wrong decision")
				}
			}
		})
	}
	ps, req := maxQuota(b)
	b.Run("max_quota", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !authz.Evaluate(ps, req).Allowed() {
				b.Fatal("wrong decision")
			}
		}
	})
	ps, req, _ = loadWorkload(b, "ii_realistic_allow.json")
	b.Run("realistic_allow_explained", func(b *testing.B) {
		var d authz.Diagnostic
		b.ReportAllocs()
		for b.Loop() {
			authz.Explain(ps, req, &d)
		}
	})
}

func TestMaxQuotaSize(t *testing.T) {
	ps, _ := maxQuota(t)
	n := countStatements(ps)
	t.Logf("max_quota principal: %d policies, %d statements", len(ps.Policies().Identity), n)
	require.GreaterOrEqual(t, n, 5000)
	require.LessOrEqual(t, n, 9000)
}
