package saml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	rtvalidator "github.com/mattermost/xml-roundtrip-validator"
	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/warden-iam/warden/internal/awserr"
)

// AWS's SAML endpoint and audiences.
//
// AWS behaviour ([Configure SAML assertions for the authentication
// response]): the Recipient of SubjectConfirmationData (and the Response's
// Destination) must be the AWS sign-in endpoint, https://signin.aws.amazon.com/saml
// or a regional https://REGION.signin.aws.amazon.com/saml; the Audience must be
// https://signin.aws.amazon.com/saml or urn:amazon:webservices.
//
// [Configure SAML assertions for the authentication response]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html
const (
	SignInURL   = "https://signin.aws.amazon.com/saml"
	AudienceURN = "urn:amazon:webservices"
)

// Namespaces of SAML 2.0.
const (
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
)

// Limits and windows.
const (
	// MaxAssertionChars is AWS's limit on SAMLAssertion (the API model's
	// SAMLAssertionType, 4 to 100,000 characters), checked before decoding.
	MaxAssertionChars = 100_000
	// DefaultSkew is the clock skew allowed on NotBefore. AWS does not
	// document its own; five minutes is what SigV4 allows.
	DefaultSkew = 5 * time.Minute
	// redeemWithin: AWS behaviour, an assertion must be used within five
	// minutes of its IssueInstant ("Token must be redeemed within 5 minutes
	// of issuance", ExpiredTokenException, as AWS answers).
	redeemWithin = 5 * time.Minute
	// maxResponseDepth bounds element nesting in a response.
	maxResponseDepth = 32
)

// Errors of AssumeRoleWithSAML, with AWS's codes and statuses
// ([AssumeRoleWithSAML errors]).
//
// [AssumeRoleWithSAML errors]: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html#API_AssumeRoleWithSAML_Errors
func InvalidIdentityToken(format string, a ...any) *awserr.Error {
	return awserr.New("InvalidIdentityToken", http.StatusBadRequest, format, a...)
}

// ExpiredToken is ExpiredTokenException: the assertion's time is up.
func ExpiredToken(format string, a ...any) *awserr.Error {
	return awserr.New("ExpiredTokenException", http.StatusBadRequest, format, a...)
}

// IDPRejectedClaim is the IdP's own refusal (a non-Success status).
func IDPRejectedClaim(format string, a ...any) *awserr.Error {
	return awserr.New("IDPRejectedClaim", http.StatusForbidden, format, a...)
}

// AWS's messages, where known (recorded from AWS answers quoted in client
// bug reports); the others are Warden's wording.
func errSignature() error { return InvalidIdentityToken("Response signature invalid") }
func errIssuer() error    { return InvalidIdentityToken("Issuer not present in specified provider") }
func errExpired() error   { return ExpiredToken("Response has expired") }
func errMalformed() error {
	return InvalidIdentityToken("The SAML response is malformed or unsafe XML.")
}

