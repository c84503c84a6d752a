package arn_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/arn"
)

// Sources for the wildcard language: '*' matches any run of characters,
// '?' exactly one character.
const (
	srcResource  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"
	srcCondOps   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	srcVariables = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
)

// refMatchParts is the reference matcher: a plain dynamic-programming glob
// matcher over runes. Text of a wildcard part has '*' and '?' as wildcards;
// text of a literal part stands for itself. Inputs must be valid UTF-8.
func refMatchParts(parts []arn.PatternPart, value string) bool {
	type tok struct {
		r    rune
		wild bool
	}
	var pat []tok
	for _, p := range parts {
		for _, r := range p.Text {
			pat = append(pat, tok{r: r, wild: !p.Literal && (r == '*' || r == '?')})
		}
	}
	v := []rune(value)
	// prev[j]: the first i pattern tokens match the first j value runes.
	prev := make([]bool, len(v)+1)
	cur := make([]bool, len(v)+1)
	prev[0] = true
	for _, t := range pat {
		switch {
		case t.wild && t.r == '*':
			cur[0] = prev[0]
			for j := 1; j <= len(v); j++ {
				cur[j] = prev[j] || cur[j-1]
			}
		case t.wild: // '?'
			cur[0] = false
			for j := 1; j <= len(v); j++ {
				cur[j] = prev[j-1]
			}
		default:
			cur[0] = false
			for j := 1; j <= len(v); j++ {
				cur[j] = prev[j-1] && v[j-1] == t.r
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(v)]
}

func refMatch(pattern, value string) bool {
	return refMatchParts([]arn.PatternPart{{Text: pattern}}, value)
}

// patternCases is the corpus of wildcard patterns; FuzzPatternMatch is
// seeded with it.
var patternCases = []struct {
	name    string
	pattern string
	value   string
	want    bool
}{
	{"exact-equal", "s3:GetObject", "s3:GetObject", true},
	{"exact-differs", "s3:GetObject", "s3:GetObjects", false},
	{"exact-is-case-sensitive", "s3:GetObject", "s3:getobject", false},
	{"empty-matches-empty", "", "", true},
	{"empty-rejects-text", "", "x", false},
	{"star-matches-empty", "*", "", true},
	{"star-matches-anything", "*", "arn:aws:s3:::b/k", true},
	{"double-star-matches-empty", "**", "", true},
	{"prefix-star-exact-prefix", "a*", "a", true},
	{"prefix-star-longer", "a*", "abc", true},
	{"prefix-star-wrong-start", "a*", "ba", false},
	{"suffix-star", "*a", "ba", true},
	{"suffix-star-wrong-end", "*a", "ab", false},
	{"inner-star-empty-run", "a*b", "ab", true},
	{"inner-star-long-run", "a*b", "axxb", true},
	{"inner-star-trailing-text", "a*b", "axxbx", false},
	{"inner-star-matches-slash-and-colon", "a*b", "a/x:y/b", true},
	{"question-needs-one", "?", "", false},
	{"question-one", "?", "a", true},
	{"question-not-two", "?", "ab", false},
	{"question-two-byte-rune", "?", "é", true},
	{"question-three-byte-rune", "?", "日", true},
	{"question-four-byte-rune", "?", "😀", true},
	{"two-questions-two-runes", "??", "é1", true},
	{"question-between-utf8", "a?c", "aéc", true},
	{"question-not-two-runes", "a?c", "aééc", false},
	{"question-in-suffix-utf8", "*b?", "xbé", true},
	{"question-in-suffix-utf8-too-long", "*b?", "xbéé", false},
	{"question-in-prefix-utf8", "?b*", "ébx", true},
	{"question-in-middle-segment", "*a?c*", "xxabcxx", true},
	{"question-in-middle-segment-missing", "*a?c*", "xxacxx", false},
	{"star-question-star-empty", "*?*", "", false},
	{"star-question-star-one", "*?*", "x", true},
	{"question-star-question-one-rune", "?*?", "é", false},
	{"question-star-question-two-runes", "?*?", "éé", true},
	{"star-question-a", "*?a", "a", false},
	{"star-question-a-ok", "*?a", "ba", true},
	{"multiple-stars-in-order", "a*b*c", "aXbYc", true},
	{"multiple-stars-adjacent", "a*b*c", "abc", true},
	{"multiple-stars-out-of-order", "a*b*c", "acb", false},
	{"surrounded-stars", "*a*b*c*", "xaybzcw", true},
	{"surrounded-stars-reversed", "*a*b*c*", "cba", false},
	{"overlap-aa-star-aa-three", "aa*aa", "aaa", false},
	{"overlap-aa-star-aa-four", "aa*aa", "aaaa", true},
	{"overlap-aa-star-aa-five", "aa*aa", "aaaaa", true},
	{"overlap-a-star-a-one", "a*a", "a", false},
	{"overlap-ab-star-ba-three", "ab*ba", "aba", false},
	{"overlap-ab-star-ba-four", "ab*ba", "abba", true},
	{"repeat-star-ab-ab", "*ab*ab", "abab", true},
	{"repeat-star-ab-ab-once", "*ab*ab", "ab", false},
	{"leftmost-placement-is-enough", "*aab*ab", "aaabab", true},
	{"question-suffix-overlap", "a?*?a", "aba", false},
	{"question-suffix-overlap-ok", "a?*?a", "abca", true},
	{"action-prefix", "s3:Get*", "s3:GetObject", true},
	{"action-prefix-other", "s3:Get*", "s3:PutObject", false},
	{"star-colon-star-needs-colon", "*:*", "a", false},
	{"star-colon-star", "*:*", "a:b", true},
	{"utf8-star-suffix", "*é", "aé", true},
	{"utf8-literal-prefix", "日本*", "日本語", true},
	{"utf8-literal-mismatch", "日本*", "日語", false},
}

func TestPatternMatch(t *testing.T) {
	for _, tc := range patternCases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, refMatch(tc.pattern, tc.value), "the reference matcher disagrees with the table")
			p := arn.NewPattern(tc.pattern)
			require.Equal(t, tc.want, p.Match(tc.value), "Pattern(%q).Match(%q)", tc.pattern, tc.value)
			require.Equal(t, tc.want, arn.Match(tc.pattern, tc.value), "arn.Match(%q, %q)", tc.pattern, tc.value)
			require.Equal(t, tc.pattern, p.String())
		})
	}
}

