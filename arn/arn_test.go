package arn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/arn"
)

// srcARN is AWS's description of the ARN format:
// arn:partition:service:region:account-id:resource, where the resource part
// may itself contain colons and slashes.
const srcARN = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"

// acceptedARNs is the accepted-forms corpus of ARNs: every entry must parse
// to the given sections and print back unchanged.
//
// Removing an entry, or changing what it parses to, is a breaking change:
// policies and requests in the wild rely on these forms. Add new forms; do
// not delete old ones.
var acceptedARNs = []struct {
	name string
	in   string
	want arn.ARN
}{
	{"s3-bucket-no-region-no-account", "arn:aws:s3:::bucket", arn.ARN{Partition: "aws", Service: "s3", Resource: "bucket"}},
	{"s3-object-key-with-colons", "arn:aws:s3:::bucket/dir/key:with:colons", arn.ARN{Partition: "aws", Service: "s3", Resource: "bucket/dir/key:with:colons"}},
	{"iam-user", "arn:aws:iam::123456789012:user/alice", arn.ARN{Partition: "aws", Service: "iam", Account: "123456789012", Resource: "user/alice"}},
	{"iam-user-with-path", "arn:aws:iam::123456789012:user/division/team/alice", arn.ARN{Partition: "aws", Service: "iam", Account: "123456789012", Resource: "user/division/team/alice"}},
	{"iam-root", "arn:aws:iam::123456789012:root", arn.ARN{Partition: "aws", Service: "iam", Account: "123456789012", Resource: "root"}},
	{"aws-managed-policy-account-aws", "arn:aws:iam::aws:policy/AdministratorAccess", arn.ARN{Partition: "aws", Service: "iam", Account: "aws", Resource: "policy/AdministratorAccess"}},
	{"sts-assumed-role", "arn:aws:sts::123456789012:assumed-role/Admin/session-1", arn.ARN{Partition: "aws", Service: "sts", Account: "123456789012", Resource: "assumed-role/Admin/session-1"}},
	{"lambda-alias-colon-resource", "arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD", arn.ARN{Partition: "aws", Service: "lambda", Region: "us-east-1", Account: "123456789012", Resource: "function:my-fn:PROD"}},
	{"logs-log-group-star", "arn:aws:logs:us-east-1:123456789012:log-group:/a/b:*", arn.ARN{Partition: "aws", Service: "logs", Region: "us-east-1", Account: "123456789012", Resource: "log-group:/a/b:*"}},
	{"china-partition", "arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc", arn.ARN{Partition: "aws-cn", Service: "ec2", Region: "cn-north-1", Account: "123456789012", Resource: "instance/i-0abc"}},
	{"govcloud-partition", "arn:aws-us-gov:sns:us-gov-west-1:123456789012:topic", arn.ARN{Partition: "aws-us-gov", Service: "sns", Region: "us-gov-west-1", Account: "123456789012", Resource: "topic"}},
	{"apigateway-empty-account-slash-resource", "arn:aws:apigateway:us-east-1::/restapis/abc", arn.ARN{Partition: "aws", Service: "apigateway", Region: "us-east-1", Resource: "/restapis/abc"}},
	{"dynamodb-stream-timestamp", "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2024-01-01T00:00:00.000", arn.ARN{Partition: "aws", Service: "dynamodb", Region: "us-east-1", Account: "123456789012", Resource: "table/T/stream/2024-01-01T00:00:00.000"}},
	{"wildcards-are-text-to-parse", "arn:aws:s3:::*", arn.ARN{Partition: "aws", Service: "s3", Resource: "*"}},
	{"wildcards-in-every-section", "arn:*:ec2:*:*:instance/*", arn.ARN{Partition: "*", Service: "ec2", Region: "*", Account: "*", Resource: "instance/*"}},
	{"resource-ends-with-colon", "arn:aws:s3:::a:", arn.ARN{Partition: "aws", Service: "s3", Resource: "a:"}},
	{"minimal-one-letter-sections", "arn:p:s:r:a:x", arn.ARN{Partition: "p", Service: "s", Region: "r", Account: "a", Resource: "x"}},
	{"utf8-resource", "arn:aws:s3:::bücket/é/日本", arn.ARN{Partition: "aws", Service: "s3", Resource: "bücket/é/日本"}},
	{"unknown-service-and-partition", "arn:foo:bar:baz:qux:quux", arn.ARN{Partition: "foo", Service: "bar", Region: "baz", Account: "qux", Resource: "quux"}},
}

