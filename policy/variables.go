package policy

import (
	"strings"

	"github.com/warden-iam/warden/arn"
)

// template is a string holding policy variables, split into literal text,
// wildcard text and variable references.
//
// AWS behaviour ([IAM policy elements: Variables and tags]):
//   - ${key} is replaced by the request's value of the condition key; key
//     names are case-insensitive;
//   - ${key, 'default'} uses default when the key is absent;
//   - ${*}, ${?} and ${$} stand for a literal '*', '?' and '$';
//   - variables are replaced only in policies of Version 2012-10-17;
//   - a key that is absent (and has no default) or has several values cannot
//     be resolved, and the element using it does not apply.
//
// [IAM policy elements: Variables and tags]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
type template struct {
	parts []tmplPart
}

type tmplPart struct {
	text       string // literal or wildcard text; the default for a variable
	key        string // lower-cased key of a variable, "" for text
	literal    bool   // text whose '*' and '?' are not wildcards
	hasDefault bool
}

// parseTemplate splits s into parts. Text that is not a well-formed
// variable (an unclosed "${", an empty key) stays as it is.
func parseTemplate(s string) *template {
	t := &template{}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		body := s[i+2 : i+j]
		part, ok := parseVariable(body)
		if !ok {
			t.parts = append(t.parts, tmplPart{text: s[:i+j+1]})
			s = s[i+j+1:]
			continue
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{text: s[:i]})
		}
		t.parts = append(t.parts, part)
		s = s[i+j+1:]
	}
	if s != "" {
		t.parts = append(t.parts, tmplPart{text: s})
	}
	return t
}

func parseVariable(body string) (tmplPart, bool) {
	switch strings.TrimSpace(body) {
	case "*", "?", "$":
		return tmplPart{text: strings.TrimSpace(body), literal: true}, true
	}
	key, def, hasDef := strings.Cut(body, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " '\"") {
		return tmplPart{}, false
	}
	p := tmplPart{key: strings.ToLower(key)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return tmplPart{}, false
		}
		p.text, p.hasDefault = def[1:len(def)-1], true
	}
	return p, true
}

// resolve substitutes the request's values. Substituted values are literal:
// a '*' in a user name matches only a '*'.
func (t *template) resolve(r *Prepared) ([]arn.PatternPart, bool) {
	out := make([]arn.PatternPart, 0, len(t.parts))
	for _, p := range t.parts {
		if p.key == "" {
			out = append(out, arn.PatternPart{Text: p.text, Literal: p.literal})
			continue
		}
		vals, ok := r.lookup(p.key)
		switch {
		case ok && len(vals) == 1:
			out = append(out, arn.PatternPart{Text: vals[0], Literal: true})
		case (!ok || len(vals) == 0) && p.hasDefault:
			out = append(out, arn.PatternPart{Text: p.text, Literal: true})
		default:
			return nil, false
		}
	}
	return out, true
}

func joinParts(parts []arn.PatternPart) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}