func TestPatternProperties(t *testing.T) {
	for _, tc := range []struct {
		name       string
		pattern    string
		exact, all bool
		prefix     string
	}{
		{"exact", "s3:GetObject", true, false, "s3:GetObject"},
		{"empty", "", true, false, ""},
		{"star", "*", false, true, ""},
		{"stars", "***", false, true, ""},
		{"prefix-star", "s3:Get*", false, false, "s3:Get"},
		{"prefix-question", "s3:G?t*", false, false, "s3:G"},
		{"leading-star", "*Object", false, false, ""},
		{"leading-question", "?3:*", false, false, ""},
		{"question-only", "?", false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := arn.NewPattern(tc.pattern)
			require.Equal(t, tc.exact, p.IsExact())
			require.Equal(t, tc.all, p.MatchesAll())
			require.Equal(t, tc.prefix, p.Prefix())
		})
	}
}

// TestPatternZeroValue checks the documented zero value: "The zero Pattern
// matches only the empty string" (pattern.go).
func TestPatternZeroValue(t *testing.T) {
	var p arn.Pattern
	for _, tc := range []struct {
		name  string
		value string
		want  bool
	}{
		{"empty", "", true},
		{"text", "x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bool
			require.NotPanics(t, func() { got = p.Match(tc.value) }, "zero Pattern.Match")
			require.Equal(t, tc.want, got)
			require.NotPanics(t, func() { got = p.MatchFold(tc.value) }, "zero Pattern.MatchFold")
			require.Equal(t, tc.want, got)
		})
	}
}

