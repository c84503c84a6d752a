package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// SSH public keys, which IAM users use to reach CodeCommit.
// [UploadSSHPublicKey]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSSHPublicKey.html

// maxSSHKeysPerUser is AWS's quota "SSH public keys per user".
const maxSSHKeysPerUser = 5

const prefixSSHPublicKey = "APKA"

func errNoSuchSSHKey(id string) error {
	return awserr.NoSuchEntity("The SSH Public Key with id %s cannot be found.", id)
}

// sshKeyOf reads key id of user, or AWS's NoSuchEntity when the user or
// the key is absent or the key is another user's.
func sshKeyOf(ctx context.Context, r store.Reader, acct, user, id string) (store.SSHPublicKey, error) {
	if _, err := getUser(ctx, r, acct, user); err != nil {
		return store.SSHPublicKey{}, err
	}
	k, err := r.GetSSHPublicKey(ctx, acct, id)
	if isNotFound(err) || (err == nil && !strings.EqualFold(k.UserName, user)) {
		return store.SSHPublicKey{}, errNoSuchSSHKey(id)
	}
	return k, err
}

// UploadSSHPublicKeyInput is the input of UploadSSHPublicKey.
type UploadSSHPublicKeyInput struct {
	UserName         string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	SSHPublicKeyBody string `query:"SSHPublicKeyBody,required" min:"1" max:"16384" pattern:"publicKeyMaterial"`
}

// UploadSSHPublicKey adds an SSH public key to a user. AWS behaviour: at
// most five keys per user, and a user cannot have the same key twice
// (DuplicateSSHPublicKey).
func (s *Service) UploadSSHPublicKey(ctx context.Context, acct string, in UploadSSHPublicKeyInput) (store.SSHPublicKey, error) {
	pub, err := parseSSHPublicKey(in.SSHPublicKeyBody)
	if err != nil {
		return store.SSHPublicKey{}, err
	}
	k := store.SSHPublicKey{Account: acct, ID: newID(prefixSSHPublicKey), Body: in.SSHPublicKeyBody,
		Fingerprint: sshFingerprint(pub), Status: store.KeyActive, UploadDate: s.now().UTC()}
	err = s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		k.UserName = u.Name
		keys, err := tx.ListSSHPublicKeys(ctx, acct, u.Name)
		if err != nil {
			return err
		}
		for _, have := range keys {
			if have.Fingerprint == k.Fingerprint {
				return awserr.New("DuplicateSSHPublicKey", 400,
					"The request was rejected because the SSH public key is already associated with the specified IAM user.")
			}
		}
		if len(keys) >= maxSSHKeysPerUser {
			return awserr.LimitExceeded("Cannot exceed quota for SSHPublicKeysPerUser: %d", maxSSHKeysPerUser)
		}
		return tx.CreateSSHPublicKey(ctx, k)
	})
	if err != nil {
		return store.SSHPublicKey{}, err
	}
	k.Body, err = sshEncode(pub, "SSH")
	return k, err
}

// GetSSHPublicKeyInput is the input of GetSSHPublicKey.
type GetSSHPublicKeyInput struct {
	UserName       string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	SSHPublicKeyID string `query:"SSHPublicKeyId,required" min:"20" max:"128" pattern:"accessKeyId"`
	Encoding       string `query:"Encoding,required" enum:"SSH|PEM"`
}

// GetSSHPublicKey returns a user's key with its body in the encoding asked
// for: OpenSSH ("SSH") or PEM.
func (s *Service) GetSSHPublicKey(ctx context.Context, acct string, in GetSSHPublicKeyInput) (store.SSHPublicKey, error) {
	var k store.SSHPublicKey
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		k, err = sshKeyOf(ctx, r, acct, in.UserName, in.SSHPublicKeyID)
		return err
	})
	if err != nil {
		return store.SSHPublicKey{}, err
	}
	pub, err := parseSSHPublicKey(k.Body)
	if err != nil {
		return store.SSHPublicKey{}, err
	}
	k.Body, err = sshEncode(pub, in.Encoding)
	return k, err
}

// ListSSHPublicKeysInput is the input of ListSSHPublicKeys.
type ListSSHPublicKeysInput struct {
	UserName *string `query:"UserName" min:"1" max:"64" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListSSHPublicKeys lists a user's keys, oldest first. user "" (the root
// user, which cannot have keys) lists none.
func (s *Service) ListSSHPublicKeys(ctx context.Context, acct, user string, marker *string, maxItems *int) (store.Page[store.SSHPublicKey], error) {
	var keys []store.SSHPublicKey
	if user != "" {
		err := s.view(ctx, func(r store.Reader) error {
			u, err := getUser(ctx, r, acct, user)
			if err != nil {
				return err
			}
			keys, err = r.ListSSHPublicKeys(ctx, acct, u.Name)
			return err
		})
		if err != nil {
			return store.Page[store.SSHPublicKey]{}, err
		}
	}
	return pageByID(keys, func(k store.SSHPublicKey) string { return k.ID }, page(marker, maxItems))
}

// UpdateSSHPublicKeyInput is the input of UpdateSSHPublicKey.
type UpdateSSHPublicKeyInput struct {
	UserName       string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	SSHPublicKeyID string `query:"SSHPublicKeyId,required" min:"20" max:"128" pattern:"accessKeyId"`
	Status         string `query:"Status,required" enum:"Active|Inactive"`
}

// UpdateSSHPublicKey activates or deactivates a user's key.
func (s *Service) UpdateSSHPublicKey(ctx context.Context, acct string, in UpdateSSHPublicKeyInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		k, err := sshKeyOf(ctx, tx, acct, in.UserName, in.SSHPublicKeyID)
		if err != nil {
			return err
		}
		k.Status = store.AccessKeyStatus(in.Status)
		return tx.UpdateSSHPublicKey(ctx, k)
	})
}

// DeleteSSHPublicKeyInput is the input of DeleteSSHPublicKey.
type DeleteSSHPublicKeyInput struct {
	UserName       string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	SSHPublicKeyID string `query:"SSHPublicKeyId,required" min:"20" max:"128" pattern:"accessKeyId"`
}

// DeleteSSHPublicKey deletes a user's key.
func (s *Service) DeleteSSHPublicKey(ctx context.Context, acct string, in DeleteSSHPublicKeyInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		k, err := sshKeyOf(ctx, tx, acct, in.UserName, in.SSHPublicKeyID)
		if err != nil {
			return err
		}
		return tx.DeleteSSHPublicKey(ctx, acct, k.ID)
	})
}
