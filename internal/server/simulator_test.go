package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// simPolicy is pretty-printed so statement positions span several lines.
const simPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket/*"
    },
    {
      "Sid": "NoSecrets",
      "Effect": "Deny",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket/secret/*"
    }
  ]
}`

// simPos returns the 1-based line and column of the n-th occurrence of
// marker's first character in doc, computed independently of the server.
func simPos(t *testing.T, doc, marker string, fromEnd bool) types.Position {
	t.Helper()
	i := strings.Index(doc, marker)
	require.GreaterOrEqual(t, i, 0, marker)
	if fromEnd {
		i += len(marker)
	}
	head := doc[:i]
	line := strings.Count(head, "\n") + 1
	col := len(head) - (strings.LastIndexByte(head, '\n') + 1) + 1
	return types.Position{Line: int32(line), Column: int32(col)}
}

// simStatementBounds finds the statement holding sid: from its "{" to just
// past its "}".
func simStatementBounds(t *testing.T, doc, sid string) (types.Position, types.Position) {
	t.Helper()
	at := strings.Index(doc, `"Sid": "`+sid+`"`)
	require.GreaterOrEqual(t, at, 0)
	open := strings.LastIndexByte(doc[:at], '{')
	closing := at + strings.IndexByte(doc[at:], '}')
	return simPos(t, doc, doc[open:closing+1], false), simPos(t, doc, doc[open:closing+1], true)
}

func simOne(t *testing.T, out []types.EvaluationResult) types.EvaluationResult {
	t.Helper()
	require.Len(t, out, 1)
	return out[0]
}

func TestSimulatePrincipalPolicyDecisions(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("sim")})
	require.NoError(t, err)
	_, err = root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("sim"), PolicyName: aws.String("s3-read"), PolicyDocument: aws.String(simPolicy)})
	require.NoError(t, err)
	userARN := "arn:aws:iam::123456789012:user/sim"
	allowStart, allowEnd := simStatementBounds(t, simPolicy, "ReadBucket")
	denyStart, denyEnd := simStatementBounds(t, simPolicy, "NoSecrets")
	require.Equal(t, types.Position{Line: 4, Column: 5}, allowStart)

	for _, tc := range []struct {
		name       string
		resource   string
		decision   types.PolicyEvaluationDecisionType
		start, end *types.Position
	}{
		{"allowed", "arn:aws:s3:::bucket/a.txt", types.PolicyEvaluationDecisionTypeAllowed, &allowStart, &allowEnd},
		{"explicit deny", "arn:aws:s3:::bucket/secret/k", types.PolicyEvaluationDecisionTypeExplicitDeny, &denyStart, &denyEnd},
		{"implicit deny", "arn:aws:s3:::other/a.txt", types.PolicyEvaluationDecisionTypeImplicitDeny, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(userARN), ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{tc.resource}})
			require.NoError(t, err)
			require.False(t, out.IsTruncated)
			r := simOne(t, out.EvaluationResults)
			require.Equal(t, "s3:GetObject", *r.EvalActionName)
			require.Equal(t, tc.decision, r.EvalDecision)
			require.NotNil(t, r.OrganizationsDecisionDetail)
			require.True(t, r.OrganizationsDecisionDetail.AllowedByOrganizations)
			require.Nil(t, r.PermissionsBoundaryDecisionDetail)
			require.Len(t, r.ResourceSpecificResults, 1)
			require.Equal(t, tc.resource, *r.ResourceSpecificResults[0].EvalResourceName)
			require.Equal(t, tc.decision, r.ResourceSpecificResults[0].EvalResourceDecision)
			if tc.start == nil {
				require.Empty(t, r.MatchedStatements)
				return
			}
			require.Len(t, r.MatchedStatements, 1)
			m := r.MatchedStatements[0]
			require.Equal(t, "s3-read", *m.SourcePolicyId)
			require.Equal(t, types.PolicySourceTypeUser, m.SourcePolicyType)
			require.Equal(t, *tc.start, *m.StartPosition)
			require.Equal(t, *tc.end, *m.EndPosition)
		})
	}

	t.Run("input policy and managed policy sources", func(t *testing.T) {
		arn := managedCreate(t, root, "sim-list", managedAllowListUsers)
		_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("sim"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
		input := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}`
		out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String(userARN), ActionNames: []string{"iam:ListUsers", "sqs:SendMessage"},
			PolicyInputList: []string{input}})
		require.NoError(t, err)
		require.Len(t, out.EvaluationResults, 2)
		list, send := out.EvaluationResults[0], out.EvaluationResults[1]
		require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, list.EvalDecision)
		require.Equal(t, "*", *list.EvalResourceName)
		require.Nil(t, list.ResourceSpecificResults)
		require.Equal(t, "sim-list", *list.MatchedStatements[0].SourcePolicyId)
		require.Equal(t, types.PolicySourceTypeUserManaged, list.MatchedStatements[0].SourcePolicyType)
		require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, send.EvalDecision)
		require.Equal(t, "PolicyInputList.1", *send.MatchedStatements[0].SourcePolicyId)
		require.Equal(t, types.PolicySourceTypeNone, send.MatchedStatements[0].SourcePolicyType)
		stmt := `{"Effect":"Allow","Action":"sqs:*","Resource":"*"}`
		require.Equal(t, simPos(t, input, stmt, false), *send.MatchedStatements[0].StartPosition)
		require.Equal(t, simPos(t, input, stmt, true), *send.MatchedStatements[0].EndPosition)
	})

	t.Run("pagination", func(t *testing.T) {
		actions := []string{"s3:GetObject", "s3:PutObject", "iam:ListUsers", "sqs:SendMessage", "ec2:RunInstances"}
		var got []string
		var marker *string
		for pages := 0; ; pages++ {
			require.Less(t, pages, 5)
			out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(userARN), ActionNames: actions, MaxItems: aws.Int32(2), Marker: marker})
			require.NoError(t, err)
			require.LessOrEqual(t, len(out.EvaluationResults), 2)
			for _, r := range out.EvaluationResults {
				got = append(got, *r.EvalActionName)
			}
			if !out.IsTruncated {
				require.Nil(t, out.Marker)
				break
			}
			marker = out.Marker
		}
		require.Equal(t, actions, got)
	})

	t.Run("authorization on the source", func(t *testing.T) {
		dev := managedUserClient(t, srv, root, "sim-dev")
		_, err := dev.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN), ActionNames: []string{"s3:GetObject"}})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/sim-dev is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::123456789012:user/sim because no identity-based policy allows the iam:SimulatePrincipalPolicy action")
		_, err = dev.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{managedAllowAll}, ActionNames: []string{"s3:GetObject"}})
		requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/sim-dev is not authorized to perform: iam:SimulateCustomPolicy because no identity-based policy allows the iam:SimulateCustomPolicy action")
	})
}

func TestSimulateBoundary(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	_, err := root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("sim-role"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`)})
	require.NoError(t, err)
	_, err = root.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("sim-role"), PolicyName: aws.String("all"), PolicyDocument: aws.String(managedAllowAll)})
	require.NoError(t, err)
	boundary := managedCreate(t, root, "sim-boundary", managedAllowGetUser)
	_, err = root.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("sim-role"), PermissionsBoundary: aws.String(boundary)})
	require.NoError(t, err)

	out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/sim-role"), ActionNames: []string{"iam:GetUser", "iam:ListUsers"}})
	require.NoError(t, err)
	require.Len(t, out.EvaluationResults, 2)
	get, list := out.EvaluationResults[0], out.EvaluationResults[1]
	require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, get.EvalDecision)
	require.True(t, get.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary)
	require.Equal(t, "all", *get.MatchedStatements[0].SourcePolicyId)
	require.Equal(t, types.PolicySourceTypeRole, get.MatchedStatements[0].SourcePolicyType)
	require.Equal(t, types.PolicyEvaluationDecisionTypeImplicitDeny, list.EvalDecision)
	require.False(t, list.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary)

	t.Run("input boundary replaces the role's", func(t *testing.T) {
		out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/sim-role"), ActionNames: []string{"iam:ListUsers"},
			PermissionsBoundaryPolicyInputList: []string{managedAllowListUsers}})
		require.NoError(t, err)
		r := simOne(t, out.EvaluationResults)
		require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, r.EvalDecision)
		require.True(t, r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary)
	})
}

func TestSimulateCustomPolicyContext(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[
{"Sid":"Ip","Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
{"Sid":"Date","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
{"Sid":"Num","Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}},
{"Sid":"Tags","Effect":"Allow","Action":"s3:TagResource","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["team","owner"]}}}]}`
	simulate := func(action string, entries ...types.ContextEntry) types.EvaluationResult {
		t.Helper()
		out, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{doc}, ActionNames: []string{action}, ContextEntries: entries})
		require.NoError(t, err)
		return simOne(t, out.EvaluationResults)
	}
	entry := func(key string, typ types.ContextKeyTypeEnum, values ...string) types.ContextEntry {
		return types.ContextEntry{ContextKeyName: aws.String(key), ContextKeyType: typ, ContextKeyValues: values}
	}
	for _, tc := range []struct {
		name     string
		action   string
		entries  []types.ContextEntry
		decision types.PolicyEvaluationDecisionType
		missing  []string
	}{
		{"missing ip", "s3:ListBucket", nil, types.PolicyEvaluationDecisionTypeImplicitDeny, []string{"aws:SourceIp"}},
		{"ip inside", "s3:ListBucket", []types.ContextEntry{entry("aws:SourceIp", types.ContextKeyTypeEnumIp, "10.1.2.3")}, types.PolicyEvaluationDecisionTypeAllowed, nil},
		{"ip outside", "s3:ListBucket", []types.ContextEntry{entry("aws:sourceip", types.ContextKeyTypeEnumIp, "192.168.0.1")}, types.PolicyEvaluationDecisionTypeImplicitDeny, nil},
		{"date before", "s3:GetObject", []types.ContextEntry{entry("aws:CurrentTime", types.ContextKeyTypeEnumDate, "2026-05-01T12:00:00Z")}, types.PolicyEvaluationDecisionTypeAllowed, nil},
		{"date after", "s3:GetObject", []types.ContextEntry{entry("aws:CurrentTime", types.ContextKeyTypeEnumDate, "2031-05-01T12:00:00Z")}, types.PolicyEvaluationDecisionTypeImplicitDeny, nil},
		{"numeric", "s3:PutObject", []types.ContextEntry{entry("s3:max-keys", types.ContextKeyTypeEnumNumeric, "7")}, types.PolicyEvaluationDecisionTypeAllowed, nil},
		{"numeric too big", "s3:PutObject", []types.ContextEntry{entry("s3:max-keys", types.ContextKeyTypeEnumNumeric, "70")}, types.PolicyEvaluationDecisionTypeImplicitDeny, nil},
		{"string list any", "s3:TagResource", []types.ContextEntry{entry("aws:TagKeys", types.ContextKeyTypeEnumStringList, "cost", "owner")}, types.PolicyEvaluationDecisionTypeAllowed, nil},
		{"string list none", "s3:TagResource", []types.ContextEntry{entry("aws:TagKeys", types.ContextKeyTypeEnumStringList, "cost", "env")}, types.PolicyEvaluationDecisionTypeImplicitDeny, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := simulate(tc.action, tc.entries...)
			require.Equal(t, tc.decision, r.EvalDecision)
			if tc.missing == nil {
				require.Empty(t, r.MissingContextValues)
			} else {
				require.Equal(t, tc.missing, r.MissingContextValues)
			}
		})
	}

	t.Run("bad typed value", func(t *testing.T) {
		_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{doc}, ActionNames: []string{"s3:PutObject"},
			ContextEntries: []types.ContextEntry{entry("s3:max-keys", types.ContextKeyTypeEnumNumeric, "ten")}})
		requireAPIError(t, err, "InvalidInput", "")
	})
}

func TestSimulateResourcePolicyCrossAccount(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	identity := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	bucketPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`
	simulate := func(resourcePolicy, caller string) types.EvaluationResult {
		t.Helper()
		out, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
			PolicyInputList: []string{identity}, ActionNames: []string{"s3:GetObject"},
			ResourceArns: []string{"arn:aws:s3:::shared/report.csv"}, ResourcePolicy: aws.String(resourcePolicy),
			ResourceOwner: aws.String("arn:aws:iam::210987654321:root"), CallerArn: aws.String(caller)})
		require.NoError(t, err)
		return simOne(t, out.EvaluationResults)
	}

	t.Run("named caller is allowed", func(t *testing.T) {
		r := simulate(bucketPolicy, "arn:aws:iam::123456789012:user/alice")
		require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, r.EvalDecision)
		require.Equal(t, map[string]types.PolicyEvaluationDecisionType{"IAM Policy": "allowed", "Resource Policy": "allowed"}, r.EvalDecisionDetails)
		var sources []string
		for _, m := range r.MatchedStatements {
			sources = append(sources, *m.SourcePolicyId+"/"+string(m.SourcePolicyType))
		}
		require.ElementsMatch(t, []string{"PolicyInputList.1/none", "ResourcePolicy/resource"}, sources)
	})
	t.Run("other caller is denied by the resource side", func(t *testing.T) {
		r := simulate(bucketPolicy, "arn:aws:iam::123456789012:user/bob")
		require.Equal(t, types.PolicyEvaluationDecisionTypeImplicitDeny, r.EvalDecision)
		require.Equal(t, types.PolicyEvaluationDecisionTypeImplicitDeny, r.EvalDecisionDetails["Resource Policy"])
		require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, r.EvalDecisionDetails["IAM Policy"])
	})
	t.Run("resource policy without caller", func(t *testing.T) {
		_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{identity}, ActionNames: []string{"s3:GetObject"},
			ResourcePolicy: aws.String(bucketPolicy)})
		requireAPIError(t, err, "InvalidInput", "")
	})
}

func TestGetContextKeys(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}},
{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"AWS:SOURCEIP":"10.9.0.0/16"}}}]}`

	out, err := root.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{doc}})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"aws:SourceIp", "aws:SecureTransport", "aws:username"}, out.ContextKeyNames)

	_, err = root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("keys")})
	require.NoError(t, err)
	_, err = root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("keys-group")})
	require.NoError(t, err)
	_, err = root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("keys-group"), UserName: aws.String("keys")})
	require.NoError(t, err)
	_, err = root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("keys-group"), PolicyName: aws.String("g"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"ec2:Region":"eu-west-1"}}}]}`)})
	require.NoError(t, err)
	p, err := root.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/keys"), PolicyInputList: []string{doc}})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"ec2:Region", "aws:SourceIp", "aws:SecureTransport", "aws:username"}, p.ContextKeyNames)

	g, err := root.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:group/keys-group")})
	require.NoError(t, err)
	require.Equal(t, []string{"ec2:Region"}, g.ContextKeyNames)
}

func TestSimulatorErrors(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"unknown user", func() error {
			_, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/ghost"), ActionNames: []string{"s3:GetObject"}})
			return err
		}, "NoSuchEntity", "The user with name ghost cannot be found."},
		{"unknown role", func() error {
			_, err := root.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/ghost")})
			return err
		}, "NoSuchEntity", "The role with name ghost cannot be found."},
		{"not an entity", func() error {
			_, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:sts::123456789012:assumed-role/r/s"), ActionNames: []string{"s3:GetObject"}})
			return err
		}, "InvalidInput", "Invalid Entity Arn: arn:aws:sts::123456789012:assumed-role/r/s"},
		{"malformed input policy", func() error {
			_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`}, ActionNames: []string{"s3:GetObject"}})
			return err
		}, "MalformedPolicyDocument", "Policy statement must contain actions."},
		{"malformed context-key policy", func() error {
			_, err := root.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{`{"Statement":`}})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"bad resource arn", func() error {
			_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{managedAllowAll}, ActionNames: []string{"kms:Decrypt"}, ResourceArns: []string{"14a050d4"}})
			return err
		}, "InvalidInput", "ResourceNames are not in a valid ARN format: 14a050d4."},
		{"bad resource owner", func() error {
			_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{managedAllowAll}, ActionNames: []string{"s3:GetObject"}, ResourceOwner: aws.String("12")})
			return err
		}, "InvalidInput", "'12' is not a valid as a Resource Owner."},
		{"missing actions", func() error {
			_, err := root.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{managedAllowAll}})
			return err
		}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.code == "" {
				require.Error(t, err)
				return
			}
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
}
