package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	otypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/server/servertest"
	"github.com/warden-iam/warden/internal/store"
)

// standalone makes a Warden account in no organization and returns an
// Organizations client of an administrator of it.
func standalone(t *testing.T, srv *servertest.Server, acct string) *organizations.Client {
	t.Helper()
	ctx := context.Background()
	svc := srv.Server.IAM()
	require.NoError(t, svc.UpdateStore(ctx, func(tx store.Tx) error { return tx.CreateAccount(ctx, store.Account{ID: acct, CreateDate: time.Now()}) }))
	_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "admin"})
	require.NoError(t, err)
	require.NoError(t, svc.PutUserPolicy(ctx, acct, iam.PutUserPolicyInput{UserName: "admin", PolicyName: "all",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}))
	k, err := svc.CreateAccessKey(ctx, acct, "admin")
	require.NoError(t, err)
	return organizations.NewFromConfig(srv.Config(k.ID, k.Secret))
}

func invite(c *organizations.Client, typ otypes.HandshakePartyType, id string) (*otypes.Handshake, error) {
	out, err := c.InviteAccountToOrganization(context.Background(), &organizations.InviteAccountToOrganizationInput{
		Target: &otypes.HandshakeParty{Id: aws.String(id), Type: typ}})
	if err != nil {
		return nil, err
	}
	return out.Handshake, nil
}

func handshakeIDs(hs []otypes.Handshake) []string {
	var ids []string
	for _, h := range hs {
		ids = append(ids, *h.Id)
	}
	return ids
}

