// Package arn is the Amazon Resource Name value type and the wildcard
// matching that IAM policies apply to actions, resources and string
// conditions.
//
// It is part of Warden's public policy engine (with packages policy and
// authz) and imports nothing else of Warden's. The matchers here never
// backtrack, so no pattern a policy author writes can make a decision slow.
package arn
