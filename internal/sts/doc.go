// Package sts issues and verifies temporary credentials: the sessions of
// AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
// GetSessionToken and GetFederationToken. A session token is sealed, not
// stored: it carries everything needed to authenticate and authorize the
// session (AES-256-GCM under a service key that every node shares through
// the store), so any node verifies it without a lookup.
package sts
