package authz

import (
	"github.com/warden-iam/warden/policy"
)

// Diagnostic explains a decision: every statement that matched the request
// (Allow and Deny, in every policy that was read) and every condition key
// a statement looked up and did not find. It is what the policy simulator
// reports.
type Diagnostic struct {
	Result Result
	// Matched lists the matching statements, grouped by the order in which
	// the evaluation read the policy kinds.
	Matched []Match
	// MissingContextKeys are the (lower-cased) condition keys that
	// statements looked up and the request did not have.
	MissingContextKeys []string
	// BoundaryAllowed is false when a permissions boundary applies and
	// allows nothing here; SessionAllowed likewise for session policies.
	BoundaryAllowed bool
	SessionAllowed  bool
}

// Match is one statement that matched the request.
type Match struct {
	Kind Kind
	// Level is the organization level (0 for the root) of an SCP or RCP.
	Level  int
	Policy *policy.Policy
	Rule   *policy.Rule
}

func (d *Diagnostic) reset() {
	d.Result = Result{}
	d.Matched = d.Matched[:0]
	d.MissingContextKeys = d.MissingContextKeys[:0]
	d.BoundaryAllowed, d.SessionAllowed = true, true
}
