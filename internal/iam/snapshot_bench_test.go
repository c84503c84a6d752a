package iam

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkRefresh measures a full snapshot reload of an account with 1,000
// users, each with an access key; every write on a node pays it once.
func BenchmarkRefresh(b *testing.B) {
	s, _ := newTestService(&testing.T{})
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		name := fmt.Sprintf("user-%04d", i)
		if _, err := s.CreateUser(ctx, "123456789012", CreateUserInput{UserName: name}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CreateAccessKey(ctx, "123456789012", name); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
