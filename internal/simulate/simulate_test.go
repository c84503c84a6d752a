package simulate

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadInputs(t *testing.T) {
	in, single, err := ReadInputs([]byte(` {"action":"s3:GetObject"} `))
	require.NoError(t, err)
	require.True(t, single)
	require.Len(t, in, 1)

	in, single, err = ReadInputs([]byte(`[{}, {}]`))
	require.NoError(t, err)
	require.False(t, single)
	require.Len(t, in, 2)

	_, _, err = ReadInputs([]byte("  "))
	require.Error(t, err)
	_, _, err = ReadInputs([]byte("[{]"))
	require.Error(t, err)
}

func TestContextValues(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string
		ok   bool
	}{
		{`"a"`, []string{"a"}, true},
		{`["a","b"]`, []string{"a", "b"}, true},
		{`10`, []string{"10"}, true},
		{`1.5e3`, []string{"1.5e3"}, true},
		{`true`, []string{"true"}, true},
		{`[]`, []string{}, true},
		{`{"a":1}`, nil, false},
		{`[["a"]]`, nil, false},
		{`null`, nil, false},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := contextValues(json.RawMessage(tc.raw))
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestRunMultivaluedContextAndTime(t *testing.T) {
	out := Run(json.RawMessage(`{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
	  "time":"2026-01-02T10:00:00Z",
	  "context":{"aws:TagKeys":["team","env"]},
	  "identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
	    "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env","owner"]},"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}}}]}`))
	require.Nil(t, out.Error)
	require.Equal(t, "Allowed", out.Decision, out.Reason)

	out = Run(json.RawMessage(`{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
	  "time":"2027-01-02T10:00:00Z",
	  "identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
	    "Condition":{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"},"StringEquals":{"aws:PrincipalTag/team":"red"}}}}]}`))
	require.Nil(t, out.Error)
	require.Equal(t, "ImplicitlyDenied", out.Decision)
	require.Contains(t, out.MissingContextKeys, "aws:principaltag/team")
}

func TestRunRejectsBadTimeAndResourcePolicyType(t *testing.T) {
	out := Run(json.RawMessage(`{"principal":"*","action":"s3:GetObject","resource":"*","time":"yesterday"}`))
	require.NotNil(t, out.Error)
	out = Run(json.RawMessage(`{"principal":"*","action":"s3:GetObject","resource":"*","resourcePolicyType":"scp",
	  "resourcePolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}}`))
	require.NotNil(t, out.Error)
	require.Contains(t, out.Error.Message, "resourcePolicyType")
}

func FuzzRun(f *testing.F) {
	f.Add(`{"principal":"*","action":"s3:GetObject","resource":"*"}`)
	f.Add(`{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}`)
	f.Add(`{"principal":"arn:aws:sts::111122223333:assumed-role/r/s","action":"s3:GetObject","resource":"*","serviceControlPolicies":[[]],"sessionPolicy":"{}"}`)
	f.Fuzz(func(t *testing.T, s string) {
		out := Run(json.RawMessage(s))
		if out.Error == nil && out.Decision == "" {
			t.Fatalf("no decision and no error for %q", s)
		}
	})
}
