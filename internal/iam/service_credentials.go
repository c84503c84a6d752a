package iam

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Service-specific credentials: a user name and password for CodeCommit
// (Git over HTTPS) and Amazon Keyspaces, or a long-term API key for
// Amazon Bedrock and CloudWatch Logs.
// [Service-specific credentials for IAM users]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_service-specific-creds.html
// [CreateServiceSpecificCredential]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceSpecificCredential.html

// maxServiceCredentialsPerService is AWS's limit of credentials per user
// and service.
const maxServiceCredentialsPerService = 2

const prefixServiceCredential = "ACCA"

// The services that take service-specific credentials, and whether each
// takes an API key (which may expire) rather than a user name and
// password.
var credentialServices = map[string]bool{
	"codecommit.amazonaws.com": false,
	"cassandra.amazonaws.com":  false,
	"bedrock.amazonaws.com":    true,
	"logs.amazonaws.com":       true,
}

// serviceCredentialAAD binds a sealed password to its credential.
func serviceCredentialAAD(acct, id string) string { return "service-credential:" + acct + ":" + id }

// ServiceCredential is a credential as the actions return it.
type ServiceCredential struct {
	store.ServiceCredential
	// Status is Active, Inactive, or Expired once past its expiration.
	Status string
	// APIKey reports a credential of an API-key service: ServiceUserName
	// is then its ServiceCredentialAlias.
	APIKey bool
	// Secret is the password or API key secret, set only on create and
	// reset: the only times it leaves Warden.
	Secret string
}

func (s *Service) credentialView(c store.ServiceCredential, secret string) ServiceCredential {
	out := ServiceCredential{ServiceCredential: c, Status: string(c.Status), APIKey: credentialServices[c.ServiceName], Secret: secret}
	out.SealedSecret = nil
	if !c.Expiration.IsZero() && !s.now().Before(c.Expiration) {
		out.Status = "Expired"
	}
	return out
}

func errNoSuchServiceCredential(id string) error {
	return awserr.NoSuchEntity("No such credential %s exists", id)
}

// errNotSupportedService refuses a service without service-specific
// credentials. The code and status are the documented ones
// (ServiceNotSupportedException); the text is the one LocalStack records
// (where it answers NoSuchEntity instead).
func errNotSupportedService(name string) error {
	return awserr.New("NotSupportedService", 404, "No such service %s is supported for Service Specific Credentials", name)
}

// newServiceSecret returns a new secret for a credential: a password of
// 44 random bytes in base64 (60 characters ending in "=", the shape of
// AWS's), or for an API key "ABSK" and the base64 of "alias:password", the
// shape of a Bedrock long-term API key.
func newServiceSecret(apiKey bool, alias string) string {
	b := make([]byte, 44)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	pw := base64.StdEncoding.EncodeToString(b)
	if !apiKey {
		return pw
	}
	return "ABSK" + base64.StdEncoding.EncodeToString([]byte(alias+":"+pw))
}

// serviceCredentialOf reads credential id of user (user "" for the root
// user, which has none), or AWS's NoSuchEntity.
func serviceCredentialOf(ctx context.Context, r store.Reader, acct, user, id string) (store.ServiceCredential, error) {
	if user == "" {
		return store.ServiceCredential{}, errNoSuchServiceCredential(id)
	}
	if _, err := getUser(ctx, r, acct, user); err != nil {
		return store.ServiceCredential{}, err
	}
	c, err := r.GetServiceCredential(ctx, acct, id)
	if isNotFound(err) || (err == nil && !strings.EqualFold(c.UserName, user)) {
		return store.ServiceCredential{}, errNoSuchServiceCredential(id)
	}
	return c, err
}

