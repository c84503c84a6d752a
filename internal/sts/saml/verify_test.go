package saml_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sts/saml"
	"github.com/warden-iam/warden/internal/sts/saml/samltest"
)

const (
	roleARN     = "arn:aws:iam::123456789012:role/saml-role"
	providerARN = "arn:aws:iam::123456789012:saml-provider/corp"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

type fixture struct {
	idp, other *samltest.IdP
	md         *saml.Metadata
	v          *saml.Verifier
	now        time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	idp, err := samltest.New("https://idp.example.com/saml", t0)
	require.NoError(t, err)
	other, err := samltest.New("https://idp.example.com/saml", t0)
	require.NoError(t, err)
	md, err := saml.ParseMetadata(idp.Metadata(time.Time{}))
	require.NoError(t, err)
	f := &fixture{idp: idp, other: other, md: md, now: t0}
	f.v = saml.NewVerifier(saml.Config{Now: func() time.Time { return f.now }})
	return f
}

func (f *fixture) build(t *testing.T, edit func(*samltest.Response)) string {
	t.Helper()
	r := f.idp.NewResponse(t0, roleARN, providerARN)
	if edit != nil {
		edit(r)
	}
	x, err := f.idp.Build(r)
	require.NoError(t, err)
	return x
}

func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	var ae *awserr.Error
	require.True(t, errors.As(err, &ae), "not an AWS error: %v", err)
	require.Equal(t, code, ae.Code, ae.Message)
}

func TestVerifyGood(t *testing.T) {
	f := newFixture(t)
	a, err := f.v.Verify(f.md, samltest.Encode(f.build(t, nil)))
	require.NoError(t, err)
	require.Equal(t, "alice", a.NameID)
	require.Equal(t, "https://idp.example.com/saml", a.Issuer)
	require.Equal(t, saml.SignInURL, a.Recipient)
	roles, ok := a.Values(samltest.AttrRole)
	require.True(t, ok)
	require.Equal(t, []string{roleARN + "," + providerARN}, roles)

	t.Run("signed response, unsigned assertion", func(t *testing.T) {
		r := f.idp.NewResponse(t0, roleARN, providerARN)
		x, err := f.idp.ResponseXML(r, f.idp.AssertionXML(r), true)
		require.NoError(t, err)
		_, err = f.v.Verify(f.md, samltest.Encode(x))
		require.NoError(t, err)
	})
	t.Run("audience urn:amazon:webservices", func(t *testing.T) {
		_, err := f.v.Verify(f.md, samltest.Encode(f.build(t, func(r *samltest.Response) { r.Audiences = []string{saml.AudienceURN} })))
		require.NoError(t, err)
	})
	t.Run("NotBefore in the future within skew", func(t *testing.T) {
		_, err := f.v.Verify(f.md, samltest.Encode(f.build(t, func(r *samltest.Response) { r.NotBefore = t0.Add(4 * time.Minute) })))
		require.NoError(t, err)
	})
	t.Run("comment-split NameID reads in full", func(t *testing.T) {
		x := strings.Replace(f.build(t, nil), ">alice</saml:NameID>", ">al<!---->ice</saml:NameID>", 1)
		require.Contains(t, x, "al<!---->ice")
		a, err := f.v.Verify(f.md, samltest.Encode(x))
		require.NoError(t, err)
		require.Equal(t, "alice", a.NameID)
	})
	t.Run("configured Warden recipient", func(t *testing.T) {
		v := saml.NewVerifier(saml.Config{Now: func() time.Time { return t0 }, Recipients: []string{"https://warden.example.com/saml"}})
		_, err := v.Verify(f.md, samltest.Encode(f.build(t, func(r *samltest.Response) {
			r.Recipient, r.Destination = "https://warden.example.com/saml", "https://warden.example.com/saml"
		})))
		require.NoError(t, err)
	})
}

