package arn_test

import (
	"testing"
	"unicode/utf8"

	"github.com/warden-iam/warden/arn"
)

// FuzzParse checks the round trip: whatever Parse accepts prints back to
// text that parses to the same ARN.
func FuzzParse(f *testing.F) {
	for _, tc := range acceptedARNs {
		f.Add(tc.in)
	}
	for _, tc := range rejectedARNs {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := arn.Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, a.String())
		}
		b, err := arn.Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("round trip %q -> %q -> %v (%v)", s, a, b, err)
		}
		secs, ok := arn.Split(s)
		if !ok || secs[1] != a.Partition || secs[2] != a.Service || secs[3] != a.Region || secs[4] != a.Account || secs[5] != a.Resource {
			t.Fatalf("Split(%q) = %q, %v; Parse gave %+v", s, secs, ok, a)
		}
	})
}

// FuzzPatternMatch compares the matcher with the reference DP matcher on
// bounded, valid UTF-8 inputs.
func FuzzPatternMatch(f *testing.F) {
	for _, tc := range patternCases {
		f.Add(tc.pattern, tc.value)
	}
	f.Fuzz(func(t *testing.T, pattern, value string) {
		if len(pattern) > 64 || len(value) > 64 || !utf8.ValidString(pattern) || !utf8.ValidString(value) {
			t.Skip()
		}
		want := refMatch(pattern, value)
		if got := arn.NewPattern(pattern).Match(value); got != want {
			t.Fatalf("NewPattern(%q).Match(%q) = %v, reference says %v", pattern, value, got, want)
		}
		if got := arn.Match(pattern, value); got != want {
			t.Fatalf("arn.Match(%q, %q) = %v, reference says %v", pattern, value, got, want)
		}
		lit := []arn.PatternPart{{Text: pattern, Literal: true}}
		if got := arn.NewPatternFromParts(lit).Match(value); got != (pattern == value) {
			t.Fatalf("literal pattern %q vs %q = %v", pattern, value, got)
		}
	})
}