// CreateServiceSpecificCredentialInput is the input of
// CreateServiceSpecificCredential.
type CreateServiceSpecificCredentialInput struct {
	UserName          string `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	ServiceName       string `query:"ServiceName,required"`
	CredentialAgeDays *int   `query:"CredentialAgeDays" minValue:"1" maxValue:"36600"`
}

// CreateServiceSpecificCredential creates a credential for a user and a
// service. AWS behaviour: at most two per user and service; the user name
// is USER-at-ACCOUNT; CredentialAgeDays is only for API-key services.
// Decision: ServiceUserName keeps the name the user had at creation when
// the user is renamed (clients are configured with it).
func (s *Service) CreateServiceSpecificCredential(ctx context.Context, acct string, in CreateServiceSpecificCredentialInput) (ServiceCredential, error) {
	apiKey, ok := credentialServices[in.ServiceName]
	if !ok {
		return ServiceCredential{}, errNotSupportedService(in.ServiceName)
	}
	if in.CredentialAgeDays != nil && !apiKey {
		return ServiceCredential{}, awserr.InvalidInput("CredentialAgeDays is only valid for services that support long-term API keys.")
	}
	now := s.now().UTC()
	c := store.ServiceCredential{Account: acct, ID: newID(prefixServiceCredential), ServiceName: in.ServiceName,
		Status: store.KeyActive, CreateDate: now}
	if in.CredentialAgeDays != nil {
		c.Expiration = now.Add(time.Duration(*in.CredentialAgeDays) * 24 * time.Hour)
	}
	var secret string
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := getUser(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		c.UserName = u.Name
		// An API key's alias has the same form, as the public part of a
		// Bedrock long-term key (ABSK + base64 of "USER-at-ACCOUNT:...")
		// shows.
		c.ServiceUserName = u.Name + "-at-" + acct
		all, err := tx.ListServiceCredentials(ctx, acct, u.Name)
		if err != nil {
			return err
		}
		n := 0
		for _, have := range all {
			if have.ServiceName == in.ServiceName {
				n++
			}
		}
		if n >= maxServiceCredentialsPerService {
			return awserr.LimitExceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", maxServiceCredentialsPerService)
		}
		secret = newServiceSecret(apiKey, c.ServiceUserName)
		c.SealedSecret = s.keyring.Seal([]byte(secret), serviceCredentialAAD(acct, c.ID))
		return tx.CreateServiceCredential(ctx, c)
	})
	if err != nil {
		return ServiceCredential{}, err
	}
	return s.credentialView(c, secret), nil
}

// ListServiceSpecificCredentialsInput is the input of
// ListServiceSpecificCredentials.
type ListServiceSpecificCredentialsInput struct {
	UserName    *string `query:"UserName" min:"1" max:"64" pattern:"name"`
	ServiceName *string `query:"ServiceName"`
	AllUsers    *bool   `query:"AllUsers"`
	Marker      *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems    *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// ListServiceSpecificCredentials lists the credentials of user (the
// caller's own when the input names none; "" for the root user, which has
// none) or, with AllUsers, of every user; ServiceName filters by service.
func (s *Service) ListServiceSpecificCredentials(ctx context.Context, acct, user string, in ListServiceSpecificCredentialsInput) (store.Page[ServiceCredential], error) {
	all := in.AllUsers != nil && *in.AllUsers
	if all && in.UserName != nil {
		return store.Page[ServiceCredential]{}, awserr.InvalidInput("AllUsers and UserName cannot be specified together.")
	}
	if in.ServiceName != nil {
		if _, ok := credentialServices[*in.ServiceName]; !ok {
			return store.Page[ServiceCredential]{}, errNotSupportedService(*in.ServiceName)
		}
	}
	var creds []store.ServiceCredential
	if all || user != "" {
		err := s.view(ctx, func(r store.Reader) error {
			name := ""
			if !all {
				u, err := getUser(ctx, r, acct, user)
				if err != nil {
					return err
				}
				name = u.Name
			}
			var err error
			creds, err = r.ListServiceCredentials(ctx, acct, name)
			return err
		})
		if err != nil {
			return store.Page[ServiceCredential]{}, err
		}
	}
	views := make([]ServiceCredential, 0, len(creds))
	for _, c := range creds {
		if in.ServiceName == nil || c.ServiceName == *in.ServiceName {
			views = append(views, s.credentialView(c, ""))
		}
	}
	return pageByID(views, func(c ServiceCredential) string { return c.ID }, page(in.Marker, in.MaxItems))
}

// ServiceCredentialIDInput is the input of ResetServiceSpecificCredential
// and DeleteServiceSpecificCredential.
type ServiceCredentialIDInput struct {
	UserName                    *string `query:"UserName" min:"1" max:"64" pattern:"name"`
	ServiceSpecificCredentialID string  `query:"ServiceSpecificCredentialId,required" min:"20" max:"128" pattern:"accessKeyId"`
}

// ResetServiceSpecificCredential gives a credential a new secret and
// returns it.
func (s *Service) ResetServiceSpecificCredential(ctx context.Context, acct, user, id string) (ServiceCredential, error) {
	var (
		c      store.ServiceCredential
		secret string
	)
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		c, err = serviceCredentialOf(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		secret = newServiceSecret(credentialServices[c.ServiceName], c.ServiceUserName)
		c.SealedSecret = s.keyring.Seal([]byte(secret), serviceCredentialAAD(acct, c.ID))
		return tx.UpdateServiceCredential(ctx, c)
	})
	if err != nil {
		return ServiceCredential{}, err
	}
	return s.credentialView(c, secret), nil
}

// UpdateServiceSpecificCredentialInput is the input of
// UpdateServiceSpecificCredential.
type UpdateServiceSpecificCredentialInput struct {
	UserName                    *string `query:"UserName" min:"1" max:"64" pattern:"name"`
	ServiceSpecificCredentialID string  `query:"ServiceSpecificCredentialId,required" min:"20" max:"128" pattern:"accessKeyId"`
	Status                      string  `query:"Status,required" enum:"Active|Inactive"`
}

// UpdateServiceSpecificCredential activates or deactivates a credential.
func (s *Service) UpdateServiceSpecificCredential(ctx context.Context, acct, user, id string, status store.AccessKeyStatus) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := serviceCredentialOf(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		c.Status = status
		return tx.UpdateServiceCredential(ctx, c)
	})
}

// DeleteServiceSpecificCredential deletes a credential.
func (s *Service) DeleteServiceSpecificCredential(ctx context.Context, acct, user, id string) error {
	return s.update(ctx, func(tx store.Tx) error {
		c, err := serviceCredentialOf(ctx, tx, acct, user, id)
		if err != nil {
			return err
		}
		return tx.DeleteServiceCredential(ctx, acct, c.ID)
	})
}
