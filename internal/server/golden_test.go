package server_test

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// volatile matches the generated parts of a response (ids, secrets), which
// golden files hold as placeholders.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`<UserId>AIDA[A-Z2-7]{17}</UserId>`), "<UserId>AIDA_USER_ID</UserId>"},
	{regexp.MustCompile(`<AccessKeyId>AKIA[A-Z2-7]{16}</AccessKeyId>`), "<AccessKeyId>AKIA_ACCESS_KEY_ID</AccessKeyId>"},
	{regexp.MustCompile(`<SecretAccessKey>[A-Za-z0-9+/]{40}</SecretAccessKey>`), "<SecretAccessKey>SECRET</SecretAccessKey>"},
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	for _, v := range volatile {
		got = v.re.ReplaceAllString(got, v.with)
	}
	path := filepath.Join("testdata", "golden", name+".xml")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run TestGolden -update to create it")
	require.Equal(t, string(want), got+"\n")
}

// TestGoldenResponses pins the exact XML of responses and errors, with a
// fixed clock and request id.
func TestGoldenResponses(t *testing.T) {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	srv := servertest.Start(t, servertest.WithClock(func() time.Time { return at }), servertest.WithRequestID("11111111-2222-3333-4444-555555555555"))
	post := func(form string) (int, string) {
		return signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form, at)
	}
	for _, tc := range []struct {
		name, form string
		status     int
	}{
		{"CreateUser/minimal", "Action=CreateUser&Version=2010-05-08&UserName=alice", http.StatusOK},
		{"CreateUser/with-path-and-tags", "Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2Feng%2F&Tags.member.1.Key=team&Tags.member.1.Value=red", http.StatusOK},
		{"CreateUser/exists", "Action=CreateUser&Version=2010-05-08&UserName=Alice", http.StatusConflict},
		{"CreateUser/bad-path", "Action=CreateUser&Version=2010-05-08&UserName=eve&Path=eng", http.StatusBadRequest},
		{"GetUser/alice", "Action=GetUser&Version=2010-05-08&UserName=alice", http.StatusOK},
		{"GetUser/missing", "Action=GetUser&Version=2010-05-08&UserName=nobody", http.StatusNotFound},
		{"ListUsers/all", "Action=ListUsers&Version=2010-05-08", http.StatusOK},
		{"CreateAccessKey/alice", "Action=CreateAccessKey&Version=2010-05-08&UserName=alice", http.StatusOK},
		{"DeleteUser/conflict", "Action=DeleteUser&Version=2010-05-08&UserName=alice", http.StatusConflict},
		{"PutAccountProperties/set", "Action=PutAccountProperties&Version=2010-05-08&Properties.entry.1.key=RoleManager%2FEnabled&Properties.entry.1.value=true", http.StatusOK},
		{"GetAccountProperties/one", "Action=GetAccountProperties&Version=2010-05-08", http.StatusOK},
		{"GetOutboundWebIdentityFederationInfo/disabled", "Action=GetOutboundWebIdentityFederationInfo&Version=2010-05-08", http.StatusNotFound},
		{"ListDelegationRequests/none", "Action=ListDelegationRequests&Version=2010-05-08", http.StatusOK},
		{"GetDelegationRequest/missing", "Action=GetDelegationRequest&Version=2010-05-08&DelegationRequestId=dr-0123456789abcdef", http.StatusNotFound},
		{"Unknown/action", "Action=Frobnicate&Version=2010-05-08", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(tc.form)
			require.Equal(t, tc.status, status, body)
			golden(t, tc.name, body)
		})
	}
}
