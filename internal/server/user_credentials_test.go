package server_test

import (
	"context"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// sshRSAKey returns a new RSA public key of bits in OpenSSH format (with
// a comment) and its MD5 fingerprint in IAM's colon form, computed here
// independently of Warden.
func sshRSAKey(t *testing.T, bits int) (authorized, fingerprint string, pub ssh.PublicKey) {
	t.Helper()
	k := rsaKey(t, bits)
	pub, err := ssh.NewPublicKey(&k.PublicKey)
	require.NoError(t, err)
	sum := md5.Sum(pub.Marshal())
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02x", b)
	}
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(pub.Marshal()) + " alice@laptop", strings.Join(hexes, ":"), pub
}

func createUserNamed(t *testing.T, c *iam.Client, name string) {
	t.Helper()
	_, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)})
	require.NoError(t, err)
}

func TestSSHPublicKeyLifecycle(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	createUserNamed(t, c, "alice")
	createUserNamed(t, c, "bob")
	body, fp, pub := sshRSAKey(t, 2048)

	up, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("ALICE"), SSHPublicKeyBody: aws.String(body)})
	require.NoError(t, err)
	k := up.SSHPublicKey
	require.Equal(t, "alice", *k.UserName)
	require.True(t, strings.HasPrefix(*k.SSHPublicKeyId, "APKA"), *k.SSHPublicKeyId)
	require.Len(t, *k.SSHPublicKeyId, 21)
	require.Equal(t, fp, *k.Fingerprint)
	require.Equal(t, types.StatusTypeActive, k.Status)
	require.NotNil(t, k.UploadDate)
	id := *k.SSHPublicKeyId

	got, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id),
		Encoding: types.EncodingTypeSsh})
	require.NoError(t, err)
	require.Equal(t, strings.TrimSuffix(body, " alice@laptop"), *got.SSHPublicKey.SSHPublicKeyBody)
	require.Equal(t, fp, *got.SSHPublicKey.Fingerprint)
	got, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id),
		Encoding: types.EncodingTypePem})
	require.NoError(t, err)
	blk, _ := pem.Decode([]byte(*got.SSHPublicKey.SSHPublicKeyBody))
	require.NotNil(t, blk)
	require.Equal(t, "PUBLIC KEY", blk.Type)
	parsed, err := x509.ParsePKIXPublicKey(blk.Bytes)
	require.NoError(t, err)
	back, err := ssh.NewPublicKey(parsed)
	require.NoError(t, err)
	require.Equal(t, pub.Marshal(), back.Marshal(), "the PEM body is the same key")

	// The same key twice for one user is refused; another user may have it.
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(body)})
	requireAPIError(t, err, "DuplicateSSHPublicKey",
		"The request was rejected because the SSH public key is already associated with the specified IAM user.")
	// The PEM form of the same key is the same key.
	pemBody := *got.SSHPublicKey.SSHPublicKeyBody
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(pemBody)})
	requireAPIError(t, err, "DuplicateSSHPublicKey", "")
	bobKey, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyBody: aws.String(pemBody)})
	require.NoError(t, err)
	require.Equal(t, fp, *bobKey.SSHPublicKey.Fingerprint)

	// Another user's key is not found under alice.
	_, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"),
		SSHPublicKeyId: bobKey.SSHPublicKey.SSHPublicKeyId, Encoding: types.EncodingTypeSsh})
	requireAPIError(t, err, "NoSuchEntity", fmt.Sprintf("The SSH Public Key with id %s cannot be found.", *bobKey.SSHPublicKey.SSHPublicKeyId))
	_, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("ghost"), SSHPublicKeyId: aws.String(id),
		Encoding: types.EncodingTypeSsh})
	requireAPIError(t, err, "NoSuchEntity", "The user with name ghost cannot be found.")
	_, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id),
		Encoding: "DER"})
	requireAPIError(t, err, "ValidationError", "")
	_, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String("APKA-short"),
		Encoding: types.EncodingTypeSsh})
	requireAPIError(t, err, "ValidationError", "")

	_, err = c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id),
		Status: types.StatusTypeInactive})
	require.NoError(t, err)
	list, err := c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.Len(t, list.SSHPublicKeys, 1)
	require.Equal(t, types.StatusTypeInactive, list.SSHPublicKeys[0].Status)
	require.Equal(t, id, *list.SSHPublicKeys[0].SSHPublicKeyId)
	require.Equal(t, "alice", *list.SSHPublicKeys[0].UserName)
	_, err = c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id),
		Status: "Expired"})
	requireAPIError(t, err, "ValidationError", "")
	_, err = c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyId: aws.String(id),
		Status: types.StatusTypeActive})
	requireAPIError(t, err, "NoSuchEntity", fmt.Sprintf("The SSH Public Key with id %s cannot be found.", id))
	_, err = c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "The user with name ghost cannot be found.")
	// The root user lists none of its own.
	list, err = c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{})
	require.NoError(t, err)
	require.Empty(t, list.SSHPublicKeys)

	// DeleteUser refuses while the user has a key; a rename carries it.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
	requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete SSH public keys first.")
	_, err = c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("carol")})
	require.NoError(t, err)
	got, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("carol"), SSHPublicKeyId: aws.String(id),
		Encoding: types.EncodingTypeSsh})
	require.NoError(t, err)
	require.Equal(t, "carol", *got.SSHPublicKey.UserName)

	_, err = c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyId: aws.String(id)})
	requireAPIError(t, err, "NoSuchEntity", fmt.Sprintf("The SSH Public Key with id %s cannot be found.", id))
	_, err = c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("carol"), SSHPublicKeyId: aws.String(id)})
	require.NoError(t, err)
	_, err = c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("carol"), SSHPublicKeyId: aws.String(id)})
	requireAPIError(t, err, "NoSuchEntity", fmt.Sprintf("The SSH Public Key with id %s cannot be found.", id))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
	require.NoError(t, err)
}

