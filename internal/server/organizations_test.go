package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	otypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/server/servertest"
)

func rootOrgs(srv *servertest.Server) *organizations.Client {
	return organizations.NewFromConfig(srv.Config(servertest.RootAccessKeyID, servertest.RootSecretAccessKey))
}

// requireReason asserts an Organizations error with its Reason.
func requireReason(t *testing.T, err error, code, reason string) {
	t.Helper()
	requireAPIError(t, err, code, "")
	switch code {
	case "ConstraintViolationException":
		var e *otypes.ConstraintViolationException
		require.True(t, errors.As(err, &e), "%v", err)
		require.Equal(t, otypes.ConstraintViolationExceptionReason(reason), e.Reason)
	case "InvalidInputException":
		var e *otypes.InvalidInputException
		require.True(t, errors.As(err, &e), "%v", err)
		require.Equal(t, otypes.InvalidInputExceptionReason(reason), e.Reason)
	case "HandshakeConstraintViolationException":
		var e *otypes.HandshakeConstraintViolationException
		require.True(t, errors.As(err, &e), "%v", err)
		require.Equal(t, otypes.HandshakeConstraintViolationExceptionReason(reason), e.Reason)
	default:
		t.Fatalf("no reason for %s", code)
	}
}

// newOrganization creates the root account's organization and returns
// its root id.
func newOrganization(t *testing.T, c *organizations.Client) string {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: otypes.OrganizationFeatureSetAll})
	require.NoError(t, err)
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	require.NoError(t, err)
	require.Len(t, roots.Roots, 1)
	return *roots.Roots[0].Id
}

func TestOrganizationLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()

	_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	_, err = c.ListRoots(ctx, &organizations.ListRootsInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")

	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	require.NoError(t, err)
	o := out.Organization
	require.Regexp(t, `^o-[a-z0-9]{10}$`, *o.Id)
	require.Equal(t, "arn:aws:organizations::123456789012:organization/"+*o.Id, *o.Arn)
	require.Equal(t, "arn:aws:organizations::123456789012:account/"+*o.Id+"/123456789012", *o.MasterAccountArn)
	require.Equal(t, "123456789012", *o.MasterAccountId)
	require.Equal(t, otypes.OrganizationFeatureSetAll, o.FeatureSet)

	_, err = c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	requireAPIError(t, err, "AlreadyInOrganizationException", "The provided account is already a member of an organization.")

	desc, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, *o.Id, *desc.Organization.Id)

	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	require.NoError(t, err)
	require.Len(t, roots.Roots, 1)
	root := roots.Roots[0]
	require.Regexp(t, `^r-[a-z0-9]{4}$`, *root.Id)
	require.Equal(t, "Root", *root.Name)
	require.Equal(t, "arn:aws:organizations::123456789012:root/"+*o.Id+"/"+*root.Id, *root.Arn)
	require.Empty(t, root.PolicyTypes)

	accts, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
	require.NoError(t, err)
	require.Len(t, accts.Accounts, 1)
	m := accts.Accounts[0]
	require.Equal(t, "123456789012", *m.Id)
	require.Equal(t, otypes.AccountJoinedMethodInvited, m.JoinedMethod)
	require.Equal(t, otypes.AccountStatusActive, m.Status)
	require.Equal(t, []string{*o.Id + "/" + *root.Id + "/123456789012/"}, m.Paths)
	require.NotNil(t, m.JoinedTimestamp)

	_, err = c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	require.NoError(t, err)
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	// The account can make a new organization.
	newOrganization(t, c)
}

