package saml

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	rtvalidator "github.com/mattermost/xml-roundtrip-validator"
	"github.com/russellhaering/gosaml2/types"

	"github.com/warden-iam/warden/internal/awserr"
)

// Metadata is what Warden trusts of an identity provider: its entity id
// (the only Issuer accepted) and its signing certificates (the only keys a
// signature may verify with).
type Metadata struct {
	EntityID string
	// Certificates are the IDPSSODescriptor's signing certificates (key
	// descriptors with use="signing" or no use).
	Certificates []*x509.Certificate
	// ValidUntil is the document's validUntil; zero when it has none.
	ValidUntil time.Time
}

// Limits of a metadata document. AWS behaviour: SAMLMetadataDocument is
// 1,000 to 10,000,000 characters (the API model); the query decoder checks
// that, and ParseMetadata checks the upper bound again.
const (
	maxMetadataBytes = 10_000_000
	// maxMetadataDepth bounds element nesting, far above real metadata.
	maxMetadataDepth = 64
)

// errMetadata is AWS's answer to a metadata document it cannot use.
func errMetadata() error { return awserr.InvalidInput("Could not parse metadata") }

// ParseMetadata parses and checks an IdP metadata document. AWS behaviour:
// anything but an EntityDescriptor with an IDPSSODescriptor that carries at
// least one signing certificate is refused with InvalidInput "Could not
// parse metadata". A DOCTYPE or entity declaration, XML that does not
// survive an encoding/xml round trip, or a certificate that does not parse
// is refused the same way.
func ParseMetadata(doc string) (*Metadata, error) {
	if len(doc) == 0 || len(doc) > maxMetadataBytes {
		return nil, errMetadata()
	}
	raw := []byte(doc)
	if err := screenXML(raw, maxMetadataDepth, nil); err != nil {
		return nil, errMetadata()
	}
	if err := rtvalidator.Validate(bytes.NewReader(raw)); err != nil {
		return nil, errMetadata()
	}
	var ed types.EntityDescriptor
	if err := xml.Unmarshal(raw, &ed); err != nil {
		return nil, errMetadata()
	}
	md := &Metadata{EntityID: strings.TrimSpace(ed.EntityID), ValidUntil: ed.ValidUntil}
	if md.EntityID == "" || ed.IDPSSODescriptor == nil {
		return nil, errMetadata()
	}
	for _, kd := range ed.IDPSSODescriptor.KeyDescriptors {
		if kd.Use != "" && kd.Use != "signing" {
			continue
		}
		for _, c := range kd.KeyInfo.X509Data.X509Certificates {
			der, err := base64.StdEncoding.DecodeString(stripSpace(c.Data))
			if err != nil {
				return nil, errMetadata()
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, errMetadata()
			}
			md.Certificates = append(md.Certificates, cert)
		}
	}
	if len(md.Certificates) == 0 {
		return nil, errMetadata()
	}
	return md, nil
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
}

// errDirective, errDepth, errTokens: what screenXML refuses.
var (
	errDirective = errors.New("saml: DOCTYPE, entity or other directive")
	errDepth     = errors.New("saml: elements nested too deeply")
	errTokens    = errors.New("saml: too many XML tokens")
	errProcInst  = errors.New("saml: processing instruction")
)

// maxTokens bounds the tokens of any document screenXML reads; a 100,000
// character assertion cannot hold more than about 50,000 elements.
const maxTokens = 200_000

// screenXML reads raw as an XML token stream, without building anything,
// and refuses directives (<!DOCTYPE>, <!ENTITY>), processing instructions
// other than the XML declaration, nesting deeper than maxDepth, more than
// maxTokens tokens, and anything not well-formed. visit, when set, sees
// every start element and character data with the path of its enclosing
// elements (namespace-resolved names).
func screenXML(raw []byte, maxDepth int, visit func(path []xml.Name, tok xml.Token)) error {
	// A cheap first look: no "<!" but comments and CDATA.
	for i := bytes.Index(raw, []byte("<!")); i >= 0; {
		rest := raw[i:]
		if !bytes.HasPrefix(rest, []byte("<!--")) && !bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			return errDirective
		}
		j := bytes.Index(raw[i+2:], []byte("<!"))
		if j < 0 {
			break
		}
		i += 2 + j
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = true
	var path []xml.Name
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if len(path) != 0 || n == 0 {
					return errors.New("saml: incomplete document")
				}
				return nil
			}
			return err
		}
		if n++; n > maxTokens {
			return errTokens
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errDirective
		case xml.ProcInst:
			if t.Target != "xml" || n != 1 {
				return errProcInst
			}
		case xml.StartElement:
			if len(path) >= maxDepth {
				return errDepth
			}
			if visit != nil {
				visit(path, t)
			}
			path = append(path, t.Name)
		case xml.CharData:
			if visit != nil {
				visit(path, t)
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
}
