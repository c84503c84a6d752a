package arn

// ResourcePattern is a compiled pattern of the ArnEquals/ArnLike condition
// operators.
//
// AWS behaviour: each of the six colon-separated sections of the ARN is
// matched separately, so a wildcard never crosses the colons that separate
// partition, service, region, account and resource: "arn:aws:iam::*:role/x"
// matches a role x in any account, and "arn:aws:*:role/x" (fewer than six
// sections) matches no ARN. The resource section is the rest of the ARN,
// colons included. The pattern "*" matches every value.
// [Condition operators: ARN]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
type ResourcePattern struct {
	raw       string
	whole     Pattern
	sections  [6]Pattern
	sectioned bool
}

// NewResourcePattern compiles s.
func NewResourcePattern(s string) ResourcePattern {
	secs, ok := Split(s)
	if !ok {
		return ResourcePattern{raw: s, whole: NewPattern(s)}
	}
	p := ResourcePattern{raw: s, sectioned: true}
	for i, sec := range secs {
		p.sections[i] = NewPattern(sec)
	}
	return p
}

// NewResourcePatternFromParts compiles a pattern assembled from wildcard and
// literal parts (see [NewPatternFromParts]). Section boundaries are the
// colons of the wildcard parts and of the literal parts alike.
func NewResourcePatternFromParts(parts []PatternPart) ResourcePattern {
	raw := ""
	for _, part := range parts {
		raw += part.Text
	}
	if _, ok := Split(raw); !ok {
		return ResourcePattern{raw: raw, whole: NewPatternFromParts(parts)}
	}
	p := ResourcePattern{raw: raw, sectioned: true}
	sec := 0
	var cur []PatternPart
	for _, part := range parts {
		text := part.Text
		for sec < 5 {
			j := indexByte(text, ':')
			if j < 0 {
				break
			}
			cur = append(cur, PatternPart{Text: text[:j], Literal: part.Literal})
			p.sections[sec] = NewPatternFromParts(cur)
			cur = nil
			sec++
			text = text[j+1:]
		}
		cur = append(cur, PatternPart{Text: text, Literal: part.Literal})
	}
	p.sections[5] = NewPatternFromParts(cur)
	return p
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// String returns the pattern's source text.
func (p ResourcePattern) String() string { return p.raw }

// MatchesAll reports whether the pattern matches every resource ("*").
func (p ResourcePattern) MatchesAll() bool { return !p.sectioned && p.whole.MatchesAll() }

// Match reports whether resource matches the pattern.
func (p ResourcePattern) Match(resource string) bool {
	r := NewSplitResource(resource)
	return p.MatchSplit(&r)
}

// SplitResource is a resource cut into its ARN sections once, so that a
// caller matching one resource against many patterns does not re-split it.
type SplitResource struct {
	Raw      string
	sections [6]string
	isARN    bool
}

// NewSplitResource cuts raw into its sections.
func NewSplitResource(raw string) SplitResource {
	secs, ok := Split(raw)
	return SplitResource{Raw: raw, sections: secs, isARN: ok}
}

// MatchSplit is Match for a resource cut by [NewSplitResource].
func (p ResourcePattern) MatchSplit(r *SplitResource) bool {
	if !p.sectioned {
		// A pattern of fewer than six sections never matches an ARN (but
		// "*" matches everything); against other text it is matched whole.
		return p.whole.MatchesAll() || (!r.isARN && p.whole.Match(r.Raw))
	}
	if !r.isARN {
		return false
	}
	// The resource section is the most selective; test it first.
	if !p.sections[5].Match(r.sections[5]) {
		return false
	}
	for i := 0; i < 5; i++ {
		if !p.sections[i].Match(r.sections[i]) {
			return false
		}
	}
	return true
}
