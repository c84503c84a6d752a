package record

import (
	"time"

	"github.com/warden-iam/warden/internal/store"
)

type oidcData struct {
	ClientIDs   []string  `json:"client_ids,omitempty"`
	Thumbprints []string  `json:"thumbprints,omitempty"`
	Tags        []tagJSON `json:"tags,omitempty"`
}

type samlData struct {
	Tags []tagJSON `json:"tags,omitempty"`
}

type mfaData struct {
	Tags []tagJSON `json:"tags,omitempty"`
}

// OIDC converts a stored OIDC provider: its key, its (decoded) create
// date and the JSON of its data column.
func (c Codec) OIDC(acct, url string, created time.Time, data string) (store.OIDCProvider, error) {
	var d oidcData
	if err := c.DecodeJSON(url, data, &d); err != nil {
		return store.OIDCProvider{}, err
	}
	return store.OIDCProvider{
		Account: acct, URL: url, ClientIDs: d.ClientIDs, Thumbprints: d.Thumbprints,
		CreateDate: created, Tags: tagsFromJSON(d.Tags),
	}, nil
}

// OIDCData checks the strings of p and returns the JSON of its data
// column (client ids, thumbprints and tags).
func (c Codec) OIDCData(p store.OIDCProvider) (string, error) {
	if err := c.CheckText("account", p.Account, "url", p.URL); err != nil {
		return "", err
	}
	if err := c.CheckList("client id", p.ClientIDs); err != nil {
		return "", err
	}
	if err := c.CheckList("thumbprint", p.Thumbprints); err != nil {
		return "", err
	}
	if err := c.CheckTags(p.Tags); err != nil {
		return "", err
	}
	return c.EncodeJSON("OIDC provider", oidcData{
		ClientIDs: p.ClientIDs, Thumbprints: p.Thumbprints, Tags: tagsToJSON(p.Tags),
	})
}

// SAMLTags decodes the data column of the SAML provider named name.
func (c Codec) SAMLTags(name, data string) ([]store.Tag, error) {
	var d samlData
	if err := c.DecodeJSON(name, data, &d); err != nil {
		return nil, err
	}
	return tagsFromJSON(d.Tags), nil
}

// SAMLData checks the strings of p and returns the JSON of its data
// column (its tags).
func (c Codec) SAMLData(p store.SAMLProvider) (string, error) {
	if err := c.CheckText("account", p.Account, "name", p.Name, "metadata", p.Metadata); err != nil {
		return "", err
	}
	if err := c.CheckTags(p.Tags); err != nil {
		return "", err
	}
	return c.EncodeJSON("SAML provider", samlData{Tags: tagsToJSON(p.Tags)})
}

// MFATags decodes the data column of the MFA device serial.
func (c Codec) MFATags(serial, data string) ([]store.Tag, error) {
	var d mfaData
	if err := c.DecodeJSON(serial, data, &d); err != nil {
		return nil, err
	}
	return tagsFromJSON(d.Tags), nil
}

// MFAData checks the strings of d and returns the JSON of its data column
// (its tags).
func (c Codec) MFAData(d store.MFADevice) (string, error) {
	if err := c.CheckText("account", d.Account, "serial number", d.SerialNumber, "name", d.Name,
		"path", d.Path, "user name", d.UserName); err != nil {
		return "", err
	}
	if err := c.CheckTags(d.Tags); err != nil {
		return "", err
	}
	return c.EncodeJSON("MFA device", mfaData{Tags: tagsToJSON(d.Tags)})
}