func TestOrganizationalUnits(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)

	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Eng"),
		Tags: []otypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	require.NoError(t, err)
	eng := ou.OrganizationalUnit
	require.Regexp(t, `^ou-`+strings.TrimPrefix(root, "r-")+`-[a-z0-9]{8}$`, *eng.Id)
	require.Equal(t, "Eng", *eng.Name)
	require.True(t, strings.HasSuffix(*eng.Arn, ":ou/"+strings.Split(*eng.Path, "/")[0]+"/"+*eng.Id), *eng.Arn)
	require.True(t, strings.HasSuffix(*eng.Path, "/"+root+"/"+*eng.Id+"/"), *eng.Path)

	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Eng")})
	requireAPIError(t, err, "DuplicateOrganizationalUnitException", "An OU with the same name already exists.")
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("ou-zzzz-zzzzzzzz"), Name: aws.String("X")})
	requireAPIError(t, err, "ParentNotFoundException", "You specified parent that doesn't exist.")
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("bad"), Name: aws.String("X")})
	requireReason(t, err, "InvalidInputException", "INVALID_PATTERN")
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String(strings.Repeat("n", 129))})
	requireReason(t, err, "InvalidInputException", "MAX_LENGTH_EXCEEDED")

	got, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: eng.Id})
	require.NoError(t, err)
	require.Equal(t, *eng, *got.OrganizationalUnit)
	_, err = c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String("ou-zzzz-zzzzzzzz")})
	requireAPIError(t, err, "OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.")

	// Nesting: five levels of OUs under the root, not six.
	parent := *eng.Id
	for depth := 2; depth <= 5; depth++ {
		out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String(fmt.Sprintf("L%d", depth))})
		require.NoError(t, err, "depth %d", depth)
		parent = *out.OrganizationalUnit.Id
	}
	_, err = c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String("L6")})
	requireReason(t, err, "ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED")

	// Rename, and a sibling's name is refused.
	ops, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Ops")})
	require.NoError(t, err)
	upd, err := c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: ops.OrganizationalUnit.Id, Name: aws.String("Operations")})
	require.NoError(t, err)
	require.Equal(t, "Operations", *upd.OrganizationalUnit.Name)
	_, err = c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: ops.OrganizationalUnit.Id, Name: aws.String("Eng")})
	requireAPIError(t, err, "DuplicateOrganizationalUnitException", "")

	// Lists, one item a page.
	var names []string
	var token *string
	for {
		page, err := c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(root), MaxResults: aws.Int32(1), NextToken: token})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.OrganizationalUnits), 1)
		for _, u := range page.OrganizationalUnits {
			names = append(names, *u.Name)
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	require.ElementsMatch(t, []string{"Eng", "Operations"}, names)
	_, err = c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(root), NextToken: aws.String("!!")})
	requireReason(t, err, "InvalidInputException", "INVALID_NEXT_TOKEN")
	_, err = c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(root), MaxResults: aws.Int32(21)})
	requireReason(t, err, "InvalidInputException", "MAX_VALUE_EXCEEDED")

	children, err := c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(root), ChildType: otypes.ChildTypeOrganizationalUnit})
	require.NoError(t, err)
	require.Len(t, children.Children, 2)
	children, err = c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(root), ChildType: otypes.ChildTypeAccount})
	require.NoError(t, err)
	require.Equal(t, []otypes.Child{{Id: aws.String("123456789012"), Type: otypes.ChildTypeAccount}}, children.Children)
	_, err = c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String("r-zzzz"), ChildType: otypes.ChildTypeAccount})
	requireAPIError(t, err, "ParentNotFoundException", "")

	parents, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(parent)})
	require.NoError(t, err)
	require.Len(t, parents.Parents, 1)
	require.Equal(t, otypes.ParentTypeOrganizationalUnit, parents.Parents[0].Type)
	parents, err = c.ListParents(ctx, &organizations.ListParentsInput{ChildId: eng.Id})
	require.NoError(t, err)
	require.Equal(t, []otypes.Parent{{Id: aws.String(root), Type: otypes.ParentTypeRoot}}, parents.Parents)
	_, err = c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("ou-zzzz-zzzzzzzz")})
	requireAPIError(t, err, "ChildNotFoundException", "You specified a child that doesn't exist.")

	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: eng.Id})
	requireAPIError(t, err, "OrganizationalUnitNotEmptyException", "")
	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: ops.OrganizationalUnit.Id})
	require.NoError(t, err)
	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: ops.OrganizationalUnit.Id})
	requireAPIError(t, err, "OrganizationalUnitNotFoundException", "")
}

// createAccount creates a member account and waits for its request to
// succeed; it returns the account id.
func createAccount(t *testing.T, c *organizations.Client, name, email string) string {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(name), Email: aws.String(email)})
	require.NoError(t, err)
	st := out.CreateAccountStatus
	require.Equal(t, otypes.CreateAccountStateInProgress, st.State, "AWS answers before the account exists")
	require.Regexp(t, `^car-[a-z0-9]{32}$`, *st.Id)
	desc, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.CreateAccountStateSucceeded, desc.CreateAccountStatus.State)
	require.NotNil(t, desc.CreateAccountStatus.CompletedTimestamp)
	require.Regexp(t, `^[1-9]\d{11}$`, *desc.CreateAccountStatus.AccountId)
	return *desc.CreateAccountStatus.AccountId
}

