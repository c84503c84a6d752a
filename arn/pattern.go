package arn

import (
	"strings"
	"unicode/utf8"
)

// Pattern is a compiled wildcard pattern: '*' matches any run of characters
// (including none) and '?' matches exactly one character. Matching never
// backtracks: each '*'-free segment is placed once, at its leftmost
// possible position, which is correct for this pattern language because a
// later segment can always use whatever an earlier leftmost placement left
// over. The cost is linear in the value for segments without '?', and
// O(len(value)·len(segment)) for segments containing '?'; there is no
// exponential blow-up on patterns such as "*a*a*a*…b".
//
// The zero Pattern matches only the empty string.
type Pattern struct {
	raw     string
	exact   bool      // no wildcard at all: compare raw
	any     bool      // the pattern is all stars: matches everything
	lead    bool      // pattern starts with '*'
	trail   bool      // pattern ends with '*'
	segs    []segment // the '*'-free runs, in order
	minRune int       // fewest characters a match needs (for a quick reject)
}

// segment is one run of a pattern between stars. lit holds the run's bytes;
// at each offset listed in q the run has a '?' (the byte in lit there is a
// placeholder) that consumes exactly one rune of the value.
type segment struct {
	lit string
	q   []int
}

// PatternPart is one piece of a pattern being assembled from parts; see
// [NewPatternFromParts].
type PatternPart struct {
	Text    string
	Literal bool // '*' and '?' in Text stand for themselves
}

// NewPattern compiles s, in which '*' and '?' are wildcards.
func NewPattern(s string) Pattern {
	if !strings.ContainsAny(s, "*?") {
		return Pattern{raw: s, exact: true}
	}
	return NewPatternFromParts([]PatternPart{{Text: s}})
}

// NewPatternFromParts compiles a pattern whose parts are either wildcard
// text or literal text. Policy variables such as ${*} produce literal parts:
// after substitution a '*' must match only a '*'.
func NewPatternFromParts(parts []PatternPart) Pattern {
	var p Pattern
	var raw strings.Builder
	var cur strings.Builder
	var q []int
	wild := false
	flush := func() {
		p.segs = append(p.segs, segment{lit: cur.String(), q: q})
		cur.Reset()
		q = nil
	}
	for _, part := range parts {
		raw.WriteString(part.Text)
		if part.Literal {
			cur.WriteString(part.Text)
			continue
		}
		for i := 0; i < len(part.Text); i++ {
			switch c := part.Text[i]; c {
			case '*':
				wild = true
				switch {
				case len(p.segs) == 0 && cur.Len() == 0:
					p.lead = true
				case cur.Len() > 0:
					flush()
				}
			case '?':
				wild = true
				q = append(q, cur.Len())
				cur.WriteByte('?')
			default:
				cur.WriteByte(c)
			}
		}
	}
	p.raw = raw.String()
	if !wild {
		return Pattern{raw: p.raw, exact: true}
	}
	// Whether the pattern ends with a wildcard star: the last wildcard-text
	// byte is '*' and nothing literal follows it.
	p.trail = endsWithStar(parts)
	if cur.Len() > 0 {
		flush()
	}
	if len(p.segs) == 0 {
		p.any = true
		return p
	}
	for _, s := range p.segs {
		p.minRune += utf8.RuneCountInString(s.lit)
	}
	return p
}

func endsWithStar(parts []PatternPart) bool {
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i].Text == "" {
			continue
		}
		return !parts[i].Literal && parts[i].Text[len(parts[i].Text)-1] == '*'
	}
	return false
}

// String returns the pattern's source text.
func (p Pattern) String() string { return p.raw }

// IsExact reports whether the pattern has no wildcard.
func (p Pattern) IsExact() bool { return p.exact }

// MatchesAll reports whether the pattern consists only of stars.
func (p Pattern) MatchesAll() bool { return p.any }

// Prefix returns the literal text every match starts with.
func (p Pattern) Prefix() string {
	if p.exact {
		return p.raw
	}
	if p.lead || len(p.segs) == 0 {
		return ""
	}
	s := p.segs[0]
	if len(s.q) > 0 {
		return s.lit[:s.q[0]]
	}
	return s.lit
}

// Match reports whether value matches the pattern.
func (p Pattern) Match(value string) bool {
	if p.exact || (len(p.segs) == 0 && !p.any) {
		return p.raw == value
	}
	if p.any {
		return true
	}
	if len(value) < p.minRune { // a rune is at least one byte
		return false
	}
	segs := p.segs
	lo, hi := 0, len(value)
	if !p.lead {
		n, ok := segs[0].matchAt(value)
		if !ok {
			return false
		}
		lo = n
		segs = segs[1:]
		if len(segs) == 0 && !p.trail {
			return lo == len(value)
		}
	}
	if !p.trail && len(segs) > 0 {
		start, ok := segs[len(segs)-1].matchSuffix(value[lo:])
		if !ok {
			return false
		}
		hi = lo + start
		segs = segs[:len(segs)-1]
	}
	for _, s := range segs {
		end, ok := s.indexIn(value[lo:hi])
		if !ok {
			return false
		}
		lo += end
	}
	return true
}

