package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRuleMatchesService(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stmt   string
		ns     string
		expect bool
	}{
		{"exact action", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, "s3", true},
		{"other service", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, "ec2", false},
		{"prefix of a longer namespace", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, "s", false},
		{"longer namespace", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, "s3x", false},
		{"case does not matter", `{"Effect":"Allow","Action":"IAM:ListUsers","Resource":"*"}`, "Iam", true},
		{"service wildcard", `{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`, "ec2", true},
		{"everything", `{"Effect":"Allow","Action":"*","Resource":"*"}`, "lambda", true},
		{"wildcard in the prefix", `{"Effect":"Allow","Action":"s*:Get*","Resource":"*"}`, "sts", true},
		{"question mark in the prefix", `{"Effect":"Allow","Action":"s?:Get*","Resource":"*"}`, "s3", true},
		{"question mark too short", `{"Effect":"Allow","Action":"s?:Get*","Resource":"*"}`, "sts", false},
		{"one of several", `{"Effect":"Allow","Action":["ec2:RunInstances","iam:GetUser"],"Resource":"*"}`, "iam", true},
		{"not action of another service", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "s3", true},
		{"not action of the service", `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "iam", false},
		{"not action of some actions", `{"Effect":"Allow","NotAction":"iam:Delete*","Resource":"*"}`, "iam", true},
		{"not action of everything", `{"Effect":"Allow","NotAction":"*","Resource":"*"}`, "iam", false},
		{"not action with a prefix wildcard", `{"Effect":"Allow","NotAction":"i*:*","Resource":"*"}`, "iam", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(parseV12(tc.stmt), Identity)
			require.NoError(t, err)
			require.Equal(t, tc.expect, p.Rules[0].MatchesService(tc.ns))
		})
	}
}

func TestRuleCoversService(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stmt   string
		ns     string
		expect bool
	}{
		{"the whole service", `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`, "s3", true},
		{"everything", `{"Effect":"Deny","Action":"*","Resource":"*"}`, "iam", true},
		{"a prefix wildcard", `{"Effect":"Deny","Action":"s*:*","Resource":"*"}`, "sts", true},
		{"some actions", `{"Effect":"Deny","Action":"s3:Get*","Resource":"*"}`, "s3", false},
		{"another service", `{"Effect":"Deny","Action":"ec2:*","Resource":"*"}`, "s3", false},
		{"not action of another service", `{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}`, "s3", true},
		{"not action of some of its actions", `{"Effect":"Deny","NotAction":"s3:Get*","Resource":"*"}`, "s3", false},
		{"some resources", `{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`, "s3", false},
		{"not resource", `{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/*"}`, "s3", false},
		{"a condition", `{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`, "s3", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(parseV12(tc.stmt), Identity)
			require.NoError(t, err)
			require.Equal(t, tc.expect, p.Rules[0].CoversService(tc.ns))
		})
	}
}

// FuzzRuleMatchesService checks MatchesService and CoversService against
// the engine's own action matching: whenever a statement's Action (or
// NotAction) element lets some action "ns:name" through, MatchesService(ns)
// must say so, and a statement that covers ns must match every action.
func FuzzRuleMatchesService(f *testing.F) {
	for _, s := range []struct{ pattern, ns, name string }{
		{"s3:GetObject", "s3", "GetObject"},
		{"s*:Get*", "sts", "GetCallerIdentity"},
		{"*", "iam", "ListUsers"},
		{"i?m:*", "iam", "x"},
		{"ec2:Describe*", "ec2", "RunInstances"},
		{"*:*", "lambda", "Invoke"},
	} {
		f.Add(s.pattern, s.ns, s.name, false)
		f.Add(s.pattern, s.ns, s.name, true)
	}
	f.Fuzz(func(t *testing.T, pattern, ns, name string, not bool) {
		if !validVendor(ns) || strings.ContainsAny(ns, "*?") || name == "" || strings.ContainsAny(name, ":*?") {
			return
		}
		elem := "Action"
		if not {
			elem = "NotAction"
		}
		quoted, err := json.Marshal(pattern)
		if err != nil {
			return
		}
		p, err := Parse(parseV12(`{"Effect":"Allow","`+elem+`":`+string(quoted)+`,"Resource":"*"}`), Identity)
		if err != nil {
			return
		}
		r := p.Rules[0]
		if r.MatchAction(ns+":"+name) && !r.MatchesService(ns) {
			t.Fatalf("%s %q lets %s:%s through, but MatchesService(%q) is false", elem, pattern, ns, name, ns)
		}
		if r.CoversService(ns) && !r.MatchAction(ns+":"+name) {
			t.Fatalf("%s %q covers %s, but not %s:%s", elem, pattern, ns, ns, name)
		}
	})
}
