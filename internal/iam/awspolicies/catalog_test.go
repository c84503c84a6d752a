package awspolicies

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/policy"
)

var (
	policyID  = regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`)
	versionID = regexp.MustCompile(`^v[1-9][0-9]*$`)
	name      = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	pathRE    = regexp.MustCompile(`^/([\w+=,.@-]+/)*$`)
)

// TestCatalog loads every file and checks what AWS guarantees of a
// managed policy: a valid identity document, a well-formed and unique
// id, ARN and version id, and dates in order.
func TestCatalog(t *testing.T) {
	c, err := load()
	require.NoError(t, err)
	n := 0
	require.NoError(t, fs.WalkDir(files, "policies", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	}))
	require.Len(t, c.all, n, "every file is one policy")
	ids := map[string]bool{}
	for _, p := range All() {
		t.Run(p.Name, func(t *testing.T) {
			require.Regexp(t, name, p.Name)
			require.Regexp(t, pathRE, p.Path)
			require.Regexp(t, policyID, p.ID)
			require.False(t, ids[p.ID], "duplicate id %s", p.ID)
			ids[p.ID] = true
			require.Regexp(t, versionID, p.DefaultVersion)
			require.False(t, p.CreateDate.IsZero())
			require.False(t, p.UpdateDate.Before(p.CreateDate), "updated before created")
			require.NotEmpty(t, p.Description)
			require.Equal(t, "arn:aws:iam::aws:policy"+p.Path+p.Name, p.ARN())
			require.True(t, IsAWSManaged(p.ARN()))

			// Every rule of an identity policy holds; the PolicySize quota
			// of customer managed policies holds only for the smaller ones.
			parsed, err := policy.ParseAWSManaged(p.Document)
			require.NoError(t, err)
			require.Equal(t, "2012-10-17", parsed.Document.Version)
			if policy.Size(p.Document, policy.Identity) <= policy.MaxSize(policy.Identity) {
				_, err = policy.Parse(p.Document, policy.Identity)
				require.NoError(t, err)
			}
			require.Same(t, p.Compiled(), Compiled(p.ARN()))
			require.Equal(t, p.ARN(), Compiled(p.ARN()).ID)

			got, ok := Get(p.ARN())
			require.True(t, ok)
			require.Equal(t, p.ID, got.ID)
		})
	}
}

// TestFileLayout checks that a policy's file sits under its path.
func TestFileLayout(t *testing.T) {
	require.NoError(t, fs.WalkDir(files, "policies", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		pol, err := parseFile(p)
		require.NoError(t, err)
		require.Equal(t, "policies"+pol.Path+pol.Name+".json", p)
		require.Equal(t, pol.Name+".json", path.Base(p))
		return nil
	}))
}

func TestGet(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/NoSuchPolicy",
		"arn:aws:iam::aws:policy/administratoraccess", // names match exactly
		"arn:aws:iam::aws:policy/job-function/AdministratorAccess",
		"arn:aws:iam::123456789012:policy/AdministratorAccess",
		"",
	} {
		_, ok := Get(arn)
		require.False(t, ok, arn)
		require.Nil(t, Compiled(arn), arn)
	}
	require.False(t, IsAWSManaged("arn:aws:iam::123456789012:policy/x"))
	all := All()
	for i := 1; i < len(all); i++ {
		require.LessOrEqual(t, strings.ToLower(all[i-1].Name), strings.ToLower(all[i].Name), "All is sorted by name")
	}
}

// BenchmarkLoad measures reading and compiling every file of the catalog,
// which happens once per process, on the first request that needs it.
func BenchmarkLoad(b *testing.B) {
	var names []string
	require.NoError(b, fs.WalkDir(files, "policies", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}))
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			if _, err := parseFile(n); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReadOnlyAccess measures decisions against the largest document
// of the catalog: ReadOnlyAccess lists thousands of actions.
func BenchmarkReadOnlyAccess(b *testing.B) {
	p, ok := Get(ARNPrefix + "ReadOnlyAccess")
	require.True(b, ok)
	ps := authz.NewPolicySet(authz.Policies{Identity: []*policy.Policy{p.Compiled()}})
	for _, tc := range []struct {
		action string
		want   bool
	}{
		{"iam:GetUser", true},
		{"xray:GetTraceSummaries", true},
		{"iam:CreateUser", false},
	} {
		req := &authz.Request{
			Principal: policy.Principal{Type: policy.PrincipalUser, ARN: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"},
			Action:    tc.action,
			Resource:  "arn:aws:iam::123456789012:user/bob",
			Time:      time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		}
		req.SetGlobalKeys()
		b.Run(tc.action, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if authz.Evaluate(ps, req).Allowed() != tc.want {
					b.Fatal("wrong decision")
				}
			}
		})
	}
}
