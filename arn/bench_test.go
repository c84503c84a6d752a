package arn_test

import (
	"strings"
	"testing"

	"github.com/warden-iam/warden/arn"
)

func BenchmarkMatch(b *testing.B) {
	value := "arn:aws:s3:::data-prod/reports/2024/q1.csv"
	for _, tc := range []struct{ name, pattern string }{
		{"exact", value},
		{"prefix", "arn:aws:s3:::data-prod/*"},
		{"infix", "arn:aws:s3:::data-*/reports/*"},
		{"question", "arn:aws:s3:::data-????/reports/*"},
		{"pathological", strings.Repeat("*a", 30) + "*b"},
	} {
		p := arn.NewPattern(tc.pattern)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(value)
			}
		})
	}
	long := strings.Repeat("a", 1<<16)
	for _, tc := range []struct{ name, pattern string }{
		{"pathological_64KiB", strings.Repeat("*a", 30) + "*b"},
		{"pathological_trailing_64KiB", strings.Repeat("*a", 30) + "*b*"},
		{"pathological_question_64KiB", strings.Repeat("*a?", 30) + "*b*"},
	} {
		p := arn.NewPattern(tc.pattern)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(long)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = arn.Parse("arn:aws:iam::123456789012:role/path/to/role")
	}
}
