// Package authz decides requests the way AWS does: it weighs service and
// resource control policies, resource-based policies, identity-based
// policies, permissions boundaries and session policies with AWS's policy
// evaluation logic, and explains the decision in AWS's words.
//
// Evaluate is pure and allocation-free; a PolicySet indexes a principal's
// statements by action once, so a decision reads only the statements that
// can match. It is part of Warden's public policy engine and imports only
// packages policy and arn.
//
// [Policy evaluation logic]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
package authz
