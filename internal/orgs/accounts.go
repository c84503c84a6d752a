package orgs

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// DefaultRoleName is the role CreateAccount makes in the new account when
// the request names none.
const DefaultRoleName = "OrganizationAccountAccessRole"

// CreateAccountInput is CreateAccount's input.
type CreateAccountInput struct {
	Email                  string  `json:"Email,required" min:"6" max:"64" pattern:"email" audit:"redact"`
	AccountName            string  `json:"AccountName,required" min:"1" max:"50" pattern:"accountName" audit:"redact"`
	RoleName               *string `json:"RoleName" max:"64" pattern:"roleName"`
	IamUserAccessToBilling string  `json:"IamUserAccessToBilling" enum:"ALLOW|DENY"`
	Tags                   []Tag   `json:"Tags"`
}

// CreateAccount makes a new Warden account in the organization's root:
// the request is stored IN_PROGRESS (the state this call returns, as on
// AWS), then the account and its role are made and the request stored
// SUCCEEDED, or FAILED with AWS's reason (EMAIL_ALREADY_EXISTS,
// ACCOUNT_LIMIT_EXCEEDED). Every node reads the request's state from the
// store. IamUserAccessToBilling is accepted and has no effect (Warden
// has no billing).
func (s *Service) CreateAccount(ctx context.Context, caller string, in CreateAccountInput) (store.CreateAccountStatus, error) {
	tags, err := storeTags(in.Tags)
	if err != nil {
		return store.CreateAccountStatus{}, err
	}
	role := DefaultRoleName
	if in.RoleName != nil && *in.RoleName != "" {
		role = *in.RoleName
	}
	var req store.CreateAccountStatus
	err = s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		req = store.CreateAccountStatus{Org: o.ID(), ID: newRequestID(), AccountName: in.AccountName, State: "IN_PROGRESS", Requested: s.now().UTC()}
		return tx.PutCreateAccountStatus(ctx, req)
	})
	if err != nil {
		return store.CreateAccountStatus{}, err
	}
	done := req
	err = s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		done = req
		done.Completed = s.now().UTC()
		switch {
		case slices.ContainsFunc(o.Accounts, func(a store.OrgAccount) bool { return strings.EqualFold(a.Email, in.Email) }):
			done.State, done.FailureReason = "FAILED", "EMAIL_ALREADY_EXISTS"
		case len(o.Accounts) >= MaxAccounts:
			done.State, done.FailureReason = "FAILED", "ACCOUNT_LIMIT_EXCEEDED"
		default:
			acct, err := freeAccountID(ctx, tx)
			if err != nil {
				return err
			}
			if err := s.iam.CreateMemberAccount(ctx, tx, acct, o.Management(), role); err != nil {
				return err
			}
			if err := tx.CreateOrgAccount(ctx, store.OrgAccount{Org: o.ID(), Account: acct, ParentID: o.Root.ID, Email: in.Email, Name: in.AccountName,
				Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "CREATED", Joined: done.Completed, Tags: tags}); err != nil {
				return err
			}
			if err := o.attachDefaults(ctx, tx, acct); err != nil {
				return err
			}
			done.State, done.AccountID = "SUCCEEDED", acct
		}
		return tx.PutCreateAccountStatus(ctx, done)
	})
	if err != nil {
		// The account was not made; say so in the request, as AWS does.
		failed := req
		failed.State, failed.FailureReason, failed.Completed = "FAILED", "INTERNAL_FAILURE", s.now().UTC()
		_ = s.update(context.WithoutCancel(ctx), caller, func(tx store.Tx, _ *Org) error { return tx.PutCreateAccountStatus(ctx, failed) })
		return store.CreateAccountStatus{}, err
	}
	return req, nil
}

// freeAccountID returns a random account id no account has.
func freeAccountID(ctx context.Context, r store.Reader) (string, error) {
	for {
		id := newAccountID()
		if _, err := r.GetAccount(ctx, id); isNotFound(err) {
			return id, nil
		} else if err != nil {
			return "", err
		}
	}
}

