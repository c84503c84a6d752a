package sts

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/warden-iam/warden/internal/awserr"
)

// webTokenPurpose names the service keys that sign web identity tokens:
// PKCS #8 private keys, RSA 2048 for RS256 and P-384 for ES384, each
// created the first time a token of its algorithm is asked for.
const webTokenPurpose = "web-identity-token"

// Web identity token bounds. AWS behaviour ([GetWebIdentityToken]): 60 s
// to an hour, 5 minutes by default; one to ten audiences; RS256 or ES384.
//
// [GetWebIdentityToken]: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetWebIdentityToken.html
const (
	webTokenMinDuration     = 60
	webTokenMaxDuration     = 3600
	webTokenDefaultDuration = 300
	webTokenMaxAudiences    = 10
	webTokenMaxAudience     = 1000
	// webTokenMaxPayload bounds the claims; AWS does not publish its limit.
	webTokenMaxPayload = 16 << 10
	// webTokenNamespace holds the AWS-specific claims.
	webTokenNamespace = "https://sts.amazonaws.com/"
)

// WebTokenInput is what GetWebIdentityToken asks for, with the caller's
// identity as the claims need it.
type WebTokenInput struct {
	// Issuer is the issuer URL (scheme and host, no trailing slash).
	Issuer           string
	Audience         []string
	SigningAlgorithm string
	DurationSeconds  *int
	Tags             []Tag

	// Subject is the caller's ARN: for a role session the role's ARN, as
	// AWS writes it.
	Subject       string
	Account       string
	Region        string
	PrincipalTags map[string]string
	// Session is the caller's session, if any: a token never outlives it.
	Session *Session
}

// WebToken is a signed token and when it expires.
type WebToken struct {
	Token      string
	Expiration time.Time
}

// GetWebIdentityToken signs a JWT that states the caller's identity to a
// service outside Warden ("outbound identity federation"). Warden is the
// OpenID Connect issuer: the discovery document and the keys that verify
// the token are served at ISSUER/.well-known/openid-configuration and
// ISSUER/.well-known/jwks.json ([Service.WebTokenDiscovery],
// [Service.WebTokenJWKS]). As on AWS, the account must enable the
// feature first (iam:EnableOutboundWebIdentityFederation); until then,
// and after it disables it, the call fails with
// OutboundWebIdentityFederationDisabledException.
//
// AWS behaviour ([Understanding token claims]): sub is the principal's ARN
// (a role's, for a role session), aud the requested audiences, iat, exp
// and jti; account, region and tags are nested under
// "https://sts.amazonaws.com/" (aws_account, source_region,
// principal_tags, request_tags).
//
// [Understanding token claims]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_token_claims.html
func (s *Service) GetWebIdentityToken(ctx context.Context, in WebTokenInput) (WebToken, error) {
	alg := jose.SignatureAlgorithm(in.SigningAlgorithm)
	if alg != jose.RS256 && alg != jose.ES384 {
		return WebToken{}, awserr.ValidationError("1 validation error detected: Value '%s' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]", in.SigningAlgorithm)
	}
	if len(in.Audience) == 0 || len(in.Audience) > webTokenMaxAudiences {
		return WebToken{}, awserr.ValidationError("1 validation error detected: Value '[...]' at 'audience' failed to satisfy constraint: Member must have length between 1 and %d", webTokenMaxAudiences)
	}
	for _, a := range in.Audience {
		if a == "" || len(a) > webTokenMaxAudience {
			return WebToken{}, awserr.ValidationError("1 validation error detected: Value '%s' at 'audience.member' failed to satisfy constraint: Member must have length between 1 and %d", a, webTokenMaxAudience)
		}
	}
	enabled, _, err := s.iam.OutboundWebIdentityFederation(ctx, in.Account)
	if err != nil {
		return WebToken{}, err
	}
	if !enabled {
		return WebToken{}, errOutboundDisabled()
	}
	d := webTokenDefaultDuration
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
	}
	now := s.now().UTC().Truncate(time.Second)
	exp := now.Add(time.Duration(d) * time.Second)
	if in.Session != nil && exp.After(in.Session.Expires) {
		return WebToken{}, awserr.New("SessionDurationEscalationException", http.StatusBadRequest,
			"The requested token duration would extend the session beyond its original expiration time.")
	}
	if err := inheritAndSetTags(&Session{}, nil, in.Tags, nil); err != nil {
		return WebToken{}, err
	}
	keys, err := s.decodeServiceKeys(ctx, webTokenPurpose, func(raw []byte) bool { return webTokenAlg(raw) == alg }, func() ([]byte, error) {
		return webTokenNewKey(alg)
	})
	if err != nil {
		return WebToken{}, err
	}
	var signWith decodeKey
	for _, k := range keys {
		if webTokenAlg(k.raw) == alg {
			signWith = k
		}
	}
	priv, err := x509.ParsePKCS8PrivateKey(signWith.raw)
	if err != nil {
		return WebToken{}, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: priv, KeyID: signWith.id}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return WebToken{}, err
	}
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return WebToken{}, err
	}
	ns := map[string]any{"aws_account": in.Account}
	if in.Region != "" {
		ns["source_region"] = in.Region
	}
	if len(in.PrincipalTags) > 0 {
		ns["principal_tags"] = in.PrincipalTags
	}
	if len(in.Tags) > 0 {
		req := make(map[string]string, len(in.Tags))
		for _, t := range in.Tags {
			req[t.Key] = t.Value
		}
		ns["request_tags"] = req
	}
	claims := map[string]any{
		"iss":             in.Issuer,
		"sub":             in.Subject,
		"aud":             jwt.Audience(in.Audience),
		"iat":             now.Unix(),
		"exp":             exp.Unix(),
		"jti":             hex.EncodeToString(jti[:]),
		webTokenNamespace: ns,
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return WebToken{}, err
	}
	if parts := strings.Split(token, "."); len(parts) == 3 && len(parts[1]) > webTokenMaxPayload {
		return WebToken{}, awserr.New("JWTPayloadSizeExceededException", http.StatusBadRequest,
			"The requested token payload size exceeds the maximum allowed size.")
	}
	return WebToken{Token: token, Expiration: exp}, nil
}

