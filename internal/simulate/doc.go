// Package simulate reads decision requests in Warden's simulation format
// (the input of `warden policy simulate`), decides each with the policy
// engine, and renders the results. It is the bridge between a JSON file a
// person writes and packages policy and authz; it does no I/O itself.
package simulate
