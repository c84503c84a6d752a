// Package samltest is a SAML 2.0 identity provider for tests: it makes an
// RSA key and a self-signed certificate, writes the IdP's metadata, and
// builds and signs Responses and Assertions with goxmldsig's signer, so
// that tests can produce good assertions and every kind of bad one.
package samltest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Names of the AWS SAML attributes.
const (
	AttrRole            = "https://aws.amazon.com/SAML/Attributes/Role"
	AttrRoleSessionName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	AttrSessionDuration = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
	AttrSourceIdentity  = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	AttrPrincipalTag    = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	AttrTransitiveKeys  = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
)

// IdP is a test identity provider.
type IdP struct {
	EntityID string
	Key      *rsa.PrivateKey
	CertDER  []byte
}

// New makes an IdP whose certificate is valid from a day before now to a
// year after.
func New(entityID string, now time.Time) (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: entityID},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &IdP{EntityID: entityID, Key: key, CertDER: der}, nil
}

// Metadata returns the IdP's metadata document; validUntil is omitted when
// zero.
func (p *IdP) Metadata(validUntil time.Time) string {
	vu := ""
	if !validUntil.IsZero() {
		vu = ` validUntil="` + validUntil.UTC().Format(time.RFC3339) + `"`
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + esc(p.EntityID) + `"` + vu + `>
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>` + base64.StdEncoding.EncodeToString(p.CertDER) + `</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
}

// Attribute is a SAML attribute.
type Attribute struct {
	Name   string
	Values []string
}

// Response describes a SAML Response with one Assertion.
type Response struct {
	ResponseID  string
	AssertionID string
	// Issuer is the Assertion's issuer; ResponseIssuer the Response's
	// (Issuer when empty).
	Issuer         string
	ResponseIssuer string
	Destination    string
	Recipient      string
	Audiences      []string
	NameID         string
	NameIDFormat   string
	IssueInstant   time.Time
	NotBefore      time.Time
	NotOnOrAfter   time.Time
	// SubjectNotOnOrAfter is SubjectConfirmationData's NotOnOrAfter.
	SubjectNotOnOrAfter time.Time
	SessionNotOnOrAfter *time.Time
	StatusCode          string
	Attributes          []Attribute
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("_%x", b)
}

// NewResponse returns a good response as an IdP configured for AWS sends
// it at now: AWS's recipient and audience, NameID "alice", valid for five
// minutes, with the Role pair and a RoleSessionName.
func (p *IdP) NewResponse(now time.Time, roleARN, providerARN string) *Response {
	now = now.UTC().Truncate(time.Second)
	return &Response{
		ResponseID: newID(), AssertionID: newID(), Issuer: p.EntityID,
		Destination: "https://signin.aws.amazon.com/saml", Recipient: "https://signin.aws.amazon.com/saml",
		Audiences: []string{"https://signin.aws.amazon.com/saml"},
		NameID:    "alice", NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
		IssueInstant: now, NotBefore: now.Add(-time.Minute), NotOnOrAfter: now.Add(5 * time.Minute),
		SubjectNotOnOrAfter: now.Add(5 * time.Minute),
		StatusCode:          "urn:oasis:names:tc:SAML:2.0:status:Success",
		Attributes: []Attribute{
			{Name: AttrRole, Values: []string{roleARN + "," + providerARN}},
			{Name: AttrRoleSessionName, Values: []string{"alice"}},
		},
	}
}

// SetAttribute replaces (or adds) an attribute; no values removes it.
func (r *Response) SetAttribute(name string, values ...string) {
	out := r.Attributes[:0:0]
	for _, a := range r.Attributes {
		if a.Name != name {
			out = append(out, a)
		}
	}
	if len(values) > 0 {
		out = append(out, Attribute{Name: name, Values: values})
	}
	r.Attributes = out
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AssertionXML is the unsigned Assertion.
func (p *IdP) AssertionXML(r *Response) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="%s" IssueInstant="%s" Version="2.0">`, esc(r.AssertionID), ts(r.IssueInstant))
	fmt.Fprintf(&b, `<saml:Issuer>%s</saml:Issuer>`, esc(r.Issuer))
	fmt.Fprintf(&b, `<saml:Subject><saml:NameID Format="%s">%s</saml:NameID>`, esc(r.NameIDFormat), esc(r.NameID))
	fmt.Fprintf(&b, `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="%s" Recipient="%s"/></saml:SubjectConfirmation></saml:Subject>`, ts(r.SubjectNotOnOrAfter), esc(r.Recipient))
	fmt.Fprintf(&b, `<saml:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml:AudienceRestriction>`, ts(r.NotBefore), ts(r.NotOnOrAfter))
	for _, a := range r.Audiences {
		fmt.Fprintf(&b, `<saml:Audience>%s</saml:Audience>`, esc(a))
	}
	b.WriteString(`</saml:AudienceRestriction></saml:Conditions>`)
	b.WriteString(`<saml:AttributeStatement>`)
	for _, a := range r.Attributes {
		fmt.Fprintf(&b, `<saml:Attribute Name="%s">`, esc(a.Name))
		for _, v := range a.Values {
			fmt.Fprintf(&b, `<saml:AttributeValue xsi:type="xs:string">%s</saml:AttributeValue>`, esc(v))
		}
		b.WriteString(`</saml:Attribute>`)
	}
	b.WriteString(`</saml:AttributeStatement>`)
	sess := ""
	if r.SessionNotOnOrAfter != nil {
		sess = ` SessionNotOnOrAfter="` + ts(*r.SessionNotOnOrAfter) + `"`
	}
	fmt.Fprintf(&b, `<saml:AuthnStatement AuthnInstant="%s" SessionIndex="%s"%s><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`, ts(r.IssueInstant), esc(r.AssertionID), sess)
	b.WriteString(`</saml:Assertion>`)
	return b.String()
}

