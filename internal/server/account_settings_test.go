package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

const (
	featureDisabledMsg = "The request failed because outbound identity federation is already disabled for your AWS account. You cannot disable the feature multiple times"
	outboundOffMsg     = "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the AWS Management Console or API."
)

// AWS behaviour: https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOutboundWebIdentityFederation.html
// and API_DisableOutboundWebIdentityFederation.html, API_GetOutboundWebIdentityFederationInfo.html.
func TestOutboundWebIdentityFederation(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	token := func() (string, error) {
		out, err := srv.RootSTS().GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"aud"}, SigningAlgorithm: aws.String("RS256")})
		if err != nil {
			return "", err
		}
		return *out.WebIdentityToken, nil
	}

	// Off by default: no token, no issuer yet, nothing to disable.
	_, err := token()
	requireAPIError(t, err, "OutboundWebIdentityFederationDisabledException", outboundOffMsg)
	_, err = root.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	requireAPIError(t, err, "FeatureDisabled", "Outbound identity federation is not enabled for your AWS account.")
	_, err = root.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	requireAPIError(t, err, "FeatureDisabled", featureDisabledMsg)

	en, err := root.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	require.NoError(t, err)
	require.Equal(t, srv.URL, *en.IssuerIdentifier)
	_, err = root.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	requireAPIError(t, err, "FeatureEnabled", "The request failed because outbound identity federation is already enabled for your AWS account. You cannot enable the feature multiple times. To fetch the current configuration (including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation.")

	info, err := root.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	require.NoError(t, err)
	require.True(t, info.JwtVendingEnabled)
	require.Equal(t, *en.IssuerIdentifier, *info.IssuerIdentifier)

	// The tokens name the issuer Info reports, whose discovery document
	// agrees.
	raw, err := token()
	require.NoError(t, err)
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	var claims jwt.Claims
	require.NoError(t, tok.UnsafeClaimsWithoutVerification(&claims))
	require.Equal(t, *info.IssuerIdentifier, claims.Issuer)
	var discovery struct {
		Issuer string `json:"issuer"`
	}
	getJSON(t, *info.IssuerIdentifier+"/.well-known/openid-configuration", &discovery)
	require.Equal(t, claims.Issuer, discovery.Issuer)

	// Disabled again: the issuer stays, tokens stop; the token issued
	// before still verifies against the published keys.
	_, err = root.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	require.NoError(t, err)
	info, err = root.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	require.NoError(t, err)
	require.False(t, info.JwtVendingEnabled)
	require.Equal(t, srv.URL, *info.IssuerIdentifier)
	_, err = token()
	requireAPIError(t, err, "OutboundWebIdentityFederationDisabledException", outboundOffMsg)
	var keys jose.JSONWebKeySet
	getJSON(t, srv.URL+"/.well-known/jwks.json", &keys)
	found := keys.Key(tok.Headers[0].KeyID)
	require.Len(t, found, 1)
	require.NoError(t, tok.Claims(found[0].Key, &claims))
	_, err = root.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	requireAPIError(t, err, "FeatureDisabled", featureDisabledMsg)

	// The switches are IAM actions like any other.
	alice, _ := newUserWithKey(t, srv, "alice")
	_, err = alice.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:EnableOutboundWebIdentityFederation because no identity-based policy allows the iam:EnableOutboundWebIdentityFederation action")
}

// AWS behaviour: https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetSecurityTokenServicePreferences.html
// (GetAccountSummary reports the version as GlobalEndpointTokenVersion).
func TestSecurityTokenServicePreferences(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	version := func() int32 {
		out, err := root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		require.NoError(t, err)
		return out.SummaryMap["GlobalEndpointTokenVersion"]
	}
	require.Equal(t, int32(1), version(), "AWS's default")
	for _, tc := range []struct {
		in   iamtypes.GlobalEndpointTokenVersion
		want int32
	}{{iamtypes.GlobalEndpointTokenVersionV2Token, 2}, {iamtypes.GlobalEndpointTokenVersionV2Token, 2}, {iamtypes.GlobalEndpointTokenVersionV1Token, 1}} {
		_, err := root.SetSecurityTokenServicePreferences(ctx, &iam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: tc.in})
		require.NoError(t, err)
		require.Equal(t, tc.want, version())
	}
	_, err := root.SetSecurityTokenServicePreferences(ctx, &iam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: "v3Token"})
	requireAPIError(t, err, "ValidationError", "1 validation error detected: Value 'v3Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]")
}

