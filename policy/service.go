package policy

import (
	"slices"
	"strings"
)

// MatchesService reports whether the rule's Action element matches at
// least one action of the service whose prefix (namespace) is ns, such as
// "s3" or "iam"; for a NotAction element, whether the element leaves at
// least one of the service's actions out. Case does not matter.
//
// It answers for the service as a whole without a list of its actions: an
// Action entry counts when some action name (a non-empty name without a
// colon) after "ns:" matches it, and a NotAction entry leaves nothing of
// the service only when it matches every such name ("ns:*", "*"). IAM's
// last accessed reports use it to tell which services a policy grants.
func (r *Rule) MatchesService(ns string) bool {
	prefix := strings.ToLower(ns) + ":"
	for i := range r.actions {
		rests := restsAfter(r.actions[i].String(), prefix)
		if r.notAction {
			for _, rest := range rests {
				if rest != "" && strings.Trim(rest, "*") == "" {
					return false // the entry matches the whole service
				}
			}
			continue
		}
		for _, rest := range rests {
			if rest != "" && !strings.Contains(rest, ":") {
				return true
			}
		}
	}
	return r.notAction
}

// CoversService reports whether the rule applies to every request for an
// action of the service ns, whatever the resource and request context: its
// Action element matches every action of the service (a NotAction element,
// none of them), its Resource element holds "*", and it has no Condition.
// A Deny rule that covers a service takes the whole service away.
func (r *Rule) CoversService(ns string) bool {
	if !r.Unconditional() {
		return false
	}
	prefix := strings.ToLower(ns) + ":"
	for i := range r.actions {
		for _, rest := range restsAfter(r.actions[i].String(), prefix) {
			if r.notAction && rest != "" && !strings.Contains(rest, ":") {
				return false // the NotAction entry spares some action
			}
			if !r.notAction && rest != "" && strings.Trim(rest, "*") == "" {
				return true // the entry matches the whole service
			}
		}
	}
	return r.notAction
}

// Unconditional reports whether the rule applies to every request for an
// action it matches, whatever the resource and request context: its
// Resource element holds "*" and it has no Condition.
func (r *Rule) Unconditional() bool {
	return len(r.conds) == 0 && !r.notResource &&
		slices.ContainsFunc(r.resources, func(e resourceEntry) bool { return e.tmpl == nil && e.pat.MatchesAll() })
}

// restsAfter runs the wildcard pattern pat ('*' any run, '?' one byte)
// over prefix and returns what is left of pat in every way that prefix
// can be matched by a beginning of pat. Action patterns and prefixes are
// ASCII, so bytes stand for characters.
func restsAfter(pat, prefix string) []string {
	states := closeStars(pat, map[int]bool{0: true})
	for j := 0; j < len(prefix) && len(states) > 0; j++ {
		next := map[int]bool{}
		for i := range states {
			if i == len(pat) {
				continue
			}
			switch pat[i] {
			case '*':
				next[i] = true
			case '?', prefix[j]:
				next[i+1] = true
			}
		}
		states = closeStars(pat, next)
	}
	out := make([]string, 0, len(states))
	for i := range states {
		out = append(out, pat[i:])
	}
	return out
}

// closeStars adds to states every position a '*' may be skipped to.
func closeStars(pat string, states map[int]bool) map[int]bool {
	for i := range states {
		for k := i; k < len(pat) && pat[k] == '*'; k++ {
			states[k+1] = true
		}
	}
	return states
}
