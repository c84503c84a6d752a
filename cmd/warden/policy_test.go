package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/simulate"
)

// run executes the warden command line with args and stdin, and returns
// its standard output and exit status.
func run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCommand(strings.NewReader(stdin), &out, &errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		return out.String(), ee.code
	}
	return out.String() + errOut.String() + err.Error(), 2
}

// The example request of the issue that specified `warden policy simulate`:
// every policy type present, empty placeholders included.
const issueExample = `{"principal": "arn:aws:iam::111122223333:user/alice",
 "action": "s3:GetObject",
 "resource": "arn:aws:s3:::bucket/key",
 "resourceAccount": "111122223333",
 "context": {"aws:SourceIp": "10.1.2.3", "aws:PrincipalTag/team": ["red", "blue"]},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": []}],
 "resourcePolicy": {},
 "permissionsBoundary": {},
 "sessionPolicy": {},
 "serviceControlPolicies": [[], [], []],
 "resourceControlPolicies": [[]]}`

func TestSimulateIssueExample(t *testing.T) {
	out, code := run(t, issueExample, "policy", "simulate", "--input", "-", "--json")
	require.Equal(t, 0, code, out)
	var res simulate.Output
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	// The empty RCP level allows nothing, and RCPs are read before SCPs.
	require.Equal(t, "ImplicitlyDenied", res.Decision)
	require.Equal(t, "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key because no resource control policy allows the s3:GetObject action", res.Reason)
	require.NotEmpty(t, res.Warnings, "an empty Statement array is reported")
}

func TestSimulateArrayKeepsOrder(t *testing.T) {
	allow := `{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
	  "identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}]}`
	deny := `{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:PutObject","resource":"arn:aws:s3:::b/k",
	  "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoPut","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}]}`
	none := `{"principal":"arn:aws:iam::111122223333:user/alice","action":"ec2:RunInstances","resource":"*",
	  "identityPolicies":["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"]}`
	out, code := run(t, "["+allow+","+deny+","+none+"]", "policy", "simulate", "--input", "-", "--json")
	require.Equal(t, 0, code, out)
	var res []simulate.Output
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Len(t, res, 3)
	require.Equal(t, "Allowed", res[0].Decision)
	require.Equal(t, "ExplicitlyDenied", res[1].Decision)
	require.Contains(t, res[1].Reason, "with an explicit deny in an identity-based policy")
	require.Equal(t, "NoPut", res[1].Matched[0].Sid)
	require.Equal(t, "ImplicitlyDenied", res[2].Decision)
	require.Contains(t, res[2].Reason, "because no identity-based policy allows the ec2:RunInstances action")
}

func TestSimulateBadInputGivesAnErrorPerEntry(t *testing.T) {
	good := `{"principal":"*","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
	  "resourcePolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}}`
	for _, tc := range []struct {
		name, input, wantCode string
	}{
		{"malformed policy", `{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}]}`, "MalformedPolicyDocument"},
		{"duplicate keys", `{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","identityPolicies":["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]}`, "MalformedPolicyDocument"},
		{"unknown field", `{"principal":"*","action":"s3:GetObject","resource":"*","policies":[]}`, "InvalidInput"},
		{"bad principal", `{"principal":"alice","action":"s3:GetObject","resource":"*"}`, "InvalidInput"},
		{"role instead of session", `{"principal":"arn:aws:iam::111122223333:role/r","action":"s3:GetObject","resource":"*"}`, "InvalidInput"},
		{"no action", `{"principal":"*","resource":"*"}`, "InvalidInput"},
		{"not an object", `42`, "InvalidInput"},
		{"scp with a principal", `{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","serviceControlPolicies":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}]]}`, "MalformedPolicyDocumentException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, code := run(t, "["+good+","+tc.input+"]", "policy", "simulate", "--input", "-", "--json")
			require.Equal(t, 1, code, out)
			var res []simulate.Output
			require.NoError(t, json.Unmarshal([]byte(out), &res), out)
			require.Len(t, res, 2)
			require.Equal(t, "Allowed", res[0].Decision, "the good entry is still decided")
			require.NotNil(t, res[1].Error)
			require.Equal(t, tc.wantCode, res[1].Error.Code)
			require.Empty(t, res[1].Decision)
		})
	}
}

func TestSimulateTextOutput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "simulate-cross-account.json"))
	require.NoError(t, err)
	out, code := run(t, string(data), "policy", "simulate", "--input", "-")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "[0] Allowed:")
	require.Contains(t, out, "[1] ExplicitlyDenied: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::reports-bucket/2026/q1.csv with an explicit deny in a service control policy")
	require.Contains(t, out, "matched scp serviceControlPolicies[1][0] statement 0 (NoDeletes): Deny")
}

func TestSimulateUsageErrors(t *testing.T) {
	_, code := run(t, "", "policy", "simulate")
	require.Equal(t, 2, code)
	_, code = run(t, "", "policy", "simulate", "--input", "-")
	require.Equal(t, 2, code, "empty input")
	_, code = run(t, "", "policy", "simulate", "--input", filepath.Join(t.TempDir(), "absent.json"))
	require.Equal(t, 2, code)
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name, typ, doc string
		wantCode       int
		wantOut        []string
	}{
		{"valid identity", "identity", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, 0,
			[]string{"valid identity policy"}},
		{"principal in identity policy", "identity", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`, 1,
			[]string{"error at Statement.Principal: Policy document should not specify a principal."}},
		{"trust with resource", "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`, 1,
			[]string{"Has prohibited field Resource"}},
		{"warning only", "inline-user", `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, 0,
			[]string{"warning at Version", "valid inline-user policy"}},
		{"scp", "scp", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`, 0,
			[]string{"valid scp policy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, code := run(t, tc.doc, "policy", "validate", "--type", tc.typ, "-")
			require.Equal(t, tc.wantCode, code, out)
			for _, w := range tc.wantOut {
				require.Contains(t, out, w)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	out, code := run(t, `{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}}`,
		"policy", "validate", "--type", "identity", "--json", "-")
	require.Equal(t, 1, code)
	var rep struct {
		Valid    bool
		Findings []struct{ Severity, Code, Message, Path string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.False(t, rep.Valid)
	require.Equal(t, "error", rep.Findings[0].Severity)
	require.Equal(t, "MalformedPolicyDocument", rep.Findings[0].Code)
	require.Equal(t, "The policy failed legacy parsing", rep.Findings[0].Message)
	require.Equal(t, "Statement.Effect", rep.Findings[0].Path)
}

func TestValidateUnknownType(t *testing.T) {
	out, code := run(t, "{}", "policy", "validate", "--type", "bucket", "-")
	require.Equal(t, 2, code)
	require.Contains(t, out, "unknown policy type")
}

func TestVersion(t *testing.T) {
	out, code := run(t, "", "version")
	require.Equal(t, 0, code)
	require.True(t, strings.HasPrefix(out, "warden "), out)
}
