package server_test

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
	"github.com/warden-iam/warden/internal/sts/saml/samltest"
)

const (
	samlProviderARN = "arn:aws:iam::123456789012:saml-provider/corp"
	samlRoleARN     = "arn:aws:iam::123456789012:role/saml-role"
	samlEntityID    = "https://idp.example.com/saml"
)

func samlIdP(t *testing.T) *samltest.IdP {
	t.Helper()
	idp, err := samltest.New(samlEntityID, time.Now())
	require.NoError(t, err)
	return idp
}

// samlSTS is an STS client that sends no credentials, as federation
// clients do.
func samlSTS(srv *servertest.Server) *sts.Client {
	cfg := srv.Config("", "")
	cfg.Credentials = aws.AnonymousCredentials{}
	return sts.NewFromConfig(cfg)
}

func TestSAMLProviderActions(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c := srv.RootIAM()
	idp := samlIdP(t)
	validUntil := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)

	out, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("corp"),
		SAMLMetadataDocument: aws.String(idp.Metadata(validUntil)),
		Tags:                 []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}})
	require.NoError(t, err)
	require.Equal(t, samlProviderARN, *out.SAMLProviderArn)
	require.Len(t, out.Tags, 1)

	t.Run("get", func(t *testing.T) {
		got, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN)})
		require.NoError(t, err)
		require.Equal(t, idp.Metadata(validUntil), *got.SAMLMetadataDocument)
		require.True(t, validUntil.Equal(*got.ValidUntil), "%v", *got.ValidUntil)
		require.WithinDuration(t, time.Now(), *got.CreateDate, time.Minute)
		require.Len(t, got.Tags, 1)
	})
	t.Run("list", func(t *testing.T) {
		l, err := c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
		require.NoError(t, err)
		require.Len(t, l.SAMLProviderList, 1)
		require.Equal(t, samlProviderARN, *l.SAMLProviderList[0].Arn)
	})
	t.Run("tags", func(t *testing.T) {
		_, err := c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
		require.NoError(t, err)
		_, err = c.UntagSAMLProvider(ctx, &iam.UntagSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN), TagKeys: []string{"team"}})
		require.NoError(t, err)
		tags, err := c.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: aws.String(samlProviderARN)})
		require.NoError(t, err)
		require.Len(t, tags.Tags, 1)
		require.Equal(t, "env", *tags.Tags[0].Key)
	})
	t.Run("update without validUntil", func(t *testing.T) {
		u, err := c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN),
			SAMLMetadataDocument: aws.String(idp.Metadata(time.Time{}))})
		require.NoError(t, err)
		require.Equal(t, samlProviderARN, *u.SAMLProviderArn)
		got, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN)})
		require.NoError(t, err)
		require.True(t, got.ValidUntil.After(time.Now().Add(50*365*24*time.Hour)), "%v", *got.ValidUntil)
	})
	t.Run("duplicate name", func(t *testing.T) {
		_, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("CORP"), SAMLMetadataDocument: aws.String(idp.Metadata(time.Time{}))})
		requireAPIError(t, err, "EntityAlreadyExists", "")
	})
	for _, tc := range []struct{ name, provider, metadata, code, msg string }{
		{"garbage metadata", "bad", strings.Repeat("<x>", 400), "InvalidInput", "Could not parse metadata"},
		{"metadata without IDPSSODescriptor", "bad", strings.ReplaceAll(idp.Metadata(time.Time{}), "IDPSSODescriptor", "SPSSODescriptor"), "InvalidInput", "Could not parse metadata"},
		{"metadata with a DOCTYPE", "bad", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + idp.Metadata(time.Time{})[39:], "InvalidInput", "Could not parse metadata"},
		{"metadata too short", "bad", "<x/>", "ValidationError", ""},
		{"bad name", "a b", idp.Metadata(time.Time{}), "ValidationError", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String(tc.provider), SAMLMetadataDocument: aws.String(tc.metadata)})
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	t.Run("absent provider", func(t *testing.T) {
		_, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/nope")})
		requireAPIError(t, err, "NoSuchEntity", "Manifest not found for arn arn:aws:iam::123456789012:saml-provider/nope")
	})
	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN)})
		require.NoError(t, err)
		_, err = c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN)})
		requireAPIError(t, err, "NoSuchEntity", "")
		_, err = c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(samlProviderARN)})
		requireAPIError(t, err, "NoSuchEntity", "")
	})
}

