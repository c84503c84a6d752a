package iam

import (
	"context"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// NewAccessKey is a key just created, with its secret: the only time the
// secret leaves Warden.
type NewAccessKey struct {
	store.AccessKey
	Secret string
}

// CreateAccessKey creates a key for a user ("" for the root user). AWS
// behaviour: at most two keys per user, active or not.
func (s *Service) CreateAccessKey(ctx context.Context, acct, user string) (NewAccessKey, error) {
	secret := NewSecretAccessKey()
	k := store.AccessKey{ID: NewAccessKeyID(acct), Account: acct, UserName: user, Status: store.KeyActive, CreateDate: s.now().UTC()}
	k.SealedSecret = s.keyring.Seal([]byte(secret), keyAAD(k.ID))
	err := s.update(ctx, func(tx store.Tx) error {
		if user != "" {
			u, err := tx.GetUser(ctx, acct, user)
			if isNotFound(err) {
				return errNoSuchUser(user)
			}
			if err != nil {
				return err
			}
			k.UserName = u.Name
		}
		keys, err := tx.ListAccessKeys(ctx, acct, k.UserName)
		if err != nil {
			return err
		}
		if len(keys) >= maxKeysPerUser {
			return awserr.LimitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", maxKeysPerUser)
		}
		return tx.CreateAccessKey(ctx, k)
	})
	if err != nil {
		return NewAccessKey{}, err
	}
	return NewAccessKey{AccessKey: k, Secret: secret}, nil
}

// ImportRootKey installs a given root access key (from the environment)
// unless the account already has it.
func (s *Service) ImportRootKey(ctx context.Context, acct, id, secret string) error {
	return s.update(ctx, func(tx store.Tx) error {
		if k, err := tx.GetAccessKey(ctx, id); err == nil {
			if k.Account != acct || k.UserName != "" {
				return awserr.EntityAlreadyExists("Access key %s belongs to another principal.", id)
			}
			// Keep the stored key, but take the configured secret.
			k.SealedSecret = s.keyring.Seal([]byte(secret), keyAAD(id))
			k.Status = store.KeyActive
			return tx.UpdateAccessKey(ctx, k)
		} else if !isNotFound(err) {
			return err
		}
		return tx.CreateAccessKey(ctx, store.AccessKey{ID: id, Account: acct, Status: store.KeyActive,
			CreateDate: s.now().UTC(), SealedSecret: s.keyring.Seal([]byte(secret), keyAAD(id))})
	})
}

// EnsureAccount creates the account if it does not exist. created reports
// whether it did.
func (s *Service) EnsureAccount(ctx context.Context, acct string) (created bool, err error) {
	err = s.update(ctx, func(tx store.Tx) error {
		created = false
		if _, err := tx.GetAccount(ctx, acct); err == nil {
			return nil
		} else if !isNotFound(err) {
			return err
		}
		created = true
		return tx.CreateAccount(ctx, store.Account{ID: acct, CreateDate: s.now().UTC()})
	})
	return created, err
}

// errNoSuchKey is AWS's error for an absent access key.
func errNoSuchKey(id string) error {
	return awserr.NoSuchEntity("The Access Key with id %s cannot be found.", id)
}

// ListAccessKeys lists a user's keys ("" for the root user).
func (s *Service) ListAccessKeys(ctx context.Context, acct, user string) ([]store.AccessKey, string, error) {
	var keys []store.AccessKey
	name := user
	err := s.view(ctx, func(r store.Reader) error {
		if user != "" {
			u, err := r.GetUser(ctx, acct, user)
			if isNotFound(err) {
				return errNoSuchUser(user)
			}
			if err != nil {
				return err
			}
			name = u.Name
		}
		var err error
		keys, err = r.ListAccessKeys(ctx, acct, name)
		return err
	})
	return keys, name, err
}

// findKey returns a key of the given user ("" for root) in the account.
func findKey(ctx context.Context, r store.Reader, acct, user, id string) (store.AccessKey, error) {
	if user != "" {
		if _, err := r.GetUser(ctx, acct, user); isNotFound(err) {
			return store.AccessKey{}, errNoSuchUser(user)
		} else if err != nil {
			return store.AccessKey{}, err
		}
	}
	k, err := r.GetAccessKey(ctx, id)
	if isNotFound(err) || (err == nil && (k.Account != acct || !sameName(k.UserName, user))) {
		return store.AccessKey{}, errNoSuchKey(id)
	}
	return k, err
}

// UpdateAccessKey sets a key's status.
func (s *Service) UpdateAccessKey(ctx context.Context, acct, user, id string, status store.AccessKeyStatus) error {
	return s.update(ctx, func(tx store.Tx) error {
		k, err := findKey(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		k.Status = status
		return tx.UpdateAccessKey(ctx, k)
	})
}

// DeleteAccessKey deletes a key.
func (s *Service) DeleteAccessKey(ctx context.Context, acct, user, id string) error {
	return s.update(ctx, func(tx store.Tx) error {
		if _, err := findKey(ctx, tx, acct, user, id); err != nil {
			return err
		}
		return tx.DeleteAccessKey(ctx, id)
	})
}

// KeyLastUsed is what GetAccessKeyLastUsed reports.
type KeyLastUsed struct {
	UserName string
	Date     time.Time // zero when never used
	Service  string
	Region   string
}

// GetAccessKeyLastUsed reports when a key of the account was last used,
// including uses not yet written to the store.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, acct, id string) (KeyLastUsed, error) {
	var out KeyLastUsed
	err := s.view(ctx, func(r store.Reader) error {
		k, err := r.GetAccessKey(ctx, id)
		if isNotFound(err) || (err == nil && k.Account != acct) {
			return errNoSuchKey(id)
		}
		if err != nil {
			return err
		}
		out = KeyLastUsed{UserName: k.UserName, Date: k.LastUsedDate, Service: k.LastUsedService, Region: k.LastUsedRegion}
		return nil
	})
	if u, ok := s.pendingUse(id); ok && err == nil {
		out.Date, out.Service, out.Region = u.when, u.service, u.region
	}
	return out, err
}

// Reset deletes every entity of every account but the account itself and
// its root user's keys (the --dev reset).
func (s *Service) Reset(ctx context.Context) error {
	return s.update(ctx, func(tx store.Tx) error {
		accounts, err := tx.ListAccounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if err := tx.DeleteAccountData(ctx, a.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