// Config configures a Verifier.
type Config struct {
	// Recipients are the accepted Recipient and Destination values besides
	// AWS's sign-in endpoints. A self-hosted deployment accepts AWS's URL
	// (what IdPs configured for AWS send) and, optionally, its own ACS URL.
	Recipients []string
	// Audiences are accepted Audience values besides AWS's two.
	Audiences []string
	// Skew is the clock skew allowed on NotBefore (default DefaultSkew).
	Skew time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Verifier verifies SAML responses for AssumeRoleWithSAML. It is safe for
// concurrent use.
type Verifier struct {
	recipients map[string]bool
	audiences  []string
	skew       time.Duration
	now        func() time.Time
}

// NewVerifier returns a Verifier.
func NewVerifier(cfg Config) *Verifier {
	v := &Verifier{recipients: map[string]bool{SignInURL: true}, audiences: []string{SignInURL, AudienceURN}, skew: cfg.Skew, now: cfg.Now}
	for _, r := range cfg.Recipients {
		v.recipients[r] = true
	}
	v.audiences = append(v.audiences, cfg.Audiences...)
	if v.skew <= 0 {
		v.skew = DefaultSkew
	}
	if v.now == nil {
		v.now = time.Now
	}
	return v
}

// regionalSignIn matches AWS's regional sign-in endpoints.
var regionalSignIn = regexp.MustCompile(`^https://[a-z]{2}(-[a-z]+)+-[0-9]\.signin\.aws\.amazon\.com/saml$`)

func (v *Verifier) recipientOK(r string) bool {
	return v.recipients[r] || regionalSignIn.MatchString(r)
}

func (v *Verifier) audienceOK(a string) bool {
	for _, x := range v.audiences {
		if a == x {
			return true
		}
	}
	return false
}

// Attribute is one SAML attribute of a verified assertion; attributes of
// the same name are merged, values in document order.
type Attribute struct {
	Name   string
	Values []string
}

// Assertion is what a verified response says, read from the element the
// signature verifier returned and nothing else.
type Assertion struct {
	ID           string
	Issuer       string
	NameID       string
	NameIDFormat string
	// Recipient is SubjectConfirmationData's Recipient (saml:aud).
	Recipient    string
	IssueInstant time.Time
	// NotOnOrAfter is the earlier of the Conditions' and the
	// SubjectConfirmationData's: the assertion is dead from then on.
	NotOnOrAfter time.Time
	// SessionNotOnOrAfter is the AuthnStatement's, if any.
	SessionNotOnOrAfter *time.Time
	Attributes          []Attribute
}

// Values returns the values of the named attribute.
func (a *Assertion) Values(name string) ([]string, bool) {
	for _, at := range a.Attributes {
		if at.Name == name {
			return at.Values, true
		}
	}
	return nil, false
}

// responseScan is what the screening pass saw of the raw, unverified
// document. It decides only which values to ask gosaml2 to require; every
// claim is read again from the verified element.
type responseScan struct {
	root          xml.Name
	assertions    int // Assertion elements anywhere, in any namespace
	encrypted     int // EncryptedAssertion elements anywhere
	topAssertion  bool
	confirmations int // SubjectConfirmation elements
	recipient     string
	audiences     []string
	notBefore     string
}

func scanResponse(raw []byte) (*responseScan, error) {
	sc := &responseScan{}
	inAudience := false
	err := screenXML(raw, maxResponseDepth, func(path []xml.Name, tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			inAudience = false
			if len(path) == 0 {
				sc.root = t.Name
			}
			switch t.Name.Local {
			case "Assertion":
				sc.assertions++
				sc.topAssertion = len(path) == 1 && t.Name.Space == nsAssertion
			case "EncryptedAssertion":
				sc.encrypted++
			case "SubjectConfirmation":
				sc.confirmations++
			case "SubjectConfirmationData":
				sc.recipient = attr(t, "Recipient")
			case "Conditions":
				sc.notBefore = attr(t, "NotBefore")
			case "Audience":
				if t.Name.Space == nsAssertion && len(path) > 0 && path[len(path)-1].Local == "AudienceRestriction" {
					inAudience = true
					sc.audiences = append(sc.audiences, "")
				}
			}
		case xml.CharData:
			// Text split by comments arrives in pieces; join them.
			if inAudience && len(path) > 0 && path[len(path)-1].Local == "Audience" {
				sc.audiences[len(sc.audiences)-1] += string(t)
			}
		}
	})
	return sc, err
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Verify decodes and verifies a base64 SAML response against an IdP's
// metadata and returns its one assertion. It refuses, before any signature
// work: input over MaxAssertionChars, bad base64, DOCTYPE or entity
// declarations, deep nesting, round-trip-unstable XML, a root other than a
// samlp:Response, and any number of Assertion elements other than one (as
// a direct child of the Response; encrypted assertions are not served).
// Then gosaml2 checks the signature (of the Response or of the Assertion,
// only with the metadata's certificates), Issuer, Status, Destination,
// Recipient and the time conditions; every warning it reports is a
// rejection. Finally the verified assertion's audience, NotBefore (with
// skew), NotOnOrAfter and IssueInstant are checked again here.
func (v *Verifier) Verify(md *Metadata, encoded string) (*Assertion, error) {
	// A provider whose metadata is empty or garbled never accepts anything.
	if md == nil || md.EntityID == "" || len(md.Certificates) == 0 {
		return nil, InvalidIdentityToken("The SAML provider has no usable metadata.")
	}
	now := v.now()
	if !md.ValidUntil.IsZero() && !now.Before(md.ValidUntil) {
		return nil, InvalidIdentityToken("The SAML provider's metadata has expired (ValidUntil).")
	}
	if len(encoded) > MaxAssertionChars {
		return nil, InvalidIdentityToken("The SAML assertion exceeds %d characters.", MaxAssertionChars)
	}
	encoded = stripSpace(encoded)
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(raw) == 0 {
		return nil, InvalidIdentityToken("The SAMLAssertion is not valid base64.")
	}
	sc, err := scanResponse(raw)
	if err != nil {
		return nil, errMalformed()
	}
	if err := rtvalidator.Validate(bytes.NewReader(raw)); err != nil {
		return nil, errMalformed()
	}
	switch {
	case sc.root.Space != nsProtocol || sc.root.Local != "Response":
		return nil, InvalidIdentityToken("The SAML document is not a samlp:Response.")
	case sc.encrypted > 0:
		return nil, InvalidIdentityToken("Encrypted SAML assertions are not supported.")
	case sc.assertions != 1 || !sc.topAssertion:
		return nil, InvalidIdentityToken("The SAML response must contain exactly one Assertion.")
	case sc.confirmations != 1:
		// AWS behaviour: exactly one SubjectConfirmation.
		return nil, InvalidIdentityToken("The SAML assertion must contain exactly one SubjectConfirmation.")
	case !v.recipientOK(sc.recipient):
		return nil, InvalidIdentityToken("The SAML assertion's Recipient is not this service's SAML endpoint.")
	}
	audience := ""
	for _, a := range sc.audiences {
		if v.audienceOK(strings.TrimSpace(a)) {
			audience = strings.TrimSpace(a)
			break
		}
	}
	if audience == "" {
		return nil, InvalidIdentityToken("The SAML assertion's Audience is not this service.")
	}
	// gosaml2 checks NotBefore without skew. Evaluate it at NotBefore when
	// that is in the future by no more than the skew; the verified values
	// are checked against the real clock below.
	evalAt := now
	if nb, err := time.Parse(time.RFC3339, sc.notBefore); err == nil && nb.After(now) && !nb.After(now.Add(v.skew)) {
		evalAt = nb
	}
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderIssuer:      md.EntityID,
		AssertionConsumerServiceURL: sc.recipient,
		AudienceURI:                 audience,
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: md.Certificates},
		Clock:                       dsig.NewFakeClockAt(evalAt),
		// The input is plain XML (HTTP-POST binding): no inflating beyond
		// the size of what was sent.
		MaximumDecompressedBodySize: int64(len(raw)),
		MaximumXMLTokens:            maxTokens,
	}
	info, err := sp.RetrieveAssertionInfo(encoded)
	if err != nil {
		return nil, mapError(err)
	}
	if len(info.Assertions) != 1 {
		return nil, InvalidIdentityToken("The SAML response must contain exactly one Assertion.")
	}
	a := &info.Assertions[0]
	out, err := v.check(md, a, audience, now)
	if err != nil {
		return nil, err
	}
	// Every warning is a rejection (gosaml2 reports a wrong audience or a
	// time outside the conditions only as a warning, with no error).
	if w := info.WarningInfo; w == nil || w.InvalidTime || w.NotInAudience || w.OneTimeUse || w.ProxyRestriction != nil {
		return nil, InvalidIdentityToken("The SAML assertion's conditions are not met.")
	}
	return out, nil
}