// matchAt reports whether the segment matches at the start of v and how
// many bytes of v it consumes.
func (s segment) matchAt(v string) (int, bool) {
	if len(s.q) == 0 {
		if strings.HasPrefix(v, s.lit) {
			return len(s.lit), true
		}
		return 0, false
	}
	vi, li := 0, 0
	for _, qpos := range s.q {
		chunk := s.lit[li:qpos]
		if !strings.HasPrefix(v[vi:], chunk) {
			return 0, false
		}
		vi += len(chunk)
		if vi >= len(v) {
			return 0, false
		}
		_, size := utf8.DecodeRuneInString(v[vi:])
		vi += size
		li = qpos + 1
	}
	rest := s.lit[li:]
	if !strings.HasPrefix(v[vi:], rest) {
		return 0, false
	}
	return vi + len(rest), true
}

// matchSuffix reports whether the segment matches at the end of v and at
// which byte offset of v the match starts.
func (s segment) matchSuffix(v string) (int, bool) {
	if len(s.q) == 0 {
		if strings.HasSuffix(v, s.lit) {
			return len(v) - len(s.lit), true
		}
		return 0, false
	}
	vi, li := len(v), len(s.lit)
	for k := len(s.q) - 1; k >= 0; k-- {
		qpos := s.q[k]
		chunk := s.lit[qpos+1 : li]
		if !strings.HasSuffix(v[:vi], chunk) {
			return 0, false
		}
		vi -= len(chunk)
		if vi <= 0 {
			return 0, false
		}
		_, size := utf8.DecodeLastRuneInString(v[:vi])
		vi -= size
		li = qpos
	}
	head := s.lit[:li]
	if !strings.HasSuffix(v[:vi], head) {
		return 0, false
	}
	return vi - len(head), true
}

// indexIn finds the leftmost match of the segment in v and returns the byte
// offset just past it.
func (s segment) indexIn(v string) (int, bool) {
	if len(s.q) == 0 {
		i := strings.Index(v, s.lit)
		if i < 0 {
			return 0, false
		}
		return i + len(s.lit), true
	}
	for i := 0; i <= len(v); {
		if n, ok := s.matchAt(v[i:]); ok {
			return i + n, true
		}
		if i == len(v) {
			break
		}
		_, size := utf8.DecodeRuneInString(v[i:])
		i += size
	}
	return 0, false
}

// Match reports whether value matches pattern, where '*' and '?' in pattern
// are wildcards. It compiles pattern on each call; hold a [Pattern] where the
// same pattern is matched repeatedly.
func Match(pattern, value string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == value
	}
	return NewPattern(pattern).Match(value)
}

// MatchFold is Match with ASCII letters compared case-insensitively. The
// pattern must have been compiled from lower-case text. IAM compares
// action names this way.
func (p Pattern) MatchFold(value string) bool {
	if p.exact || (len(p.segs) == 0 && !p.any) {
		return equalFoldLower(p.raw, value)
	}
	if p.any {
		return true
	}
	if len(value) < p.minRune {
		return false
	}
	segs := p.segs
	lo, hi := 0, len(value)
	if !p.lead {
		s := segs[0]
		if len(s.q) > 0 {
			return p.slowFold(value)
		}
		if len(value) < len(s.lit) || !equalFoldLower(s.lit, value[:len(s.lit)]) {
			return false
		}
		lo = len(s.lit)
		segs = segs[1:]
		if len(segs) == 0 && !p.trail {
			return lo == len(value)
		}
	}
	if !p.trail && len(segs) > 0 {
		s := segs[len(segs)-1]
		if len(s.q) > 0 {
			return p.slowFold(value)
		}
		if len(value)-lo < len(s.lit) || !equalFoldLower(s.lit, value[len(value)-len(s.lit):]) {
			return false
		}
		hi = len(value) - len(s.lit)
		segs = segs[:len(segs)-1]
	}
	for _, s := range segs {
		if len(s.q) > 0 {
			return p.slowFold(value)
		}
		i := indexFoldLower(value[lo:hi], s.lit)
		if i < 0 {
			return false
		}
		lo += i + len(s.lit)
	}
	return true
}

// slowFold handles patterns with '?' by lower-casing the value's ASCII
// letters; action names are short, so the allocation is rare and small.
func (p Pattern) slowFold(value string) bool {
	b := []byte(value)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return p.Match(string(b))
}

// equalFoldLower reports whether s equals lower (which is lower-case)
// ignoring ASCII case in s.
func equalFoldLower(lower, s string) bool {
	if len(lower) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// indexFoldLower is strings.Index ignoring ASCII case in s; lower is
// lower-case.
func indexFoldLower(s, lower string) int {
	n := len(lower)
	if n == 0 {
		return 0
	}
	for i := 0; i+n <= len(s); i++ {
		if equalFoldLower(lower, s[i:i+n]) {
			return i
		}
	}
	return -1
}
