package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/policy"
)

// varCase is a statement (Resource and optional Condition) evaluated
// against a request on resource with context ctx.
type varCase struct {
	name     string
	version  string // "" leaves Version out
	resource string // the Resource element, JSON
	cond     string // the Condition element, JSON; "" for none
	request  string // the requested resource ARN
	ctx      map[string][]string
	want     bool
	source   string
}

func runVarCases(t *testing.T, cases []varCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.source, "every case cites its AWS source")
			var b strings.Builder
			b.WriteString("{")
			if tc.version != "" {
				fmt.Fprintf(&b, `"Version":%q,`, tc.version)
			}
			fmt.Fprintf(&b, `"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":%s`, tc.resource)
			if tc.cond != "" {
				fmt.Fprintf(&b, `,"Condition":%s`, tc.cond)
			}
			b.WriteString("}]}")
			// An inline user policy, so that Version 2008-10-17 (or none)
			// is accepted; managed policies require 2012-10-17.
			req := policy.Request{Action: "s3:GetObject", Resource: tc.request, Context: policy.NewContext(tc.ctx)}
			got := matchStatement(t, policy.InlineUser, b.String(), &req)
			require.Equal(t, tc.want, got, "document %s, request %s, context %v (source: %s)", b.String(), tc.request, tc.ctx, tc.source)
		})
	}
}

const v2012 = "2012-10-17"