func TestVerifyRejects(t *testing.T) {
	f := newFixture(t)
	good := f.build(t, nil)
	r := f.idp.NewResponse(t0, roleARN, providerARN)
	unsignedAssertion := f.idp.AssertionXML(r)
	signedAssertion, err := f.idp.SignedAssertionXML(r)
	require.NoError(t, err)

	forged := f.idp.NewResponse(t0, roleARN, providerARN)
	forged.AssertionID = "_forged"
	forged.NameID = "mallory"
	forgedAssertion := f.idp.AssertionXML(forged)

	untrusted := func() string {
		rr := f.idp.NewResponse(t0, roleARN, providerARN)
		a, err := f.other.SignedAssertionXML(rr)
		require.NoError(t, err)
		x, err := f.other.ResponseXML(rr, a, false)
		require.NoError(t, err)
		return x
	}()
	wrap := func(inner string) string {
		x, err := f.idp.ResponseXML(r, inner, false)
		require.NoError(t, err)
		return x
	}
	edited := func(edit func(*samltest.Response)) string { return f.build(t, edit) }

	for _, tc := range []struct {
		name string
		xml  string
		raw  string // used instead of xml when set
		now  time.Time
		code string
	}{
		{name: "tampered NameID", xml: strings.Replace(good, ">alice</saml:NameID>", ">mallory</saml:NameID>", 1), code: "InvalidIdentityToken"},
		{name: "tampered Role attribute", xml: strings.Replace(good, "role/saml-role", "role/admin", 1), code: "InvalidIdentityToken"},
		{name: "unsigned assertion", xml: wrap(unsignedAssertion), code: "InvalidIdentityToken"},
		{name: "signature by an untrusted key", xml: untrusted, code: "InvalidIdentityToken"},
		{name: "two assertions, first signed", xml: wrap(signedAssertion + forgedAssertion), code: "InvalidIdentityToken"},
		{name: "forged assertion before the signed one", xml: wrap(forgedAssertion + signedAssertion), code: "InvalidIdentityToken"},
		{name: "signed assertion moved under a forged one", xml: wrap(strings.Replace(forgedAssertion, "<saml:Subject>", "<saml:Advice>"+signedAssertion+"</saml:Advice><saml:Subject>", 1)), code: "InvalidIdentityToken"},
		{name: "signed assertion inside Extensions", xml: strings.Replace(wrap(forgedAssertion), "<samlp:Status>", "<samlp:Extensions>"+signedAssertion+"</samlp:Extensions><samlp:Status>", 1), code: "InvalidIdentityToken"},
		{name: "wrong audience", xml: edited(func(r *samltest.Response) { r.Audiences = []string{"https://other.example.com"} }), code: "InvalidIdentityToken"},
		{name: "wrong audience beside a right one in another restriction", xml: strings.Replace(good, "</saml:AudienceRestriction>", "</saml:AudienceRestriction><saml:AudienceRestriction><saml:Audience>https://other.example.com</saml:Audience></saml:AudienceRestriction>", 1), code: "InvalidIdentityToken"},
		{name: "expired NotOnOrAfter", xml: good, now: t0.Add(5 * time.Minute), code: "ExpiredTokenException"},
		{name: "expired SubjectConfirmationData", xml: edited(func(r *samltest.Response) { r.SubjectNotOnOrAfter = t0.Add(-time.Second) }), code: "ExpiredTokenException"},
		{name: "issued more than 5 minutes ago", xml: edited(func(r *samltest.Response) {
			r.IssueInstant = t0.Add(-6 * time.Minute)
			r.NotOnOrAfter, r.SubjectNotOnOrAfter = t0.Add(time.Hour), t0.Add(time.Hour)
		}), code: "ExpiredTokenException"},
		{name: "NotBefore beyond skew", xml: edited(func(r *samltest.Response) { r.NotBefore = t0.Add(6 * time.Minute) }), code: "InvalidIdentityToken"},
		{name: "wrong Recipient", xml: edited(func(r *samltest.Response) { r.Recipient = "https://evil.example.com/saml" }), code: "InvalidIdentityToken"},
		{name: "wrong Destination", xml: edited(func(r *samltest.Response) { r.Destination = "https://evil.example.com/saml" }), code: "InvalidIdentityToken"},
		{name: "issuer not the provider's", xml: edited(func(r *samltest.Response) {
			r.Issuer, r.ResponseIssuer = "https://evil.example.com", "https://evil.example.com"
		}), code: "InvalidIdentityToken"},
		{name: "response issuer not the provider's", xml: edited(func(r *samltest.Response) { r.ResponseIssuer = "https://evil.example.com" }), code: "InvalidIdentityToken"},
		{name: "non-Success status", xml: edited(func(r *samltest.Response) { r.StatusCode = "urn:oasis:names:tc:SAML:2.0:status:Requester" }), code: "IDPRejectedClaim"},
		{name: "DOCTYPE", xml: `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>` + good, code: "InvalidIdentityToken"},
		{name: "entity declaration after a comment", xml: `<!-- x --><!ENTITY a "b">` + good, code: "InvalidIdentityToken"},
		{name: "billion laughs", xml: `<!DOCTYPE l [<!ENTITY l0 "ha"><!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&l1;</samlp:Response>`, code: "InvalidIdentityToken"},
		{name: "processing instruction", xml: strings.Replace(good, "<saml:Issuer>", "<?evil x?><saml:Issuer>", 1), code: "InvalidIdentityToken"},
		{name: "deep nesting", xml: strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100), code: "InvalidIdentityToken"},
		{name: "not a Response", xml: signedAssertion, code: "InvalidIdentityToken"},
		{name: "not XML", raw: base64.StdEncoding.EncodeToString([]byte("hello")), code: "InvalidIdentityToken"},
		{name: "not base64", raw: "!!!not base64!!!", code: "InvalidIdentityToken"},
		{name: "oversized input", raw: strings.Repeat("A", saml.MaxAssertionChars+4), code: "InvalidIdentityToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.now = t0
			if !tc.now.IsZero() {
				f.now = tc.now
			}
			in := tc.raw
			if in == "" {
				in = samltest.Encode(tc.xml)
			}
			a, err := f.v.Verify(f.md, in)
			requireCode(t, err, tc.code)
			require.Nil(t, a)
		})
	}
	f.now = t0
}