// TestInvitations: the management account invites a Warden account, which
// accepts and joins the root with the AWS-managed policies attached, or
// declines; the management account cancels; every transition AWS refuses
// is refused.
func TestInvitations(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	const b, d = "444444444444", "555555555555"
	bc, dc := standalone(t, srv, b), standalone(t, srv, d)

	_, err := invite(c, otypes.HandshakePartyTypeAccount, b)
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	root := newOrganization(t, c)
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: otypes.PolicyTypeServiceControlPolicy})
	require.NoError(t, err)

	// Input AWS refuses.
	_, err = invite(c, otypes.HandshakePartyTypeOrganization, "o-abcdefghij")
	requireReason(t, err, "InvalidInputException", "INVALID_PARTY_TYPE_TARGET")
	_, err = invite(c, otypes.HandshakePartyTypeEmail, "someone@example.com")
	requireReason(t, err, "InvalidInputException", "INVALID_EMAIL_ADDRESS_TARGET")
	_, err = invite(c, otypes.HandshakePartyTypeAccount, "not-an-id")
	requireReason(t, err, "InvalidInputException", "INVALID_PATTERN")
	_, err = invite(c, "SOMETHING", b)
	requireReason(t, err, "InvalidInputException", "INVALID_ENUM")
	_, err = invite(c, otypes.HandshakePartyTypeAccount, servertest.AccountID)
	requireReason(t, err, "HandshakeConstraintViolationException", "ALREADY_IN_AN_ORGANIZATION")

	out, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &otypes.HandshakeParty{Id: aws.String(b), Type: otypes.HandshakePartyTypeAccount},
		Notes:  aws.String("join us"), Tags: []otypes.Tag{{Key: aws.String("team"), Value: aws.String("b")}}})
	require.NoError(t, err)
	h := out.Handshake
	require.Regexp(t, `^h-[0-9a-z]{8,32}$`, *h.Id)
	require.Equal(t, otypes.ActionTypeInviteAccountToOrganization, h.Action)
	require.Equal(t, otypes.HandshakeStateOpen, h.State)
	require.Regexp(t, `^arn:aws:organizations::`+servertest.AccountID+`:handshake/o-[0-9a-z]+/invite/`+*h.Id+`$`, *h.Arn)
	require.Equal(t, 15*24*time.Hour, h.ExpirationTimestamp.Sub(*h.RequestedTimestamp))
	require.Len(t, h.Parties, 2)
	require.Equal(t, otypes.HandshakePartyTypeOrganization, h.Parties[0].Type)
	require.Equal(t, otypes.HandshakeParty{Id: aws.String(b), Type: otypes.HandshakePartyTypeAccount}, h.Parties[1])
	require.Len(t, h.Resources, 3)
	require.Equal(t, otypes.HandshakeResourceTypeOrganization, h.Resources[0].Type)
	require.Len(t, h.Resources[0].Resources, 3)
	require.Equal(t, otypes.HandshakeResourceTypeAccount, h.Resources[1].Type)
	require.Equal(t, b, *h.Resources[1].Value)
	require.Equal(t, "join us", *h.Resources[2].Value)
	_, err = invite(c, otypes.HandshakePartyTypeAccount, b)
	requireAPIError(t, err, "DuplicateHandshakeException", "")

	// Who sees it.
	mine, err := bc.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{})
	require.NoError(t, err)
	require.Equal(t, []string{*h.Id}, handshakeIDs(mine.Handshakes))
	none, err := dc.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{})
	require.NoError(t, err)
	require.Empty(t, none.Handshakes)
	sent, err := c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, []string{*h.Id}, handshakeIDs(sent.Handshakes))
	sent, err = c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &otypes.HandshakeFilter{ActionType: otypes.ActionTypeEnableAllFeatures}})
	require.NoError(t, err)
	require.Empty(t, sent.Handshakes)
	_, err = c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{Filter: &otypes.HandshakeFilter{ActionType: otypes.ActionTypeInviteAccountToOrganization, ParentHandshakeId: h.Id}})
	requireReason(t, err, "InvalidInputException", "MAX_LIMIT_EXCEEDED_FILTER")
	_, err = bc.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	desc, err := bc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)
	require.Equal(t, *h.Arn, *desc.Handshake.Arn)
	_, err = dc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.")
	_, err = c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: aws.String("h-zzzzzzzz")})
	requireAPIError(t, err, "HandshakeNotFoundException", "")
	_, err = c.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: aws.String("bad")})
	requireReason(t, err, "InvalidInputException", "INVALID_PATTERN")

	// Only the invited account answers; only the sender cancels.
	_, err = c.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "AccessDeniedException", "")
	_, err = dc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "HandshakeNotFoundException", "")
	_, err = bc.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")

	acc, err := bc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.HandshakeStateAccepted, acc.Handshake.State)
	a, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(b)})
	require.NoError(t, err)
	require.Equal(t, otypes.AccountJoinedMethodInvited, a.Account.JoinedMethod)
	require.Equal(t, otypes.AccountStateActive, a.Account.State)
	parents, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(b)})
	require.NoError(t, err)
	require.Equal(t, root, *parents.Parents[0].Id)
	pols, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(b), Filter: otypes.PolicyTypeServiceControlPolicy})
	require.NoError(t, err)
	require.Len(t, pols.Policies, 1)
	require.Equal(t, "p-FullAWSAccess", *pols.Policies[0].Id)
	tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(b)})
	require.NoError(t, err)
	require.Equal(t, []otypes.Tag{{Key: aws.String("team"), Value: aws.String("b")}}, tags.Tags)
	org, err := bc.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, servertest.AccountID, *org.Organization.MasterAccountId)

	_, err = bc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "HandshakeAlreadyInStateException", "")
	_, err = bc.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "InvalidHandshakeTransitionException", "")
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "InvalidHandshakeTransitionException", "")
	_, err = invite(c, otypes.HandshakePartyTypeAccount, b)
	requireReason(t, err, "HandshakeConstraintViolationException", "ALREADY_IN_AN_ORGANIZATION")

	// Declined, then invited again and canceled.
	hd, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
	dec, err := dc.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: hd.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.HandshakeStateDeclined, dec.Handshake.State)
	_, err = dc.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: hd.Id})
	requireAPIError(t, err, "HandshakeAlreadyInStateException", "")
	_, err = dc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: hd.Id})
	requireAPIError(t, err, "InvalidHandshakeTransitionException", "")
	hd2, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
	can, err := c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: hd2.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.HandshakeStateCanceled, can.Handshake.State)
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: hd2.Id})
	requireAPIError(t, err, "HandshakeAlreadyInStateException", "")
	_, err = dc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: hd2.Id})
	requireAPIError(t, err, "InvalidHandshakeTransitionException", "")

	// An invitation past its 15 days is EXPIRED and cannot be accepted.
	hd3, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
	svc := srv.Server.IAM()
	require.NoError(t, svc.UpdateStore(ctx, func(tx store.Tx) error {
		rec, err := tx.GetOrgHandshake(ctx, *hd3.Id)
		if err != nil {
			return err
		}
		rec.Expires = time.Now().Add(-time.Second)
		return tx.PutOrgHandshake(ctx, rec)
	}))
	exp, err := dc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: hd3.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.HandshakeStateExpired, exp.Handshake.State)
	_, err = dc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: hd3.Id})
	requireAPIError(t, err, "InvalidHandshakeTransitionException", "")
	mine, err = dc.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{MaxResults: aws.Int32(2)})
	require.NoError(t, err)
	require.Len(t, mine.Handshakes, 2)
	require.NotNil(t, mine.NextToken)
	more, err := dc.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{MaxResults: aws.Int32(2), NextToken: mine.NextToken})
	require.NoError(t, err)
	require.Len(t, more.Handshakes, 1)
	// An expired invitation is no longer a duplicate.
	_, err = invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
}