func TestOrganizationAccounts(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)

	acct := createAccount(t, c, "dev", "dev@example.com")
	a, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	require.Equal(t, "dev", *a.Account.Name)
	require.Equal(t, "dev@example.com", *a.Account.Email)
	require.Equal(t, otypes.AccountJoinedMethodCreated, a.Account.JoinedMethod)
	require.Equal(t, otypes.AccountStateActive, a.Account.State)
	require.Contains(t, *a.Account.Arn, ":account/o-")
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("999999999999")})
	requireAPIError(t, err, "AccountNotFoundException", "You specified an account that doesn't exist.")

	// Input validation per the model.
	for _, tc := range []struct {
		name   string
		in     organizations.CreateAccountInput
		reason string
	}{
		{"bad email", organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("not-an-email")}, "INVALID_PATTERN"},
		{"short email", organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("a@b.c")}, "MIN_LENGTH_EXCEEDED"},
		{"long name", organizations.CreateAccountInput{AccountName: aws.String(strings.Repeat("n", 51)), Email: aws.String("x@example.com")}, "MAX_LENGTH_EXCEEDED"},
		{"bad role", organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("x@example.com"), RoleName: aws.String("bad role")}, "INVALID_PATTERN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateAccount(ctx, &tc.in)
			requireReason(t, err, "InvalidInputException", tc.reason)
		})
	}

	// A taken email fails the request, as AWS reports it.
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("dup"), Email: aws.String("DEV@example.com")})
	require.NoError(t, err)
	failed, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.CreateAccountStateFailed, failed.CreateAccountStatus.State)
	require.Equal(t, otypes.CreateAccountFailureReasonEmailAlreadyExists, failed.CreateAccountStatus.FailureReason)
	_, err = c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-00000000")})
	requireAPIError(t, err, "CreateAccountStatusNotFoundException", "")
	list, err := c.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{States: []otypes.CreateAccountState{otypes.CreateAccountStateFailed}})
	require.NoError(t, err)
	require.Len(t, list.CreateAccountStatuses, 1)
	list, err = c.ListCreateAccountStatus(ctx, &organizations.ListCreateAccountStatusInput{})
	require.NoError(t, err)
	require.Len(t, list.CreateAccountStatuses, 2)

	// The new account is a real account: its role trusts the management
	// account, which assumes it.
	cfg := memberSession(t, srv, acct)
	member := organizations.NewFromConfig(cfg)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, acct, *who.Account)
	// Allowed by its IAM policies, the member account is still denied
	// what only the management account may do.
	require.NoError(t, srv.Server.IAM().PutRolePolicy(ctx, acct, iam.PutRolePolicyInput{RoleName: "OrganizationAccountAccessRole", PolicyName: "orgs",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}`}))
	_, err = member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	requireAPIError(t, err, "AccessDeniedException", "You don't have permissions to access this resource.")
	_, err = member.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("x@example.com")})
	requireAPIError(t, err, "AccessDeniedException", "You don't have permissions to access this resource.")
	// Any member may describe its organization.
	mo, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	require.NoError(t, err)
	require.Equal(t, "123456789012", *mo.Organization.MasterAccountId)
	// IAM's denial comes first, in the JSON services' vocabulary.
	require.NoError(t, srv.Server.IAM().PutRolePolicy(ctx, acct, iam.PutRolePolicyInput{RoleName: "OrganizationAccountAccessRole", PolicyName: "orgs",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:DescribeOrganization","Resource":"*"}]}`}))
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AccessDeniedException", "")
	require.Contains(t, err.Error(), "is not authorized to perform: organizations:DescribeOrganization")

	// Moves.
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Dev")})
	require.NoError(t, err)
	dev := *ou.OrganizationalUnit.Id
	_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(acct), SourceParentId: aws.String("ou-zzzz-zzzzzzzz"), DestinationParentId: aws.String(dev)})
	requireAPIError(t, err, "SourceParentNotFoundException", "")
	_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(acct), SourceParentId: aws.String(root), DestinationParentId: aws.String("ou-zzzz-zzzzzzzz")})
	requireAPIError(t, err, "DestinationParentNotFoundException", "")
	_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(acct), SourceParentId: aws.String(root), DestinationParentId: aws.String(root)})
	requireAPIError(t, err, "DuplicateAccountException", "")
	_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(acct), SourceParentId: aws.String(root), DestinationParentId: aws.String(dev)})
	require.NoError(t, err)
	inDev, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(dev)})
	require.NoError(t, err)
	require.Len(t, inDev.Accounts, 1)
	require.Equal(t, acct, *inDev.Accounts[0].Id)
	require.True(t, strings.HasSuffix(inDev.Accounts[0].Paths[0], "/"+root+"/"+dev+"/"+acct+"/"), inDev.Accounts[0].Paths[0])
	parents, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(acct)})
	require.NoError(t, err)
	require.Equal(t, dev, *parents.Parents[0].Id)
	path := srv.Server.IAM().Snapshot().OrgPath(acct)
	require.NotNil(t, path)
	require.Equal(t, []string{root, dev, acct}, path.IDs)

	// The organization cannot go while it has members.
	_, err = c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	requireAPIError(t, err, "OrganizationNotEmptyException", "")

	// Closing and removing.
	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String("123456789012")})
	requireReason(t, err, "ConstraintViolationException", "CANNOT_CLOSE_MANAGEMENT_ACCOUNT")
	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	a, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	require.Equal(t, otypes.AccountStatusSuspended, a.Account.Status)
	require.Equal(t, "SUSPENDED", srv.Server.IAM().Snapshot().OrgPath(acct).Status)
	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)})
	requireAPIError(t, err, "AccountAlreadyClosedException", "The provided account is already closed.")
	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String("123456789012")})
	requireAPIError(t, err, "MasterCannotLeaveOrganizationException", "")
	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(acct)})
	requireAPIError(t, err, "AccountNotFoundException", "")
	require.Nil(t, srv.Server.IAM().Snapshot().OrgPath(acct))
	_, err = c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	require.NoError(t, err)
}

