package orgs

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

func TestPage(t *testing.T) {
	items := []string{"c", "a", "e", "b", "d"}
	id := func(s string) string { return s }
	two := int32(2)
	var got []string
	token := ""
	for {
		p, err := page(append([]string(nil), items...), id, token, &two)
		require.NoError(t, err)
		require.LessOrEqual(t, len(p.Items), 2)
		got = append(got, p.Items...)
		if p.NextToken == "" {
			break
		}
		token = p.NextToken
	}
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, got)

	// A token stays good when its item has gone: the page goes on after it.
	p, err := page([]string{"a", "b", "c"}, id, "", &two)
	require.NoError(t, err)
	p, err = page([]string{"a", "c"}, id, p.NextToken, &two)
	require.NoError(t, err)
	require.Equal(t, []string{"c"}, p.Items)

	for _, bad := range []string{"!!", "=", "%"} {
		_, err := page(items, id, bad, nil)
		var ae *awserr.Error
		require.True(t, errors.As(err, &ae), bad)
		require.Equal(t, "INVALID_NEXT_TOKEN", ae.Reason)
	}
}

func TestOrgPathsAndARNs(t *testing.T) {
	o := newOrg(store.OrgData{
		Organization: store.Organization{ID: "o-aaaaaaaaaa", ManagementAccount: "111111111111"},
		Units: []store.OrgUnit{
			{ID: "r-abcd", Name: "Root"},
			{ID: "ou-abcd-11111111", ParentID: "r-abcd"},
			{ID: "ou-abcd-22222222", ParentID: "ou-abcd-11111111"},
		},
		Accounts: []store.OrgAccount{{Account: "222222222222", ParentID: "ou-abcd-22222222"}},
		Policies: []store.OrgPolicy{{ID: "p-12345678", Type: "SERVICE_CONTROL_POLICY"}},
	})
	require.Equal(t, "o-aaaaaaaaaa/r-abcd/ou-abcd-11111111/ou-abcd-22222222/222222222222/", o.Path("222222222222"))
	require.Equal(t, "o-aaaaaaaaaa/r-abcd/ou-abcd-11111111/", o.Path("ou-abcd-11111111"))
	require.Equal(t, "o-aaaaaaaaaa//", o.Path("ou-abcd-99999999"), "an unknown id has an empty path, never a panic")
	require.Equal(t, 2, o.depth("ou-abcd-22222222"))
	require.Equal(t, 0, o.depth("r-abcd"))
	require.Equal(t, "arn:aws:organizations::111111111111:root/o-aaaaaaaaaa/r-abcd", o.ARNOf("r-abcd"))
	require.Equal(t, "arn:aws:organizations::111111111111:ou/o-aaaaaaaaaa/ou-abcd-11111111", o.ARNOf("ou-abcd-11111111"))
	require.Equal(t, "arn:aws:organizations::111111111111:account/o-aaaaaaaaaa/222222222222", o.ARNOf("222222222222"))
	require.Equal(t, "arn:aws:organizations::111111111111:policy/o-aaaaaaaaaa/service_control_policy/p-12345678", o.ARNOf("p-12345678"))
	require.Equal(t, "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess", o.ARNOf("p-RCPFullAWSAccess"))
	require.Empty(t, o.ARNOf("ou-abcd-99999999"))
}

func TestIDs(t *testing.T) {
	require.Regexp(t, `^o-[a-z0-9]{10}$`, newOrgID())
	require.Regexp(t, `^r-[a-z0-9]{4}$`, newRootID())
	require.Regexp(t, `^ou-abcd-[a-z0-9]{8}$`, newOUID("r-abcd"))
	require.Regexp(t, `^p-[a-z0-9]{8}$`, newPolicyID())
	require.Regexp(t, `^car-[a-z0-9]{32}$`, newRequestID())
	require.Regexp(t, `^[1-9][0-9]{11}$`, newAccountID())
}
