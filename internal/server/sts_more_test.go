package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/server/servertest"
	wsts "github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

// decodeTrace evaluates one request against one identity policy and seals
// the trace through the server's STS service.
func decodeTrace(t *testing.T, srv *servertest.Server, doc string) (string, *authz.Request) {
	t.Helper()
	p, err := policy.Parse(doc, policy.Identity)
	require.NoError(t, err)
	p.ID = "arn:aws:iam::123456789012:policy/deny-delete"
	ps := authz.NewPolicySet(authz.Policies{Identity: []*policy.Policy{p}})
	req := &authz.Request{
		Principal: policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::123456789012:user/alice", Account: "123456789012", UserID: "AIDAEXAMPLE"},
		Action:    "s3:DeleteObject", Resource: "arn:aws:s3:::bucket/key",
		Context: policy.NewContext(map[string][]string{"aws:SourceIp": {"10.0.0.1"}}),
		Time:    time.Now(),
	}
	req.SetGlobalKeys()
	var d authz.Diagnostic
	authz.Explain(ps, req, &d)
	msg, err := srv.Server.EncodeAuthorizationMessage(context.Background(), req, &d)
	require.NoError(t, err)
	return msg, req
}

func TestDecodeAuthorizationMessage(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	msg, _ := decodeTrace(t, srv, `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowAll","Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`)

	out, err := srv.RootSTS().DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(msg)})
	require.NoError(t, err)
	var got struct {
		Allowed           bool `json:"allowed"`
		ExplicitDeny      bool `json:"explicitDeny"`
		MatchedStatements struct {
			Items []struct {
				StatementID    string `json:"statementId"`
				Effect         string `json:"effect"`
				PolicyID       string `json:"policyId"`
				StatementIndex int    `json:"statementIndex"`
			} `json:"items"`
		} `json:"matchedStatements"`
		Context struct {
			Principal  struct{ ID, ARN string } `json:"principal"`
			Action     string                   `json:"action"`
			Resource   string                   `json:"resource"`
			Conditions struct {
				Items []struct {
					Key    string `json:"key"`
					Values struct {
						Items []struct{ Value string } `json:"items"`
					} `json:"values"`
				} `json:"items"`
			} `json:"conditions"`
		} `json:"context"`
	}
	require.NoError(t, json.Unmarshal([]byte(*out.DecodedMessage), &got), *out.DecodedMessage)
	require.False(t, got.Allowed)
	require.True(t, got.ExplicitDeny)
	require.Equal(t, "arn:aws:iam::123456789012:user/alice", got.Context.Principal.ARN)
	require.Equal(t, "AIDAEXAMPLE", got.Context.Principal.ID)
	require.Equal(t, "s3:DeleteObject", got.Context.Action)
	require.Equal(t, "arn:aws:s3:::bucket/key", got.Context.Resource)
	var deny bool
	for _, m := range got.MatchedStatements.Items {
		if m.StatementID == "NoDelete" {
			deny = true
			require.Equal(t, "DENY", m.Effect)
			require.Equal(t, 1, m.StatementIndex)
			require.Equal(t, "arn:aws:iam::123456789012:policy/deny-delete", m.PolicyID)
		}
	}
	require.True(t, deny, *out.DecodedMessage)
	var sawIP bool
	for _, c := range got.Context.Conditions.Items {
		if c.Key == "aws:sourceip" {
			sawIP = true
			require.Equal(t, "10.0.0.1", c.Values.Items[0].Value)
		}
	}
	require.True(t, sawIP, *out.DecodedMessage)

	for _, tc := range []struct{ name, msg string }{
		{"garbage", "not-a-message"},
		{"tampered", msg[:len(msg)-4] + "AAAA"},
		{"truncated", msg[:len(msg)/2]},
		{"line-break", msg[:10] + "\n" + msg[10:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.RootSTS().DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(tc.msg)})
			requireAPIError(t, err, "InvalidAuthorizationMessageException", "Message is not valid")
		})
	}

	// A user needs sts:DecodeAuthorizationMessage.
	_, key := newUserWithKey(t, srv, "alice")
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	_, err = alice.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(msg)})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy allows the sts:DecodeAuthorizationMessage action")
	_, err = srv.RootIAM().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("decode"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:DecodeAuthorizationMessage", "Resource": "*"}))})
	require.NoError(t, err)
	_, err = alice.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(msg)})
	require.NoError(t, err)
}

