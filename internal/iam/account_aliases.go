package iam

import (
	"context"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// AccountAliasInput is the input of CreateAccountAlias and
// DeleteAccountAlias. The pattern is AWS's
// ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$ (no hyphen first, last or
// twice in a row) with the length in the min and max tags.
type AccountAliasInput struct {
	AccountAlias string `query:"AccountAlias,required" min:"3" max:"63" pattern:"accountAlias"`
}

// CreateAccountAlias gives the account an alias. AWS behaviour: an
// account has one alias and a new one replaces it
// (https://github.com/floci-io/floci/pull/2103, observed on AWS);
// EntityAlreadyExists means the alias is taken, by this account or by
// any other (aliases are unique across accounts).
func (s *Service) CreateAccountAlias(ctx context.Context, acct string, in AccountAliasInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		cur, err := tx.GetAccountAlias(ctx, acct)
		if err != nil {
			return err
		}
		if cur == in.AccountAlias {
			return errAliasExists(in.AccountAlias)
		}
		err = tx.SetAccountAlias(ctx, acct, in.AccountAlias)
		if isExists(err) {
			return errAliasExists(in.AccountAlias)
		}
		return err
	})
}

func errAliasExists(alias string) error {
	return awserr.EntityAlreadyExists("The account alias %s already exists.", alias)
}

// DeleteAccountAlias removes the account's alias, which must be the one
// named; NoSuchEntity otherwise.
func (s *Service) DeleteAccountAlias(ctx context.Context, acct string, in AccountAliasInput) error {
	return s.update(ctx, func(tx store.Tx) error {
		err := tx.DeleteAccountAlias(ctx, acct, in.AccountAlias)
		if isNotFound(err) {
			return awserr.NoSuchEntity("The account alias %s cannot be found.", in.AccountAlias)
		}
		return err
	})
}

// ListAccountAliasesInput is the input of ListAccountAliases.
type ListAccountAliasesInput struct {
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListAccountAliases returns the account's alias, if it has one: a list
// of at most one, never truncated.
func (s *Service) ListAccountAliases(ctx context.Context, acct string, _ ListAccountAliasesInput) ([]string, error) {
	var alias string
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		alias, err = r.GetAccountAlias(ctx, acct)
		return err
	})
	if err != nil || alias == "" {
		return []string{}, err
	}
	return []string{alias}, nil
}
