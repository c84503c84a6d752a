package policy_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/warden-iam/warden/policy"
)

// BenchmarkParse measures parsing, validating and compiling a policy, which
// happens once when a policy is stored or loaded, never per request.
func BenchmarkParse(b *testing.B) {
	small := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`
	b.Run("small", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := policy.Parse(small, policy.Identity); err != nil {
				b.Fatal(err)
			}
		}
	})
	data, err := os.ReadFile(filepath.Join("..", "authz", "testdata", "bench", "ii_realistic_allow.json"))
	if err != nil {
		b.Fatal(err)
	}
	// One 5-statement policy of the realistic workload, with conditions.
	doc := string(data)
	start := indexOf(doc, `{`+"\n"+`   "Version"`)
	end := indexOf(doc[start:], "\n  },") + start + 4
	realistic := doc[start:end]
	b.Run("realistic_policy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := policy.Parse(realistic, policy.Identity); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