// AWS behaviour: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutAccountProperties.html
func TestAccountProperties(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	root := srv.RootIAM()
	get := func() map[string]string {
		out, err := root.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{})
		require.NoError(t, err)
		return out.Properties
	}
	require.Empty(t, get())

	_, err := root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"RoleManager/Enabled": "true", "RoleManager/Mode": "strict"}})
	require.NoError(t, err)
	_, err = root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"Other/Level": "3"}})
	require.NoError(t, err)
	_, err = root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"RoleManager/Enabled": "false"}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"RoleManager/Enabled": "false", "RoleManager/Mode": "strict", "Other/Level": "3"}, get())

	for _, tc := range []struct {
		name, code, msg string
		props           map[string]string
	}{
		{"two-namespaces", "InvalidInput", "All property keys must belong to the same namespace.", map[string]string{"A/x": "1", "B/y": "2"}},
		{"no-slash", "InvalidInput", "The property key Enabled must have the form Namespace/PropertyName.", map[string]string{"Enabled": "true"}},
		{"two-slashes", "InvalidInput", "The property key A/b/c must have the form Namespace/PropertyName.", map[string]string{"A/b/c": "true"}},
		{"trailing-slash", "InvalidInput", "The property key A/ must have the form Namespace/PropertyName.", map[string]string{"A/": "true"}},
		{"leading-slash", "ValidationError", "1 validation error detected: Value '/A' at 'properties' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 50, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$]", map[string]string{"/A": "true"}},
		{"empty-value", "ValidationError", "1 validation error detected: Value '' at 'properties.A/b' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1]", map[string]string{"A/b": ""}},
		{"none", "ValidationError", "1 validation error detected: Value null at 'properties' failed to satisfy constraint: Member must not be null", map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: tc.props})
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	require.Len(t, get(), 3, "a refused request changes nothing")

	// At most 100 properties per account, counting those already set.
	many := map[string]string{}
	for i := range 97 {
		many[fmt.Sprintf("Bulk/P%d", i)] = "v"
	}
	_, err = root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: many})
	require.NoError(t, err)
	_, err = root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"Bulk/P0": "replaced"}})
	require.NoError(t, err, "replacing a property adds none")
	_, err = root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"Bulk/One-more": "v"}})
	requireAPIError(t, err, "InvalidInput", "An account can have at most 100 properties.")
	require.Len(t, get(), 100)
}

// TestOutboundFederationTwoNodes: the switch is stored, so a node sees
// what another node set at once.
func TestOutboundFederationTwoNodes(t *testing.T) {
	db := testDatabase(t)
	a := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	b := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	in := &sts.GetWebIdentityTokenInput{Audience: []string{"aud"}, SigningAlgorithm: aws.String("ES384")}
	_, err := b.RootSTS().GetWebIdentityToken(ctx, in)
	requireAPIError(t, err, "OutboundWebIdentityFederationDisabledException", outboundOffMsg)
	_, err = a.RootIAM().EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	require.NoError(t, err)
	_, err = b.RootSTS().GetWebIdentityToken(ctx, in)
	require.NoError(t, err)
	_, err = b.RootIAM().DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	require.NoError(t, err)
	_, err = a.RootSTS().GetWebIdentityToken(ctx, in)
	requireAPIError(t, err, "OutboundWebIdentityFederationDisabledException", outboundOffMsg)
}