func TestNewPatternFromParts(t *testing.T) {
	w := func(s string) arn.PatternPart { return arn.PatternPart{Text: s} }
	l := func(s string) arn.PatternPart { return arn.PatternPart{Text: s, Literal: true} }
	for _, tc := range []struct {
		name  string
		parts []arn.PatternPart
		value string
		want  bool
	}{
		// Source (srcVariables, "Special characters"): ${*}, ${?} and ${$}
		// stand for a literal '*', '?' and '$'; a substituted value is text.
		{"no-parts-matches-empty", nil, "", true},
		{"no-parts-rejects-text", nil, "x", false},
		{"literal-star-matches-star", []arn.PatternPart{l("*")}, "*", true},
		{"literal-star-rejects-text", []arn.PatternPart{l("*")}, "abc", false},
		{"literal-star-rejects-empty", []arn.PatternPart{l("*")}, "", false},
		{"literal-question-matches-question", []arn.PatternPart{l("?")}, "?", true},
		{"literal-question-rejects-char", []arn.PatternPart{l("?")}, "x", false},
		{"literal-a-star", []arn.PatternPart{l("a*")}, "a*", true},
		{"literal-a-star-rejects-ab", []arn.PatternPart{l("a*")}, "ab", false},
		{"literal-star-between-wildcards", []arn.PatternPart{w("home/"), l("*"), w("/*")}, "home/*/x", true},
		{"literal-star-between-wildcards-rejects-name", []arn.PatternPart{w("home/"), l("*"), w("/*")}, "home/a/x", false},
		{"wild-star-then-literal-question", []arn.PatternPart{w("*"), l("?")}, "x?", true},
		{"wild-star-then-literal-question-rejects", []arn.PatternPart{w("*"), l("?")}, "xy", false},
		{"literal-star-last-is-not-trailing-wildcard", []arn.PatternPart{w("a"), l("*")}, "a*", true},
		{"literal-star-last-rejects-longer", []arn.PatternPart{w("a"), l("*")}, "a*x", false},
		{"literal-star-first-is-not-leading-wildcard", []arn.PatternPart{l("*"), w("*")}, "*abc", true},
		{"literal-star-first-rejects-no-star", []arn.PatternPart{l("*"), w("*")}, "abc", false},
		{"literal-question-then-wild-question", []arn.PatternPart{l("?"), w("?")}, "?x", true},
		{"literal-question-then-wild-question-rejects", []arn.PatternPart{l("?"), w("?")}, "xx", false},
		{"empty-literal-after-trailing-star", []arn.PatternPart{w("a*"), l("")}, "abc", true},
		{"substituted-name-with-star-is-text", []arn.PatternPart{w("arn:aws:s3:::b/"), l("al*ce"), w("/*")}, "arn:aws:s3:::b/al*ce/k", true},
		{"substituted-name-with-star-no-wildcard", []arn.PatternPart{w("arn:aws:s3:::b/"), l("al*ce"), w("/*")}, "arn:aws:s3:::b/alice/k", false},
		{"literal-dollar", []arn.PatternPart{l("$"), w("{x}")}, "${x}", true},
		{"literal-utf8-then-question", []arn.PatternPart{l("é"), w("?")}, "éé", true},
		{"two-literal-stars-middle", []arn.PatternPart{w("*"), l("**"), w("*")}, "a**b", true},
		{"two-literal-stars-middle-one-star", []arn.PatternPart{w("*"), l("**"), w("*")}, "a*b", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, refMatchParts(tc.parts, tc.value), "the reference matcher disagrees with the table")
			p := arn.NewPatternFromParts(tc.parts)
			require.Equal(t, tc.want, p.Match(tc.value))
		})
	}
}

func TestMatchFold(t *testing.T) {
	// Source (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html):
	// action names are case-insensitive; MatchFold is how they are compared.
	for _, tc := range []struct {
		name    string
		pattern string // lower-case, as MatchFold requires
		value   string
		want    bool
	}{
		{"exact", "s3:getobject", "S3:GetObject", true},
		{"exact-upper", "s3:getobject", "S3:GETOBJECT", true},
		{"exact-differs", "s3:getobject", "s3:GetObjects", false},
		{"prefix-star", "s3:get*", "S3:GetObject", true},
		{"prefix-star-other", "s3:get*", "s3:PutObject", false},
		{"suffix-star", "*object", "s3:GetOBJECT", true},
		{"inner-stars", "iam:*user*", "IAM:CreateUserPolicy", true},
		{"inner-stars-missing", "iam:*user*", "IAM:CreateRole", false},
		{"question-slow-path", "s3:get?bject", "S3:GETOBJECT", true},
		{"question-slow-path-mismatch", "s3:get?bject", "S3:GETOBJECTS", false},
		{"question-in-suffix", "*:get?", "s3:GETX", true},
		{"question-in-middle", "*:g?t*", "S3:GETOBJECT", true},
		{"star", "*", "Anything", true},
		{"prefix-longer-than-value", "s3:getobject*", "s3:Get", false},
		{"suffix-overlap", "aa*aa", "AAA", false},
		{"suffix-overlap-ok", "aa*aa", "AAAA", true},
		// MatchFold folds ASCII letters only (pattern.go); non-ASCII letters
		// compare exactly, whether or not the pattern has a '?'.
		{"non-ascii-not-folded", "é*", "É", false},
		{"non-ascii-not-folded-with-question", "?é", "xÉ", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, arn.NewPattern(tc.pattern).MatchFold(tc.value))
		})
	}
}

