package policy

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMatchActionIndexed checks that a long Action list, indexed by
// service prefix, matches exactly the actions a scan of every pattern
// matches, for Action and NotAction.
func TestMatchActionIndexed(t *testing.T) {
	actions := []string{"iam:Get*", "IAM:ListUsers", "s3*:Get*", "*:Describe*", "ec2:?escribeVpcs", "kms:Decrypt", "sts:*", "iam:Simulate*"}
	for i := 0; len(actions) < 2*indexedActions; i++ {
		actions = append(actions, fmt.Sprintf("svc%d:Action%d", i, i))
	}
	requests := []string{"iam:GetUser", "IAM:getuser", "iam:CreateUser", "iam:listusers", "iam:ListRoles", "s3:GetObject",
		"s3express:GetBucketPolicy", "s3:PutObject", "ec2:DescribeVpcs", "EC2:describevpcs", "ec2:XescribeVpcs",
		"logs:DescribeLogGroups", "kms:Decrypt", "kms:Encrypt", "sts:AssumeRole", "svc3:Action3", "svc3:Action4",
		"nocolon", "", "iam:", ":Describe", "Describe"}
	for _, not := range []bool{false, true} {
		key := "Action"
		if not {
			key = "NotAction"
		}
		doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			{"Effect": "Allow", key: actions, "Resource": "*"}}})
		require.NoError(t, err)
		p, err := Parse(string(doc), Identity)
		require.NoError(t, err)
		r := p.Rules[0]
		require.NotNil(t, r.byService, "a list of %d actions is indexed", len(actions))
		for _, a := range requests {
			scan := false
			for i := range r.actions {
				scan = scan || r.actions[i].MatchFold(a)
			}
			require.Equal(t, scan != not, r.MatchAction(a), "%s %q", key, a)
		}
		for a, want := range map[string]bool{"IAM:getuser": true, "iam:CreateUser": false, "s3express:GetBucketPolicy": true,
			"EC2:describevpcs": true, "logs:DescribeLogGroups": true, "svc3:Action4": false, "nocolon": false} {
			require.Equal(t, want != not, r.MatchAction(a), "%s %q", key, a)
		}
	}
	short, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*"],"Resource":"*"}]}`, Identity)
	require.NoError(t, err)
	require.Nil(t, short.Rules[0].byService, "short lists are scanned")
	require.True(t, short.Rules[0].MatchAction("IAM:GETUSER"))
}