const denyS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`

func TestOrganizationPolicies(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Eng")})
	require.NoError(t, err)
	eng := *ou.OrganizationalUnit.Id
	const mgmt = "123456789012"
	scp := otypes.PolicyTypeServiceControlPolicy
	rcp := otypes.PolicyTypeResourceControlPolicy
	attached := func(target string, typ otypes.PolicyType) []string {
		t.Helper()
		out, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: typ})
		require.NoError(t, err)
		var ids []string
		for _, p := range out.Policies {
			ids = append(ids, *p.Id)
		}
		return ids
	}

	// Policies of a type that is not enabled cannot be attached.
	full, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
	require.NoError(t, err)
	require.True(t, full.Policy.PolicySummary.AwsManaged)
	require.Equal(t, "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", *full.Policy.PolicySummary.Arn)
	require.Equal(t, iam.FullAWSAccess.Content, *full.Policy.Content)
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(eng)})
	requireAPIError(t, err, "PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")

	// Enabling SCPs attaches FullAWSAccess everywhere, and to what comes later.
	en, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: scp})
	require.NoError(t, err)
	require.Equal(t, []otypes.PolicyTypeSummary{{Type: scp, Status: otypes.PolicyTypeStatusEnabled}}, en.Root.PolicyTypes)
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: scp})
	requireAPIError(t, err, "PolicyTypeAlreadyEnabledException", "")
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String("r-zzzz"), PolicyType: scp})
	requireAPIError(t, err, "RootNotFoundException", "")
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: otypes.PolicyTypeTagPolicy})
	requireAPIError(t, err, "PolicyTypeNotAvailableForOrganizationException", "")
	for _, target := range []string{root, eng, mgmt} {
		require.Equal(t, []string{"p-FullAWSAccess"}, attached(target, scp), target)
	}
	later, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(eng), Name: aws.String("Later")})
	require.NoError(t, err)
	require.Equal(t, []string{"p-FullAWSAccess"}, attached(*later.OrganizationalUnit.Id, scp))

	// Customer SCPs.
	cp, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("NoS3"), Description: aws.String("no s3"), Type: scp, Content: aws.String(denyS3)})
	require.NoError(t, err)
	p := cp.Policy.PolicySummary
	require.Regexp(t, `^p-[a-z0-9]{8}$`, *p.Id)
	require.False(t, p.AwsManaged)
	require.Regexp(t, `^arn:aws:organizations::123456789012:policy/o-[a-z0-9]{10}/service_control_policy/`+*p.Id+`$`, *p.Arn)
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("NoS3"), Description: aws.String(""), Type: scp, Content: aws.String(denyS3)})
	requireAPIError(t, err, "DuplicatePolicyException", "A policy with the same name already exists.")
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("Bad"), Description: aws.String(""), Type: scp, Content: aws.String(`{"Statement":`)})
	requireAPIError(t, err, "MalformedPolicyDocumentException", "The provided policy document does not meet the requirements of the specified policy type.")
	big := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 5100) + `","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("Big"), Description: aws.String(""), Type: scp, Content: aws.String(big)})
	requireReason(t, err, "ConstraintViolationException", "POLICY_CONTENT_LIMIT_EXCEEDED")
	_, err = c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("Allow"), Description: aws.String(""), Type: rcp,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)})
	requireAPIError(t, err, "MalformedPolicyDocumentException", "")

	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: aws.String(eng)})
	require.NoError(t, err)
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: aws.String(eng)})
	requireAPIError(t, err, "DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.")
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String("p-zzzzzzzz"), TargetId: aws.String(eng)})
	requireAPIError(t, err, "PolicyNotFoundException", "")
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Id, TargetId: aws.String("ou-zzzz-zzzzzzzz")})
	requireAPIError(t, err, "TargetNotFoundException", "You specified a target that doesn't exist.")
	require.ElementsMatch(t, []string{"p-FullAWSAccess", *p.Id}, attached(eng, scp))
	targets, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: p.Id})
	require.NoError(t, err)
	require.Len(t, targets.Targets, 1)
	require.Equal(t, otypes.TargetTypeOrganizationalUnit, targets.Targets[0].Type)
	require.Equal(t, "Eng", *targets.Targets[0].Name)

	// The snapshot holds the SCPs per level for enforcement.
	path := srv.Server.IAM().Snapshot().OrgPath(mgmt)
	require.NotNil(t, path)
	require.True(t, path.IsManagement)
	require.Len(t, path.SCPs, 2)
	require.Nil(t, path.RCPs)

	// At most five SCPs per target.
	for i := range 3 {
		out, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(fmt.Sprintf("P%d", i)), Description: aws.String(""), Type: scp, Content: aws.String(denyS3)})
		require.NoError(t, err)
		_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: out.Policy.PolicySummary.Id, TargetId: aws.String(eng)})
		require.NoError(t, err)
	}
	sixth, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("P6"), Description: aws.String(""), Type: scp, Content: aws.String(denyS3)})
	require.NoError(t, err)
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: sixth.Policy.PolicySummary.Id, TargetId: aws.String(eng)})
	requireReason(t, err, "ConstraintViolationException", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")

	// Every target keeps one SCP.
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(root)})
	requireReason(t, err, "ConstraintViolationException", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: aws.String(root)})
	requireAPIError(t, err, "PolicyNotAttachedException", "")
	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: p.Id})
	requireAPIError(t, err, "PolicyInUseException", "")
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(eng)})
	require.NoError(t, err)
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: aws.String(eng)})
	require.NoError(t, err)

	// Updates; AWS-managed policies are immutable.
	up, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: p.Id, Name: aws.String("NoS3Ever"), Description: aws.String("d2")})
	require.NoError(t, err)
	require.Equal(t, "NoS3Ever", *up.Policy.PolicySummary.Name)
	require.Equal(t, denyS3, *up.Policy.Content)
	_, err = c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: p.Id, Content: aws.String(`nope`)})
	requireAPIError(t, err, "MalformedPolicyDocumentException", "")
	_, err = c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String("p-FullAWSAccess"), Name: aws.String("x")})
	requireReason(t, err, "InvalidInputException", "IMMUTABLE_POLICY")
	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
	requireReason(t, err, "InvalidInputException", "IMMUTABLE_POLICY")
	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: p.Id})
	require.NoError(t, err)
	_, err = c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: p.Id})
	requireAPIError(t, err, "PolicyNotFoundException", "")
	all, err := c.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: scp})
	require.NoError(t, err)
	require.Len(t, all.Policies, 5, "FullAWSAccess and P0, P1, P2, P6")

	// RCPs: RCPFullAWSAccess goes everywhere and stays.
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: rcp})
	require.NoError(t, err)
	require.Equal(t, []string{"p-RCPFullAWSAccess"}, attached(eng, rcp))
	_, err = c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-RCPFullAWSAccess"), TargetId: aws.String(eng)})
	requireReason(t, err, "InvalidInputException", "NON_DETACHABLE_POLICY")
	rp, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("R"), Description: aws.String(""), Type: rcp,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`)})
	require.NoError(t, err)
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: rp.Policy.PolicySummary.Id, TargetId: aws.String(mgmt)})
	require.NoError(t, err)
	path = srv.Server.IAM().Snapshot().OrgPath(mgmt)
	require.Len(t, path.RCPs, 2)
	require.Len(t, path.RCPs[1], 2, "RCPFullAWSAccess and R on the account")

	// Disabling a type detaches its policies.
	dis, err := c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(root), PolicyType: scp})
	require.NoError(t, err)
	require.Equal(t, []otypes.PolicyTypeSummary{{Type: rcp, Status: otypes.PolicyTypeStatusEnabled}}, dis.Root.PolicyTypes)
	require.Empty(t, attached(root, scp))
	require.Nil(t, srv.Server.IAM().Snapshot().OrgPath(mgmt).SCPs)
	_, err = c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(root), PolicyType: scp})
	requireAPIError(t, err, "PolicyTypeNotEnabledException", "")
}

func TestOrganizationTags(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)
	tags := func(id string) map[string]string {
		t.Helper()
		out, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(id)})
		require.NoError(t, err)
		m := map[string]string{}
		for _, tg := range out.Tags {
			m[*tg.Key] = *tg.Value
		}
		return m
	}
	tag := func(k, v string) otypes.Tag { return otypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	acct := createAccount(t, c, "tagged", "tagged@example.com")
	pol, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("T"), Description: aws.String(""), Type: otypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(denyS3), Tags: []otypes.Tag{tag("a", "1")}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"a": "1"}, tags(*pol.Policy.PolicySummary.Id))
	for _, id := range []string{root, acct, *pol.Policy.PolicySummary.Id} {
		_, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(id), Tags: []otypes.Tag{tag("env", "prod"), tag("a", "2")}})
		require.NoError(t, err, id)
		require.Equal(t, map[string]string{"env": "prod", "a": "2"}, tags(id), id)
		_, err = c.UntagResource(ctx, &organizations.UntagResourceInput{ResourceId: aws.String(id), TagKeys: []string{"a", "absent"}})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"env": "prod"}, tags(id), id)
	}
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String("ou-zzzz-zzzzzzzz"), Tags: []otypes.Tag{tag("k", "v")}})
	requireAPIError(t, err, "TargetNotFoundException", "")
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(root), Tags: []otypes.Tag{tag("k", "1"), tag("k", "2")}})
	requireReason(t, err, "InvalidInputException", "DUPLICATE_TAG_KEY")
	many := make([]otypes.Tag, 50)
	for i := range many {
		many[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(root), Tags: many})
	requireReason(t, err, "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED")
	_, err = c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String("bad")})
	requireReason(t, err, "InvalidInputException", "INVALID_PATTERN")
}

// TestOrganizationReset: the --dev reset removes organizations with the
// rest; the accounts CreateAccount made stay, as accounts do.
func TestOrganizationReset(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	acct := createAccount(t, c, "dev", "dev@example.com")
	resp, err := http.Post(srv.URL+"/moto-api/reset", "application/json", nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	requireAPIError(t, err, "AWSOrganizationsNotInUseException", "")
	require.Nil(t, srv.Server.IAM().Snapshot().OrgPath(acct))
	require.True(t, srv.Server.IAM().Snapshot().HasAccount(acct))
	newOrganization(t, c)
}

// TestOrganizationsTwoNodes: what one node makes of an organization (a
// CreateAccount request's state, the new account's place and policies)
// reaches the other through the shared store.
func TestOrganizationsTwoNodes(t *testing.T) {
	db := testDatabase(t)
	a := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	b := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	onA, onB := rootOrgs(a), rootOrgs(b)
	root := newOrganization(t, onA)
	out, err := onA.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("n"), Email: aws.String("n@example.com")})
	require.NoError(t, err)
	st, err := onB.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.CreateAccountStateSucceeded, st.CreateAccountStatus.State)
	acct := *st.CreateAccountStatus.AccountId
	_, err = onA.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: otypes.PolicyTypeServiceControlPolicy})
	require.NoError(t, err)
	waitFor(t, "the new account's SCPs", func() bool {
		p := b.Server.IAM().Snapshot().OrgPath(acct)
		return p != nil && len(p.SCPs) == 2 && len(p.SCPs[1]) == 1
	})

	// Trusted access given on one node is seen by the other, by
	// Organizations and by IAM.
	_, err = onA.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")})
	require.NoError(t, err)
	sps, err := onB.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
	require.NoError(t, err)
	require.Len(t, sps.EnabledServicePrincipals, 1)
	_, err = b.RootIAM().EnableOrganizationsRootCredentialsManagement(ctx, &iamsdk.EnableOrganizationsRootCredentialsManagementInput{})
	require.NoError(t, err)
}

// TestOrganizationsAuthorization: IAM policies of the management
// account's principals decide organizations:* on the entities' ARNs, with
// their tags and the request's.
func TestOrganizationsAuthorization(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("Locked"),
		Tags: []otypes.Tag{{Key: aws.String("locked"), Value: aws.String("true")}}})
	require.NoError(t, err)
	locked := *ou.OrganizationalUnit.Id
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: otypes.PolicyTypeServiceControlPolicy})
	require.NoError(t, err)
	pol, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("P"), Description: aws.String(""), Type: otypes.PolicyTypeServiceControlPolicy, Content: aws.String(denyS3)})
	require.NoError(t, err)

	rootIAM := srv.RootIAM()
	_, err = rootIAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("ops")})
	require.NoError(t, err)
	_, err = rootIAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"organizations:*","Resource":"*"},
		{"Effect":"Deny","Action":"organizations:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/locked":"true"}}},
		{"Effect":"Deny","Action":"organizations:CreateOrganizationalUnit","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"forbidden"}}}]}`)})
	require.NoError(t, err)
	key, err := rootIAM.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String("ops")})
	require.NoError(t, err)
	ops := organizations.NewFromConfig(srv.Config(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey))

	_, err = ops.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(locked)})
	requireAPIError(t, err, "AccessDeniedException", "")
	require.Contains(t, err.Error(), ":ou/o-")
	_, err = ops.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: aws.String(locked)})
	requireAPIError(t, err, "AccessDeniedException", "")
	_, err = ops.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: aws.String(root)})
	require.NoError(t, err)
	_, err = ops.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("X"),
		Tags: []otypes.Tag{{Key: aws.String("forbidden"), Value: aws.String("")}}})
	requireAPIError(t, err, "AccessDeniedException", "")
	_, err = ops.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("X")})
	require.NoError(t, err)
}