// DescribeCreateAccountStatusInput is DescribeCreateAccountStatus' input.
type DescribeCreateAccountStatusInput struct {
	CreateAccountRequestID string `json:"CreateAccountRequestId,required" max:"36" pattern:"createAccountRequestId"`
}

// DescribeCreateAccountStatus returns a CreateAccount request's state.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, caller string, in DescribeCreateAccountStatusInput) (store.CreateAccountStatus, error) {
	var out store.CreateAccountStatus
	err := s.view(ctx, caller, func(o *Org) error {
		i := slices.IndexFunc(o.Requests, func(r store.CreateAccountStatus) bool { return r.ID == in.CreateAccountRequestID })
		if i < 0 {
			return errRequestNotFound()
		}
		out = o.Requests[i]
		return nil
	})
	return out, err
}

// ListCreateAccountStatusInput is ListCreateAccountStatus' input.
type ListCreateAccountStatusInput struct {
	States     []string `json:"States" member:"enum:\"IN_PROGRESS|SUCCEEDED|FAILED\""`
	NextToken  string   `json:"NextToken" max:"100000"`
	MaxResults *int32   `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// ListCreateAccountStatus lists the CreateAccount requests in the given
// states (all when none is given).
func (s *Service) ListCreateAccountStatus(ctx context.Context, caller string, in ListCreateAccountStatusInput) (Page[store.CreateAccountStatus], error) {
	var p Page[store.CreateAccountStatus]
	err := s.view(ctx, caller, func(o *Org) error {
		var reqs []store.CreateAccountStatus
		for _, r := range o.Requests {
			if len(in.States) == 0 || slices.Contains(in.States, r.State) {
				reqs = append(reqs, r)
			}
		}
		var err error
		p, err = page(reqs, func(r store.CreateAccountStatus) string { return r.ID }, in.NextToken, in.MaxResults)
		return err
	})
	return p, err
}

// AccountIDInput is the input of the actions on one account.
type AccountIDInput struct {
	AccountID string `json:"AccountId,required" max:"12" pattern:"accountId"`
}

// member returns a member account of o; AccountNotFoundException.
func (o *Org) member(id string) (*store.OrgAccount, error) {
	a := o.accounts[id]
	if a == nil {
		return nil, errAccountNotFound()
	}
	return a, nil
}

// DescribeAccount returns a member account.
func (s *Service) DescribeAccount(ctx context.Context, caller string, in AccountIDInput) (*Org, store.OrgAccount, error) {
	var out store.OrgAccount
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		out = *a
		return nil
	})
	return org, out, err
}

// CloseAccount closes a member account. AWS behaviour: the account is
// SUSPENDED and stays in the organization (for 90 days on AWS); the
// management account cannot be closed this way
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html).
// Warden completes the closure at once.
func (s *Service) CloseAccount(ctx context.Context, caller string, in AccountIDInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		if a.Account == o.Management() {
			return constraint("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the management account with this operation.")
		}
		if a.Status != "ACTIVE" {
			return errAccountAlreadyClosed()
		}
		c := *a
		c.Status, c.State = "SUSPENDED", "SUSPENDED"
		return tx.UpdateOrgAccount(ctx, c)
	})
}

// MoveAccountInput is MoveAccount's input.
type MoveAccountInput struct {
	AccountID           string `json:"AccountId,required" max:"12" pattern:"accountId"`
	SourceParentID      string `json:"SourceParentId,required" max:"100" pattern:"parentId"`
	DestinationParentID string `json:"DestinationParentId,required" max:"100" pattern:"parentId"`
}

// MoveAccount moves an account from its parent to another root or OU.
func (s *Service) MoveAccount(ctx context.Context, caller string, in MoveAccountInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if !o.isParent(in.SourceParentID) {
			return errSourceParentNotFound()
		}
		if !o.isParent(in.DestinationParentID) {
			return errDestinationParentNotFound()
		}
		a, err := o.member(in.AccountID)
		if err != nil {
			return err
		}
		if a.ParentID != in.SourceParentID {
			return errAccountNotFound()
		}
		if in.SourceParentID == in.DestinationParentID {
			return errDuplicateAccount()
		}
		c := *a
		c.ParentID = in.DestinationParentID
		return tx.UpdateOrgAccount(ctx, c)
	})
}

// RemoveAccountFromOrganization removes a member account; it goes on as
// a standalone account. The management account cannot leave.
func (s *Service) RemoveAccountFromOrganization(ctx context.Context, caller string, in AccountIDInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		if _, err := o.member(in.AccountID); err != nil {
			return err
		}
		if in.AccountID == o.Management() {
			return errMasterCannotLeave()
		}
		if o.isDelegatedAdmin(in.AccountID) {
			return constraint("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG", "You can't remove a delegated administrator from the organization; deregister it first.")
		}
		return tx.DeleteOrgAccount(ctx, o.ID(), in.AccountID)
	})
}

// ListAccountsInput is ListAccounts' input.
type ListAccountsInput struct {
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

func accountID(a store.OrgAccount) string { return a.Account }

// ListAccounts lists every account of the organization.
func (s *Service) ListAccounts(ctx context.Context, caller string, in ListAccountsInput) (*Org, Page[store.OrgAccount], error) {
	var p Page[store.OrgAccount]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		var err error
		p, err = page(slices.Clone(o.Accounts), accountID, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// ListAccountsForParent lists the accounts directly under a root or OU.
func (s *Service) ListAccountsForParent(ctx context.Context, caller string, in ListForParentInput) (*Org, Page[store.OrgAccount], error) {
	var p Page[store.OrgAccount]
	var org *Org
	err := s.view(ctx, caller, func(o *Org) error {
		org = o
		if !o.isParent(in.ParentID) {
			return errParentNotFound()
		}
		var err error
		p, err = page(o.childAccounts(in.ParentID), accountID, in.NextToken, in.MaxResults)
		return err
	})
	return org, p, err
}

// LeaveWaitPeriod is how long an account created in an organization must
// wait before it may leave it; invited accounts do not wait.
const LeaveWaitPeriod = 4 * 24 * time.Hour

// LeaveOrganization removes the caller's account from its organization
// ([LeaveOrganization]). The management account cannot leave (AWS's
// ConstraintViolationException ACCOUNT_CANNOT_LEAVE_ORGANIZATION), nor a
// delegated administrator, nor an account created in the organization
// less than four days ago. The membership goes with its tags and
// attachments; the account and its roles stay.
//
// [LeaveOrganization]: https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html
func (s *Service) LeaveOrganization(ctx context.Context, caller string) error {
	return s.iam.UpdateStore(ctx, func(tx store.Tx) error {
		o, err := load(ctx, tx, caller)
		if err != nil {
			return err
		}
		if caller == o.Management() {
			return constraint("ACCOUNT_CANNOT_LEAVE_ORGANIZATION", "You attempted to remove the management account from the organization. You can't remove the management account. Instead, after you remove all member accounts, delete the organization itself.")
		}
		a, err := o.member(caller)
		if err != nil {
			return err
		}
		if o.isDelegatedAdmin(caller) {
			return constraint("CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG", "You can't remove a delegated administrator from the organization; deregister it first.")
		}
		if a.JoinedMethod == "CREATED" && s.now().Before(a.Joined.Add(LeaveWaitPeriod)) {
			return constraint("WAIT_PERIOD_ACTIVE", "After you create an Amazon Web Services account, you must wait until at least four days after the account was created. Invited accounts aren't subject to this waiting period.")
		}
		return tx.DeleteOrgAccount(ctx, o.ID(), caller)
	})
}
