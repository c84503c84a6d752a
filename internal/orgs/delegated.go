package orgs

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/store"
)

// Delegated administrators: the management account lets a member account
// administer the organization for a service. AWS behaviour: a delegated
// administrator may call the read-only actions (Describe*, List*) of
// Organizations ([Delegated administrator for AWS Organizations]); the
// actions that change the organization stay with the management account.
// A service must have trusted access (EnableAWSServiceAccess) before an
// account can administer it.
//
// [Delegated administrator for AWS Organizations]: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html

func errAccountAlreadyRegistered() error {
	return exception("AccountAlreadyRegisteredException", "The provided account is already a delegated administrator for your organization.")
}

func errAccountNotRegistered() error {
	return exception("AccountNotRegisteredException", "The provided account is not a registered delegated administrator for your organization.")
}

// isDelegatedAdmin reports whether the account administers the
// organization for some service.
func (o *Org) isDelegatedAdmin(acct string) bool {
	a := o.accounts[acct]
	return a != nil && len(a.Delegations) > 0
}

// DelegationInput is the input of RegisterDelegatedAdministrator and
// DeregisterDelegatedAdministrator.
type DelegationInput struct {
	AccountID        string `json:"AccountId,required" max:"12" pattern:"accountId"`
	ServicePrincipal string `json:"ServicePrincipal,required" min:"1" max:"128" pattern:"servicePrincipal"`
}

// RegisterDelegatedAdministrator makes a member account a delegated
// administrator for a service.
func (s *Service) RegisterDelegatedAdministrator(ctx context.Context, caller string, in DelegationInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		if a.Account == o.Management() {
			return constraint("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR", "You can't register the management account of your organization as a delegated administrator.")
		}
		if a.Status != "ACTIVE" {
			return constraint("CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR", "You can't register a suspended account as a delegated administrator.")
		}
		if slices.ContainsFunc(a.Delegations, func(d store.Delegation) bool { return d.ServicePrincipal == in.ServicePrincipal }) {
			return errAccountAlreadyRegistered()
		}
		if ok, err := trusted(ctx, tx, o.ID(), in.ServicePrincipal); err != nil {
			return err
		} else if !ok {
			return constraint("SERVICE_ACCESS_NOT_ENABLED", "You attempted to register a delegated administrator before you enabled service access. Call the EnableAWSServiceAccess API first.")
		}
		c := *a
		c.Delegations = append(slices.Clone(a.Delegations), store.Delegation{ServicePrincipal: in.ServicePrincipal, Enabled: s.now().UTC()})
		return tx.UpdateOrgAccount(ctx, c)
	})
}

// DeregisterDelegatedAdministrator ends an account's delegation for a
// service.
func (s *Service) DeregisterDelegatedAdministrator(ctx context.Context, caller string, in DelegationInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(a.Delegations, func(d store.Delegation) bool { return d.ServicePrincipal == in.ServicePrincipal })
		if i < 0 {
			return errAccountNotRegistered()
		}
		c := *a
		c.Delegations = slices.Delete(slices.Clone(a.Delegations), i, i+1)
		return tx.UpdateOrgAccount(ctx, c)
	})
}

// DelegatedAdmin is a delegated administrator: the account and when its
// first delegation began.
type DelegatedAdmin struct {
	Account store.OrgAccount
	Enabled store.Delegation
}

// ListDelegatedAdministratorsInput is ListDelegatedAdministrators' input.
type ListDelegatedAdministratorsInput struct {
	ServicePrincipal string `json:"ServicePrincipal" min:"1" max:"128" pattern:"servicePrincipal"`
	NextToken        string `json:"NextToken" max:"100000"`
	MaxResults       *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListDelegatedAdministrators lists the delegated administrators, for one
// service or for any.
func (s *Service) ListDelegatedAdministrators(ctx context.Context, caller string, in ListDelegatedAdministratorsInput) (*Org, Page[DelegatedAdmin], error) {
	var p Page[DelegatedAdmin]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		var admins []DelegatedAdmin
		for _, a := range o.Accounts {
			for _, d := range a.Delegations {
				if in.ServicePrincipal == "" || d.ServicePrincipal == in.ServicePrincipal {
					admins = append(admins, DelegatedAdmin{Account: a, Enabled: d})
					break
				}
			}
		}
		var err error
		p, err = page(admins, func(d DelegatedAdmin) string { return d.Account.Account }, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// ListDelegatedServicesInput is ListDelegatedServicesForAccount's input.
type ListDelegatedServicesInput struct {
	AccountID  string `json:"AccountId,required" max:"12" pattern:"accountId"`
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListDelegatedServicesForAccount lists the services an account is a
// delegated administrator for.
func (s *Service) ListDelegatedServicesForAccount(ctx context.Context, caller string, in ListDelegatedServicesInput) (Page[store.Delegation], error) {
	var p Page[store.Delegation]
	err := s.view(ctx, caller, func(o *Org) error {
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		if len(a.Delegations) == 0 {
			return errAccountNotRegistered()
		}
		p, err = page(slices.Clone(a.Delegations), func(d store.Delegation) string { return d.ServicePrincipal }, in.NextToken, in.MaxResults)
		return err
	})
	return p, err
}
