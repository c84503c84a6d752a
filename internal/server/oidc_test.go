package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
	"github.com/warden-iam/warden/internal/sts/oidc"
	"github.com/warden-iam/warden/internal/sts/oidc/oidctest"
)

const webIdentityClient = "sts.amazonaws.com"

// anonymousSTS is an STS client without credentials, as a CI job has.
func anonymousSTS(srv *servertest.Server) *sts.Client {
	cfg := srv.Config("", "")
	cfg.Credentials = nil
	return sts.NewFromConfig(cfg)
}

func TestOIDCProviderActions(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	tp := strings.Repeat("ab", 20)

	out, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.actions.githubusercontent.com"), ClientIDList: []string{webIdentityClient},
		ThumbprintList: []string{tp}, Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("ci")}}})
	require.NoError(t, err)
	arn := "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	require.Equal(t, arn, *out.OpenIDConnectProviderArn)
	require.Len(t, out.Tags, 1)

	t.Run("get", func(t *testing.T) {
		got, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, "token.actions.githubusercontent.com", *got.Url)
		require.Equal(t, []string{webIdentityClient}, got.ClientIDList)
		require.Equal(t, []string{tp}, got.ThumbprintList)
		require.NotNil(t, got.CreateDate)
	})
	t.Run("list", func(t *testing.T) {
		l, err := c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
		require.NoError(t, err)
		require.Len(t, l.OpenIDConnectProviderList, 1)
		require.Equal(t, arn, *l.OpenIDConnectProviderList[0].Arn)
	})
	t.Run("client-ids", func(t *testing.T) {
		for range 2 { // idempotent
			_, err := c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("app2")})
			require.NoError(t, err)
		}
		got, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, []string{webIdentityClient, "app2"}, got.ClientIDList)
		for range 2 {
			_, err = c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("app2")})
			require.NoError(t, err)
		}
		got, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, []string{webIdentityClient}, got.ClientIDList)
	})
	t.Run("thumbprint", func(t *testing.T) {
		tp2 := strings.Repeat("cd", 20)
		_, err := c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(arn), ThumbprintList: []string{tp2}})
		require.NoError(t, err)
		got, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, []string{tp2}, got.ThumbprintList)
		_, err = c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(arn), ThumbprintList: []string{"abc"}})
		requireAPIError(t, err, "ValidationError", "")
	})
	t.Run("tags", func(t *testing.T) {
		_, err := c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
		require.NoError(t, err)
		_, err = c.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), TagKeys: []string{"team"}})
		require.NoError(t, err)
		l, err := c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		require.Len(t, l.Tags, 1)
		require.Equal(t, "env", *l.Tags[0].Key)
	})
	t.Run("errors", func(t *testing.T) {
		_, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.actions.githubusercontent.com"), ClientIDList: []string{"x"}})
		requireAPIError(t, err, "EntityAlreadyExists", "Provider with url https://token.actions.githubusercontent.com already exists.")
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://insecure.example.com")})
		requireAPIError(t, err, "ValidationError", "Invalid Open ID Connect Provider URL")
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://" + strings.Repeat("a", 250) + ".com")})
		requireAPIError(t, err, "ValidationError", "")
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://six.example.com"),
			ThumbprintList: []string{tp, tp + "", strings.Repeat("01", 20), strings.Repeat("02", 20), strings.Repeat("03", 20), strings.Repeat("04", 20)}})
		requireAPIError(t, err, "ValidationError", "")
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://hex.example.com"), ThumbprintList: []string{strings.Repeat("zz", 20)}})
		requireAPIError(t, err, "InvalidInput", "")
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://long.example.com"), ClientIDList: []string{strings.Repeat("c", 256)}})
		requireAPIError(t, err, "ValidationError", "")
		ids := make([]string, 101)
		for i := range ids {
			ids[i] = "client-" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		}
		_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://many.example.com"), ClientIDList: ids})
		requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
		missing := "arn:aws:iam::123456789012:oidc-provider/nope.example.com"
		_, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(missing)})
		requireAPIError(t, err, "NoSuchEntity", "OpenIDConnect Provider not found for arn "+missing)
		_, err = c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(missing)})
		requireAPIError(t, err, "NoSuchEntity", "")
	})
	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
		require.NoError(t, err)
		l, err := c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
		require.NoError(t, err)
		require.Empty(t, l.OpenIDConnectProviderList)
	})
	t.Run("user-without-permission", func(t *testing.T) {
		_, key := newUserWithKey(t, srv, "carol")
		_, err := srv.IAM(*key.AccessKeyId, *key.SecretAccessKey).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://carol.example.com")})
		requireAPIError(t, err, "AccessDenied", "")
	})
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	is := oidctest.Start(t)
	srv := servertest.Start(t, servertest.WithOIDCRootCAs(is.Pool()))
	ctx := context.Background()
	root := srv.RootIAM()
	anon := anonymousSTS(srv)

	p, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(is.URL), ClientIDList: []string{webIdentityClient}})
	require.NoError(t, err)
	providerARN := *p.OpenIDConnectProviderArn
	require.Equal(t, "arn:aws:iam::123456789012:oidc-provider/"+is.Host, providerARN)
	roleARN := createRole(t, root, "deployer",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"Federated": providerARN}, "Action": "sts:AssumeRoleWithWebIdentity",
			"Condition": stmt{
				"StringEquals": stmt{is.Host + ":aud": webIdentityClient},
				"StringLike":   stmt{is.Host + ":sub": "repo:org/repo:*"},
			}}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}))
	now := time.Now()
	claims := func(mod func(map[string]any)) map[string]any {
		c := is.Claims(webIdentityClient, "repo:org/repo:ref:refs/heads/main", now)
		if mod != nil {
			mod(c)
		}
		return c
	}
	assume := func(token string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		return anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("ci-run"), WebIdentityToken: aws.String(token)})
	}

	t.Run("success", func(t *testing.T) {
		out, err := assume(oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(nil)))
		require.NoError(t, err)
		require.Equal(t, "arn:aws:sts::123456789012:assumed-role/deployer/ci-run", *out.AssumedRoleUser.Arn)
		require.Equal(t, "repo:org/repo:ref:refs/heads/main", *out.SubjectFromWebIdentityToken)
		require.Equal(t, webIdentityClient, *out.Audience)
		require.Equal(t, providerARN, *out.Provider)
		require.WithinDuration(t, time.Now().Add(time.Hour), *out.Credentials.Expiration, time.Minute)
		id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		require.NoError(t, err)
		require.Equal(t, *out.AssumedRoleUser.Arn, *id.Arn)
		_, err = sessionIAM(srv, out.Credentials).ListRoles(ctx, &iam.ListRolesInput{})
		require.NoError(t, err)
	})
	t.Run("ec-key-and-duration", func(t *testing.T) {
		out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("ci-ec"), DurationSeconds: aws.Int32(900), WebIdentityToken: aws.String(oidctest.Sign(t, is.Key("ec1"), "ec1", claims(nil)))})
		require.NoError(t, err)
		require.WithinDuration(t, time.Now().Add(15*time.Minute), *out.Credentials.Expiration, time.Minute)
		_, err = anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("ci-ec"), DurationSeconds: aws.Int32(7200), WebIdentityToken: aws.String(oidctest.Sign(t, is.Key("ec1"), "ec1", claims(nil)))})
		requireAPIError(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	})
	t.Run("session-policy-limits", func(t *testing.T) {
		out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("ci-limited"), WebIdentityToken: aws.String(oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(nil))),
			Policy: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}))})
		require.NoError(t, err)
		_, err = sessionIAM(srv, out.Credentials).ListRoles(ctx, &iam.ListRolesInput{})
		requireAPIError(t, err, "AccessDenied", "")
	})

	hs := func() string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"rsa1"}`))
		b, _ := json.Marshal(claims(nil))
		return h + "." + base64.RawURLEncoding.EncodeToString(b) + ".c2lnbmF0dXJl"
	}
	none := func(sig bool) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))
		b, _ := json.Marshal(claims(nil))
		s := h + "." + base64.RawURLEncoding.EncodeToString(b)
		if sig {
			s += "."
		}
		return s
	}
	other := oidctest.Start(t)
	for _, tc := range []struct {
		name, token, code string
	}{
		{"alg-none", none(true), "InvalidIdentityToken"},
		{"alg-none-no-signature-part", none(false), "InvalidIdentityToken"},
		{"hs256", hs(), "InvalidIdentityToken"},
		{"key-not-in-jwks", oidctest.Sign(t, oidctest.NewRSAKey(t), "rsa1", claims(nil)), "InvalidIdentityToken"},
		{"another-providers-key", oidctest.Sign(t, other.Key("rsa1"), "rsa1", claims(nil)), "InvalidIdentityToken"},
		{"iss-trailing-slash", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { c["iss"] = is.URL + "/" })), "InvalidIdentityToken"},
		{"aud-not-in-client-list", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { c["aud"] = "other" })), "InvalidIdentityToken"},
		{"expired", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() })), "ExpiredTokenException"},
		{"nbf-in-the-future", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { c["nbf"] = now.Add(10 * time.Minute).Unix() })), "InvalidIdentityToken"},
		{"sub-missing", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { delete(c, "sub") })), "InvalidIdentityToken"},
		{"sub-not-matching-trust-policy", oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(func(c map[string]any) { c["sub"] = "repo:evil/repo:ref:refs/heads/main" })), "AccessDenied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := assume(tc.token)
			requireAPIError(t, err, tc.code, "")
		})
	}

	t.Run("provider-id-refused", func(t *testing.T) {
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN), ProviderId: aws.String("www.amazon.com"),
			RoleSessionName: aws.String("x1"), WebIdentityToken: aws.String(oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(nil)))})
		requireAPIError(t, err, "InvalidParameterValue", "")
	})
	t.Run("provider-deleted", func(t *testing.T) {
		token := oidctest.Sign(t, is.Key("rsa1"), "rsa1", claims(nil))
		_, err := root.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(providerARN)})
		require.NoError(t, err)
		_, err = assume(token)
		requireAPIError(t, err, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for "+is.URL)
	})
}

func TestAssumeRoleWithWebIdentityTrust(t *testing.T) {
	is := oidctest.Start(t)
	ctx := context.Background()

	t.Run("no-thumbprint-untrusted-ca", func(t *testing.T) {
		srv := servertest.Start(t) // the system pool does not trust the test issuer
		root := srv.RootIAM()
		p, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(is.URL), ClientIDList: []string{webIdentityClient}})
		require.NoError(t, err)
		roleARN := createRole(t, root, "r", policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"Federated": *p.OpenIDConnectProviderArn}, "Action": "sts:AssumeRoleWithWebIdentity"}), nil)
		token := oidctest.Sign(t, is.Key("rsa1"), "rsa1", is.Claims(webIdentityClient, "alice", time.Now()))
		_, err = anonymousSTS(srv).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(token)})
		requireAPIError(t, err, "InvalidIdentityToken", "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint")

		// The certificate's thumbprint makes the provider trusted.
		_, err = root.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{
			OpenIDConnectProviderArn: p.OpenIDConnectProviderArn, ThumbprintList: []string{oidc.Thumbprint(is.Server.Certificate())}})
		require.NoError(t, err)
		out, err := anonymousSTS(srv).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(token)})
		require.NoError(t, err)
		require.Equal(t, "arn:aws:sts::123456789012:assumed-role/r/s1", *out.AssumedRoleUser.Arn)
	})
}