// TestCreateAccountLimit: AWS's default quota of ten accounts, the
// management account included; the eleventh request fails.
func TestCreateAccountLimit(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	for i := range 9 {
		createAccount(t, c, fmt.Sprintf("a%d", i), fmt.Sprintf("a%d@example.com", i))
	}
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("over"), Email: aws.String("over@example.com")})
	require.NoError(t, err)
	st, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	require.NoError(t, err)
	require.Equal(t, otypes.CreateAccountStateFailed, st.CreateAccountStatus.State)
	require.Equal(t, otypes.CreateAccountFailureReasonAccountLimitExceeded, st.CreateAccountStatus.FailureReason)
	require.Nil(t, st.CreateAccountStatus.AccountId)
	accts, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(20)})
	require.NoError(t, err)
	require.Len(t, accts.Accounts, 10)
	require.Nil(t, accts.NextToken)
}

// memberSession returns a config with credentials of the member account's
// OrganizationAccountAccessRole, assumed by an administrator of the
// management account (root users assume no role), with organizations:*
// allowed to the role.
func memberSession(t *testing.T, srv *servertest.Server, acct string) aws.Config {
	t.Helper()
	ctx := context.Background()
	rootIAM := srv.RootIAM()
	if _, err := rootIAM.GetUser(ctx, &iamsdk.GetUserInput{UserName: aws.String("admin")}); err != nil {
		_, err = rootIAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("admin")})
		require.NoError(t, err)
		_, err = rootIAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("all"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
		require.NoError(t, err)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String("admin")})
	require.NoError(t, err)
	creds, err := srv.STS(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("admin")})
	require.NoError(t, err)
	cfg := srv.Config(*creds.Credentials.AccessKeyId, *creds.Credentials.SecretAccessKey)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*creds.Credentials.AccessKeyId, *creds.Credentials.SecretAccessKey, *creds.Credentials.SessionToken)
	return cfg
}

