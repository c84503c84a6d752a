package record

import (
	"github.com/warden-iam/warden/internal/store"
)

type serverCertificateData struct {
	Expiration string    `json:"expiration,omitempty"`
	Tags       []tagJSON `json:"tags,omitempty"`
}

// ServerCertificate converts the stored metadata of a server certificate
// (Created is its upload date); the backends fill in the body, chain and
// key from their own columns.
func (c Codec) ServerCertificate(e Entity) (store.ServerCertificate, error) {
	var d serverCertificateData
	if err := c.DecodeJSON(e.Name, e.Data, &d); err != nil {
		return store.ServerCertificate{}, err
	}
	exp, err := c.DecodeTime(d.Expiration)
	if err != nil {
		return store.ServerCertificate{}, err
	}
	return store.ServerCertificate{
		Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, UploadDate: e.Created,
		Expiration: exp, Tags: tagsFromJSON(d.Tags),
	}, nil
}

// ServerCertificateEntity checks the strings of sc and returns the stored
// form of its metadata (expiration and tags in Data).
func (c Codec) ServerCertificateEntity(sc store.ServerCertificate) (Entity, error) {
	if err := c.CheckText("body", sc.Body, "chain", sc.Chain); err != nil {
		return Entity{}, err
	}
	if err := c.CheckTags(sc.Tags); err != nil {
		return Entity{}, err
	}
	exp, err := c.EncodeTime(sc.Expiration)
	if err != nil {
		return Entity{}, err
	}
	return c.entity(sc.Account, sc.Name, sc.Path, sc.ID, sc.UploadDate, "",
		serverCertificateData{Expiration: exp, Tags: tagsToJSON(sc.Tags)})
}

// CheckSSHPublicKey checks the strings of k.
func (c Codec) CheckSSHPublicKey(k store.SSHPublicKey) error {
	return c.CheckText("account", k.Account, "user name", k.UserName, "id", k.ID, "body", k.Body,
		"fingerprint", k.Fingerprint, "status", string(k.Status))
}

// CheckServiceCredential checks the strings of sc.
func (c Codec) CheckServiceCredential(sc store.ServiceCredential) error {
	return c.CheckText("account", sc.Account, "user name", sc.UserName, "id", sc.ID,
		"service name", sc.ServiceName, "service user name", sc.ServiceUserName, "status", string(sc.Status))
}
