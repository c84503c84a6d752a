package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/iam/awspolicies"
	"github.com/warden-iam/warden/internal/server/servertest"
)

const (
	awsAdminARN    = "arn:aws:iam::aws:policy/AdministratorAccess"
	awsIAMReadARN  = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	awsNoSuchARN   = "arn:aws:iam::aws:policy/NoSuchPolicy"
	awsDeniedWrite = "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: %s on resource: " + awsAdminARN + " because no resource-based policy allows the %s action"
)

func TestAWSManagedPolicyList(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	managedCreate(t, root, "AdministratorAccess", managedAllowListUsers) // a customer policy may share the name

	var arns []string
	p := iam.NewListPoliciesPaginator(root, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, pol := range out.Policies {
			arns = append(arns, *pol.Arn)
			require.Nil(t, pol.Description, "ListPolicies omits Description")
			require.True(t, pol.IsAttachable)
			require.Zero(t, *pol.AttachmentCount)
		}
	}
	var want []string
	for _, pol := range awspolicies.All() {
		want = append(want, pol.ARN())
	}
	require.Equal(t, want, arns, "Scope AWS lists the catalog, by name")

	all, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{})
	require.NoError(t, err)
	require.Len(t, all.Policies, len(want)+1, "Scope All lists both")
	require.Equal(t, managedARNPrefix+"/AdministratorAccess", *all.Policies[0].Arn, "same name: by ARN")
	require.Equal(t, awsAdminARN, *all.Policies[1].Arn)
	local, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	require.NoError(t, err)
	require.Len(t, local.Policies, 1)

	jobs, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, PathPrefix: aws.String("/job-function/")})
	require.NoError(t, err)
	for _, pol := range jobs.Policies {
		require.Equal(t, "/job-function/", *pol.Path)
	}
	attached, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, OnlyAttached: true})
	require.NoError(t, err)
	require.Empty(t, attached.Policies)
}

func TestAWSManagedPolicyRead(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	cat, ok := awspolicies.Get(awsAdminARN)
	require.True(t, ok)

	got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	require.Equal(t, "AdministratorAccess", *got.Policy.PolicyName)
	require.Equal(t, "ANPAIWMBCKSKIEE64ZLYK", *got.Policy.PolicyId)
	require.Equal(t, "/", *got.Policy.Path)
	require.Equal(t, cat.DefaultVersion, *got.Policy.DefaultVersionId)
	require.Equal(t, cat.Description, *got.Policy.Description)
	require.True(t, got.Policy.IsAttachable)
	require.Equal(t, cat.CreateDate, *got.Policy.CreateDate)

	v, err := root.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsAdminARN), VersionId: aws.String(cat.DefaultVersion)})
	require.NoError(t, err)
	require.True(t, v.PolicyVersion.IsDefaultVersion)
	d, err := url.QueryUnescape(*v.PolicyVersion.Document)
	require.NoError(t, err)
	require.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, d)

	versions, err := root.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(awsIAMReadARN)})
	require.NoError(t, err)
	require.Len(t, versions.Versions, 1)
	require.Equal(t, "v4", *versions.Versions[0].VersionId)
	require.True(t, versions.Versions[0].IsDefaultVersion)
	require.Nil(t, versions.Versions[0].Document, "ListPolicyVersions returns no documents")

	_, err = root.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsAdminARN), VersionId: aws.String("v9")})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsAdminARN+" version v9 does not exist or is not attachable.")
	_, err = root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsNoSuchARN)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsNoSuchARN+" was not found.")
	_, err = root.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(awsNoSuchARN)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsNoSuchARN+" was not found.")
	tags, err := root.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	require.Empty(t, tags.Tags)
}