func TestVariablesInResource(t *testing.T) {
	alice := kv("aws:username", "alice")
	const home = `"arn:aws:s3:::bucket/home/${aws:username}/*"`
	runVarCases(t, []varCase{
		{"substituted/own-folder", v2012, home, "", "arn:aws:s3:::bucket/home/alice/file.txt", alice, true, srcVars},
		{"substituted/other-folder", v2012, home, "", "arn:aws:s3:::bucket/home/bob/file.txt", alice, false, srcVars},
		{"substituted/not-the-variable-text", v2012, home, "", "arn:aws:s3:::bucket/home/${aws:username}/file.txt", alice, false, srcVars},
		{"key-name-case-insensitive", v2012, `"arn:aws:s3:::bucket/home/${AWS:UserName}/*"`, "", "arn:aws:s3:::bucket/home/alice/f", alice, true, srcVars},
		{"resource-part-with-colons", v2012, `"arn:aws:logs:us-east-1:123456789012:log-group:/app/${aws:username}:*"`, "",
			"arn:aws:logs:us-east-1:123456789012:log-group:/app/alice:log-stream:s", alice, true, srcVars},
		// A substituted value is text, not a pattern (engine behaviour; user
		// names and tag values cannot hold '*' or '?' in AWS, so AWS's docs
		// do not say).
		{"substituted-value-is-text", v2012, `"arn:aws:s3:::bucket/${aws:username}"`, "", "arn:aws:s3:::bucket/alice", kv("aws:username", "al?ce"), false, srcVars},
		// "You can use a policy variable in the Resource element, but only
		// in the resource portion of the ARN. This portion of the ARN
		// appears after the fifth colon."
		{"not-substituted-in-account", v2012, `"arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/T"`, "",
			"arn:aws:dynamodb:us-east-1:123456789012:table/T", kv("aws:PrincipalAccount", "123456789012"), false, srcVars},
		{"not-substituted-in-region", v2012, `"arn:aws:sqs:${aws:RequestedRegion}:123456789012:queue"`, "",
			"arn:aws:sqs:us-east-1:123456789012:queue", kv("aws:RequestedRegion", "us-east-1"), false, srcVars},
		{"account-literal-but-resource-substituted", v2012, `"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}"`, "",
			"arn:aws:iam::123456789012:user/alice", map[string][]string{"aws:PrincipalAccount": {"123456789012"}, "aws:username": {"alice"}}, false, srcVars},
		// Special characters: ${*}, ${?}, ${$} are the literal characters.
		{"literal-star/matches-star", v2012, `"arn:aws:s3:::bucket/${*}"`, "", "arn:aws:s3:::bucket/*", nil, true, srcVars},
		{"literal-star/not-a-wildcard", v2012, `"arn:aws:s3:::bucket/${*}"`, "", "arn:aws:s3:::bucket/x", nil, false, srcVars},
		{"literal-question/matches-question", v2012, `"arn:aws:s3:::bucket/a${?}"`, "", "arn:aws:s3:::bucket/a?", nil, true, srcVars},
		{"literal-question/not-a-wildcard", v2012, `"arn:aws:s3:::bucket/a${?}"`, "", "arn:aws:s3:::bucket/ab", nil, false, srcVars},
		{"literal-dollar", v2012, `"arn:aws:s3:::bucket/${$}{x}"`, "", "arn:aws:s3:::bucket/${x}", nil, true, srcVars},
		{"literal-star-with-wildcard", v2012, `"arn:aws:s3:::bucket/${*}/*"`, "", "arn:aws:s3:::bucket/*/any", nil, true, srcVars},
		// Default values: ${key, 'default'}.
		{"default/tag-present", v2012, `"arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}/*"`, "",
			"arn:aws:s3:::bucket-yellow/f", kv("aws:PrincipalTag/team", "yellow"), true, srcVars},
		{"default/tag-absent", v2012, `"arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}/*"`, "",
			"arn:aws:s3:::bucket-company-wide/f", nil, true, srcVars},
		{"default/tag-present-not-default", v2012, `"arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}/*"`, "",
			"arn:aws:s3:::bucket-company-wide/f", kv("aws:PrincipalTag/team", "yellow"), false, srcVars},
		// An unresolved variable (key absent, no default) makes the entry
		// match nothing; other entries still apply.
		{"missing/matches-nothing", v2012, home, "", "arn:aws:s3:::bucket/home//file.txt", nil, false, srcVars},
		{"missing/not-even-literal", v2012, home, "", "arn:aws:s3:::bucket/home/${aws:username}/file.txt", nil, false, srcVars},
		{"missing/other-entry-applies", v2012, `["arn:aws:s3:::bucket/home/${aws:username}/*","arn:aws:s3:::public/*"]`, "",
			"arn:aws:s3:::public/f", nil, true, srcVars},
		// Only single-valued keys can be variables.
		{"multivalued/does-not-resolve", v2012, `"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"`, "",
			"arn:aws:s3:::bucket/eng/f", kv("aws:PrincipalTag/team", "eng", "ops"), false, srcMulti},
		// Version 2008-10-17 (or no Version) keeps ${...} as text.
		{"version-2008/literal", "2008-10-17", home, "", "arn:aws:s3:::bucket/home/${aws:username}/f", alice, true, srcVersion},
		{"version-2008/not-substituted", "2008-10-17", home, "", "arn:aws:s3:::bucket/home/alice/f", alice, false, srcVersion},
		{"no-version/literal", "", home, "", "arn:aws:s3:::bucket/home/${aws:username}/f", alice, true, srcVersion},
		{"no-version/not-substituted", "", home, "", "arn:aws:s3:::bucket/home/alice/f", alice, false, srcVersion},
	})
}