// TestLeaveOrganization: an invited member leaves; the management account,
// a delegated administrator and a newly created account cannot.
func TestLeaveOrganization(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	const b = "444444444444"
	bc := standalone(t, srv, b)
	leave := func(c *organizations.Client) error {
		_, err := c.LeaveOrganization(ctx, &organizations.LeaveOrganizationInput{})
		return err
	}
	requireAPIError(t, leave(bc), "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")

	newOrganization(t, c)
	requireReason(t, leave(c), "ConstraintViolationException", "ACCOUNT_CANNOT_LEAVE_ORGANIZATION")
	created := createAccount(t, c, "dev", "dev@example.com")
	requireReason(t, leave(organizations.NewFromConfig(memberSession(t, srv, created))), "ConstraintViolationException", "WAIT_PERIOD_ACTIVE")

	h, err := invite(c, otypes.HandshakePartyTypeAccount, b)
	require.NoError(t, err)
	_, err = bc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)

	const gd = "guardduty.amazonaws.com"
	_, err = c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(b), ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)
	requireReason(t, leave(bc), "ConstraintViolationException", "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG")
	_, err = c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String(b), ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)

	require.NoError(t, leave(bc))
	_, err = bc.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(b)})
	requireAPIError(t, err, "AccountNotFoundException", "")
	requireAPIError(t, leave(bc), "AWSOrganizationsNotInUseException", "")

	// An SCP can keep members from leaving, as on AWS.
	h, err = invite(c, otypes.HandshakePartyTypeAccount, b)
	require.NoError(t, err)
	_, err = bc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	require.NoError(t, err)
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: roots.Roots[0].Id, PolicyType: otypes.PolicyTypeServiceControlPolicy})
	require.NoError(t, err)
	p, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("stay"), Description: aws.String("d"), Type: otypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`)})
	require.NoError(t, err)
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: aws.String(b)})
	require.NoError(t, err)
	requireAPIError(t, leave(bc), "AccessDeniedException", "")
}

// TestEnableAllFeatures: an organization with all features answers as
// AWS does; a member may not call it.
func TestEnableAllFeatures(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	_, err := c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	newOrganization(t, c)
	_, err = c.EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	requireReason(t, err, "HandshakeConstraintViolationException", "ORGANIZATION_ALREADY_HAS_ALL_FEATURES")
	acct := createAccount(t, c, "dev", "dev@example.com")
	_, err = organizations.NewFromConfig(memberSession(t, srv, acct)).EnableAllFeatures(ctx, &organizations.EnableAllFeaturesInput{})
	requireAPIError(t, err, "AccessDeniedException", "")
}

// TestInvitationLimit: open invitations count toward the organization's
// accounts when sending, and a full organization refuses an acceptance.
func TestInvitationLimit(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	const b, d = "444444444444", "555555555555"
	standalone(t, srv, b)
	dc := standalone(t, srv, d)
	newOrganization(t, c)
	for i := range 8 {
		createAccount(t, c, fmt.Sprintf("a%d", i), fmt.Sprintf("a%d@example.com", i))
	}
	hb, err := invite(c, otypes.HandshakePartyTypeAccount, b)
	require.NoError(t, err)
	_, err = invite(c, otypes.HandshakePartyTypeAccount, d)
	requireReason(t, err, "HandshakeConstraintViolationException", "ACCOUNT_NUMBER_LIMIT_EXCEEDED")
	_, err = c.CancelHandshake(ctx, &organizations.CancelHandshakeInput{HandshakeId: hb.Id})
	require.NoError(t, err)
	hd, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
	createAccount(t, c, "last", "last@example.com")
	_, err = dc.AcceptHandshake(ctx, &organizations.AcceptHandshakeInput{HandshakeId: hd.Id})
	requireReason(t, err, "HandshakeConstraintViolationException", "ACCOUNT_NUMBER_LIMIT_EXCEEDED")
	desc, err := dc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: hd.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.HandshakeStateOpen, desc.Handshake.State, "a refused acceptance changes nothing")
}

// TestHandshakeRetentionAndResource: a handshake is authorized as its ARN
// and disappears 30 days after it is answered or expires.
func TestHandshakeRetentionAndResource(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	const d = "555555555555"
	dc := standalone(t, srv, d)
	newOrganization(t, c)
	h, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)

	// A user of the invited account allowed only on the sender's handshakes.
	svc := srv.Server.IAM()
	_, err = svc.CreateUser(ctx, d, iam.CreateUserInput{UserName: "limited"})
	require.NoError(t, err)
	require.NoError(t, svc.PutUserPolicy(ctx, d, iam.PutUserPolicyInput{UserName: "limited", PolicyName: "p",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"arn:aws:organizations::` + servertest.AccountID + `:handshake/*"}]}`}))
	k, err := svc.CreateAccessKey(ctx, d, "limited")
	require.NoError(t, err)
	limited := organizations.NewFromConfig(srv.Config(k.ID, k.Secret))
	_, err = limited.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)
	_, err = limited.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{})
	requireAPIError(t, err, "AccessDeniedException", "")
	require.NoError(t, svc.PutUserPolicy(ctx, d, iam.PutUserPolicyInput{UserName: "limited", PolicyName: "deny",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:DeclineHandshake","Resource":"` + *h.Arn + `"}]}`}))
	_, err = limited.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "AccessDeniedException", "")

	_, err = dc.DeclineHandshake(ctx, &organizations.DeclineHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err)
	age := func(id string, by time.Duration) {
		require.NoError(t, svc.UpdateStore(ctx, func(tx store.Tx) error {
			rec, err := tx.GetOrgHandshake(ctx, id)
			if err != nil {
				return err
			}
			rec.Requested, rec.Expires = rec.Requested.Add(-by), rec.Expires.Add(-by)
			if !rec.Closed.IsZero() {
				rec.Closed = rec.Closed.Add(-by)
			}
			return tx.PutOrgHandshake(ctx, rec)
		}))
	}
	age(*h.Id, 29*24*time.Hour)
	_, err = dc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	require.NoError(t, err, "kept 30 days")
	age(*h.Id, 24*time.Hour)
	_, err = dc.DescribeHandshake(ctx, &organizations.DescribeHandshakeInput{HandshakeId: h.Id})
	requireAPIError(t, err, "HandshakeNotFoundException", "")

	// An expired invitation goes 30 days after it expired.
	h2, err := invite(c, otypes.HandshakePartyTypeAccount, d)
	require.NoError(t, err)
	age(*h2.Id, 44*24*time.Hour)
	sent, err := c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, []string{*h2.Id}, handshakeIDs(sent.Handshakes))
	require.Equal(t, otypes.HandshakeStateExpired, sent.Handshakes[0].State)
	age(*h2.Id, 24*time.Hour)
	sent, err = c.ListHandshakesForOrganization(ctx, &organizations.ListHandshakesForOrganizationInput{})
	require.NoError(t, err)
	require.Empty(t, sent.Handshakes)
	mine, err := dc.ListHandshakesForAccount(ctx, &organizations.ListHandshakesForAccountInput{})
	require.NoError(t, err)
	require.Empty(t, mine.Handshakes)
}