// TestAWSManagedPolicyAuthorizes attaches AWS managed policies and checks
// that real requests are decided by their documents.
func TestAWSManagedPolicyAuthorizes(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	admin := managedUserClient(t, srv, root, "admin")
	reader := managedUserClient(t, srv, root, "reader")

	_, err := admin.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err, "attaching again succeeds")
	_, err = admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-admin")})
	require.NoError(t, err, "AdministratorAccess allows IAM")

	_, err = admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(awsIAMReadARN)})
	require.NoError(t, err)
	_, err = reader.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
	require.NoError(t, err, "IAMReadOnlyAccess allows iam:Get*")
	_, err = reader.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws})
	require.NoError(t, err)
	_, err = reader.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no identity-based policy allows the iam:CreateUser action")

	got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	require.EqualValues(t, 1, *got.Policy.AttachmentCount)
	attached, err := root.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("admin")})
	require.NoError(t, err)
	require.Len(t, attached.AttachedPolicies, 1)
	require.Equal(t, "AdministratorAccess", *attached.AttachedPolicies[0].PolicyName)
	require.Equal(t, awsAdminARN, *attached.AttachedPolicies[0].PolicyArn)
	only, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})
	require.NoError(t, err)
	require.Len(t, only.Policies, 2)
	require.Equal(t, awsAdminARN, *only.Policies[0].Arn)
	require.Equal(t, awsIAMReadARN, *only.Policies[1].Arn)

	// A group's and a role's attachments count too.
	_, err = root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")})
	require.NoError(t, err)
	_, err = root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	roleCreate(t, root, "OrganizationAccountAccessRole")
	_, err = root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("OrganizationAccountAccessRole"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	got, err = root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	require.EqualValues(t, 3, *got.Policy.AttachmentCount)
	ents, err := root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	require.Len(t, ents.PolicyUsers, 1)
	require.Equal(t, "admin", *ents.PolicyUsers[0].UserName)
	require.Len(t, ents.PolicyGroups, 1)
	require.Len(t, ents.PolicyRoles, 1)
	require.Equal(t, "OrganizationAccountAccessRole", *ents.PolicyRoles[0].RoleName)
	ents, err = root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(awsAdminARN), EntityFilter: types.EntityTypeRole})
	require.NoError(t, err)
	require.Empty(t, ents.PolicyUsers)
	require.Len(t, ents.PolicyRoles, 1)
	_, err = root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(awsNoSuchARN)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsNoSuchARN+" does not exist or is not attachable.")

	// Detaching takes the access away.
	_, err = root.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	_, err = admin.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")
	_, err = root.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(awsAdminARN)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsAdminARN+" was not found.")
}

func TestAWSManagedPolicyAttachErrors(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	require.NoError(t, err)
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(awsNoSuchARN)})
	requireAPIError(t, err, "NoSuchEntity", "Policy "+awsNoSuchARN+" does not exist or is not attachable.")
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::aws:policy/administratoraccess")})
	requireAPIError(t, err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/administratoraccess does not exist or is not attachable.")
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("nobody"), PolicyArn: aws.String(awsAdminARN)})
	requireAPIError(t, err, "NoSuchEntity", "The user with name nobody cannot be found.")
	_, err = root.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: aws.String(awsNoSuchARN)})
	requireAPIError(t, err, "NoSuchEntity", "Scope ARN: "+awsNoSuchARN+" does not exist or is not attachable.")
}

// TestAWSManagedPolicyReadOnly: no account can change an AWS managed
// policy, not even with AdministratorAccess.
func TestAWSManagedPolicyReadOnly(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	admin := managedUserClient(t, srv, root, "admin")
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	denied := func(action string) string {
		return strings.ReplaceAll(strings.Replace(awsDeniedWrite, "%s", action, 1), "%s", action)
	}
	arn := aws.String(awsAdminARN)
	_, err = admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	requireAPIError(t, err, "AccessDenied", denied("iam:DeletePolicy"))
	_, err = admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(managedAllowListUsers), SetAsDefault: true})
	requireAPIError(t, err, "AccessDenied", denied("iam:CreatePolicyVersion"))
	_, err = admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
	requireAPIError(t, err, "AccessDenied", denied("iam:SetDefaultPolicyVersion"))
	_, err = admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
	requireAPIError(t, err, "AccessDenied", denied("iam:DeletePolicyVersion"))
	_, err = admin.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	requireAPIError(t, err, "AccessDenied", denied("iam:TagPolicy"))
	_, err = admin.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"k"}})
	requireAPIError(t, err, "AccessDenied", denied("iam:UntagPolicy"))
	_, err = root.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	requireAPIError(t, err, "AccessDenied", "")

	got, err := admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	require.NoError(t, err, "the policy is unchanged")
	require.Equal(t, "v1", *got.Policy.DefaultVersionId)
	require.EqualValues(t, 1, *got.Policy.AttachmentCount)
	_, err = admin.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
}

// TestAWSManagedPolicyBoundary: an AWS managed policy as a permissions
// boundary narrows what the attached policies allow.
func TestAWSManagedPolicyBoundary(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	dev := managedUserClient(t, srv, root, "dev")
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)
	_, err = root.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("dev"), PermissionsBoundary: aws.String(awsIAMReadARN)})
	require.NoError(t, err)

	_, err = dev.GetUser(ctx, &iam.GetUserInput{})
	require.NoError(t, err)
	_, err = dev.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no permissions boundary allows the iam:CreateUser action")

	u, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dev")})
	require.NoError(t, err)
	require.Equal(t, awsIAMReadARN, *u.User.PermissionsBoundary.PermissionsBoundaryArn)
	got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsIAMReadARN)})
	require.NoError(t, err)
	require.EqualValues(t, 1, *got.Policy.PermissionsBoundaryUsageCount)
	require.Zero(t, *got.Policy.AttachmentCount)
	ents, err := root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(awsIAMReadARN), PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary})
	require.NoError(t, err)
	require.Len(t, ents.PolicyUsers, 1)
	list, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary})
	require.NoError(t, err)
	require.Len(t, list.Policies, 1)
	require.Equal(t, awsIAMReadARN, *list.Policies[0].Arn)

	// A role too.
	roleCreate(t, root, "bounded")
	_, err = root.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("bounded"), PermissionsBoundary: aws.String(awsIAMReadARN)})
	require.NoError(t, err)
}