// errOutboundDisabled is AWS's error while the caller's account has not
// enabled outbound identity federation; the text is the model's
// documentation of the error, naming AWS as IAM's messages do.
func errOutboundDisabled() error {
	return awserr.New("OutboundWebIdentityFederationDisabledException", http.StatusBadRequest,
		"The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the AWS Management Console or API.")
}

// webTokenAlg is the algorithm a stored private key signs with.
func webTokenAlg(raw []byte) jose.SignatureAlgorithm {
	priv, err := x509.ParsePKCS8PrivateKey(raw)
	if err != nil {
		return ""
	}
	switch priv.(type) {
	case *rsa.PrivateKey:
		return jose.RS256
	case *ecdsa.PrivateKey:
		return jose.ES384
	}
	return ""
}

func webTokenNewKey(alg jose.SignatureAlgorithm) ([]byte, error) {
	var priv crypto.Signer
	var err error
	if alg == jose.RS256 {
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		priv, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	}
	if err != nil {
		return nil, err
	}
	return x509.MarshalPKCS8PrivateKey(priv)
}

// WebTokenJWKS returns the public keys that verify web identity tokens,
// for ISSUER/.well-known/jwks.json. It lists every key of the purpose, so
// tokens signed before a newer key was created still verify.
func (s *Service) WebTokenJWKS(ctx context.Context) (jose.JSONWebKeySet, error) {
	keys, err := s.decodeServiceKeys(ctx, webTokenPurpose, nil, func() ([]byte, error) { return webTokenNewKey(jose.RS256) })
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range keys {
		priv, err := x509.ParsePKCS8PrivateKey(k.raw)
		if err != nil {
			continue
		}
		signer, ok := priv.(crypto.Signer)
		if !ok {
			continue
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: signer.Public(), KeyID: k.id, Algorithm: string(webTokenAlg(k.raw)), Use: "sig"})
	}
	return set, nil
}

// WebTokenDiscovery returns the OpenID Connect discovery document of the
// issuer, for ISSUER/.well-known/openid-configuration.
func WebTokenDiscovery(issuer string) map[string]any {
	return map[string]any{
		"issuer":                                issuer,
		"jwks_uri":                              issuer + "/.well-known/jwks.json",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{string(jose.RS256), string(jose.ES384)},
		"claims_supported":                      []string{"aud", "exp", "iat", "iss", "jti", "sub", webTokenNamespace},
	}
}

// WebTokenIssuer is the issuer URL of a deployment reached at host. AWS
// gives each account its own issuer; Warden is one issuer for all the
// accounts it serves, named by where it is reached.
func WebTokenIssuer(host string, secure bool) string {
	if host == "" {
		host = "localhost"
	}
	if secure {
		return "https://" + host
	}
	return "http://" + host
}
