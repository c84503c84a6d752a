package sts

import (
	"context"
	"crypto/sha1" //nolint:gosec // AWS's NameQualifier is defined as a SHA-1 hash.
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts/saml"
)

// The AWS SAML attributes ([Configure SAML assertions for the
// authentication response]).
//
// [Configure SAML assertions for the authentication response]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html
const (
	samlAttrRole            = "https://aws.amazon.com/SAML/Attributes/Role"
	samlAttrRoleSessionName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	samlAttrSessionDuration = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
	samlAttrSourceIdentity  = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	samlAttrPrincipalTag    = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	samlAttrTransitiveKeys  = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
)

// samlKeyAttributes maps SAML attribute names (OIDs, as IdPs send them in
// the URI name format) to the saml:* condition keys AWS sets from them
// ([Available keys for SAML-based AWS STS federation]).
//
// [Available keys for SAML-based AWS STS federation]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
var samlKeyAttributes = map[string][]string{
	"urn:oid:2.5.4.3":                                                         {"saml:cn", "saml:commonName"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.2":                                        {"saml:eduorghomepageuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.3":                                        {"saml:eduorgidentityauthnpolicyuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.4":                                        {"saml:eduorglegalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.5":                                        {"saml:eduorgsuperioruri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.6":                                        {"saml:eduorgwhitepagesuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":                                        {"saml:edupersonaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.11":                                       {"saml:edupersonassurance"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.7":                                        {"saml:edupersonentitlement"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.2":                                        {"saml:edupersonnickname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.16":                                       {"saml:edupersonorcid"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.3":                                        {"saml:edupersonorgdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.4":                                        {"saml:edupersonorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.5":                                        {"saml:edupersonprimaryaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.8":                                        {"saml:edupersonprimaryorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.6":                                        {"saml:edupersonprincipalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.9":                                        {"saml:edupersonscopedaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.10":                                       {"saml:edupersontargetedid"},
	"urn:oid:2.5.4.42":                                                        {"saml:givenName"},
	"urn:oid:0.9.2342.19200300.100.1.3":                                       {"saml:mail"},
	"urn:oid:2.16.840.1.113730.3.1.241":                                       {"saml:name"},
	"urn:oid:2.5.4.4":                                                         {"saml:surname"},
	"urn:oid:0.9.2342.19200300.100.1.1":                                       {"saml:uid"},
	"urn:oid:2.5.4.45":                                                        {"saml:x500UniqueIdentifier"},
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": {"saml:primaryGroupSID"},
}

// SAMLIdentity is a verified SAML assertion as AssumeRoleWithSAML uses it:
// who the provider vouches for, for which role, and the condition keys the
// trust policy is evaluated with. Everything here comes from the verified
// assertion.
type SAMLIdentity struct {
	// ProviderARN is the PrincipalArn; Account owns the provider and the
	// role.
	ProviderARN  string
	ProviderName string
	Account      string
	RoleARN      string

	Assertion *saml.Assertion
	// Subject, SubjectType, Issuer, Audience and NameQualifier are the
	// response fields of the same names.
	Subject       string
	SubjectType   string
	Issuer        string
	Audience      string
	NameQualifier string

	RoleSessionName   string
	SessionDuration   *int
	SourceIdentity    *string
	Tags              []Tag
	TransitiveTagKeys []string
	// Keys are the saml:* condition keys, in a stable order; a key may
	// repeat for a multi-valued attribute.
	Keys []Tag
}

// samlRoleSessionName is AWS's rule for the RoleSessionName attribute.
var samlRoleSessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// errSAMLNotAuthorized is AWS's refusal when the assertion does not grant
// the role (and when the trust policy does not allow the provider).
func errSAMLNotAuthorized() error {
	return awserr.AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML")
}

// VerifySAML verifies an AssumeRoleWithSAML request's assertion against
// the provider named by principalARN, and checks what AWS requires of its
// attributes: a Role value pairing roleARN with principalARN (in either
// order), a valid RoleSessionName, and a SessionDuration of 900 to 43,200
// seconds if present. The provider must be in the role's account. A
// provider that does not exist, or whose stored metadata does not parse,
// accepts nothing.
func (s *Service) VerifySAML(ctx context.Context, roleARN, principalARN, assertion string) (*SAMLIdentity, error) {
	roleAcct, _, ok := ParseRoleARN(roleARN)
	if !ok {
		return nil, awserr.ValidationError("Request ARN is invalid")
	}
	acct, name, ok := iam.ParseSAMLProviderARN(principalARN)
	if !ok {
		return nil, awserr.ValidationError("Principal ARN is invalid")
	}
	p, found, err := s.iam.LookupSAMLProvider(ctx, acct, name)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, saml.InvalidIdentityToken("SAML provider %s does not exist.", principalARN)
	}
	// A provider's stored metadata passed ParseMetadata when it was
	// stored; if it no longer parses, fail closed.
	md, err := saml.ParseMetadata(p.Metadata)
	if err != nil {
		return nil, saml.InvalidIdentityToken("The SAML provider's metadata cannot be used.")
	}
	a, err := saml.NewVerifier(saml.Config{Now: s.now}).Verify(md, assertion)
	if err != nil {
		return nil, err
	}
	providerARN := iam.SAMLProviderARN(p.Account, p.Name)
	if acct != roleAcct || !samlGrantsRole(a, roleARN, principalARN) {
		return nil, errSAMLNotAuthorized()
	}
	id := &SAMLIdentity{ProviderARN: providerARN, ProviderName: p.Name, Account: acct, RoleARN: roleARN, Assertion: a,
		Subject: a.NameID, SubjectType: samlSubjectType(a.NameIDFormat), Issuer: a.Issuer, Audience: a.Recipient,
		NameQualifier: SAMLNameQualifier(a.Issuer, acct, p.Name)}
	if err := samlSessionAttributes(id, a); err != nil {
		return nil, err
	}
	id.Keys = samlConditionKeys(id, a)
	return id, nil
}

// samlGrantsRole reports whether the Role attribute has the pair
// "role-arn,provider-arn" (either order) for the requested role and
// provider. AWS behaviour: the role must be one the IdP granted.
func samlGrantsRole(a *saml.Assertion, roleARN, providerARN string) bool {
	values, _ := a.Values(samlAttrRole)
	for _, v := range values {
		first, second, ok := strings.Cut(v, ",")
		if !ok || strings.Contains(second, ",") {
			continue
		}
		first, second = strings.TrimSpace(first), strings.TrimSpace(second)
		if first == roleARN && second == providerARN || first == providerARN && second == roleARN {
			return true
		}
	}
	return false
}

// samlSubjectType is saml:sub_type: "persistent", "transient", or the
// NameID's Format URI.
func samlSubjectType(format string) string {
	switch format {
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent":
		return "persistent"
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:transient":
		return "transient"
	case "":
		return "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	}
	return format
}

// SAMLNameQualifier is AWS's NameQualifier: BASE64(SHA1(issuer + account +
// "/" + provider name)).
func SAMLNameQualifier(issuer, acct, providerName string) string {
	sum := sha1.Sum([]byte(issuer + acct + "/" + providerName)) //nolint:gosec // defined by AWS
	return base64.StdEncoding.EncodeToString(sum[:])
}

// samlSessionAttributes reads RoleSessionName, SessionDuration,
// SourceIdentity, PrincipalTag:* and TransitiveTagKeys.
func samlSessionAttributes(id *SAMLIdentity, a *saml.Assertion) error {
	names, _ := a.Values(samlAttrRoleSessionName)
	if len(names) != 1 || !samlRoleSessionName.MatchString(names[0]) {
		// AWS's message, as AWS answers it.
		return saml.InvalidIdentityToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
	}
	id.RoleSessionName = names[0]
	if v, ok := a.Values(samlAttrSessionDuration); ok {
		d, err := 0, error(nil)
		if len(v) == 1 {
			d, err = strconv.Atoi(strings.TrimSpace(v[0]))
		}
		if len(v) != 1 || err != nil || d < minDuration || d > 43200 {
			return saml.InvalidIdentityToken("SessionDuration in AuthnResponse must be an integer from 900 to 43200.")
		}
		id.SessionDuration = &d
	}
	if v, ok := a.Values(samlAttrSourceIdentity); ok {
		if len(v) != 1 || !samlRoleSessionName.MatchString(v[0]) {
			return saml.InvalidIdentityToken("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
		}
		id.SourceIdentity = &v[0]
	}
	for _, at := range a.Attributes {
		key, ok := strings.CutPrefix(at.Name, samlAttrPrincipalTag)
		if !ok {
			continue
		}
		if key == "" || len(key) > 128 || len(at.Values) != 1 || len(at.Values[0]) > 256 || strings.HasPrefix(strings.ToLower(key), "aws:") {
			return saml.InvalidIdentityToken("The PrincipalTag attribute %s is not a valid session tag.", key)
		}
		id.Tags = append(id.Tags, Tag{Key: key, Value: at.Values[0]})
	}
	if v, ok := a.Values(samlAttrTransitiveKeys); ok {
		id.TransitiveTagKeys = v
	}
	return nil
}

// samlConditionKeys are the saml:* keys of the trust policy, from the
// verified assertion.
func samlConditionKeys(id *SAMLIdentity, a *saml.Assertion) []Tag {
	keys := []Tag{
		{Key: "saml:aud", Value: a.Recipient},
		{Key: "saml:iss", Value: a.Issuer},
		{Key: "saml:sub", Value: a.NameID},
		{Key: "saml:sub_type", Value: id.SubjectType},
		{Key: "saml:namequalifier", Value: id.NameQualifier},
		{Key: "saml:doc", Value: id.Account + "/" + id.ProviderName},
	}
	for _, at := range a.Attributes {
		for _, k := range samlKeyAttributes[at.Name] {
			for _, v := range at.Values {
				keys = append(keys, Tag{Key: k, Value: v})
			}
		}
	}
	return keys
}

// SAMLAssumeInput is what AssumeRoleWithSAML asks for beside the assertion.
type SAMLAssumeInput struct {
	DurationSeconds *int
	Policy          *string
	PolicyARNs      []string
	Region          string
}

// AssumeRoleWithSAML issues a role session for a verified assertion.
// Authorization (the role's trust policy) happened before. It records the
// assertion's id until the assertion expires, so that it is used once
// (AWS does not document replay handling; Warden refuses a second use).
//
// The session lasts DurationSeconds (default an hour; more than the
// role's MaxSessionDuration is a ValidationError), cut short by the
// SessionDuration attribute and by the AuthnStatement's
// SessionNotOnOrAfter, whichever is earlier.
func (s *Service) AssumeRoleWithSAML(ctx context.Context, id *SAMLIdentity, in SAMLAssumeInput) (Issued, error) {
	acct, roleName, _ := ParseRoleARN(id.RoleARN)
	role, found := s.iam.Snapshot().Role(acct, roleName)
	if !found {
		return Issued{}, errSAMLNotAuthorized()
	}
	now := s.now()
	d := defaultRoleDuration
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
		if d > role.MaxSessionDuration {
			return Issued{}, awserr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}
	if id.SessionDuration != nil && *id.SessionDuration < d {
		d = *id.SessionDuration
	}
	if sn := id.Assertion.SessionNotOnOrAfter; sn != nil {
		left := int(sn.Sub(now) / time.Second)
		if left <= 0 {
			return Issued{}, saml.ExpiredToken("Response has expired")
		}
		if left < d {
			d = left
		}
	}
	if err := s.samlUseAssertion(ctx, id.Assertion, now); err != nil {
		return Issued{}, err
	}
	out, err := s.AssumeRole(ctx, Caller{Account: acct, Region: in.Region}, id.ProviderARN, AssumeRoleInput{
		RoleARN: id.RoleARN, RoleSessionName: id.RoleSessionName, DurationSeconds: &d,
		Policy: in.Policy, PolicyARNs: in.PolicyARNs, Tags: id.Tags, TransitiveTagKeys: id.TransitiveTagKeys,
		SourceIdentity: id.SourceIdentity, Provider: id.ProviderARN, ProviderKeys: id.Keys,
	})
	if err != nil {
		return Issued{}, err
	}
	return out, nil
}

// samlUseAssertion records the assertion id (hashed with its issuer, so
// that ids of different IdPs never collide) until the assertion expires;
// a live record is a replay.
func (s *Service) samlUseAssertion(ctx context.Context, a *saml.Assertion, now time.Time) error {
	sum := sha256.Sum256([]byte(a.Issuer + "\x00" + a.ID))
	key := "saml:" + hex.EncodeToString(sum[:])
	err := s.store.Update(ctx, func(tx store.Tx) error {
		return tx.UseAssertionID(ctx, key, now.UTC(), a.NotOnOrAfter)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return saml.InvalidIdentityToken("The SAML assertion has already been used.")
	}
	return err
}