// rejectedARNs is the corpus of text that is not an ARN. Removing an entry
// (i.e. starting to accept it) is a breaking change too.
var rejectedARNs = []struct {
	name string
	in   string
}{
	{"empty", ""},
	{"star", "*"},
	{"just-arn", "arn"},
	{"arn-colon", "arn:"},
	{"two-sections", "arn:aws"},
	{"three-sections", "arn:aws:s3"},
	{"four-sections", "arn:aws:s3:"},
	{"five-sections", "arn:aws:s3::"},
	{"empty-resource", "arn:aws:s3:::"},
	{"empty-resource-with-account", "arn:aws:ec2:us-east-1:123456789012:"},
	{"empty-partition", "arn::s3:::bucket"},
	{"empty-service", "arn:aws::::bucket"},
	{"upper-case-prefix", "ARN:aws:s3:::bucket"},
	{"leading-space", " arn:aws:s3:::bucket"},
	{"urn", "urn:aws:s3:::bucket"},
	{"no-prefix", "aws:s3:::bucket:x"},
	{"all-empty", "arn:::::"},
}

func TestParseAccepted(t *testing.T) {
	for _, tc := range acceptedARNs {
		t.Run(tc.name, func(t *testing.T) {
			got, err := arn.Parse(tc.in) // source: srcARN
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.in, got.String(), "String must print the parsed ARN back unchanged")
			require.True(t, arn.IsARN(tc.in))

			again, err := arn.Parse(got.String())
			require.NoError(t, err)
			require.Equal(t, got, again)
		})
	}
}

func TestParseRejected(t *testing.T) {
	for _, tc := range rejectedARNs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := arn.Parse(tc.in)
			require.Error(t, err)
			require.ErrorIs(t, err, arn.ErrMalformed)
			require.False(t, arn.IsARN(tc.in))
		})
	}
}

func TestParseErrorQuotesLongInputTruncated(t *testing.T) {
	long := "xrn:" + string(make([]byte, 500))
	_, err := arn.Parse(long)
	require.ErrorIs(t, err, arn.ErrMalformed)
	require.Less(t, len(err.Error()), 300, "a long input must not be copied whole into the error")
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   arn.ARN
		want string
	}{
		{"all-sections", arn.ARN{Partition: "aws", Service: "sqs", Region: "eu-west-1", Account: "123456789012", Resource: "queue"}, "arn:aws:sqs:eu-west-1:123456789012:queue"},
		{"empty-region-and-account", arn.ARN{Partition: "aws", Service: "s3", Resource: "b/k"}, "arn:aws:s3:::b/k"},
		{"colons-in-resource", arn.ARN{Partition: "aws", Service: "lambda", Region: "us-east-1", Account: "123456789012", Resource: "function:f:1"}, "arn:aws:lambda:us-east-1:123456789012:function:f:1"},
		{"zero-value", arn.ARN{}, "arn:::::"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.in.String())
		})
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		want   [6]string
		wantOK bool
	}{
		{"arn", "arn:aws:s3:::bucket", [6]string{"arn", "aws", "s3", "", "", "bucket"}, true},
		{"rest-keeps-colons", "a:b:c:d:e:f:g:h", [6]string{"a", "b", "c", "d", "e", "f:g:h"}, true},
		{"only-colons", ":::::", [6]string{}, true},
		{"empty-last-section", "a:b:c:d:e:", [6]string{"a", "b", "c", "d", "e", ""}, true},
		{"not-arn-prefix-is-fine", "x:y:z:w:v:u", [6]string{"x", "y", "z", "w", "v", "u"}, true},
		{"four-colons", "a:b:c:d:e", [6]string{}, false},
		{"star", "*", [6]string{}, false},
		{"empty", "", [6]string{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := arn.Split(tc.in)
			require.Equal(t, tc.wantOK, ok)
			if tc.wantOK {
				require.Equal(t, tc.want, got)
			}
		})
	}
}

func TestSplitAgreesWithParse(t *testing.T) {
	for _, tc := range acceptedARNs {
		t.Run(tc.name, func(t *testing.T) {
			secs, ok := arn.Split(tc.in)
			require.True(t, ok)
			require.Equal(t, [6]string{"arn", tc.want.Partition, tc.want.Service, tc.want.Region, tc.want.Account, tc.want.Resource}, secs)
		})
	}
}