// check applies the time, audience and subject rules to the verified
// assertion and copies out its claims.
func (v *Verifier) check(md *Metadata, a *types.Assertion, audience string, now time.Time) (*Assertion, error) {
	if a.Issuer == nil || a.Issuer.Value != md.EntityID {
		return nil, errIssuer()
	}
	if a.ID == "" {
		return nil, InvalidIdentityToken("The SAML assertion has no ID.")
	}
	c := a.Conditions
	if c == nil {
		return nil, InvalidIdentityToken("The SAML assertion has no Conditions.")
	}
	notBefore, err := time.Parse(time.RFC3339, c.NotBefore)
	if err != nil {
		return nil, InvalidIdentityToken("The SAML assertion's NotBefore is missing or not a time.")
	}
	if notBefore.After(now.Add(v.skew)) {
		return nil, InvalidIdentityToken("The SAML assertion is not yet valid (NotBefore).")
	}
	notOnOrAfter, err := time.Parse(time.RFC3339, c.NotOnOrAfter)
	if err != nil {
		return nil, InvalidIdentityToken("The SAML assertion's NotOnOrAfter is missing or not a time.")
	}
	if a.Subject == nil || a.Subject.SubjectConfirmation == nil || a.Subject.SubjectConfirmation.SubjectConfirmationData == nil {
		return nil, InvalidIdentityToken("The SAML assertion has no SubjectConfirmationData.")
	}
	scd := a.Subject.SubjectConfirmation.SubjectConfirmationData
	scdNotOnOrAfter, err := time.Parse(time.RFC3339, scd.NotOnOrAfter)
	if err != nil {
		return nil, InvalidIdentityToken("The SAML assertion's SubjectConfirmationData has no NotOnOrAfter.")
	}
	if scdNotOnOrAfter.Before(notOnOrAfter) {
		notOnOrAfter = scdNotOnOrAfter
	}
	if !now.Before(notOnOrAfter) {
		return nil, errExpired()
	}
	if a.IssueInstant.IsZero() {
		return nil, InvalidIdentityToken("The SAML assertion has no IssueInstant.")
	}
	if now.Sub(a.IssueInstant) > redeemWithin {
		return nil, ExpiredToken("Token must be redeemed within 5 minutes of issuance")
	}
	if !v.recipientOK(scd.Recipient) {
		return nil, InvalidIdentityToken("The SAML assertion's Recipient is not this service's SAML endpoint.")
	}
	if len(c.AudienceRestrictions) == 0 {
		return nil, InvalidIdentityToken("The SAML assertion's Audience is not this service.")
	}
	for _, r := range c.AudienceRestrictions {
		ok := false
		for _, au := range r.Audiences {
			if strings.TrimSpace(au.Value) == audience {
				ok = true
			}
		}
		if !ok {
			return nil, InvalidIdentityToken("The SAML assertion's Audience is not this service.")
		}
	}
	if a.Subject.NameID == nil || a.Subject.NameID.Value == "" {
		return nil, InvalidIdentityToken("The SAML assertion has no NameID.")
	}
	out := &Assertion{ID: a.ID, Issuer: a.Issuer.Value, NameID: a.Subject.NameID.Value, NameIDFormat: a.Subject.NameID.Format,
		Recipient: scd.Recipient, IssueInstant: a.IssueInstant.UTC(), NotOnOrAfter: notOnOrAfter.UTC()}
	if as := a.AuthnStatement; as != nil && as.SessionNotOnOrAfter != nil {
		t := as.SessionNotOnOrAfter.UTC()
		out.SessionNotOnOrAfter = &t
	}
	if st := a.AttributeStatement; st != nil {
		for _, at := range st.Attributes {
			values := make([]string, 0, len(at.Values))
			for _, av := range at.Values {
				if av.NameID != nil && av.NameID.Value != "" {
					values = append(values, av.NameID.Value)
				} else {
					values = append(values, av.Value)
				}
			}
			merged := false
			for i := range out.Attributes {
				if out.Attributes[i].Name == at.Name {
					out.Attributes[i].Values = append(out.Attributes[i].Values, values...)
					merged = true
				}
			}
			if !merged {
				out.Attributes = append(out.Attributes, Attribute{Name: at.Name, Values: values})
			}
		}
	}
	return out, nil
}

