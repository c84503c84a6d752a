package policy_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/policy"
)

// AWS documentation the condition tests follow.
const (
	srcOps         = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	srcOpsString   = srcOps + "#Conditions_String"
	srcOpsNumeric  = srcOps + "#Conditions_Numeric"
	srcOpsDate     = srcOps + "#Conditions_Date"
	srcOpsBool     = srcOps + "#Conditions_Boolean"
	srcOpsBinary   = srcOps + "#Conditions_BinaryEquals"
	srcOpsIP       = srcOps + "#Conditions_IPAddress"
	srcOpsARN      = srcOps + "#Conditions_ARN"
	srcOpsIfExists = srcOps + "#Conditions_IfExists"
	srcOpsNull     = srcOps + "#Conditions_Null"
	srcMulti       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
	srcMultiEx     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html"
	srcLogic       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html"
	srcVars        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
	srcVersion     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
	srcResourceEl  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"
)

// condCase is one condition evaluated against one request context. A key
// absent from ctx is absent from the request; a key mapped to an empty
// slice is present with an empty set of values.
type condCase struct {
	name   string
	cond   string // the statement's Condition element, JSON
	ctx    map[string][]string
	want   bool
	source string
}

// matchStatement parses doc as a policy of type typ, prepares req and
// reports whether the policy's only statement applies to it.
func matchStatement(t *testing.T, typ policy.Type, doc string, req *policy.Request) bool {
	t.Helper()
	p, err := policy.Parse(doc, typ)
	require.NoError(t, err, "document: %s", doc)
	require.Len(t, p.Rules, 1)
	prepared := policy.Prepare(req, false, nil)
	_, ok := p.Rules[0].Match(&prepared)
	return ok
}

// evalCondition reports whether an Allow statement for s3:GetObject on "*"
// with the condition cond applies to a request with context ctx.
func evalCondition(t *testing.T, cond string, ctx map[string][]string) bool {
	t.Helper()
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":%s}]}`, cond)
	req := policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key", Context: policy.NewContext(ctx)}
	return matchStatement(t, policy.Identity, doc, &req)
}

func runCondCases(t *testing.T, cases []condCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.source, "every case cites its AWS source")
			got := evalCondition(t, tc.cond, tc.ctx)
			require.Equal(t, tc.want, got, "condition %s with context %v (source: %s)", tc.cond, tc.ctx, tc.source)
		})
	}
}

func kv(key string, values ...string) map[string][]string {
	return map[string][]string{key: values}
}