// TestInvitationNotesAudited: the notes of an invitation, sensitive in
// the model, are hidden in the audit trail.
func TestInvitationNotesAudited(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.WithDataDir(dir))
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	_, err := c.InviteAccountToOrganization(ctx, &organizations.InviteAccountToOrganizationInput{
		Target: &otypes.HandshakeParty{Id: aws.String("444444444444"), Type: otypes.HandshakePartyTypeAccount},
		Notes:  aws.String("private-note-xyz")})
	require.NoError(t, err)
	auditLog, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	require.NoError(t, err)
	require.Contains(t, string(auditLog), "InviteAccountToOrganization")
	require.Contains(t, string(auditLog), "HIDDEN_DUE_TO_SECURITY_REASONS")
	require.NotContains(t, string(auditLog), "private-note-xyz")
}

// TestCreateAccountAudited: the new account's email and name, sensitive in
// the model, are hidden in the audit trail.
func TestCreateAccountAudited(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, servertest.WithDataDir(dir))
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	_, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{Email: aws.String("owner-xyz@example.com"), AccountName: aws.String("secret-project-xyz")})
	require.NoError(t, err)
	auditLog, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	require.NoError(t, err)
	require.Contains(t, string(auditLog), "CreateAccount")
	require.NotContains(t, string(auditLog), "owner-xyz@example.com")
	require.NotContains(t, string(auditLog), "secret-project-xyz")
}
