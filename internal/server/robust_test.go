package server_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/api/iamapi"
	"github.com/warden-iam/warden/internal/server/servertest"
)

// TestRandomInputsNeverFail5xx sends every IAM action, signed by the root
// user, with random parameters (names, paths, markers, numbers, documents,
// invalid UTF-8, NUL bytes): bad input must get a 4xx AWS error, never a
// 500, whatever it is.
func TestRandomInputsNeverFail5xx(t *testing.T) {
	srv := servertest.Start(t)
	actions := iamapi.Actions(srv.Server.IAM())
	rng := rand.New(rand.NewPCG(7, 8))
	params := []string{"UserName", "GroupName", "RoleName", "PolicyName", "PolicyArn", "Path", "PathPrefix",
		"NewPath", "NewUserName", "NewGroupName", "Marker", "MaxItems", "PolicyDocument", "AssumeRolePolicyDocument",
		"VersionId", "SetAsDefault", "AccessKeyId", "Status", "Description", "MaxSessionDuration", "PermissionsBoundary",
		"Scope", "OnlyAttached", "PolicyUsageFilter", "Tags.member.1.Key", "Tags.member.1.Value", "TagKeys.member.1"}
	values := []string{"", "alice", "Alice", "/", "/eng/", "eng", "\x00", "\xff\xfe", "a%", "' OR 1=1--",
		"arn:aws:iam::123456789012:policy/p", "arn:aws:iam::123456789012:role/r", "arn:aws:iam::aws:policy/x",
		"v1", "v99", "0", "-1", "99999999999999999999", "true", "maybe", "Active", "Local", "AWS",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`,
		`{"Statement":[`, strings.Repeat("x", 3000), "bm90IGEgbWFya2Vy", "AKIAIOSFODNN7EXAMPLE", "日本語"}
	// Some entities to act on, so that calls reach the store and beyond.
	for _, form := range []string{
		"Action=CreateUser&Version=2010-05-08&UserName=alice",
		"Action=CreateGroup&Version=2010-05-08&GroupName=alice",
		"Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument=" + url.QueryEscape(values[23]),
		"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=" + url.QueryEscape(values[24]),
	} {
		status, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form, time.Now())
		require.Equal(t, http.StatusOK, status, body)
	}
	for i := 0; i < 1500; i++ {
		h := actions[rng.IntN(len(actions))]
		form := url.Values{"Action": {h.ActionName()}, "Version": {"2010-05-08"}}
		for n := rng.IntN(5); n >= 0; n-- {
			form.Set(params[rng.IntN(len(params))], values[rng.IntN(len(values))])
		}
		if rng.IntN(4) == 0 {
			form.Set("MaxItems", strconv.Itoa(rng.IntN(3)))
		}
		status, body := signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, "iam", form.Encode(), time.Now())
		require.Less(t, status, 500, "%s: %s", form.Encode(), body)
	}
}
