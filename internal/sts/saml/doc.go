// Package saml verifies SAML 2.0 identity-provider metadata and the SAML
// responses that AssumeRoleWithSAML presents. It is a hard-fail layer over
// github.com/russellhaering/gosaml2 (signature checking on goxmldsig): every
// gosaml2 warning is a rejection, the raw input is bounded and screened
// (size, DOCTYPE and entities, depth, xml-roundtrip-validator, exactly one
// Assertion) before any signature work, and claims are read only from the
// element the signature verifier returned.
//
// It owns no state and does no I/O: the replay cache (assertion ids) and
// the AWS attribute semantics (Role, RoleSessionName, PrincipalTag:*) live
// in package sts. It imports awserr only, for the errors it returns, and
// must not import the store, iam or sts.
package saml