func TestUploadSSHPublicKeyErrors(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	createUserNamed(t, c, "alice")
	small, _, _ := sshRSAKey(t, 1024)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ed, err := ssh.NewPublicKey(edPub)
	require.NoError(t, err)
	edPKIX, err := x509.MarshalPKIXPublicKey(edPub)
	require.NoError(t, err)
	unrecognized := "The request was rejected because the public key encoding format is unsupported or unrecognized."
	for _, tc := range []struct {
		name, body, code, msg string
	}{
		{name: "not a key", body: "hello world", code: "UnrecognizedPublicKeyEncoding", msg: unrecognized},
		{name: "bad base64", body: "ssh-rsa !!!!", code: "UnrecognizedPublicKeyEncoding", msg: unrecognized},
		{name: "PEM of a certificate", body: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
			code: "UnrecognizedPublicKeyEncoding", msg: unrecognized},
		{name: "PEM garbage", body: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", code: "InvalidPublicKey"},
		{name: "RSA under 2048 bits", body: small, code: "InvalidPublicKey", msg: "The public key is 1024 bits; it must be at least 2048 bits."},
		{name: "ed25519 OpenSSH", body: string(ssh.MarshalAuthorizedKey(ed)), code: "InvalidPublicKey", msg: "The public key must be an ssh-rsa key."},
		{name: "ed25519 PEM", body: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: edPKIX})), code: "InvalidPublicKey",
			msg: "The public key must be an ssh-rsa key."},
		{name: "too long", body: strings.Repeat("a", 16385), code: "ValidationError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(tc.body)})
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	body, _, _ := sshRSAKey(t, 2048)
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("ghost"), SSHPublicKeyBody: aws.String(body)})
	requireAPIError(t, err, "NoSuchEntity", "The user with name ghost cannot be found.")

	// Five keys per user; list them in pages.
	var ids []string
	for range 5 {
		b, _, _ := sshRSAKey(t, 2048)
		out, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(b)})
		require.NoError(t, err)
		ids = append(ids, *out.SSHPublicKey.SSHPublicKeyId)
	}
	_, err = c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(body)})
	requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for SSHPublicKeysPerUser: 5")
	var got []string
	var marker *string
	for {
		out, err := c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice"), Marker: marker, MaxItems: aws.Int32(2)})
		require.NoError(t, err)
		for _, k := range out.SSHPublicKeys {
			got = append(got, *k.SSHPublicKeyId)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	require.ElementsMatch(t, ids, got)
	_, err = c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice"), Marker: aws.String("bogus")})
	requireAPIError(t, err, "ValidationError", "Invalid Marker bogus.")
}

func TestServiceSpecificCredentials(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.RootIAM()
	ctx := context.Background()
	createUserNamed(t, c, "alice")
	createUserNamed(t, c, "bob")
	create := func(user, service string, days *int32) (*types.ServiceSpecificCredential, error) {
		out, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String(user),
			ServiceName: aws.String(service), CredentialAgeDays: days})
		if err != nil {
			return nil, err
		}
		return out.ServiceSpecificCredential, nil
	}

	cc, err := create("Alice", "codecommit.amazonaws.com", nil)
	require.NoError(t, err)
	require.Equal(t, "alice", *cc.UserName)
	require.Equal(t, "alice-at-123456789012", *cc.ServiceUserName)
	require.Len(t, *cc.ServicePassword, 60)
	require.True(t, strings.HasSuffix(*cc.ServicePassword, "="))
	require.True(t, strings.HasPrefix(*cc.ServiceSpecificCredentialId, "ACCA"), *cc.ServiceSpecificCredentialId)
	require.Len(t, *cc.ServiceSpecificCredentialId, 21)
	require.Equal(t, types.StatusTypeActive, cc.Status)
	require.Nil(t, cc.ExpirationDate)
	require.Nil(t, cc.ServiceCredentialSecret)

	ks, err := create("alice", "cassandra.amazonaws.com", nil)
	require.NoError(t, err)
	require.Equal(t, "alice-at-123456789012", *ks.ServiceUserName)
	br, err := create("alice", "bedrock.amazonaws.com", aws.Int32(30))
	require.NoError(t, err)
	require.Nil(t, br.ServicePassword)
	require.Nil(t, br.ServiceUserName)
	require.Equal(t, "alice-at-123456789012", *br.ServiceCredentialAlias)
	require.True(t, strings.HasPrefix(*br.ServiceCredentialSecret, "ABSK"), *br.ServiceCredentialSecret)
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(*br.ServiceCredentialSecret, "ABSK"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(decoded), "alice-at-123456789012:"), "the key names its alias")
	require.WithinDuration(t, br.CreateDate.Add(30*24*time.Hour), *br.ExpirationDate, time.Second)

	_, err = create("alice", "s3.amazonaws.com", nil)
	requireAPIError(t, err, "NotSupportedService", "No such service s3.amazonaws.com is supported for Service Specific Credentials")
	_, err = create("alice", "codecommit.amazonaws.com", aws.Int32(5))
	requireAPIError(t, err, "InvalidInput", "CredentialAgeDays is only valid for services that support long-term API keys.")
	_, err = create("alice", "bedrock.amazonaws.com", aws.Int32(36601))
	requireAPIError(t, err, "ValidationError", "")
	_, err = create("ghost", "codecommit.amazonaws.com", nil)
	requireAPIError(t, err, "NoSuchEntity", "The user with name ghost cannot be found.")
	_, err = create("alice", "codecommit.amazonaws.com", nil)
	require.NoError(t, err)
	_, err = create("alice", "codecommit.amazonaws.com", nil)
	requireAPIError(t, err, "LimitExceeded", "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")
	bobCred, err := create("bob", "codecommit.amazonaws.com", nil)
	require.NoError(t, err)

	// Lists: one user's, filtered by service, every user's; never a secret.
	list, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	require.Len(t, list.ServiceSpecificCredentials, 4)
	for _, m := range list.ServiceSpecificCredentials {
		require.Equal(t, "alice", *m.UserName)
	}
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice"),
		ServiceName: aws.String("codecommit.amazonaws.com")})
	require.NoError(t, err)
	require.Len(t, list.ServiceSpecificCredentials, 2)
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true),
		ServiceName: aws.String("codecommit.amazonaws.com")})
	require.NoError(t, err)
	require.Len(t, list.ServiceSpecificCredentials, 3)
	require.Equal(t, "bob", *list.ServiceSpecificCredentials[2].UserName)
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), MaxItems: aws.Int32(3)})
	require.NoError(t, err)
	require.True(t, list.IsTruncated)
	require.Len(t, list.ServiceSpecificCredentials, 3)
	rest, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), Marker: list.Marker})
	require.NoError(t, err)
	require.False(t, rest.IsTruncated)
	require.Len(t, rest.ServiceSpecificCredentials, 2)
	_, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), UserName: aws.String("alice")})
	requireAPIError(t, err, "InvalidInput", "AllUsers and UserName cannot be specified together.")
	_, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{ServiceName: aws.String("s3.amazonaws.com"),
		UserName: aws.String("alice")})
	requireAPIError(t, err, "NotSupportedService", "")
	_, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("ghost")})
	requireAPIError(t, err, "NoSuchEntity", "The user with name ghost cannot be found.")
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{})
	require.NoError(t, err)
	require.Empty(t, list.ServiceSpecificCredentials, "the root user has none")

	// Reset gives a new password; update sets the status.
	reset, err := c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId})
	require.NoError(t, err)
	require.NotEqual(t, *cc.ServicePassword, *reset.ServiceSpecificCredential.ServicePassword)
	require.Len(t, *reset.ServiceSpecificCredential.ServicePassword, 60)
	_, err = c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String("bob"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId})
	requireAPIError(t, err, "NoSuchEntity", fmt.Sprintf("No such credential %s exists", *cc.ServiceSpecificCredentialId))
	_, err = c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId, Status: types.StatusTypeInactive})
	require.NoError(t, err)
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice"),
		ServiceName: aws.String("codecommit.amazonaws.com")})
	require.NoError(t, err)
	require.Equal(t, types.StatusTypeInactive, list.ServiceSpecificCredentials[0].Status)
	_, err = c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId, Status: types.StatusTypeExpired})
	requireAPIError(t, err, "ValidationError", "")
	_, err = c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceSpecificCredentialId: bobCred.ServiceSpecificCredentialId, Status: types.StatusTypeInactive})
	requireAPIError(t, err, "NoSuchEntity", "")

	// DeleteUser refuses while credentials remain; a rename carries them.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	requireAPIError(t, err, "DeleteConflict", "Cannot delete entity, must delete service-specific credentials first.")
	_, err = c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("bob"), NewUserName: aws.String("robert")})
	require.NoError(t, err)
	list, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("robert")})
	require.NoError(t, err)
	require.Len(t, list.ServiceSpecificCredentials, 1)
	require.Equal(t, "robert", *list.ServiceSpecificCredentials[0].UserName)
	_, err = c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceSpecificCredentialId: bobCred.ServiceSpecificCredentialId})
	requireAPIError(t, err, "NoSuchEntity", "")
	_, err = c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("robert"),
		ServiceSpecificCredentialId: bobCred.ServiceSpecificCredentialId})
	require.NoError(t, err)
	_, err = c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("robert"),
		ServiceSpecificCredentialId: bobCred.ServiceSpecificCredentialId})
	requireAPIError(t, err, "NoSuchEntity", "")
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("robert")})
	require.NoError(t, err)
}

