package servicecatalog

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestName(t *testing.T) {
	for _, tc := range []struct{ ns, name string }{
		{"iam", "AWS Identity and Access Management"},
		{"sts", "AWS Security Token Service"},
		{"organizations", "AWS Organizations"},
		{"s3", "Amazon Simple Storage Service"},
		{"EC2", "Amazon EC2"},
	} {
		t.Run(tc.ns, func(t *testing.T) {
			got, ok := Name(tc.ns)
			require.True(t, ok)
			require.Equal(t, tc.name, got)
		})
	}
	_, ok := Name("no-such-service")
	require.False(t, ok)
}

// TestNamespaces: every namespace has AWS's form (the pattern of the API's
// serviceNamespaceType, lower case) and a name; the list is sorted.
func TestNamespaces(t *testing.T) {
	ns := Namespaces()
	require.True(t, slices.IsSorted(ns))
	require.Len(t, ns, len(names))
	valid := regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	for _, n := range ns {
		require.Regexp(t, valid, n)
		name, ok := Name(n)
		require.True(t, ok)
		require.NotEmpty(t, name)
	}
}