func TestResourcePattern(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		value   string
		want    bool
		source  string
	}{
		{"star-matches-arn", "*", "arn:aws:s3:::bucket", true, srcCondOps},
		{"star-matches-non-arn", "*", "not-an-arn", true, srcCondOps},
		{"exact", "arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/admin", true, srcCondOps},
		{"exact-case-sensitive", "arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/admin", false, srcCondOps},
		{"any-account", "arn:aws:iam::*:role/admin", "arn:aws:iam::123456789012:role/admin", true, srcCondOps},
		{"any-account-not-deeper-path", "arn:aws:iam::*:role/admin", "arn:aws:iam::123456789012:role/path/admin", false, srcCondOps},
		{"resource-section-keeps-colons", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b", true, srcCondOps},
		{"resource-section-other-bucket", "arn:aws:s3:::bucket/*", "arn:aws:s3:::other/a", false, srcCondOps},
		{"s3-star-any-object-with-colons", "arn:aws:s3:::*", "arn:aws:s3:::a:b:c", true, srcCondOps},
		{"all-sections-star", "arn:aws:*:*:*:*", "arn:aws:s3:::bucket", true, srcCondOps},
		{"star-matches-empty-sections", "arn:aws:s3:*:*:bucket", "arn:aws:s3:::bucket", true, srcCondOps},
		{"ec2-any-region-account", "arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true, srcCondOps},
		{"region-prefix-mismatch", "arn:aws:ec2:us-*:*:*", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", false, srcCondOps},
		{"question-in-region", "arn:aws:sns:us-east-?:123456789012:t", "arn:aws:sns:us-east-1:123456789012:t", true, srcCondOps},
		{"question-in-region-one-char-only", "arn:aws:sns:us-east-?:123456789012:t", "arn:aws:sns:us-east-10:123456789012:t", false, srcCondOps},
		{"account-star-does-not-cross-colon", "arn:aws:iam::1*3:root", "arn:aws:iam::1:2:3:root", false, srcCondOps},
		{"resource-wildcard-does-not-reach-back", "arn:aws:iam::123456789012:*", "arn:aws:iam::123456789012:user/a", true, srcCondOps},
		{"sectioned-pattern-rejects-non-arn", "arn:aws:s3:::*", "bucket", false, srcCondOps},
		// The AWS documentation's own example (ARN condition operators): the
		// '*' in the region may not absorb "us-east-2:999999999999:store/abc".
		{"aws-doc-example-not-arnlike", "arn:aws:someservice:*:111122223333:finance/*",
			"arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false, srcCondOps + "#Conditions_ARN"},
		{"aws-doc-example-own-account", "arn:aws:someservice:*:111122223333:finance/*",
			"arn:aws:someservice:us-east-2:111122223333:finance/document.txt", true, srcCondOps + "#Conditions_ARN"},
		// Each of the six colon-delimited components is matched separately
		// (srcCondOps); a pattern with only four components cannot line up
		// with a six-component ARN. ResourcePattern's own doc comment says the
		// same: "arn:aws:*:role/x" matches nothing.
		{"too-few-sections-matches-nothing", "arn:aws:*:role/x", "arn:aws:iam::123456789012:role/x", false, srcCondOps + "#Conditions_ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := arn.NewResourcePattern(tc.pattern)
			require.Equal(t, tc.want, p.Match(tc.value), "source: %s", tc.source)
			r := arn.NewSplitResource(tc.value)
			require.Equal(t, tc.want, p.MatchSplit(&r))
			require.Equal(t, tc.pattern, p.String())
		})
	}
}

// TestArnLikeVersusStringLike is the contrast the AWS documentation draws:
// the same pattern and value match with StringLike (a '*' spans colons) but
// not with ArnLike.
func TestArnLikeVersusStringLike(t *testing.T) {
	const pattern = "arn:aws:someservice:*:111122223333:finance/*"
	const value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	require.True(t, arn.Match(pattern, value), "StringLike semantics, source: %s", srcCondOps)
	require.False(t, arn.NewResourcePattern(pattern).Match(value), "ArnLike semantics, source: %s", srcCondOps)
}

func TestResourcePatternMatchesAll(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		want    bool
	}{
		{"star", "*", true},
		{"stars", "**", true},
		{"s3-everything", "arn:aws:s3:::*", false},
		{"all-sections-star", "*:*:*:*:*:*", false},
		{"exact", "arn:aws:s3:::b", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, arn.NewResourcePattern(tc.pattern).MatchesAll())
		})
	}
}