func TestAssumeRootIsRefusedWithoutOrganizations(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "admin")
	_, err := srv.RootIAM().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("root"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:AssumeRoot", "Resource": "*"}))})
	require.NoError(t, err)
	admin := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	task := &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}

	for _, tc := range []struct {
		name, code, msg string
		in              *sts.AssumeRootInput
	}{
		{"no-organization", "AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::111122223333:root because centralized root access (root sessions) is not enabled for an organization that manages the account",
			&sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: task}},
		{"root-arn-target", "AccessDenied", "",
			&sts.AssumeRootInput{TargetPrincipal: aws.String("arn:aws:iam::111122223333:root"), TaskPolicyArn: task, DurationSeconds: aws.Int32(300)}},
		{"duration-too-long", "ValidationError", "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900",
			&sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: task, DurationSeconds: aws.Int32(901)}},
		{"bad-target", "ValidationError", "The TargetPrincipal 11112222333x is not a valid account id or root user ARN.",
			&sts.AssumeRootInput{TargetPrincipal: aws.String("11112222333x"), TaskPolicyArn: task}},
		{"bad-task-policy", "ValidationError", "The TaskPolicyArn arn:aws:iam::aws:policy/AdministratorAccess is not a valid root task policy.",
			&sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := admin.AssumeRoot(ctx, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}

	// The root user may not call it at all.
	_, err = srv.RootSTS().AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: task})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::111122223333:root")

	// Without the permission, the policy check refuses first.
	_, bobKey := newUserWithKey(t, srv, "bob")
	_, err = srv.STS(*bobKey.AccessKeyId, *bobKey.SecretAccessKey).AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: task})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::111122223333:root because no identity-based policy allows the sts:AssumeRoot action")
}