// Sign signs el (enveloped, exclusive C14N, RSA-SHA256) with key/cert and
// puts the Signature right after the Issuer, where SAML's schema has it.
func Sign(el *etree.Element, key *rsa.PrivateKey, certDER []byte) (*etree.Element, error) {
	ctx, err := dsig.NewSigningContext(key, [][]byte{certDER})
	if err != nil {
		return nil, err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	// Canonicalizing may drop namespace declarations from the element it
	// is given; sign a copy and keep the original's.
	sig, err := ctx.ConstructSignature(el.Copy(), true)
	if err != nil {
		return nil, err
	}
	signed := el.Copy()
	at := 0
	for i, c := range signed.Child {
		if e, ok := c.(*etree.Element); ok && e.Tag == "Issuer" {
			at = i + 1
		}
	}
	signed.InsertChildAt(at, sig)
	return signed, nil
}

func parseElement(s string) (*etree.Element, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil {
		return nil, err
	}
	return doc.Root(), nil
}

// SignedAssertionXML is the Assertion signed with the IdP's key.
func (p *IdP) SignedAssertionXML(r *Response) (string, error) {
	el, err := parseElement(p.AssertionXML(r))
	if err != nil {
		return "", err
	}
	signed, err := Sign(el, p.Key, p.CertDER)
	if err != nil {
		return "", err
	}
	doc := etree.NewDocument()
	doc.SetRoot(signed)
	return doc.WriteToString()
}

// ResponseXML wraps assertionXML (signed or not) in a Response, signed by
// the IdP when signResponse is set.
func (p *IdP) ResponseXML(r *Response, assertionXML string, signResponse bool) (string, error) {
	issuer := r.ResponseIssuer
	if issuer == "" {
		issuer = r.Issuer
	}
	dest := ""
	if r.Destination != "" {
		dest = ` Destination="` + esc(r.Destination) + `"`
	}
	s := fmt.Sprintf(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" IssueInstant="%s" Version="2.0"%s><saml:Issuer>%s</saml:Issuer><samlp:Status><samlp:StatusCode Value="%s"/></samlp:Status>%s</samlp:Response>`,
		esc(r.ResponseID), ts(r.IssueInstant), dest, esc(issuer), esc(r.StatusCode), assertionXML)
	if !signResponse {
		return s, nil
	}
	el, err := parseElement(s)
	if err != nil {
		return "", err
	}
	signed, err := Sign(el, p.Key, p.CertDER)
	if err != nil {
		return "", err
	}
	doc := etree.NewDocument()
	doc.SetRoot(signed)
	return doc.WriteToString()
}

// Build returns the Response with a signed Assertion (the common shape).
func (p *IdP) Build(r *Response) (string, error) {
	a, err := p.SignedAssertionXML(r)
	if err != nil {
		return "", err
	}
	return p.ResponseXML(r, a, false)
}

// Encode is the SAMLAssertion parameter for a response document.
func Encode(xml string) string { return base64.StdEncoding.EncodeToString([]byte(xml)) }