func TestVariablesInConditions(t *testing.T) {
	const anyRes = `"*"`
	const obj = "arn:aws:s3:::bucket/key"
	alice := func(key string, values ...string) map[string][]string {
		return map[string][]string{"aws:username": {"alice"}, key: values}
	}
	runVarCases(t, []varCase{
		{"StringEquals/substituted", v2012, anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, alice("s3:prefix", "home/alice"), true, srcVars},
		{"StringEquals/other-user", v2012, anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, alice("s3:prefix", "home/bob"), false, srcVars},
		{"StringNotEquals/substituted", v2012, anyRes, `{"StringNotEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, alice("s3:prefix", "home/alice"), false, srcVars},
		{"StringEqualsIgnoreCase/substituted", v2012, anyRes, `{"StringEqualsIgnoreCase":{"s3:prefix":"HOME/${aws:username}"}}`, obj, alice("s3:prefix", "home/ALICE"), true, srcVars},
		{"StringLike/substituted", v2012, anyRes, `{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}`, obj, alice("s3:prefix", "home/alice/docs"), true, srcVars},
		{"StringLike/other-user", v2012, anyRes, `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, obj, alice("s3:prefix", "home/bob/docs"), false, srcVars},
		{"ArnLike/substituted", v2012, anyRes, `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::*:user/${aws:username}"}}`, obj, alice("aws:SourceArn", "arn:aws:iam::123456789012:user/alice"), true, srcVars},
		{"ArnLike/other-user", v2012, anyRes, `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::*:user/${aws:username}"}}`, obj, alice("aws:SourceArn", "arn:aws:iam::123456789012:user/bob"), false, srcVars},
		{"ArnEquals/substituted", v2012, anyRes, `{"ArnEquals":{"aws:SourceArn":"arn:aws:iam::123456789012:user/${aws:username}"}}`, obj, alice("aws:SourceArn", "arn:aws:iam::123456789012:user/alice"), true, srcVars},
		{"Bool/substituted", v2012, anyRes, `{"Bool":{"aws:SecureTransport":"${test:flag}"}}`, obj,
			map[string][]string{"test:flag": {"true"}, "aws:SecureTransport": {"true"}}, true, srcOpsBool},
		{"key-name-case-insensitive", v2012, anyRes, `{"StringEquals":{"s3:prefix":"${AWS:USERNAME}"}}`, obj, alice("s3:prefix", "alice"), true, srcVars},
		{"tag-variable", v2012, anyRes, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, obj,
			map[string][]string{"aws:PrincipalTag/team": {"eng"}, "aws:ResourceTag/team": {"eng"}}, true, srcVars},
		// Special characters.
		{"StringLike/literal-star", v2012, anyRes, `{"StringLike":{"s3:prefix":"a${*}b"}}`, obj, kv("s3:prefix", "a*b"), true, srcVars},
		{"StringLike/literal-star-not-wildcard", v2012, anyRes, `{"StringLike":{"s3:prefix":"a${*}b"}}`, obj, kv("s3:prefix", "axb"), false, srcVars},
		{"StringLike/literal-question", v2012, anyRes, `{"StringLike":{"s3:prefix":"a${?}"}}`, obj, kv("s3:prefix", "a?"), true, srcVars},
		{"StringLike/literal-question-not-wildcard", v2012, anyRes, `{"StringLike":{"s3:prefix":"a${?}"}}`, obj, kv("s3:prefix", "ab"), false, srcVars},
		{"StringEquals/literal-star", v2012, anyRes, `{"StringEquals":{"s3:prefix":"a${*}"}}`, obj, kv("s3:prefix", "a*"), true, srcVars},
		{"StringEquals/literal-dollar", v2012, anyRes, `{"StringEquals":{"s3:prefix":"${$}{aws:username}"}}`, obj, alice("s3:prefix", "${aws:username}"), true, srcVars},
		{"ArnLike/literal-star", v2012, anyRes, `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::bucket/${*}"}}`, obj, kv("aws:SourceArn", "arn:aws:s3:::bucket/x"), false, srcVars},
		// Defaults.
		{"default/absent", v2012, anyRes, `{"StringEquals":{"s3:prefix":"team/${aws:PrincipalTag/team, 'none'}"}}`, obj, kv("s3:prefix", "team/none"), true, srcVars},
		{"default/present", v2012, anyRes, `{"StringEquals":{"s3:prefix":"team/${aws:PrincipalTag/team, 'none'}"}}`, obj,
			map[string][]string{"aws:PrincipalTag/team": {"eng"}, "s3:prefix": {"team/eng"}}, true, srcVars},
		{"default/present-not-default", v2012, anyRes, `{"StringEquals":{"s3:prefix":"team/${aws:PrincipalTag/team, 'none'}"}}`, obj,
			map[string][]string{"aws:PrincipalTag/team": {"eng"}, "s3:prefix": {"team/none"}}, false, srcVars},
		{"default/StringLike", v2012, anyRes, `{"StringLike":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}/*"}}`, obj, kv("s3:prefix", "shared/x"), true, srcVars},
		// An unresolved variable: the condition is false.
		{"missing/StringEquals", v2012, anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, kv("s3:prefix", "home/"), false, srcVars},
		{"missing/StringEquals-not-literal", v2012, anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, kv("s3:prefix", "home/${aws:username}"), false, srcVars},
		{"missing/StringLike", v2012, anyRes, `{"StringLike":{"s3:prefix":"home/${aws:username}*"}}`, obj, kv("s3:prefix", "home/x"), false, srcVars},
		{"missing/ArnLike", v2012, anyRes, `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::*:user/${aws:username}"}}`, obj, kv("aws:SourceArn", "arn:aws:iam::1:user/x"), false, srcVars},
		{"multivalued/does-not-resolve", v2012, anyRes, `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}`, obj,
			map[string][]string{"aws:PrincipalTag/team": {"eng", "ops"}, "s3:prefix": {"eng"}}, false, srcMulti},
		// Version 2008-10-17 keeps ${...} as text.
		{"version-2008/literal", "2008-10-17", anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, alice("s3:prefix", "home/${aws:username}"), true, srcVersion},
		{"version-2008/not-substituted", "2008-10-17", anyRes, `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, obj, alice("s3:prefix", "home/alice"), false, srcVersion},
		{"version-2008/StringLike-literal-star-syntax", "2008-10-17", anyRes, `{"StringLike":{"s3:prefix":"a${*}b"}}`, obj, kv("s3:prefix", "a${xyz}b"), true, srcVersion},
		// Not substituted in Numeric, IP (and Date, see below) values:
		// "Policy variables – Not supported" for those families.
		{"Numeric/not-substituted", v2012, anyRes, `{"NumericEquals":{"s3:max-keys":"${test:limit}"}}`, obj,
			map[string][]string{"test:limit": {"10"}, "s3:max-keys": {"10"}}, false, srcOpsNumeric},
		{"IpAddress/not-substituted", v2012, anyRes, `{"IpAddress":{"aws:SourceIp":"${test:cidr}"}}`, obj,
			map[string][]string{"test:cidr": {"10.0.0.0/8"}, "aws:SourceIp": {"10.1.2.3"}}, false, srcOpsIP},
		{"NotIpAddress/not-substituted", v2012, anyRes, `{"NotIpAddress":{"aws:SourceIp":"${test:cidr}"}}`, obj,
			map[string][]string{"test:cidr": {"10.0.0.0/8"}, "aws:SourceIp": {"10.1.2.3"}}, true, srcOpsIP},
	})
}

// TestVariablesNotInDateValues: Date values do not take policy variables, so
// "${aws:CurrentTime}" is not a date, which AWS refuses ("The policy failed
// legacy parsing").
func TestVariablesNotInDateValues(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",` +
		`"Condition":{"DateLessThan":{"aws:TokenIssueTime":"${aws:CurrentTime}"}}}]}`
	_, err := policy.Parse(doc, policy.Identity)
	require.Error(t, err, "source: %s", srcOpsDate)
}

// TestVariablesInActionRefused: variables are documented for the Resource
// and Condition elements only; in an Action the variable's colon makes the
// action invalid ("Actions/Condition can contain only one colon.").
func TestVariablesInActionRefused(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:${test:action}","Resource":"*"}]}`
	_, err := policy.Parse(doc, policy.Identity)
	require.Error(t, err, "source: %s", srcVars)
}