func TestVerifyFailsClosedWithoutMetadata(t *testing.T) {
	f := newFixture(t)
	in := samltest.Encode(f.build(t, nil))
	for _, tc := range []struct {
		name string
		md   *saml.Metadata
	}{
		{"nil", nil},
		{"empty", &saml.Metadata{}},
		{"no certificates", &saml.Metadata{EntityID: f.idp.EntityID}},
		{"expired", &saml.Metadata{EntityID: f.idp.EntityID, Certificates: f.md.Certificates, ValidUntil: t0.Add(-time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.v.Verify(tc.md, in)
			requireCode(t, err, "InvalidIdentityToken")
		})
	}
}

func TestParseMetadata(t *testing.T) {
	idp, err := samltest.New("https://idp.example.com/saml", t0)
	require.NoError(t, err)
	good := idp.Metadata(t0.Add(48 * time.Hour))
	md, err := saml.ParseMetadata(good)
	require.NoError(t, err)
	require.Equal(t, "https://idp.example.com/saml", md.EntityID)
	require.Len(t, md.Certificates, 1)
	require.True(t, md.ValidUntil.Equal(t0.Add(48*time.Hour)))

	for _, tc := range []struct{ name, doc string }{
		{"empty", ""},
		{"garbage", strings.Repeat("x", 2000)},
		{"not an EntityDescriptor", strings.ReplaceAll(good, "EntityDescriptor", "EntitiesDescriptor")},
		{"no IDPSSODescriptor", strings.ReplaceAll(good, "IDPSSODescriptor", "SPSSODescriptor")},
		{"encryption key only", strings.Replace(good, `use="signing"`, `use="encryption"`, 1)},
		{"certificate not a certificate", strings.Replace(good, "<ds:X509Certificate>", "<ds:X509Certificate>AAAA", 1)},
		{"no entity id", strings.Replace(good, `entityID="https://idp.example.com/saml"`, `entityID=""`, 1)},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + good[strings.Index(good, "<md:"):]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := saml.ParseMetadata(tc.doc)
			requireCode(t, err, "InvalidInput")
		})
	}
}

func FuzzVerify(f *testing.F) {
	idp, err := samltest.New("https://idp.example.com/saml", t0)
	if err != nil {
		f.Fatal(err)
	}
	md, err := saml.ParseMetadata(idp.Metadata(time.Time{}))
	if err != nil {
		f.Fatal(err)
	}
	x, err := idp.Build(idp.NewResponse(t0, roleARN, providerARN))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(x)
	f.Add(`<!DOCTYPE a><a/>`)
	v := saml.NewVerifier(saml.Config{Now: func() time.Time { return t0 }})
	f.Fuzz(func(t *testing.T, doc string) {
		a, err := v.Verify(md, samltest.Encode(doc))
		if err == nil && a.NameID != "alice" {
			t.Fatalf("accepted a changed document: NameID %q", a.NameID)
		}
	})
}
