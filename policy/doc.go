// Package policy is the AWS IAM policy language: it parses a policy
// document exactly as AWS accepts it (and refuses what AWS refuses, with
// AWS's messages), validates it for its policy type, and compiles it into
// rules that match requests fast: condition operators, policy variables,
// action, resource and principal matching.
//
// It is pure: no I/O, no clock, no storage. It is part of Warden's public
// policy engine (arn, policy, authz) and imports only package arn; the
// decision across many policies is package authz's.
//
// [IAM JSON policy reference]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies.html
package policy
