// Package oidc verifies the web identity tokens (OpenID Connect ID tokens)
// that AssumeRoleWithWebIdentity presents, with the semantics of an IAM
// OIDC identity provider: the issuer's discovery document and JSON Web Key
// Set fetched over HTTPS (the server certificate trusted through a CA pool
// or the provider's thumbprint list), a signature by an asymmetric
// algorithm only, exact issuer, an audience from the provider's client ID
// list, expiry, not-before and issued-at, and a subject.
//
// Parsing and signature checks are go-jose's and go-oidc's; this package
// adds IAM's rules around them, bounds every fetch (time, size, rate) and
// reports failures as AWS's STS errors (InvalidIdentityToken,
// ExpiredTokenException, IDPCommunicationError).
//
// It imports only awserr of Warden's packages; package sts uses it, never
// the other way round.
package oidc