// mapError turns a gosaml2 refusal into AWS's error. Refusals of the
// Response's contents have their own codes; everything else (signature,
// certificate, structure) is "Response signature invalid".
func mapError(err error) error {
	var ve saml2.ErrVerification
	if errors.As(err, &ve) && ve.Cause != nil {
		err = ve.Cause
	}
	var iv saml2.ErrInvalidValue
	if errors.As(err, &iv) {
		switch {
		case iv.Reason == saml2.ReasonExpired:
			return errExpired()
		case iv.Key == saml2.IssuerTag:
			return errIssuer()
		case iv.Key == saml2.StatusCodeTag:
			return IDPRejectedClaim("The identity provider reported that authentication failed.")
		case iv.Key == saml2.DestinationAttr:
			return InvalidIdentityToken("The SAML response's Destination is not this service's SAML endpoint.")
		case iv.Key == saml2.RecipientAttr:
			return InvalidIdentityToken("The SAML assertion's Recipient is not this service's SAML endpoint.")
		}
		return InvalidIdentityToken("The SAML response is not valid: %s", iv.Key)
	}
	var me saml2.ErrMissingElement
	if errors.As(err, &me) {
		return InvalidIdentityToken("The SAML response is missing %s.", me.Tag)
	}
	var pe saml2.ErrParsing
	if errors.As(err, &pe) {
		return InvalidIdentityToken("The SAML response's %s is not valid.", pe.Tag)
	}
	return errSignature()
}