// TestServiceCredentialsOfTheCaller: a user manages its own credentials
// without naming itself.
func TestServiceCredentialsOfTheCaller(t *testing.T) {
	srv := servertest.Start(t)
	root := srv.RootIAM()
	ctx := context.Background()
	createUserNamed(t, root, "alice")
	_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("self"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*ServiceSpecificCredential*","Resource":"arn:aws:iam::123456789012:user/alice"}]}`)})
	require.NoError(t, err)
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	alice := srv.IAM(*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey)
	cred, err := alice.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"),
		ServiceName: aws.String("codecommit.amazonaws.com")})
	require.NoError(t, err)
	list, err := alice.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{})
	require.NoError(t, err)
	require.Len(t, list.ServiceSpecificCredentials, 1)
	_, err = alice.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{
		ServiceSpecificCredentialId: cred.ServiceSpecificCredential.ServiceSpecificCredentialId})
	require.NoError(t, err)
	_, err = alice.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{
		ServiceSpecificCredentialId: cred.ServiceSpecificCredential.ServiceSpecificCredentialId})
	require.NoError(t, err)
	// Another user's credentials are another resource.
	createUserNamed(t, root, "bob")
	_, err = alice.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"),
		ServiceName: aws.String("codecommit.amazonaws.com")})
	requireAPIError(t, err, "AccessDenied", "")
}