func TestConditionString(t *testing.T) {
	const like = `{"StringLike":{"s3:prefix":"home/*"}}`
	runCondCases(t, []condCase{
		{"StringEquals/match", `{"StringEquals":{"aws:username":"alice"}}`, kv("aws:username", "alice"), true, srcOpsString},
		{"StringEquals/case-sensitive", `{"StringEquals":{"aws:username":"alice"}}`, kv("aws:username", "Alice"), false, srcOpsString},
		{"StringEquals/differs", `{"StringEquals":{"aws:username":"alice"}}`, kv("aws:username", "bob"), false, srcOpsString},
		{"StringEquals/no-wildcards", `{"StringEquals":{"aws:username":"al*"}}`, kv("aws:username", "alice"), false, srcOpsString},
		{"StringEquals/star-is-text", `{"StringEquals":{"aws:username":"al*"}}`, kv("aws:username", "al*"), true, srcOpsString},
		{"StringEquals/missing", `{"StringEquals":{"aws:username":"alice"}}`, nil, false, srcOps},
		{"StringNotEquals/differs", `{"StringNotEquals":{"aws:username":"alice"}}`, kv("aws:username", "bob"), true, srcOpsString},
		{"StringNotEquals/equal", `{"StringNotEquals":{"aws:username":"alice"}}`, kv("aws:username", "alice"), false, srcOpsString},
		{"StringNotEquals/case-sensitive", `{"StringNotEquals":{"aws:username":"alice"}}`, kv("aws:username", "ALICE"), true, srcOpsString},
		{"StringNotEquals/missing", `{"StringNotEquals":{"aws:username":"alice"}}`, nil, true, srcOps},
		{"StringEqualsIgnoreCase/match", `{"StringEqualsIgnoreCase":{"aws:username":"alice"}}`, kv("aws:username", "ALICE"), true, srcOpsString},
		{"StringEqualsIgnoreCase/differs", `{"StringEqualsIgnoreCase":{"aws:username":"alice"}}`, kv("aws:username", "bob"), false, srcOpsString},
		{"StringEqualsIgnoreCase/missing", `{"StringEqualsIgnoreCase":{"aws:username":"alice"}}`, nil, false, srcOps},
		{"StringNotEqualsIgnoreCase/same-but-case", `{"StringNotEqualsIgnoreCase":{"aws:username":"alice"}}`, kv("aws:username", "ALICE"), false, srcOpsString},
		{"StringNotEqualsIgnoreCase/differs", `{"StringNotEqualsIgnoreCase":{"aws:username":"alice"}}`, kv("aws:username", "bob"), true, srcOpsString},
		{"StringNotEqualsIgnoreCase/missing", `{"StringNotEqualsIgnoreCase":{"aws:username":"alice"}}`, nil, true, srcOps},
		{"StringLike/star", like, kv("s3:prefix", "home/alice/docs"), true, srcOpsString},
		{"StringLike/star-empty-run", like, kv("s3:prefix", "home/"), true, srcOpsString},
		{"StringLike/no-match", like, kv("s3:prefix", "work/alice"), false, srcOpsString},
		{"StringLike/case-sensitive", like, kv("s3:prefix", "HOME/alice"), false, srcOpsString},
		{"StringLike/question-one-char", `{"StringLike":{"s3:prefix":"v?"}}`, kv("s3:prefix", "v1"), true, srcOpsString},
		{"StringLike/question-not-two", `{"StringLike":{"s3:prefix":"v?"}}`, kv("s3:prefix", "v12"), false, srcOpsString},
		{"StringLike/question-not-zero", `{"StringLike":{"s3:prefix":"v?"}}`, kv("s3:prefix", "v"), false, srcOpsString},
		{"StringLike/star-in-middle", `{"StringLike":{"s3:prefix":"a*z"}}`, kv("s3:prefix", "a/b:c/z"), true, srcOpsString},
		{"StringLike/missing", like, nil, false, srcOps},
		// The ARN section of the operators page: StringLike lets '*' span
		// colons, so this value matches here but not with ArnLike.
		{"StringLike/aws-doc-arn-example-matches", `{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`,
			kv("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true, srcOpsARN},
		{"StringNotLike/match", `{"StringNotLike":{"s3:prefix":"home/*"}}`, kv("s3:prefix", "home/x"), false, srcOpsString},
		{"StringNotLike/no-match", `{"StringNotLike":{"s3:prefix":"home/*"}}`, kv("s3:prefix", "work/x"), true, srcOpsString},
		{"StringNotLike/missing", `{"StringNotLike":{"s3:prefix":"home/*"}}`, nil, true, srcOps},
	})
}

func TestConditionNumeric(t *testing.T) {
	const key = "s3:max-keys"
	runCondCases(t, []condCase{
		{"NumericEquals/equal-unquoted", `{"NumericEquals":{"s3:max-keys":10}}`, kv(key, "10"), true, srcOpsNumeric},
		{"NumericEquals/equal-quoted", `{"NumericEquals":{"s3:max-keys":"10"}}`, kv(key, "10"), true, srcOpsNumeric},
		{"NumericEquals/differs", `{"NumericEquals":{"s3:max-keys":10}}`, kv(key, "11"), false, srcOpsNumeric},
		{"NumericEquals/decimal", `{"NumericEquals":{"s3:max-keys":1.5}}`, kv(key, "1.5"), true, srcOpsNumeric},
		{"NumericEquals/not-a-number-request", `{"NumericEquals":{"s3:max-keys":10}}`, kv(key, "ten"), false, srcOpsNumeric},
		{"NumericEquals/missing", `{"NumericEquals":{"s3:max-keys":10}}`, nil, false, srcOps},
		{"NumericNotEquals/differs", `{"NumericNotEquals":{"s3:max-keys":10}}`, kv(key, "11"), true, srcOpsNumeric},
		{"NumericNotEquals/equal", `{"NumericNotEquals":{"s3:max-keys":10}}`, kv(key, "10"), false, srcOpsNumeric},
		{"NumericNotEquals/missing", `{"NumericNotEquals":{"s3:max-keys":10}}`, nil, true, srcOps},
		{"NumericLessThan/less", `{"NumericLessThan":{"s3:max-keys":10}}`, kv(key, "9"), true, srcOpsNumeric},
		{"NumericLessThan/equal", `{"NumericLessThan":{"s3:max-keys":10}}`, kv(key, "10"), false, srcOpsNumeric},
		{"NumericLessThan/decimal", `{"NumericLessThan":{"s3:max-keys":1.5}}`, kv(key, "1.25"), true, srcOpsNumeric},
		{"NumericLessThan/negative", `{"NumericLessThan":{"s3:max-keys":0}}`, kv(key, "-1"), true, srcOpsNumeric},
		{"NumericLessThan/missing", `{"NumericLessThan":{"s3:max-keys":10}}`, nil, false, srcOps},
		{"NumericLessThanEquals/equal", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, kv(key, "10"), true, srcOpsNumeric},
		{"NumericLessThanEquals/greater", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, kv(key, "11"), false, srcOpsNumeric},
		{"NumericLessThanEquals/missing", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, nil, false, srcOps},
		{"NumericGreaterThan/greater", `{"NumericGreaterThan":{"s3:max-keys":10}}`, kv(key, "11"), true, srcOpsNumeric},
		{"NumericGreaterThan/equal", `{"NumericGreaterThan":{"s3:max-keys":10}}`, kv(key, "10"), false, srcOpsNumeric},
		{"NumericGreaterThan/missing", `{"NumericGreaterThan":{"s3:max-keys":10}}`, nil, false, srcOps},
		{"NumericGreaterThanEquals/equal", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, kv(key, "10"), true, srcOpsNumeric},
		{"NumericGreaterThanEquals/less", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, kv(key, "9"), false, srcOpsNumeric},
		{"NumericGreaterThanEquals/missing", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, nil, false, srcOps},
		{"NumericLessThan/one-of-values", `{"NumericLessThan":{"s3:max-keys":[5,20]}}`, kv(key, "10"), true, srcLogic},
		// "Numeric condition operators let you construct Condition elements
		// that restrict access based on comparing a key to an integer or
		// decimal value." NaN, infinities and hexadecimal are neither, so a
		// request value such as s3:max-keys=NaN (which the caller controls)
		// must not satisfy a numeric comparison.
		{"NumericEquals/NaN-request-is-not-a-number", `{"NumericEquals":{"s3:max-keys":10}}`, kv(key, "NaN"), false, srcOpsNumeric},
		{"NumericLessThanEquals/NaN-request-is-not-a-number", `{"NumericLessThanEquals":{"s3:max-keys":10}}`, kv(key, "NaN"), false, srcOpsNumeric},
		{"NumericGreaterThanEquals/NaN-request-is-not-a-number", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, kv(key, "NaN"), false, srcOpsNumeric},
		{"NumericLessThan/negative-infinity-is-not-a-number", `{"NumericLessThan":{"s3:max-keys":10}}`, kv(key, "-Inf"), false, srcOpsNumeric},
		{"NumericGreaterThan/infinity-is-not-a-number", `{"NumericGreaterThan":{"s3:max-keys":10}}`, kv(key, "Infinity"), false, srcOpsNumeric},
		{"NumericEquals/hex-is-not-decimal", `{"NumericEquals":{"s3:max-keys":16}}`, kv(key, "0x10"), false, srcOpsNumeric},
		{"NumericEquals/hex-float-is-not-decimal", `{"NumericEquals":{"s3:max-keys":16}}`, kv(key, "0x1p4"), false, srcOpsNumeric},
		{"NumericEquals/digit-separators-are-not-decimal", `{"NumericEquals":{"s3:max-keys":1000}}`, kv(key, "1_000"), false, srcOpsNumeric},
	})
}

func TestConditionDate(t *testing.T) {
	// 1700000000 epoch seconds is 2023-11-14T22:13:20Z.
	const key = "aws:CurrentTime"
	const at = "2023-11-14T22:13:20Z"
	runCondCases(t, []condCase{
		{"DateEquals/equal", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), true, srcOpsDate},
		{"DateEquals/one-second-later", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2023-11-14T22:13:21Z"), false, srcOpsDate},
		{"DateEquals/missing", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, nil, false, srcOps},
		{"DateNotEquals/differs", `{"DateNotEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2023-11-14T22:13:21Z"), true, srcOpsDate},
		{"DateNotEquals/equal", `{"DateNotEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), false, srcOpsDate},
		{"DateNotEquals/missing", `{"DateNotEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, nil, true, srcOps},
		{"DateLessThan/before", `{"DateLessThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2023-11-14T22:13:19Z"), true, srcOpsDate},
		{"DateLessThan/equal", `{"DateLessThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), false, srcOpsDate},
		{"DateLessThan/missing", `{"DateLessThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, nil, false, srcOps},
		{"DateLessThanEquals/equal", `{"DateLessThanEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), true, srcOpsDate},
		{"DateLessThanEquals/after", `{"DateLessThanEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2023-11-14T22:13:21Z"), false, srcOpsDate},
		{"DateGreaterThan/after", `{"DateGreaterThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2024-01-01T00:00:00Z"), true, srcOpsDate},
		{"DateGreaterThan/equal", `{"DateGreaterThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), false, srcOpsDate},
		{"DateGreaterThanEquals/equal", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, at), true, srcOpsDate},
		{"DateGreaterThanEquals/before", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2020-01-01T00:00:00Z"), false, srcOpsDate},
		{"DateGreaterThanEquals/missing", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, nil, false, srcOps},
		// Epoch seconds, in the policy (quoted or not) or in the request.
		{"DateEquals/epoch-policy-unquoted", `{"DateEquals":{"aws:CurrentTime":1700000000}}`, kv(key, at), true, srcOpsDate},
		{"DateEquals/epoch-policy-quoted", `{"DateEquals":{"aws:CurrentTime":"1700000000"}}`, kv(key, at), true, srcOpsDate},
		{"DateLessThan/epoch-policy", `{"DateLessThan":{"aws:CurrentTime":1700000000}}`, kv(key, "2023-11-14T22:13:19Z"), true, srcOpsDate},
		{"DateEquals/epoch-request", `{"DateEquals":{"aws:EpochTime":"2023-11-14T22:13:20Z"}}`, kv("aws:EpochTime", "1700000000"), true, srcOpsDate},
		{"DateGreaterThan/epoch-both", `{"DateGreaterThan":{"aws:EpochTime":1600000000}}`, kv("aws:EpochTime", "1700000000"), true, srcOpsDate},
		// W3C profile of ISO 8601: YYYY-MM, YYYY-MM-DD, hh:mmTZD,
		// hh:mm:ssTZD, hh:mm:ss.sTZD, TZD = Z or +hh:mm / -hh:mm.
		{"DateEquals/iso-year-month", `{"DateEquals":{"aws:CurrentTime":"2023-11"}}`, kv(key, "2023-11-01T00:00:00Z"), true, srcOpsDate},
		{"DateEquals/iso-date-only", `{"DateEquals":{"aws:CurrentTime":"2023-11-14"}}`, kv(key, "2023-11-14T00:00:00Z"), true, srcOpsDate},
		{"DateLessThan/iso-date-only", `{"DateLessThan":{"aws:CurrentTime":"2023-11-15"}}`, kv(key, at), true, srcOpsDate},
		{"DateEquals/iso-minutes-Z", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13Z"}}`, kv(key, "2023-11-14T22:13:00Z"), true, srcOpsDate},
		{"DateEquals/iso-minutes-offset", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T23:13+01:00"}}`, kv(key, "2023-11-14T22:13:00Z"), true, srcOpsDate},
		{"DateEquals/iso-seconds-offset", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T23:13:20+01:00"}}`, kv(key, at), true, srcOpsDate},
		{"DateEquals/iso-negative-offset-request", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, kv(key, "2023-11-14T17:13:20-05:00"), true, srcOpsDate},
		{"DateEquals/iso-fraction-zero", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20.000Z"}}`, kv(key, at), true, srcOpsDate},
		{"DateGreaterThan/iso-fraction", `{"DateGreaterThan":{"aws:CurrentTime":"2023-11-14T22:13:20.5Z"}}`, kv(key, "2023-11-14T22:13:21Z"), true, srcOpsDate},
		{"DateGreaterThan/iso-fraction-not-yet", `{"DateGreaterThan":{"aws:CurrentTime":"2023-11-14T22:13:20.5Z"}}`, kv(key, at), false, srcOpsDate},
		{"DateLessThan/unparsable-request", `{"DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, kv(key, "yesterday"), false, srcOpsDate},
	})
}

func TestConditionBool(t *testing.T) {
	const key = "aws:SecureTransport"
	runCondCases(t, []condCase{
		{"Bool/true-true", `{"Bool":{"aws:SecureTransport":"true"}}`, kv(key, "true"), true, srcOpsBool},
		{"Bool/true-false", `{"Bool":{"aws:SecureTransport":"true"}}`, kv(key, "false"), false, srcOpsBool},
		{"Bool/false-false", `{"Bool":{"aws:SecureTransport":"false"}}`, kv(key, "false"), true, srcOpsBool},
		{"Bool/unquoted-true", `{"Bool":{"aws:SecureTransport":true}}`, kv(key, "true"), true, srcOpsBool},
		{"Bool/unquoted-false", `{"Bool":{"aws:SecureTransport":false}}`, kv(key, "true"), false, srcOpsBool},
		{"Bool/missing", `{"Bool":{"aws:SecureTransport":"true"}}`, nil, false, srcOps},
		{"Bool/missing-false-value", `{"Bool":{"aws:SecureTransport":"false"}}`, nil, false, srcOps},
		{"BoolIfExists/missing", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, true, srcOpsIfExists},
		{"BoolIfExists/present-true", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, kv("aws:MultiFactorAuthPresent", "true"), false, srcOpsIfExists},
	})
}

func TestConditionBinary(t *testing.T) {
	const key = "test:binary"
	const b64 = "QmluYXJ5VmFsdWVJbkJhc2U2NA==" // the operators page's example value
	cond := fmt.Sprintf(`{"BinaryEquals":{%q:%q}}`, key, b64)
	runCondCases(t, []condCase{
		{"BinaryEquals/equal", cond, kv(key, b64), true, srcOpsBinary},
		{"BinaryEquals/differs", cond, kv(key, "QmluYXJ5"), false, srcOpsBinary},
		{"BinaryEquals/missing", cond, nil, false, srcOps},
		{"BinaryEqualsIfExists/missing", fmt.Sprintf(`{"BinaryEqualsIfExists":{%q:%q}}`, key, b64), nil, true, srcOpsIfExists},
	})
}

func TestConditionIPAddress(t *testing.T) {
	const key = "aws:SourceIp"
	const v4 = `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`
	const v6 = `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`
	const not4 = `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`
	runCondCases(t, []condCase{
		{"IpAddress/ipv4-in", v4, kv(key, "203.0.113.7"), true, srcOpsIP},
		{"IpAddress/ipv4-out", v4, kv(key, "203.0.114.7"), false, srcOpsIP},
		{"IpAddress/ipv4-bare-address-is-32", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, kv(key, "203.0.113.7"), true, srcOpsIP},
		{"IpAddress/ipv4-bare-address-other", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, kv(key, "203.0.113.8"), false, srcOpsIP},
		{"IpAddress/ipv4-several-ranges", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, kv(key, "203.0.113.7"), true, srcLogic},
		{"IpAddress/ipv6-in", v6, kv(key, "2001:db8:1234:5678::1"), true, srcOpsIP},
		{"IpAddress/ipv6-out", v6, kv(key, "2001:db8:1234:5679::1"), false, srcOpsIP},
		{"IpAddress/ipv4-request-vs-ipv6-range", v6, kv(key, "203.0.113.7"), false, srcOpsIP},
		{"IpAddress/ipv6-request-vs-ipv4-range", v4, kv(key, "2001:db8::1"), false, srcOpsIP},
		// IPv4-mapped IPv6 (::ffff:a.b.c.d) is the same IPv4 address; not
		// spelled out on the operators page (engine behaviour).
		{"IpAddress/ipv4-mapped-request-in-ipv4-range", v4, kv(key, "::ffff:203.0.113.7"), true, srcOpsIP},
		{"IpAddress/ipv4-mapped-request-out", v4, kv(key, "::ffff:203.0.114.7"), false, srcOpsIP},
		{"IpAddress/ipv4-mapped-range", `{"IpAddress":{"aws:SourceIp":"::ffff:203.0.113.0/120"}}`, kv(key, "203.0.113.7"), true, srcOpsIP},
		{"IpAddress/not-an-address", v4, kv(key, "not-an-ip"), false, srcOpsIP},
		{"IpAddress/missing", v4, nil, false, srcOps},
		{"NotIpAddress/out", not4, kv(key, "198.51.100.1"), true, srcOpsIP},
		{"NotIpAddress/in", not4, kv(key, "203.0.113.7"), false, srcOpsIP},
		{"NotIpAddress/ipv6-out", `{"NotIpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, kv(key, "2001:db8::1"), true, srcOpsIP},
		{"NotIpAddress/ipv4-mapped-in", not4, kv(key, "::ffff:203.0.113.7"), false, srcOpsIP},
		{"NotIpAddress/missing", not4, nil, true, srcOps},
		{"NotIpAddress/in-second-range-NOR", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, kv(key, "203.0.113.7"), false, srcLogic},
	})
}

func TestConditionArn(t *testing.T) {
	const key = "aws:SourceArn"
	const role = "arn:aws:iam::123456789012:role/admin"
	const docPattern = "arn:aws:someservice:*:111122223333:finance/*"
	const docValue = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	arnCond := func(op, pattern string) string { return fmt.Sprintf(`{%q:{"aws:SourceArn":%q}}`, op, pattern) }
	runCondCases(t, []condCase{
		{"ArnEquals/exact", arnCond("ArnEquals", role), kv(key, role), true, srcOpsARN},
		{"ArnEquals/differs", arnCond("ArnEquals", role), kv(key, "arn:aws:iam::123456789012:role/other"), false, srcOpsARN},
		{"ArnEquals/wildcards-like-ArnLike", arnCond("ArnEquals", "arn:aws:iam::*:role/admin"), kv(key, role), true, srcOpsARN},
		{"ArnEquals/missing", arnCond("ArnEquals", role), nil, false, srcOps},
		{"ArnLike/any-account", arnCond("ArnLike", "arn:aws:iam::*:role/admin"), kv(key, role), true, srcOpsARN},
		{"ArnLike/case-sensitive", arnCond("ArnLike", "arn:aws:iam::*:role/Admin"), kv(key, role), false, srcOpsARN},
		{"ArnLike/question-in-region", arnCond("ArnLike", "arn:aws:sns:us-east-?:123456789012:topic"), kv(key, "arn:aws:sns:us-east-1:123456789012:topic"), true, srcOpsARN},
		{"ArnLike/resource-with-colons", arnCond("ArnLike", "arn:aws:lambda:*:123456789012:function:*"), kv(key, "arn:aws:lambda:us-east-1:123456789012:function:f:PROD"), true, srcOpsARN},
		{"ArnLike/aws-doc-example-no-match", arnCond("ArnLike", docPattern), kv(key, docValue), false, srcOpsARN},
		{"ArnLike/aws-doc-example-own-account", arnCond("ArnLike", docPattern), kv(key, "arn:aws:someservice:us-east-2:111122223333:finance/document.txt"), true, srcOpsARN},
		{"ArnEquals/aws-doc-example-no-match", arnCond("ArnEquals", docPattern), kv(key, docValue), false, srcOpsARN},
		{"ArnLike/not-an-arn", arnCond("ArnLike", "arn:aws:iam::*:role/*"), kv(key, "role/admin"), false, srcOpsARN},
		{"ArnLike/missing", arnCond("ArnLike", "arn:aws:iam::*:role/*"), nil, false, srcOps},
		{"ArnNotEquals/differs", arnCond("ArnNotEquals", role), kv(key, "arn:aws:iam::123456789012:role/other"), true, srcOpsARN},
		{"ArnNotEquals/equal", arnCond("ArnNotEquals", role), kv(key, role), false, srcOpsARN},
		{"ArnNotEquals/missing", arnCond("ArnNotEquals", role), nil, true, srcOps},
		{"ArnNotLike/match", arnCond("ArnNotLike", "arn:aws:iam::*:role/*"), kv(key, role), false, srcOpsARN},
		{"ArnNotLike/no-match", arnCond("ArnNotLike", "arn:aws:iam::*:user/*"), kv(key, role), true, srcOpsARN},
		{"ArnNotLike/aws-doc-example", arnCond("ArnNotLike", docPattern), kv(key, docValue), true, srcOpsARN},
		{"ArnNotLike/missing", arnCond("ArnNotLike", "arn:aws:iam::*:role/*"), nil, true, srcOps},
	})
}

func TestConditionNull(t *testing.T) {
	const key = "aws:TokenIssueTime"
	runCondCases(t, []condCase{
		{"Null-true/absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true, srcOpsNull},
		{"Null-true/present", `{"Null":{"aws:TokenIssueTime":"true"}}`, kv(key, "2023-11-14T22:13:20Z"), false, srcOpsNull},
		{"Null-false/present", `{"Null":{"aws:TokenIssueTime":"false"}}`, kv(key, "2023-11-14T22:13:20Z"), true, srcOpsNull},
		{"Null-false/absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, nil, false, srcOpsNull},
		{"Null-unquoted-true/absent", `{"Null":{"aws:TokenIssueTime":true}}`, nil, true, srcOpsNull},
		{"Null-unquoted-false/present", `{"Null":{"aws:TokenIssueTime":false}}`, kv(key, "x"), true, srcOpsNull},
		// "Null":{"aws:TagKeys":"false"} is the documented way to require a
		// multivalued key to be present with ForAllValues.
		{"Null-false/multivalued-present", `{"Null":{"aws:TagKeys":"false"}}`, kv("aws:TagKeys", "a", "b"), true, srcMulti},
	})
}

func TestConditionIfExists(t *testing.T) {
	runCondCases(t, []condCase{
		{"StringEqualsIfExists/missing", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, nil, true, srcOpsIfExists},
		{"StringEqualsIfExists/present-match", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, kv("ec2:InstanceType", "t2.micro"), true, srcOpsIfExists},
		{"StringEqualsIfExists/present-mismatch", `{"StringEqualsIfExists":{"ec2:InstanceType":"t2.micro"}}`, kv("ec2:InstanceType", "m5.large"), false, srcOpsIfExists},
		{"StringLikeIfExists/present-match", `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}`, kv("ec2:InstanceType", "t2.micro"), true, srcOpsIfExists},
		{"StringNotEqualsIfExists/missing", `{"StringNotEqualsIfExists":{"aws:username":"alice"}}`, nil, true, srcOpsIfExists},
		{"StringNotEqualsIfExists/present-equal", `{"StringNotEqualsIfExists":{"aws:username":"alice"}}`, kv("aws:username", "alice"), false, srcOpsIfExists},
		{"NumericLessThanIfExists/present-less", `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, kv("s3:max-keys", "5"), true, srcOpsIfExists},
		{"NumericLessThanIfExists/present-greater", `{"NumericLessThanIfExists":{"s3:max-keys":10}}`, kv("s3:max-keys", "15"), false, srcOpsIfExists},
		{"DateLessThanIfExists/present-after", `{"DateLessThanIfExists":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2023-01-01T00:00:00Z"), false, srcOpsIfExists},
		{"IpAddressIfExists/present-out", `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, kv("aws:SourceIp", "192.0.2.1"), false, srcOpsIfExists},
		{"NotIpAddressIfExists/present-in", `{"NotIpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, kv("aws:SourceIp", "10.1.2.3"), false, srcOpsIfExists},
		{"ArnLikeIfExists/present-match", `{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), true, srcOpsIfExists},
		{"ArnNotLikeIfExists/present-match", `{"ArnNotLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), false, srcOpsIfExists},
	})
}

// TestConditionMissingKey applies the general rule of the operators page to
// every operator: "If the key that you specify in a policy condition is not
// present in the request context, the values do not match and the condition
// is false. If the policy condition requires that the key is not matched,
// such as StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true. This logic applies to all condition operators except
// ...IfExists and Null."
func TestConditionMissingKey(t *testing.T) {
	value := map[string]string{
		"String": `"x"`, "Numeric": `1`, "Date": `"2023-11-14T22:13:20Z"`, "Bool": `"true"`,
		"Binary": `"QQ=="`, "Ip": `"10.0.0.0/8"`, "Arn": `"arn:aws:s3:::x"`,
	}
	ops := []struct{ op, family string }{
		{"StringEquals", "String"}, {"StringNotEquals", "String"}, {"StringEqualsIgnoreCase", "String"},
		{"StringNotEqualsIgnoreCase", "String"}, {"StringLike", "String"}, {"StringNotLike", "String"},
		{"NumericEquals", "Numeric"}, {"NumericNotEquals", "Numeric"}, {"NumericLessThan", "Numeric"},
		{"NumericLessThanEquals", "Numeric"}, {"NumericGreaterThan", "Numeric"}, {"NumericGreaterThanEquals", "Numeric"},
		{"DateEquals", "Date"}, {"DateNotEquals", "Date"}, {"DateLessThan", "Date"},
		{"DateLessThanEquals", "Date"}, {"DateGreaterThan", "Date"}, {"DateGreaterThanEquals", "Date"},
		{"Bool", "Bool"}, {"BinaryEquals", "Binary"},
		{"IpAddress", "Ip"}, {"NotIpAddress", "Ip"},
		{"ArnEquals", "Arn"}, {"ArnLike", "Arn"}, {"ArnNotEquals", "Arn"}, {"ArnNotLike", "Arn"},
	}
	negated := map[string]bool{
		"StringNotEquals": true, "StringNotEqualsIgnoreCase": true, "StringNotLike": true, "NumericNotEquals": true,
		"DateNotEquals": true, "NotIpAddress": true, "ArnNotEquals": true, "ArnNotLike": true,
	}
	var cases []condCase
	for _, o := range ops {
		cond := func(op string) string { return fmt.Sprintf(`{%q:{"test:absent":%s}}`, op, value[o.family]) }
		cases = append(cases,
			condCase{o.op, cond(o.op), kv("test:other", "x"), negated[o.op], srcOps},
			condCase{o.op + "IfExists", cond(o.op + "IfExists"), kv("test:other", "x"), true, srcOpsIfExists},
		)
	}
	runCondCases(t, cases)
}

// TestConditionSetOperators covers ForAllValues and ForAnyValue with
// multivalued keys, including the empty set and the absent key.
func TestConditionSetOperators(t *testing.T) {
	const key = "aws:TagKeys"
	const forAll = `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`
	const forAny = `{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`
	const forAllNotLike = `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`
	const forAnyNotEquals = `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"environment"}}`
	empty := map[string][]string{key: {}}
	runCondCases(t, []condCase{
		{"ForAllValues/all-in-set", forAll, kv(key, "environment", "cost-center"), true, srcMulti},
		{"ForAllValues/subset", forAll, kv(key, "environment"), true, srcMulti},
		{"ForAllValues/one-outside", forAll, kv(key, "environment", "owner"), false, srcMulti},
		{"ForAllValues/case-sensitive", forAll, kv(key, "Environment"), false, srcMulti},
		{"ForAllValues/empty-set", forAll, empty, true, srcMulti},
		{"ForAllValues/missing", forAll, nil, true, srcMulti},
		{"ForAnyValue/one-in-set", forAny, kv(key, "owner", "environment"), true, srcMulti},
		{"ForAnyValue/none-in-set", forAny, kv(key, "owner", "team"), false, srcMulti},
		{"ForAnyValue/single-value", forAny, kv(key, "cost-center"), true, srcMulti},
		{"ForAnyValue/empty-set", forAny, empty, false, srcMulti},
		{"ForAnyValue/missing", forAny, nil, false, srcMulti},
		// The Deny example with ForAllValues:StringNotLike: true when no
		// request value is like the pattern, and when the key is absent.
		{"ForAllValues:StringNotLike/none-like", forAllNotLike, kv(key, "key2", "key3"), true, srcMultiEx},
		{"ForAllValues:StringNotLike/one-like", forAllNotLike, kv(key, "key2", "key1-a"), false, srcMultiEx},
		{"ForAllValues:StringNotLike/missing", forAllNotLike, nil, true, srcMultiEx},
		{"ForAllValues:StringNotLike/empty-set", forAllNotLike, empty, true, srcMultiEx},
		{"ForAllValues:StringNotEquals/all-different", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv(key, "c", "d"), true, srcMulti},
		{"ForAllValues:StringNotEquals/one-equal", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv(key, "c", "b"), false, srcMulti},
		// ForAnyValue with a negated operator: at least one request value
		// must satisfy it; with no values none does.
		{"ForAnyValue:StringNotEquals/one-different", forAnyNotEquals, kv(key, "environment", "owner"), true, srcMulti},
		{"ForAnyValue:StringNotEquals/all-equal", forAnyNotEquals, kv(key, "environment"), false, srcMulti},
		{"ForAnyValue:StringNotEquals/missing", forAnyNotEquals, nil, false, srcMulti},
		{"ForAnyValue:StringNotEquals/empty-set", forAnyNotEquals, empty, false, srcMulti},
		{"ForAllValues:StringLike/all-like", `{"ForAllValues:StringLike":{"aws:TagKeys":["env*","cost*"]}}`, kv(key, "env-1", "cost-a"), true, srcMulti},
		{"ForAllValues:StringLike/one-unlike", `{"ForAllValues:StringLike":{"aws:TagKeys":["env*","cost*"]}}`, kv(key, "env-1", "owner"), false, srcMulti},
		{"ForAnyValue:StringLike/one-like", `{"ForAnyValue:StringLike":{"aws:TagKeys":"env*"}}`, kv(key, "owner", "env-1"), true, srcMulti},
		{"ForAnyValue:StringEqualsIgnoreCase", `{"ForAnyValue:StringEqualsIgnoreCase":{"aws:TagKeys":"environment"}}`, kv(key, "ENVIRONMENT"), true, srcMulti},
		{"ForAnyValue:ArnLike", `{"ForAnyValue:ArnLike":{"aws:CalledVia":"arn:aws:iam::*:role/*"}}`, kv("aws:CalledVia", "x", "arn:aws:iam::123456789012:role/r"), true, srcMulti},
		{"ForAllValues:StringEqualsIfExists/missing", `{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":"a"}}`, nil, true, srcOpsIfExists},
		{"ForAnyValue:StringEqualsIfExists/missing", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}`, nil, true, srcOpsIfExists},
		{"ForAllValues/with-Null-false-absent", `{"ForAllValues:StringEquals":{"aws:TagKeys":"a"},"Null":{"aws:TagKeys":"false"}}`, nil, false, srcMulti},
		{"ForAllValues/with-Null-false-present", `{"ForAllValues:StringEquals":{"aws:TagKeys":"a"},"Null":{"aws:TagKeys":"false"}}`, kv(key, "a"), true, srcMulti},
	})
}

// TestConditionLogic: operators and keys are AND'ed, the values of one key
// OR'ed, and for a negated operator NOR'ed.
func TestConditionLogic(t *testing.T) {
	both := map[string][]string{"aws:username": {"alice"}, "aws:SourceIp": {"10.1.2.3"}}
	runCondCases(t, []condCase{
		{"operators-AND/both-true", `{"StringEquals":{"aws:username":"alice"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, both, true, srcLogic},
		{"operators-AND/one-false", `{"StringEquals":{"aws:username":"alice"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, both, false, srcLogic},
		{"keys-AND/both-true", `{"StringEquals":{"aws:username":"alice","aws:PrincipalTag/team":"eng"}}`,
			map[string][]string{"aws:username": {"alice"}, "aws:PrincipalTag/team": {"eng"}}, true, srcLogic},
		{"keys-AND/one-false", `{"StringEquals":{"aws:username":"alice","aws:PrincipalTag/team":"eng"}}`,
			map[string][]string{"aws:username": {"alice"}, "aws:PrincipalTag/team": {"ops"}}, false, srcLogic},
		{"keys-AND/one-missing", `{"StringEquals":{"aws:username":"alice","aws:PrincipalTag/team":"eng"}}`,
			kv("aws:username", "alice"), false, srcLogic},
		{"values-OR/second", `{"StringEquals":{"aws:username":["alice","bob"]}}`, kv("aws:username", "bob"), true, srcLogic},
		{"values-OR/none", `{"StringEquals":{"aws:username":["alice","bob"]}}`, kv("aws:username", "carol"), false, srcLogic},
		{"values-OR/StringLike", `{"StringLike":{"s3:prefix":["home/*","work/*"]}}`, kv("s3:prefix", "work/x"), true, srcLogic},
		{"values-NOR/StringNotEquals-second", `{"StringNotEquals":{"aws:username":["alice","bob"]}}`, kv("aws:username", "bob"), false, srcLogic},
		{"values-NOR/StringNotEquals-none", `{"StringNotEquals":{"aws:username":["alice","bob"]}}`, kv("aws:username", "carol"), true, srcLogic},
		{"values-NOR/StringNotLike-second", `{"StringNotLike":{"s3:prefix":["home/*","work/*"]}}`, kv("s3:prefix", "work/x"), false, srcLogic},
		{"values-NOR/StringNotLike-none", `{"StringNotLike":{"s3:prefix":["home/*","work/*"]}}`, kv("s3:prefix", "tmp/x"), true, srcLogic},
		{"values-NOR/NumericNotEquals-second", `{"NumericNotEquals":{"s3:max-keys":[1,2]}}`, kv("s3:max-keys", "2"), false, srcLogic},
		{"values-NOR/NumericNotEquals-none", `{"NumericNotEquals":{"s3:max-keys":[1,2]}}`, kv("s3:max-keys", "3"), true, srcLogic},
		{"values-NOR/DateNotEquals-second", `{"DateNotEquals":{"aws:CurrentTime":["2020-01-01T00:00:00Z","2021-01-01T00:00:00Z"]}}`, kv("aws:CurrentTime", "2021-01-01T00:00:00Z"), false, srcLogic},
		{"values-NOR/ArnNotLike-second", `{"ArnNotLike":{"aws:SourceArn":["arn:aws:s3:::a","arn:aws:s3:::b*"]}}`, kv("aws:SourceArn", "arn:aws:s3:::bx"), false, srcLogic},
		{"values-NOR/StringNotEqualsIgnoreCase-second", `{"StringNotEqualsIgnoreCase":{"aws:username":["alice","bob"]}}`, kv("aws:username", "BOB"), false, srcLogic},
	})
}

func TestConditionKeyNamesCaseInsensitive(t *testing.T) {
	runCondCases(t, []condCase{
		{"policy-key-mixed-case", `{"StringEquals":{"AWS:UserName":"alice"}}`, kv("aws:username", "alice"), true, srcVars},
		{"policy-key-upper-case", `{"StringEquals":{"AWS:USERNAME":"alice"}}`, kv("aws:username", "alice"), true, srcVars},
		{"context-key-mixed-case", `{"StringEquals":{"aws:username":"alice"}}`, kv("AWS:UserName", "alice"), true, srcVars},
		{"values-still-case-sensitive", `{"StringEquals":{"AWS:UserName":"alice"}}`, kv("aws:username", "Alice"), false, srcVars},
		{"tag-key-case", `{"StringEquals":{"aws:PrincipalTag/Team":"eng"}}`, kv("aws:principaltag/team", "eng"), true, srcVars},
		{"Null-key-case", `{"Null":{"AWS:TokenIssueTime":"false"}}`, kv("aws:tokenissuetime", "x"), true, srcVars},
	})
}

// TestConditionUnquotedValues: numbers and booleans may be written as JSON
// numbers and booleans; they compare as their text.
func TestConditionUnquotedValues(t *testing.T) {
	runCondCases(t, []condCase{
		{"StringEquals-number", `{"StringEquals":{"s3:max-keys":10}}`, kv("s3:max-keys", "10"), true, srcOpsString},
		{"StringEquals-boolean", `{"StringEquals":{"aws:SecureTransport":true}}`, kv("aws:SecureTransport", "true"), true, srcOpsString},
		{"NumericEquals-array-of-numbers", `{"NumericEquals":{"s3:max-keys":[1,10]}}`, kv("s3:max-keys", "10"), true, srcOpsNumeric},
		{"NumericLessThan-decimal", `{"NumericLessThan":{"s3:max-keys":10.5}}`, kv("s3:max-keys", "10"), true, srcOpsNumeric},
		{"Bool-boolean", `{"Bool":{"aws:SecureTransport":false}}`, kv("aws:SecureTransport", "false"), true, srcOpsBool},
		{"DateGreaterThan-number", `{"DateGreaterThan":{"aws:EpochTime":1600000000}}`, kv("aws:EpochTime", "1700000000"), true, srcOpsDate},
		{"Null-boolean", `{"Null":{"aws:TokenIssueTime":true}}`, nil, true, srcOpsNull},
	})
}

// TestConditionRefusedDocuments: documents AWS refuses.
func TestConditionRefusedDocuments(t *testing.T) {
	for _, tc := range []struct {
		name, cond, source string
	}{
		// "You can add IfExists to the end of any condition operator name
		// except the Null condition."
		{"NullIfExists", `{"NullIfExists":{"aws:TokenIssueTime":"true"}}`, srcOpsIfExists},
		// Date values must be ISO 8601 or epoch seconds; AWS reports "The
		// policy failed legacy parsing" (see the brief, §3.4).
		{"Date-not-a-date", `{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}`, srcOpsDate},
		{"unknown-operator", `{"StringSortOf":{"aws:username":"alice"}}`, srcOps},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":%s}]}`, tc.cond)
			_, err := policy.Parse(doc, policy.Identity)
			require.Error(t, err, "source: %s", tc.source)
		})
	}
}