func TestNewResourcePatternFromParts(t *testing.T) {
	w := func(s string) arn.PatternPart { return arn.PatternPart{Text: s} }
	l := func(s string) arn.PatternPart { return arn.PatternPart{Text: s, Literal: true} }
	for _, tc := range []struct {
		name  string
		parts []arn.PatternPart
		value string
		want  bool
	}{
		{"literal-star-in-resource", []arn.PatternPart{w("arn:aws:s3:::bucket/"), l("*")}, "arn:aws:s3:::bucket/*", true},
		{"literal-star-in-resource-rejects-name", []arn.PatternPart{w("arn:aws:s3:::bucket/"), l("*")}, "arn:aws:s3:::bucket/x", false},
		{"literal-account", []arn.PatternPart{w("arn:aws:iam::"), l("123456789012"), w(":user/*")}, "arn:aws:iam::123456789012:user/a", true},
		{"literal-account-other", []arn.PatternPart{w("arn:aws:iam::"), l("123456789012"), w(":user/*")}, "arn:aws:iam::210987654321:user/a", false},
		{"colon-in-literal-part-is-boundary", []arn.PatternPart{w("arn:aws:iam::*"), l(":"), w("user/x")}, "arn:aws:iam::123456789012:user/x", true},
		{"star-does-not-cross-colon", []arn.PatternPart{w("arn:aws:iam::*"), l(":user/x")}, "arn:aws:iam::1:2:user/x", false},
		{"whole-value-star-with-literal", []arn.PatternPart{w("*"), l("x")}, "anything-x", true},
		{"same-as-string-pattern", []arn.PatternPart{w("arn:aws:someservice:*:111122223333:finance/*")},
			"arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, arn.NewResourcePatternFromParts(tc.parts).Match(tc.value))
		})
	}
}

// TestPatternNotExponential matches patterns that make a backtracking
// matcher take exponential time. There is no timing assertion: a
// backtracking implementation would simply never finish.
func TestPatternNotExponential(t *testing.T) {
	long := strings.Repeat("a", 100000)
	huge := strings.Repeat("a", 1<<20)
	for _, tc := range []struct {
		name    string
		pattern string
		value   string
		want    bool
	}{
		{"stars-a-then-b-100k", strings.Repeat("*a", 30) + "*b", long, false},
		{"stars-a-then-b-1MB", strings.Repeat("*a", 30) + "*b", huge, false},
		{"stars-a-then-b-trailing-star-1MB", strings.Repeat("*a", 30) + "*b*", huge, false},
		{"stars-a-question-then-b-100k", strings.Repeat("*a?", 30) + "*b", long, false},
		{"stars-a-matches-1MB", strings.Repeat("*a", 30) + "*", huge, true},
		{"stars-aa-then-ab-1MB", strings.Repeat("*aa", 20) + "*ab*", huge, false},
		{"stars-a-question-mid-1MB", strings.Repeat("*a?a", 10) + "*b*", huge, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := arn.NewPattern(tc.pattern)
			require.Equal(t, tc.want, p.Match(tc.value))
			require.Equal(t, tc.want, p.MatchFold(tc.value))
			rp := arn.NewResourcePattern("arn:aws:s3:::" + tc.pattern)
			require.Equal(t, tc.want, rp.Match("arn:aws:s3:::"+tc.value))
		})
	}
}