func TestGetWebIdentityToken(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "alice")
	_, err := srv.RootIAM().TagUser(ctx, &iam.TagUserInput{UserName: aws.String("alice"), Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}})
	require.NoError(t, err)
	_, err = srv.RootIAM().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("jwt"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*",
			"Condition": stmt{"ForAllValues:StringEquals": stmt{"sts:IdentityTokenAudience": []string{"https://api.example.com", "other"}}}}))})
	require.NoError(t, err)
	alice := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)

	// AWS behaviour: the feature is off until the account enables it.
	_, err = alice.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("RS256")})
	requireAPIError(t, err, "OutboundWebIdentityFederationDisabledException", "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the AWS Management Console or API.")
	_, err = srv.RootIAM().EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	require.NoError(t, err)

	var discovery struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(t, srv.URL+"/.well-known/openid-configuration", &discovery)
	require.Equal(t, srv.URL, discovery.Issuer)

	for _, alg := range []string{"RS256", "ES384"} {
		t.Run(alg, func(t *testing.T) {
			out, err := alice.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"},
				SigningAlgorithm: aws.String(alg), DurationSeconds: aws.Int32(600),
				Tags: []ststypes.Tag{{Key: aws.String("job"), Value: aws.String("42")}}})
			require.NoError(t, err)
			require.WithinDuration(t, time.Now().Add(10*time.Minute), *out.Expiration, time.Minute)

			var keys jose.JSONWebKeySet
			getJSON(t, discovery.JWKSURI, &keys)
			tok, err := jwt.ParseSigned(*out.WebIdentityToken, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			require.NoError(t, err)
			require.Len(t, tok.Headers, 1)
			found := keys.Key(tok.Headers[0].KeyID)
			require.Len(t, found, 1, "the token's key is published")
			var std jwt.Claims
			var extra map[string]any
			require.NoError(t, tok.Claims(found[0].Key, &std, &extra))
			require.NoError(t, std.ValidateWithLeeway(jwt.Expected{Issuer: srv.URL, AnyAudience: jwt.Audience{"https://api.example.com"},
				Subject: "arn:aws:iam::123456789012:user/alice", Time: time.Now()}, 0))
			require.NotEmpty(t, std.ID)
			ns := extra["https://sts.amazonaws.com/"].(map[string]any)
			require.Equal(t, "123456789012", ns["aws_account"])
			require.Equal(t, "us-east-1", ns["source_region"])
			require.Equal(t, map[string]any{"team": "data"}, ns["principal_tags"])
			require.Equal(t, map[string]any{"job": "42"}, ns["request_tags"])
		})
	}

	for _, tc := range []struct {
		name, code, msg string
		in              *sts.GetWebIdentityTokenInput
	}{
		{"bad-algorithm", "ValidationError", "1 validation error detected: Value 'HS256' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]",
			&sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("HS256")}},
		{"too-short", "ValidationError", "1 validation error detected: Value '59' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
			&sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("RS256"), DurationSeconds: aws.Int32(59)}},
		{"too-long", "ValidationError", "1 validation error detected: Value '3601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600",
			&sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("RS256"), DurationSeconds: aws.Int32(3601)}},
		{"audience-not-allowed", "AccessDenied", "",
			&sts.GetWebIdentityTokenInput{Audience: []string{"https://evil.example.com"}, SigningAlgorithm: aws.String("RS256")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := alice.GetWebIdentityToken(ctx, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}

	// A role session's token names the role, and never outlives the session.
	roleARN := createRole(t, srv.RootIAM(), "worker",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}))
	as, err := alice.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(900)})
	require.NoError(t, err)
	session := sessionSTS(srv, as.Credentials)
	out, err := session.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"x"}, SigningAlgorithm: aws.String("RS256")})
	require.NoError(t, err)
	tok, err := jwt.ParseSigned(*out.WebIdentityToken, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	var std jwt.Claims
	require.NoError(t, tok.UnsafeClaimsWithoutVerification(&std))
	require.Equal(t, roleARN, std.Subject)
	_, err = session.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"x"}, SigningAlgorithm: aws.String("RS256"), DurationSeconds: aws.Int32(3600)})
	requireAPIError(t, err, "SessionDurationEscalationException", "")
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"))
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

func TestGetDelegatedAccessToken(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	roleARN := createRole(t, srv.RootIAM(), "delegated",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "123456789012"}, "Action": "sts:AssumeRole"}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}))
	issue := func(d wsts.Delegation) string {
		tok, err := srv.Server.IssueTradeInToken(ctx, d)
		require.NoError(t, err)
		return tok
	}
	tok := issue(wsts.Delegation{RoleARN: roleARN, SessionName: "partner", Duration: 15 * time.Minute, Expires: time.Now().Add(time.Hour),
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`})

	out, err := srv.RootSTS().GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::123456789012:assumed-role/delegated/partner", *out.AssumedPrincipal)
	require.WithinDuration(t, time.Now().Add(15*time.Minute), *out.Credentials.Expiration, time.Minute)
	session := sessionIAM(srv, out.Credentials)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err, "the delegated permissions allow iam:List*")
	_, err = session.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "")

	expired := "The trade-in token provided in the request has expired and can no longer be exchanged for credentials."
	for _, tc := range []struct{ name, token string }{
		{"used-twice", tok},
		{"expired", issue(wsts.Delegation{RoleARN: roleARN, SessionName: "p", Duration: 15 * time.Minute, Expires: time.Now().Add(-time.Second)})},
		{"not-issued", "bm90LWEtdG9rZW4"},
		{"tampered", tok[:len(tok)-4] + "AAAA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.RootSTS().GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tc.token)})
			requireAPIError(t, err, "ExpiredTradeInTokenException", expired)
		})
	}
}
