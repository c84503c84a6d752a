package authz_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

func mustParse(tb testing.TB, doc string, typ policy.Type, id string) *policy.Policy {
	tb.Helper()
	p, err := policy.Parse(doc, typ)
	require.NoError(tb, err)
	p.ID = id
	return p
}

const (
	allowAll    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	rcpAllowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
)

// TestWithSharesAndReplaces: With adds a resource policy and session
// policies to a set and keeps its SCPs; WithRCPs takes another set's RCPs.
func TestWithSharesAndReplaces(t *testing.T) {
	scpFull := mustParse(t, allowAll, policy.SCP, "full")
	scpDeny := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`, policy.SCP, "deny")
	base := authz.NewPolicySet(authz.Policies{
		SCPs:     [][]*policy.Policy{{scpFull}, {scpFull, scpDeny}},
		Identity: []*policy.Policy{mustParse(t, allowAll, policy.Identity, "admin")},
	})
	req := &authz.Request{Principal: policy.Principal{Type: policy.PrincipalUser, Account: "111111111111", ARN: "arn:aws:iam::111111111111:user/a"},
		Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::b", ResourceAccount: "111111111111"}
	require.Equal(t, authz.ExplicitlyDenied, authz.Evaluate(base, req).Decision)

	sess := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`, policy.Session, "s")
	withSession := base.With(authz.Policies{Session: []*policy.Policy{sess}})
	require.Len(t, withSession.Policies().SCPs, 2)
	req.Action = "s3:GetObject"
	require.True(t, authz.Evaluate(withSession, req).Allowed())
	req.Action = "s3:PutObject"
	r := authz.Evaluate(withSession, req)
	require.Equal(t, authz.KindSession, r.Kind)
	require.True(t, authz.Evaluate(base, req).Allowed(), "base is unchanged")

	rcps := authz.NewPolicySet(authz.Policies{RCPs: [][]*policy.Policy{{mustParse(t, rcpAllowAll, policy.RCP, "rcpfull")}, {}}})
	withRCPs := base.WithRCPs(rcps)
	r = authz.Evaluate(withRCPs, req)
	require.Equal(t, authz.ImplicitlyDenied, r.Decision)
	require.Equal(t, "because no resource control policy allows the s3:PutObject action", r.Reason(req.Action))
	require.Len(t, withRCPs.Policies().RCPs, 2)
	require.Len(t, withRCPs.Policies().Identity, 1)
}

// TestRootSessionPolicy: session policies do not bind the root user,
// except an sts:AssumeRoot session's task policy, which must allow.
func TestRootSessionPolicy(t *testing.T) {
	root := policy.Principal{Type: policy.PrincipalAccount, Account: "111111111111", ARN: "arn:aws:iam::111111111111:root"}
	req := &authz.Request{Principal: root, Action: "iam:DeleteLoginProfile", Resource: "arn:aws:iam::111111111111:root", ResourceAccount: "111111111111"}
	require.True(t, authz.Evaluate(authz.NewPolicySet(authz.Policies{}), req).Allowed())

	task := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:DeleteLoginProfile","iam:GetLoginProfile"],"Resource":"*"}]}`, policy.Session, "task")
	ps := authz.NewPolicySet(authz.Policies{Session: []*policy.Policy{task}})
	require.True(t, authz.Evaluate(ps, req).Allowed())
	req.Action = "iam:CreateUser"
	r := authz.Evaluate(ps, req)
	require.Equal(t, authz.ImplicitlyDenied, r.Decision)
	require.Equal(t, authz.KindSession, r.Kind)
}

// BenchmarkDecisionSCP decides a member account's request through three
// SCP levels (the root, an OU, the account) and the RCPs of the resource's
// account, as a role session in an organization is decided.
func BenchmarkDecisionSCP(b *testing.B) {
	ps, req, want := loadWorkload(b, "ii_realistic_allow.json")
	full := mustParse(b, allowAll, policy.SCP, "full")
	deny := mustParse(b, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["organizations:LeaveOrganization","iam:CreateUser","ec2:*"],"Resource":"*"},
		{"Effect":"Deny","NotAction":["iam:*","s3:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}`, policy.SCP, "guard")
	withSCPs := ps.With(authz.Policies{SCPs: [][]*policy.Policy{{full}, {full, deny}, {full}}})
	rcps := authz.NewPolicySet(authz.Policies{RCPs: [][]*policy.Policy{{mustParse(b, rcpAllowAll, policy.RCP, "rcpfull")}}})
	req.Context.Set("aws:RequestedRegion", "us-east-1")
	b.Run("identity_only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if authz.Evaluate(ps, req).Allowed() != want {
				b.Fatal("wrong decision")
			}
		}
	})
	b.Run("scp_3_levels", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if authz.Evaluate(withSCPs, req).Allowed() != want {
				b.Fatal("wrong decision")
			}
		}
	})
	b.Run("scp_rcp_per_request_set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if authz.Evaluate(withSCPs.WithRCPs(rcps), req).Allowed() != want {
				b.Fatal("wrong decision")
			}
		}
	})
}