// randomString draws n runes from alphabet.
func randomString(rng *rand.Rand, alphabet []rune, maxLen int) string {
	n := rng.IntN(maxLen + 1)
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

// TestPatternDifferential compares Pattern.Match with the reference DP
// matcher on many random short patterns and values.
func TestPatternDifferential(t *testing.T) {
	for _, tc := range []struct {
		name      string
		patAlpha  []rune
		valAlpha  []rune
		maxPat    int
		maxVal    int
		seed1     uint64
		seed2     uint64
		instances int
	}{
		{"ascii", []rune("ab*?:"), []rune("ab:"), 8, 10, 1, 2, 30000},
		{"ascii-long", []rune("ab*?:"), []rune("ab:"), 14, 24, 3, 4, 10000},
		{"utf8", []rune("aé*?日"), []rune("aé日"), 8, 10, 5, 6, 20000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed1, tc.seed2))
			for range tc.instances {
				pat := randomString(rng, tc.patAlpha, tc.maxPat)
				val := randomString(rng, tc.valAlpha, tc.maxVal)
				want := refMatch(pat, val)
				if got := arn.NewPattern(pat).Match(val); got != want {
					t.Fatalf("NewPattern(%q).Match(%q) = %v, reference says %v", pat, val, got, want)
				}
				if got := arn.Match(pat, val); got != want {
					t.Fatalf("arn.Match(%q, %q) = %v, reference says %v", pat, val, got, want)
				}
			}
		})
	}
}

// TestPatternFromPartsDifferential compares patterns assembled from random
// wildcard and literal parts with the reference matcher.
func TestPatternFromPartsDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alpha := []rune("ab*?")
	for range 20000 {
		var parts []arn.PatternPart
		for range rng.IntN(4) {
			parts = append(parts, arn.PatternPart{Text: randomString(rng, alpha, 3), Literal: rng.IntN(2) == 0})
		}
		val := randomString(rng, []rune("ab*?"), 8)
		want := refMatchParts(parts, val)
		if got := arn.NewPatternFromParts(parts).Match(val); got != want {
			t.Fatalf("NewPatternFromParts(%+v).Match(%q) = %v, reference says %v", parts, val, got, want)
		}
	}
}

// TestMatchFoldDifferential: for a lower-case pattern, MatchFold(v) must
// equal Match(strings.ToLower(v)) on ASCII values.
func TestMatchFoldDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 30000 {
		pat := randomString(rng, []rune("ab*?:"), 8)
		val := randomString(rng, []rune("abAB:"), 10)
		p := arn.NewPattern(pat)
		want := p.Match(strings.ToLower(val))
		if got := p.MatchFold(val); got != want {
			t.Fatalf("NewPattern(%q).MatchFold(%q) = %v, Match(lower) = %v", pat, val, got, want)
		}
	}
}

// TestResourcePatternDifferential: ArnLike semantics equal the reference
// matcher applied section by section.
func TestResourcePatternDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	sectionRef := func(pattern, value string) bool {
		ps, ok := arn.Split(pattern)
		if !ok {
			return refMatch(pattern, value)
		}
		vs, ok := arn.Split(value)
		if !ok {
			return false
		}
		for i := range ps {
			if !refMatch(ps[i], vs[i]) {
				return false
			}
		}
		return true
	}
	for range 20000 {
		pat := randomString(rng, []rune("a*?::"), 12)
		val := randomString(rng, []rune("a::"), 12)
		if strings.Count(pat, ":") < 5 && pat != strings.Repeat("*", len(pat)) {
			continue // fewer than six sections: see TestResourcePattern
		}
		want := sectionRef(pat, val)
		if got := arn.NewResourcePattern(pat).Match(val); got != want {
			t.Fatalf("NewResourcePattern(%q).Match(%q) = %v, section-wise reference says %v", pat, val, got, want)
		}
	}
}

func TestRefMatchSanity(t *testing.T) {
	// The reference itself, checked on a few hand cases, so that a bug in
	// it cannot hide a bug in the matcher.
	require.True(t, refMatch("a*b?c", "axxbyc"))
	require.False(t, refMatch("a*b?c", "abc"))
	require.True(t, refMatch("?", "日"))
	require.True(t, utf8.ValidString("日"))
	require.False(t, refMatchParts([]arn.PatternPart{{Text: "*", Literal: true}}, "x"))
}