// samlSetup creates the provider and a role that trusts it, with a
// condition on the verified audience, and lets the role list users.
func samlSetup(t *testing.T, srv *servertest.Server, idp *samltest.IdP) {
	t.Helper()
	ctx := context.Background()
	root := srv.RootIAM()
	_, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(idp.Metadata(time.Time{}))})
	require.NoError(t, err)
	createRole(t, root, "saml-role",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"Federated": samlProviderARN}, "Action": "sts:AssumeRoleWithSAML",
			"Condition": stmt{"StringEquals": stmt{"saml:aud": "https://signin.aws.amazon.com/saml"}}}),
		policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))
	createRole(t, root, "other-role",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"Federated": samlProviderARN}, "Action": "sts:AssumeRoleWithSAML",
			"Condition": stmt{"StringEquals": stmt{"saml:sub": "bob"}}}), nil)
}

func TestAssumeRoleWithSAML(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	idp := samlIdP(t)
	samlSetup(t, srv, idp)
	client := samlSTS(srv)
	assume := func(doc string) (*sts.AssumeRoleWithSAMLOutput, error) {
		return client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRoleARN),
			PrincipalArn: aws.String(samlProviderARN), SAMLAssertion: aws.String(samltest.Encode(doc))})
	}
	build := func(edit func(*samltest.Response)) string {
		r := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		if edit != nil {
			edit(r)
		}
		x, err := idp.Build(r)
		require.NoError(t, err)
		return x
	}

	good := build(nil)
	out, err := assume(good)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:sts::123456789012:assumed-role/saml-role/alice", *out.AssumedRoleUser.Arn)
	require.Equal(t, "alice", *out.Subject)
	require.Equal(t, "persistent", *out.SubjectType)
	require.Equal(t, samlEntityID, *out.Issuer)
	require.Equal(t, "https://signin.aws.amazon.com/saml", *out.Audience)
	// BASE64(SHA1(issuer + account + "/" + provider name)), as AWS documents.
	require.Equal(t, samlNameQualifierFor(samlEntityID, "123456789012", "corp"), *out.NameQualifier)
	require.WithinDuration(t, time.Now().Add(time.Hour), *out.Credentials.Expiration, time.Minute)

	t.Run("credentials work", func(t *testing.T) {
		id, err := sessionSTS(srv, out.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		require.NoError(t, err)
		require.Equal(t, *out.AssumedRoleUser.Arn, *id.Arn)
		_, err = sessionIAM(srv, out.Credentials).ListUsers(ctx, &iam.ListUsersInput{})
		require.NoError(t, err)
		_, err = sessionIAM(srv, out.Credentials).ListRoles(ctx, &iam.ListRolesInput{})
		requireAPIError(t, err, "AccessDenied", "")
	})
	t.Run("replayed assertion", func(t *testing.T) {
		_, err := assume(good)
		requireAPIError(t, err, "InvalidIdentityToken", "The SAML assertion has already been used.")
	})
	t.Run("comment-split NameID yields the full value", func(t *testing.T) {
		x := strings.Replace(build(nil), ">alice</saml:NameID>", ">al<!---->ice</saml:NameID>", 1)
		o, err := assume(x)
		require.NoError(t, err)
		require.Equal(t, "alice", *o.Subject)
	})
	t.Run("SessionDuration and DurationSeconds", func(t *testing.T) {
		o, err := assume(build(func(r *samltest.Response) { r.SetAttribute(samltest.AttrSessionDuration, "1800") }))
		require.NoError(t, err)
		require.WithinDuration(t, time.Now().Add(30*time.Minute), *o.Credentials.Expiration, time.Minute)
		_, err = client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRoleARN),
			PrincipalArn: aws.String(samlProviderARN), SAMLAssertion: aws.String(samltest.Encode(build(nil))), DurationSeconds: aws.Int32(7200)})
		requireAPIError(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	})

	other := samlIdP(t)
	unsigned := func() string {
		r := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		x, err := idp.ResponseXML(r, idp.AssertionXML(r), false)
		require.NoError(t, err)
		return x
	}
	untrusted := func() string {
		r := other.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		x, err := other.Build(r)
		require.NoError(t, err)
		return x
	}
	twoAssertions := func() string {
		r := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		signed, err := idp.SignedAssertionXML(r)
		require.NoError(t, err)
		f := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		f.NameID = "mallory"
		x, err := idp.ResponseXML(r, signed+idp.AssertionXML(f), false)
		require.NoError(t, err)
		return x
	}
	wrapped := func() string {
		r := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		signed, err := idp.SignedAssertionXML(r)
		require.NoError(t, err)
		f := idp.NewResponse(time.Now(), samlRoleARN, samlProviderARN)
		f.NameID = "mallory"
		forged := strings.Replace(idp.AssertionXML(f), "<saml:Subject>", "<saml:Advice>"+signed+"</saml:Advice><saml:Subject>", 1)
		x, err := idp.ResponseXML(r, forged, false)
		require.NoError(t, err)
		return x
	}
	now := time.Now()
	for _, tc := range []struct {
		name, doc, code, msg string
	}{
		{"tampered NameID", strings.Replace(build(nil), ">alice</saml:NameID>", ">bob</saml:NameID>", 1), "InvalidIdentityToken", "Response signature invalid"},
		{"unsigned assertion", unsigned(), "InvalidIdentityToken", "Response signature invalid"},
		{"signature by an untrusted key", untrusted(), "InvalidIdentityToken", "Response signature invalid"},
		{"two assertions, first signed", twoAssertions(), "InvalidIdentityToken", ""},
		{"signed assertion moved under a forged one", wrapped(), "InvalidIdentityToken", ""},
		{"wrong audience", build(func(r *samltest.Response) { r.Audiences = []string{"https://sp.example.com"} }), "InvalidIdentityToken", ""},
		{"expired NotOnOrAfter", build(func(r *samltest.Response) {
			r.IssueInstant, r.NotBefore = now.Add(-4*time.Minute), now.Add(-4*time.Minute)
			r.NotOnOrAfter, r.SubjectNotOnOrAfter = now.Add(-time.Minute), now.Add(-time.Minute)
		}), "ExpiredTokenException", "Response has expired"},
		{"NotBefore in the future beyond skew", build(func(r *samltest.Response) {
			r.NotBefore, r.NotOnOrAfter, r.SubjectNotOnOrAfter = now.Add(10*time.Minute), now.Add(20*time.Minute), now.Add(20*time.Minute)
		}), "InvalidIdentityToken", ""},
		{"wrong Recipient", build(func(r *samltest.Response) { r.Recipient = "https://sp.example.com/acs" }), "InvalidIdentityToken", ""},
		{"issuer not the provider's", build(func(r *samltest.Response) { r.Issuer = "https://evil.example.com" }), "InvalidIdentityToken", "Issuer not present in specified provider"},
		{"non-Success status", build(func(r *samltest.Response) { r.StatusCode = "urn:oasis:names:tc:SAML:2.0:status:Responder" }), "IDPRejectedClaim", ""},
		{"Role attribute naming another role", build(func(r *samltest.Response) {
			r.SetAttribute(samltest.AttrRole, "arn:aws:iam::123456789012:role/admin,"+samlProviderARN)
		}), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"},
		{"Role attribute naming another provider", build(func(r *samltest.Response) {
			r.SetAttribute(samltest.AttrRole, samlRoleARN+",arn:aws:iam::123456789012:saml-provider/other")
		}), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"},
		{"RoleSessionName missing", build(func(r *samltest.Response) { r.SetAttribute(samltest.AttrRoleSessionName) }), "InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"},
		{"DOCTYPE and entities", `<!DOCTYPE r [<!ENTITY x "alice">]>` + build(nil), "InvalidIdentityToken", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := assume(tc.doc)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	t.Run("role in the Role attribute reversed order", func(t *testing.T) {
		_, err := assume(build(func(r *samltest.Response) { r.SetAttribute(samltest.AttrRole, samlProviderARN+", "+samlRoleARN) }))
		require.NoError(t, err)
	})
	t.Run("trust policy condition on saml:sub refuses", func(t *testing.T) {
		_, err := client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/other-role"),
			PrincipalArn: aws.String(samlProviderARN), SAMLAssertion: aws.String(samltest.Encode(build(func(r *samltest.Response) {
				r.SetAttribute(samltest.AttrRole, "arn:aws:iam::123456789012:role/other-role,"+samlProviderARN)
			})))})
		requireAPIError(t, err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")
	})
	t.Run("absent provider", func(t *testing.T) {
		_, err := client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRoleARN),
			PrincipalArn: aws.String("arn:aws:iam::123456789012:saml-provider/nope"), SAMLAssertion: aws.String(samltest.Encode(build(nil)))})
		requireAPIError(t, err, "InvalidIdentityToken", "")
	})
	t.Run("oversized assertion", func(t *testing.T) {
		status, body := srv.Post(t, "Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn="+samlRoleARN+"&PrincipalArn="+samlProviderARN+
			"&SAMLAssertion="+strings.Repeat("A", 100_004))
		require.Equal(t, 400, status)
		require.Contains(t, body, "ValidationError")
	})
}

// samlNameQualifierFor computes AWS's NameQualifier independently of the
// server's code.
func samlNameQualifierFor(issuer, acct, provider string) string {
	sum := sha1.Sum([]byte(issuer + acct + "/" + provider))
	return base64.StdEncoding.EncodeToString(sum[:])
}