func TestAWSManagedPolicyAccountDetails(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	local := managedCreate(t, root, "mine", managedAllowListUsers)
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	require.NoError(t, err)
	for _, arn := range []string{awsAdminARN, local} {
		_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)})
		require.NoError(t, err)
	}
	_, err = root.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: aws.String(awsIAMReadARN)})
	require.NoError(t, err)

	policyARNs := func(f ...types.EntityType) []string {
		out, err := root.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: f})
		require.NoError(t, err)
		var arns []string
		for _, p := range out.Policies {
			arns = append(arns, *p.Arn)
			require.NotEmpty(t, p.PolicyVersionList)
			if strings.HasPrefix(*p.Arn, awspolicies.ARNPrefix) {
				require.True(t, p.PolicyVersionList[0].IsDefaultVersion)
				require.Equal(t, *p.DefaultVersionId, *p.PolicyVersionList[0].VersionId)
				d, err := url.QueryUnescape(*p.PolicyVersionList[0].Document)
				require.NoError(t, err)
				require.Contains(t, d, "Statement")
			}
		}
		return arns
	}
	require.Equal(t, []string{awsAdminARN, awsIAMReadARN}, policyARNs(types.EntityTypeAWSManagedPolicy),
		"the AWS managed policies the account uses, and no others")
	require.Equal(t, []string{local}, policyARNs(types.EntityTypeLocalManagedPolicy))
	require.Equal(t, []string{awsAdminARN, awsIAMReadARN, local}, policyARNs())

	out, err := root.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeAWSManagedPolicy}})
	require.NoError(t, err)
	require.EqualValues(t, 1, *out.Policies[0].AttachmentCount)
	require.EqualValues(t, 1, *out.Policies[1].PermissionsBoundaryUsageCount)

	// Paged one at a time, the policies come in the same order.
	var paged []string
	var marker *string
	for {
		out, err := root.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1), Marker: marker,
			Filter: []types.EntityType{types.EntityTypeAWSManagedPolicy, types.EntityTypeLocalManagedPolicy}})
		require.NoError(t, err)
		for _, p := range out.Policies {
			paged = append(paged, *p.Arn)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	require.Equal(t, []string{awsAdminARN, awsIAMReadARN, local}, paged)
}

func TestAWSManagedPolicySimulator(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("reader")})
	require.NoError(t, err)
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(awsIAMReadARN)})
	require.NoError(t, err)
	out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/reader"),
		ActionNames:     []string{"iam:GetUser", "iam:CreateUser"},
	})
	require.NoError(t, err)
	require.Len(t, out.EvaluationResults, 2)
	get, create := out.EvaluationResults[0], out.EvaluationResults[1]
	require.Equal(t, types.PolicyEvaluationDecisionTypeAllowed, get.EvalDecision)
	require.Len(t, get.MatchedStatements, 1)
	require.Equal(t, "IAMReadOnlyAccess", *get.MatchedStatements[0].SourcePolicyId)
	require.Equal(t, types.PolicySourceTypeAwsManaged, get.MatchedStatements[0].SourcePolicyType)
	require.Equal(t, types.PolicyEvaluationDecisionTypeImplicitDeny, create.EvalDecision)
}

// TestAWSManagedPolicySessionPolicy: AssumeRole's PolicyArns may name an
// AWS managed policy, which then limits the session.
func TestAWSManagedPolicySessionPolicy(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	_, key := newUserWithKey(t, srv, "alice")
	roleARN := createRole(t, root, "ops",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}), nil)
	_, err := root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(awsAdminARN)})
	require.NoError(t, err)

	assume := func(arns ...string) *iam.Client {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1")}
		for _, a := range arns {
			in.PolicyArns = append(in.PolicyArns, ststypes.PolicyDescriptorType{Arn: aws.String(a)})
		}
		out, err := srv.STS(*key.AccessKeyId, *key.SecretAccessKey).AssumeRole(ctx, in)
		require.NoError(t, err)
		return sessionIAM(srv, out.Credentials)
	}
	full := assume()
	_, err = full.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("by-role")})
	require.NoError(t, err, "the role's AdministratorAccess allows")

	narrowed := assume(awsIAMReadARN)
	_, err = narrowed.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("by-role")})
	require.NoError(t, err)
	_, err = narrowed.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/ops/s1 is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no session policy allows the iam:CreateUser action")
}