// TestDelegatedAdministrators: a delegated administrator reads the
// organization; changing it stays with the management account.
func TestDelegatedAdministrators(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	root := newOrganization(t, c)
	acct := createAccount(t, c, "sec", "sec@example.com")
	other := createAccount(t, c, "other", "other@example.com")
	const gd = "guardduty.amazonaws.com"
	member := organizations.NewFromConfig(memberSession(t, srv, acct))
	require.NoError(t, srv.Server.IAM().PutRolePolicy(ctx, acct, iam.PutRolePolicyInput{RoleName: "OrganizationAccountAccessRole", PolicyName: "orgs",
		PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}`}))
	_, err := member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	requireAPIError(t, err, "AccessDeniedException", "You don't have permissions to access this resource.")

	// A service needs trusted access before it has a delegated administrator.
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(gd)})
	requireReason(t, err, "ConstraintViolationException", "SERVICE_ACCESS_NOT_ENABLED")
	_, err = c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(gd)})
	requireAPIError(t, err, "AccountAlreadyRegisteredException", "")
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String("123456789012"), ServicePrincipal: aws.String(gd)})
	requireReason(t, err, "ConstraintViolationException", "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String("999999999999"), ServicePrincipal: aws.String(gd)})
	requireAPIError(t, err, "AccountNotFoundException", "")
	_, err = c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String("bad principal")})
	requireReason(t, err, "InvalidInputException", "INVALID_PATTERN")

	admins, err := c.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{})
	require.NoError(t, err)
	require.Len(t, admins.DelegatedAdministrators, 1)
	require.Equal(t, acct, *admins.DelegatedAdministrators[0].Id)
	require.Equal(t, "sec", *admins.DelegatedAdministrators[0].Name)
	require.NotNil(t, admins.DelegatedAdministrators[0].DelegationEnabledDate)
	admins, err = c.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String("macie.amazonaws.com")})
	require.NoError(t, err)
	require.Empty(t, admins.DelegatedAdministrators)
	svcs, err := c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	require.Len(t, svcs.DelegatedServices, 1)
	require.Equal(t, gd, *svcs.DelegatedServices[0].ServicePrincipal)
	_, err = c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String(other)})
	requireAPIError(t, err, "AccountNotRegisteredException", "")

	// The delegated administrator reads; it does not change.
	accts, err := member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	require.NoError(t, err)
	require.Len(t, accts.Accounts, 3)
	_, err = member.ListRoots(ctx, &organizations.ListRootsInput{})
	require.NoError(t, err)
	_, err = member.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("X")})
	requireAPIError(t, err, "AccessDeniedException", "You don't have permissions to access this resource.")
	_, err = member.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(other), ServicePrincipal: aws.String(gd)})
	requireAPIError(t, err, "AccessDeniedException", "")

	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)})
	requireReason(t, err, "ConstraintViolationException", "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG")
	_, err = c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(gd)})
	require.NoError(t, err)
	_, err = c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(gd)})
	requireAPIError(t, err, "AccountNotRegisteredException", "")
	_, err = member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	requireAPIError(t, err, "AccessDeniedException", "")
	_, err = c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
}

// TestClosedAccountIsUnavailable: once a member account is closed
// (SUSPENDED), its sessions and keys authenticate nothing and its roles
// cannot be assumed.
func TestClosedAccountIsUnavailable(t *testing.T) {
	srv := servertest.Start(t)
	c := rootOrgs(srv)
	ctx := context.Background()
	newOrganization(t, c)
	acct := createAccount(t, c, "closing", "closing@example.com")
	_, key := newUserWithKey(t, srv, "admin")
	_, err := srv.RootIAM().AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	require.NoError(t, err)
	adminSTS := srv.STS(*key.AccessKeyId, *key.SecretAccessKey)
	roleARN := "arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"
	out, err := adminSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("before")})
	require.NoError(t, err)
	member := sessionIAM(srv, out.Credentials)
	created, err := member.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("worker")})
	require.NoError(t, err)
	k, err := member.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: created.User.UserName})
	require.NoError(t, err)
	worker := srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey)
	_, err = worker.GetUser(ctx, &iamsdk.GetUserInput{})
	// The worker has no policy, but its key authenticates.
	requireAPIError(t, err, "AccessDenied", "")

	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(acct)})
	require.NoError(t, err)
	_, err = member.ListUsers(ctx, &iamsdk.ListUsersInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	_, err = worker.GetUser(ctx, &iamsdk.GetUserInput{})
	requireAPIError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	_, err = adminSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("after")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: sts:AssumeRole on resource: "+roleARN)
}
