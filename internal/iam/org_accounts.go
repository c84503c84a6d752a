package iam

import (
	"context"
	"fmt"

	"github.com/warden-iam/warden/internal/store"
)

// UpdateStore runs fn in a store transaction and, once it commits,
// refreshes the snapshot, as every IAM change does. Services that keep
// their state beside IAM's in the same store (Organizations) change it
// through here, so that their changes reach decisions at once.
func (s *Service) UpdateStore(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, fn)
}

// ViewStore runs fn in a read-only store transaction.
func (s *Service) ViewStore(ctx context.Context, fn func(store.Reader) error) error {
	return s.view(ctx, fn)
}

// AdministratorAccessARN is the AWS managed policy that AWS Organizations
// attaches to the role it makes in a new account.
const AdministratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// CreateMemberAccount makes, in tx, what AWS Organizations' CreateAccount
// makes: the account acct with its root user (without an access key, as
// on AWS: its owner signs in through password recovery) and the role
// roleName, which trusts the management account mgmt and has
// AdministratorAccess attached. ErrAlreadyExists (from the store) if the
// account exists.
//
// AWS behaviour: [Accessing member accounts] describes the role
// OrganizationAccountAccessRole and its trust in the management account.
//
// [Accessing member accounts]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html
func (s *Service) CreateMemberAccount(ctx context.Context, tx store.Tx, acct, mgmt, roleName string) error {
	now := s.now().UTC()
	if err := tx.CreateAccount(ctx, store.Account{ID: acct, CreateDate: now}); err != nil {
		return err
	}
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, mgmt)
	if err := tx.CreateRole(ctx, store.Role{Account: acct, Name: roleName, Path: "/", ID: newID(prefixRole),
		CreateDate: now, AssumeRolePolicy: trust, MaxSessionDuration: 3600}); err != nil {
		return err
	}
	return tx.Attach(ctx, store.Attachment{Account: acct, OwnerKind: store.KindRole, OwnerName: roleName, PolicyARN: AdministratorAccessARN})
}