// TestAWSManagedPolicyServiceLinked: a service-linked role gets its
// service's policy; no other role, user or group can have it.
func TestAWSManagedPolicyServiceLinked(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	const trustPolicy = "arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy"
	out, err := root.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("organizations.amazonaws.com")})
	require.NoError(t, err)
	attached, err := root.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: out.Role.RoleName})
	require.NoError(t, err)
	require.Len(t, attached.AttachedPolicies, 1)
	require.Equal(t, trustPolicy, *attached.AttachedPolicies[0].PolicyArn)
	require.Equal(t, "AWSOrganizationsServiceTrustPolicy", *attached.AttachedPolicies[0].PolicyName)

	roleCreate(t, root, "custom")
	_, err = root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("custom"), PolicyArn: aws.String(trustPolicy)})
	requireAPIError(t, err, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.")
	_, err = root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})
	require.NoError(t, err)
	_, err = root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(trustPolicy)})
	requireAPIError(t, err, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.")

	_, err = root.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: out.Role.RoleName})
	require.NoError(t, err)
	ents, err := root.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(trustPolicy)})
	require.NoError(t, err)
	require.Empty(t, ents.PolicyRoles, "the deleted role's attachment goes with it")
}

// TestAWSManagedPolicyViewOnly: the ViewOnlyAccess job function lists IAM
// entities but does not read them.
func TestAWSManagedPolicyViewOnly(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	viewer := managedUserClient(t, srv, root, "viewer")
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("viewer"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")})
	require.NoError(t, err)
	users, err := viewer.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Len(t, users.Users, 1)
	_, err = viewer.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("viewer")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/viewer is not authorized to perform: iam:GetUser on resource: arn:aws:iam::123456789012:user/viewer because no identity-based policy allows the iam:GetUser action")
	jobs, err := root.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, PathPrefix: aws.String("/job-function/"), OnlyAttached: true})
	require.NoError(t, err)
	require.Len(t, jobs.Policies, 1)
	require.Equal(t, "ViewOnlyAccess", *jobs.Policies[0].PolicyName)
}

// TestAWSManagedPolicySecurityAudit: SecurityAudit reads IAM and changes
// nothing.
func TestAWSManagedPolicySecurityAudit(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	auditor := managedUserClient(t, srv, root, "auditor")
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("auditor"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/SecurityAudit")})
	require.NoError(t, err)
	_, err = auditor.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("auditor")})
	require.NoError(t, err)
	_, err = auditor.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	require.NoError(t, err)
	_, err = auditor.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "")
}

// TestAWSManagedPolicyReadOnlyAccess: ReadOnlyAccess, the largest document
// of the catalog, reads and lists IAM and changes nothing.
func TestAWSManagedPolicyReadOnlyAccess(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	reader := managedUserClient(t, srv, root, "reader")
	const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(arn)})
	require.NoError(t, err)
	_, err = reader.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("reader")})
	require.NoError(t, err)
	users, err := reader.ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)
	require.Len(t, users.Users, 1)
	_, err = reader.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no identity-based policy allows the iam:CreateUser action")

	got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, "ANPAILL3HVNFSB6DCOWYQ", *got.Policy.PolicyId)
	v, err := root.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: got.Policy.DefaultVersionId})
	require.NoError(t, err)
	d, err := url.QueryUnescape(*v.PolicyVersion.Document)
	require.NoError(t, err)
	cat, ok := awspolicies.Get(arn)
	require.True(t, ok)
	require.JSONEq(t, cat.Document, d, "the whole document, however large")
}

// TestAWSManagedPolicySystemAdministrator: the SystemAdministrator job
// function reads users and lists roles, but neither lists nor creates
// users.
func TestAWSManagedPolicySystemAdministrator(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	admin := managedUserClient(t, srv, root, "sysadmin")
	_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("sysadmin"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/job-function/SystemAdministrator")})
	require.NoError(t, err)
	_, err = admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("sysadmin")})
	require.NoError(t, err, "iam:GetUser*")
	_, err = admin.ListRoles(ctx, &iam.ListRolesInput{})
	require.NoError(t, err)
	_, err = admin.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/sysadmin is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action")
	_, err = admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	requireAPIError(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/sysadmin is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no identity-based policy allows the iam:CreateUser action")
}
