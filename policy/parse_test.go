package policy

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Sources for the expected messages: the IAM User Guide (grammar, quotas,
// Principal, NotPrincipal, Version pages), the Organizations User Guide
// (SCP and RCP syntax), and AWS error text observed by real clients, listed
// in docs/policy-rules.md. Where a case
// rests on an emulator (getmoto/moto moto/iam/policy_validation.py) or on a
// Warden design decision rather than on AWS, its comment says so.

// parseV12 returns a 2012-10-17 document whose Statement array holds stmts.
func parseV12(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// Statements valid for each family of policy types.
const (
	parseIdentityStmt = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	parseResourceStmt = `{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	parseTrustStmt    = `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`
	parseRCPStmt      = `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`
)

// parseResourceWith returns a resource policy statement naming principal.
func parseResourceWith(principal string) string {
	return parseV12(`{"Effect":"Allow","Principal":` + principal + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`)
}

// parseTrustWith returns a trust policy statement naming principal.
func parseTrustWith(principal string) string {
	return parseV12(`{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"}`)
}

// parseCond returns an identity policy whose one statement has the given
// Condition element.
func parseCond(cond string) string {
	return parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":` + cond + `}`)
}

// parseErrCase is a document AWS refuses, with the finding AWS reports.
type parseErrCase struct {
	name string
	typ  Type
	doc  string
	code string
	msg  string
	path string
}

const orgMsg = orgMalformedMessage

// parseErrorCases: one case per fault. Every message of messages.go is
// produced by at least one of them (TestParseEveryMessageIsProduced).
var parseErrorCases = []parseErrCase{
	// --- Not strict JSON: "Syntax errors in policy." [OBS] boto/boto3#180.
	{"json/truncated", Identity, `{"Version":"2012-10-17",`, CodeMalformed, msgSyntax, ""},
	{"json/empty", Identity, ``, CodeMalformed, msgSyntax, ""},
	{"json/only-space", InlineUser, "  \n ", CodeMalformed, msgSyntax, ""},
	{"json/null", Identity, `null`, CodeMalformed, msgSyntax, ""},
	{"json/array-root", Identity, `[` + parseIdentityStmt + `]`, CodeMalformed, msgSyntax, ""},
	{"json/string-root", Identity, `"policy"`, CodeMalformed, msgSyntax, ""},
	{"json/single-quotes", Identity, `{'Version':'2012-10-17'}`, CodeMalformed, msgSyntax, ""},
	{"json/trailing-comma", Identity, `{"Version":"2012-10-17","Statement":[` + parseIdentityStmt + `,]}`, CodeMalformed, msgSyntax, ""},
	{"json/trailing-object", Identity, parseV12(parseIdentityStmt) + ` {}`, CodeMalformed, msgSyntax, ""},
	{"json/trailing-garbage", Identity, parseV12(parseIdentityStmt) + `x`, CodeMalformed, msgSyntax, ""},
	{"json/two-documents", Resource, parseV12(parseResourceStmt) + parseV12(parseResourceStmt), CodeMalformed, msgSyntax, ""},
	{"json/comment", Identity, `{"Version":"2012-10-17", /* c */ "Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgSyntax, ""},
	// Duplicate keys at every level. AWS's behaviour is UNCONFIRMED (brief
	// §1.1); Warden refuses them so that a reviewer reading the first key
	// sees what is enforced (json.go).
	{"duplicate-key/top", Identity, `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgSyntax, ""},
	{"duplicate-key/statement", Identity, parseV12(`{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, ""},
	{"duplicate-key/condition", Identity, parseCond(`{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:username":"b"}}`), CodeMalformed, msgSyntax, ""},
	{"duplicate-key/operator-block", Identity, parseCond(`{"StringEquals":{"aws:username":"a","aws:username":"b"}}`), CodeMalformed, msgSyntax, ""},
	{"duplicate-key/principal", Resource, parseResourceWith(`{"AWS":"111122223333","AWS":"444455556666"}`), CodeMalformed, msgSyntax, ""},
	{"duplicate-key/escaped-equal", Identity, parseV12(`{"Effect":"Allow","\u0045ffect":"Deny","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, ""},

	// --- The grammar. [EMU] moto _validate_syntax; [DOC] IAM grammar.
	{"top/unknown-element", Identity, `{"Version":"2012-10-17","Statement":[` + parseIdentityStmt + `],"Comment":"x"}`, CodeMalformed, msgSyntax, "Comment"},
	{"top/statement-missing", Identity, `{"Version":"2012-10-17"}`, CodeMalformed, msgSyntax, "Statement"},
	{"top/statement-empty-array", Identity, `{"Version":"2012-10-17","Statement":[]}`, CodeMalformed, msgSyntax, "Statement"},
	{"top/statement-string", Identity, `{"Version":"2012-10-17","Statement":"Allow"}`, CodeMalformed, msgSyntax, "Statement"},
	{"top/statement-item-number", Identity, `{"Version":"2012-10-17","Statement":[1]}`, CodeMalformed, msgSyntax, "Statement[0]"},
	{"top/id-number", Identity, `{"Version":"2012-10-17","Id":1,"Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgSyntax, "Id"},
	{"version/unknown-value", InlineUser, `{"Version":"2012-10-18","Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgSyntax, "Version"},
	{"version/number", InlineUser, `{"Version":2012,"Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgSyntax, "Version"},
	{"statement/unknown-element", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Actions":"s3:PutObject"}`), CodeMalformed, msgSyntax, "Statement[0].Actions"},
	{"statement/unknown-element-object-form", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Foo":1}}`, CodeMalformed, msgSyntax, "Statement.Foo"},
	{"sid/number", Identity, parseV12(`{"Sid":1,"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Sid"},
	{"effect/missing", Identity, parseV12(`{"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Effect"},
	{"effect/unknown", Identity, parseV12(`{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Effect"},
	{"effect/number", Identity, parseV12(`{"Effect":1,"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Effect"},
	{"effect/array", Identity, parseV12(`{"Effect":["Allow"],"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Effect"},
	{"action/and-not-action", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0]"},
	{"action/number", Identity, parseV12(`{"Effect":"Allow","Action":5,"Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Action"},
	{"action/array-with-number", Identity, parseV12(`{"Effect":"Allow","Action":["s3:GetObject",1],"Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Action[1]"},
	{"action/object", Identity, parseV12(`{"Effect":"Allow","Action":{"s3":"GetObject"},"Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0].Action"},
	{"resource/and-not-resource", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","NotResource":"arn:aws:s3:::b"}`), CodeMalformed, msgSyntax, "Statement[0]"},
	{"resource/bool", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":true}`), CodeMalformed, msgSyntax, "Statement[0].Resource"},
	{"resource/array-with-null", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":["*",null]}`), CodeMalformed, msgSyntax, "Statement[0].Resource[1]"},
	{"principal/and-not-principal", Resource, parseV12(`{"Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}`), CodeMalformed, msgSyntax, "Statement[0]"},
	{"principal/string-not-star", Resource, parseResourceWith(`"123456789012"`), CodeMalformed, msgSyntax, "Statement[0].Principal"},
	{"principal/unknown-type", Resource, parseResourceWith(`{"User":"alice"}`), CodeMalformed, msgSyntax, "Statement[0].Principal.User"},
	{"principal/empty-object", Resource, parseResourceWith(`{}`), CodeMalformed, msgSyntax, "Statement[0].Principal"},
	{"principal/array", Resource, parseResourceWith(`["*"]`), CodeMalformed, msgSyntax, "Statement[0].Principal"},
	{"principal/value-object", Resource, parseResourceWith(`{"AWS":{"id":"123456789012"}}`), CodeMalformed, msgSyntax, "Statement[0].Principal.AWS"},
	{"condition/array", Identity, parseCond(`[{"StringEquals":{"aws:username":"a"}}]`), CodeMalformed, msgSyntax, "Statement[0].Condition"},
	{"condition/string", Identity, parseCond(`"aws:username=a"`), CodeMalformed, msgSyntax, "Statement[0].Condition"},
	{"condition/unknown-operator", Identity, parseCond(`{"StringEqualz":{"aws:username":"a"}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEqualz"},
	{"condition/operator-wrong-case", Identity, parseCond(`{"stringEquals":{"aws:username":"a"}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.stringEquals"},
	{"condition/null-if-exists", Identity, parseCond(`{"NullIfExists":{"aws:username":"true"}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.NullIfExists"},
	{"condition/block-string", Identity, parseCond(`{"StringEquals":"aws:username"}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals"},
	{"condition/block-array", Identity, parseCond(`{"StringEquals":["aws:username","a"]}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals"},
	{"condition/value-object", Identity, parseCond(`{"StringEquals":{"aws:username":{"a":"b"}}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals.aws:username"},
	{"condition/value-array-with-object", Identity, parseCond(`{"StringEquals":{"aws:username":["a",{"b":"c"}]}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals.aws:username"},
	{"condition/value-nested-array", Identity, parseCond(`{"StringEquals":{"aws:username":[["a"]]}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals.aws:username"},
	{"condition/value-null", Identity, parseCond(`{"StringEquals":{"aws:username":null}}`), CodeMalformed, msgSyntax, "Statement[0].Condition.StringEquals.aws:username"},

	// --- Version. [OBS] Meteor-CollectionFS#630 (CreatePolicy); [EMU] moto.
	{"version/identity-missing", Identity, `{"Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgVersion2012, "Version"},
	{"version/identity-2008", Identity, `{"Version":"2008-10-17","Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgVersion2012, "Version"},
	{"version/boundary-missing", Boundary, `{"Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgVersion2012, "Version"},
	{"version/boundary-2008", Boundary, `{"Version":"2008-10-17","Statement":[` + parseIdentityStmt + `]}`, CodeMalformed, msgVersion2012, "Version"},
	{"version/scp-missing", SCP, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, CodeOrgMalformed, orgMsg, "Version"},
	{"version/rcp-2008", RCP, `{"Version":"2008-10-17","Statement":[` + parseRCPStmt + `]}`, CodeOrgMalformed, orgMsg, "Version"},

	// --- Legacy parsing. [OBS] aws-samples/torchserve-eks#3 (Effect case),
	// amancevice/terraform-aws-custom-ecr-domain#2; [EMU] moto (Date values).
	{"effect/lower-case-allow", Identity, parseV12(`{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgLegacy, "Statement[0].Effect"},
	{"effect/upper-case-deny", InlineRole, parseV12(`{"Effect":"DENY","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgLegacy, "Statement[0].Effect"},
	{"effect/lower-case-trust", Trust, parseV12(`{"Effect":"allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`), CodeMalformed, msgLegacy, "Statement[0].Effect"},
	{"condition/date-unparsable", Identity, parseCond(`{"DateGreaterThan":{"aws:CurrentTime":"yesterday"}}`), CodeMalformed, msgLegacy, "Statement[0].Condition.DateGreaterThan.aws:CurrentTime"},
	{"condition/date-in-array-unparsable", Identity, parseCond(`{"DateLessThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z","2020-13-45"]}}`), CodeMalformed, msgLegacy, "Statement[0].Condition.DateLessThan.aws:CurrentTime"},

	// --- Sid. [OBS] aws-cloudformation/cfn-lint#708 (alphanumeric); [EMU] moto (unique).
	{"sid/duplicate", Identity, parseV12(`{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, `{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}`), CodeMalformed, msgSidUnique, "Statement[1].Sid"},
	{"sid/duplicate-trust", Trust, parseV12(`{"Sid":"T","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`, `{"Sid":"T","Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}`), CodeMalformed, msgSidUnique, "Statement[1].Sid"},
	{"sid/hyphen", Identity, parseV12(`{"Sid":"allow-read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSidAlnum, "Statement[0].Sid"},
	{"sid/space-inline-role", InlineRole, parseV12(`{"Sid":"Allow read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSidAlnum, "Statement[0].Sid"},
	{"sid/underscore-trust", Trust, parseV12(`{"Sid":"trust_ec2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`), CodeMalformed, msgSidAlnum, "Statement[0].Sid"},
	{"sid/non-ascii-letter", Session, parseV12(`{"Sid":"Stmté","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgSidAlnum, "Statement[0].Sid"},
	{"sid/scp-hyphen", SCP, parseV12(`{"Sid":"deny-leave","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Sid"},

	// --- Action and NotAction. [EMU] moto; [OBS] garnaat/kappa#111 (two colons).
	{"action/missing", Identity, parseV12(`{"Effect":"Allow","Resource":"*"}`), CodeMalformed, msgNeedActions, "Statement[0]"},
	{"action/empty-array", Identity, parseV12(`{"Effect":"Allow","Action":[],"Resource":"*"}`), CodeMalformed, msgNeedActions, "Statement[0].Action"},
	{"action/not-action-empty-array", InlineGroup, parseV12(`{"Effect":"Deny","NotAction":[],"Resource":"*"}`), CodeMalformed, msgNeedActions, "Statement[0].NotAction"},
	{"action/trust-missing", Trust, parseV12(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}`), CodeMalformed, msgNeedActions, "Statement[0]"},
	{"action/no-vendor", Identity, parseV12(`{"Effect":"Allow","Action":"GetObject","Resource":"*"}`), CodeMalformed, msgVendorPrefix, "Statement[0].Action[0]"},
	{"action/no-vendor-not-action", Identity, parseV12(`{"Effect":"Deny","NotAction":["s3:GetObject","iam"],"Resource":"*"}`), CodeMalformed, msgVendorPrefix, "Statement[0].NotAction[1]"},
	{"action/two-colons", Identity, parseV12(`{"Effect":"Allow","Action":"lambda:InvokeFunction:*","Resource":"*"}`), CodeMalformed, msgOneColon, "Statement[0].Action[0]"},
	{"action/bad-vendor-underscore", Identity, parseV12(`{"Effect":"Allow","Action":"s3_x:GetObject","Resource":"*"}`), CodeMalformed, "Vendor s3_x is not valid", "Statement[0].Action[0]"},
	{"action/bad-vendor-space", Identity, parseV12(`{"Effect":"Allow","Action":["s3:GetObject","s 3:GetObject"],"Resource":"*"}`), CodeMalformed, "Vendor s 3 is not valid", "Statement[0].Action[1]"},
	{"action/scp-no-vendor", SCP, parseV12(`{"Effect":"Deny","Action":"LeaveOrganization","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Action[0]"},

	// --- Resource and NotResource. [OBS] terraform-aws-modules/terraform-aws-iam#364
	// (missing), ministryofjustice/modernisation-platform-environments#590
	// (not an ARN); [DOC] reference_policies_elements_resource (no wildcard
	// in the service); [EMU] moto (vendor message).
	{"resource/missing-identity", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`), CodeMalformed, msgNeedResources, "Statement[0]"},
	{"resource/missing-inline-user", InlineUser, parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`), CodeMalformed, msgNeedResources, "Statement[0]"},
	{"resource/missing-boundary", Boundary, parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`), CodeMalformed, msgNeedResources, "Statement[0]"},
	{"resource/missing-session", Session, parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`), CodeMalformed, msgNeedResources, "Statement[0]"},
	{"resource/empty-array", InlineGroup, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":[]}`), CodeMalformed, msgNeedResources, "Statement[0].Resource"},
	{"resource/not-arn", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"foo"}`), CodeMalformed, `Resource foo must be in ARN format or "*".`, "Statement[0].Resource[0]"},
	{"resource/not-arn-second", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b","my-bucket"]}`), CodeMalformed, `Resource my-bucket must be in ARN format or "*".`, "Statement[0].Resource[1]"},
	{"resource/not-resource-not-arn", Identity, parseV12(`{"Effect":"Deny","Action":"s3:*","NotResource":"bucket"}`), CodeMalformed, `Resource bucket must be in ARN format or "*".`, "Statement[0].NotResource[0]"},
	{"resource/resource-policy-not-arn", Resource, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"bucket/*"}`), CodeMalformed, `Resource bucket/* must be in ARN format or "*".`, "Statement[0].Resource[0]"},
	{"resource/wildcard-in-service", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3*:::bucket"}`), CodeMalformed, msgResourceVendor, "Statement[0].Resource[0]"},
	{"resource/star-service", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:*:us-east-1:123456789012:*"}`), CodeMalformed, msgResourceVendor, "Statement[0].Resource[0]"},
	{"resource/arn-truncated-after-partition", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws"}`), CodeMalformed, msgResourceVendor, "Statement[0].Resource[0]"},

	// --- Principal values. [DOC] reference_policies_elements_principal ("You
	// cannot use a wildcard to match part of a principal name or ARN", no
	// user groups, 12-digit accounts); message form [OBS]
	// hashicorp/terraform-provider-aws#8905, opstrace/opstrace#88.
	{"principal/partial-wildcard-user", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:user/*"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*"`, "Statement[0].Principal.AWS"},
	{"principal/partial-wildcard-account", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::*:root"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::*:root"`, "Statement[0].Principal.AWS"},
	{"principal/partial-wildcard-session", Trust, parseTrustWith(`{"AWS":"arn:aws:sts::123456789012:assumed-role/Admin/*"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:sts::123456789012:assumed-role/Admin/*"`, "Statement[0].Principal.AWS"},
	{"principal/question-mark", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:user/bo?"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/bo?"`, "Statement[0].Principal.AWS"},
	{"principal/short-account-id", Resource, parseResourceWith(`{"AWS":"12345"}`), CodeMalformed, `Invalid principal in policy: "AWS":"12345"`, "Statement[0].Principal.AWS"},
	{"principal/long-account-id", Trust, parseTrustWith(`{"AWS":"1234567890123"}`), CodeMalformed, `Invalid principal in policy: "AWS":"1234567890123"`, "Statement[0].Principal.AWS"},
	{"principal/arn-bad-account", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::12345678901a:root"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::12345678901a:root"`, "Statement[0].Principal.AWS"},
	{"principal/user-name-not-arn", Resource, parseResourceWith(`{"AWS":"alice"}`), CodeMalformed, `Invalid principal in policy: "AWS":"alice"`, "Statement[0].Principal.AWS"},
	{"principal/group", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:group/Developers"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:group/Developers"`, "Statement[0].Principal.AWS"},
	{"principal/assumed-role-without-session", Trust, parseTrustWith(`{"AWS":"arn:aws:sts::123456789012:assumed-role/Admin"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:sts::123456789012:assumed-role/Admin"`, "Statement[0].Principal.AWS"},
	{"principal/bucket-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:s3:::bucket"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:s3:::bucket"`, "Statement[0].Principal.AWS"},
	{"principal/second-of-array", Resource, parseResourceWith(`{"AWS":["123456789012","arn:aws:iam::123456789012:user/*"]}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*"`, "Statement[0].Principal.AWS"},
	{"principal/service-partial-wildcard", Trust, parseTrustWith(`{"Service":"*.amazonaws.com"}`), CodeMalformed, `Invalid principal in policy: "Service":"*.amazonaws.com"`, "Statement[0].Principal.Service"},
	{"principal/not-principal-partial-wildcard", Resource, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/*"},"Action":"s3:*","Resource":"*"}`), CodeMalformed, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/*"`, "Statement[0].NotPrincipal.AWS"},

	// --- Principal by policy type. [OBS] hashicorp/terraform-provider-aws#10419
	// (identity); terraform-aws-modules/terraform-aws-iam#47 (trust without
	// principal); kubernetes-sigs/external-dns#3085 (trust with Resource);
	// humanmade/S3-Uploads#191 (S3 without principal); [DOC]
	// reference_policies_elements_notprincipal (Deny only, not in trust or
	// identity policies, not in SCPs or RCPs).
	{"principal/identity", Identity, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/identity-not-principal", Identity, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].NotPrincipal"},
	{"principal/inline-user", InlineUser, parseV12(`{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/inline-group", InlineGroup, parseV12(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/inline-role", InlineRole, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/boundary", Boundary, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/session", Session, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNoPrincipal, "Statement[0].Principal"},
	{"principal/trust-missing", Trust, parseV12(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), CodeMalformed, msgTrustNoPrincipal, "Statement[0]"},
	{"principal/trust-missing-second", Trust, parseV12(parseTrustStmt, `{"Effect":"Allow","Action":"sts:TagSession"}`), CodeMalformed, msgTrustNoPrincipal, "Statement[1]"},
	{"principal/trust-not-principal", Trust, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}`), CodeMalformed, "Has prohibited field NotPrincipal", "Statement[0].NotPrincipal"},
	{"resource/trust-resource", Trust, parseV12(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}`), CodeMalformed, "Has prohibited field Resource", "Statement[0].Resource"},
	{"principal/resource-missing", Resource, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`), CodeMalformed, msgMissingPrincipal, "Statement[0]"},
	{"principal/not-principal-allow", Resource, parseV12(`{"Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"}`), CodeMalformed, msgNotPrincipalAllow, "Statement[0].NotPrincipal"},
	{"principal/scp", SCP, parseV12(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Principal"},
	{"principal/scp-not-principal", SCP, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].NotPrincipal"},

	// --- RCPs. [DOC] orgs_manage_policies_rcps_syntax: Principal must be
	// "*", no NotPrincipal, no NotAction, only RCPFullAWSAccess allows.
	// Organizations answers every invalid policy with one code and message.
	{"rcp/no-principal", RCP, parseV12(`{"Effect":"Deny","Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0]"},
	{"rcp/account-principal", RCP, parseV12(`{"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Principal"},
	{"rcp/service-principal", RCP, parseV12(`{"Effect":"Deny","Principal":{"Service":"s3.amazonaws.com"},"Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Principal"},
	{"rcp/not-principal", RCP, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].NotPrincipal"},
	{"rcp/not-action", RCP, parseV12(`{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].NotAction"},
	{"rcp/allow-specific-action", RCP, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Effect"},
	{"rcp/allow-full-access-with-condition", RCP, parseV12(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), CodeOrgMalformed, orgMsg, "Statement[0].Effect"},
	{"rcp/allow-specific-resource", RCP, parseV12(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::bucket"}`), CodeOrgMalformed, orgMsg, "Statement[0].Effect"},
	{"rcp/invalid-json", RCP, `{"Version":"2012-10-17"`, CodeOrgMalformed, orgMsg, ""},
	{"rcp/missing-resource", RCP, parseV12(`{"Effect":"Deny","Principal":"*","Action":"s3:*"}`), CodeOrgMalformed, orgMsg, "Statement[0]"},
	{"scp/invalid-json", SCP, `{`, CodeOrgMalformed, orgMsg, ""},
	{"scp/lower-case-effect", SCP, parseV12(`{"Effect":"deny","Action":"s3:*","Resource":"*"}`), CodeOrgMalformed, orgMsg, "Statement[0].Effect"},

	// --- Condition keys. [EMU] moto (the shared "Actions/Conditions" message).
	{"condition/key-without-prefix", Identity, parseCond(`{"StringEquals":{"username":"bob"}}`), CodeMalformed, msgVendorPrefix, "Statement[0].Condition.StringEquals.username"},
	{"condition/key-without-prefix-trust", Trust, parseV12(`{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"ExternalId":"x"}}}`), CodeMalformed, msgVendorPrefix, "Statement[0].Condition.StringEquals.ExternalId"},
}

// parseMustFail parses doc and returns the *Error.
func parseMustFail(t *testing.T, doc string, typ Type) *Error {
	t.Helper()
	p, err := Parse(doc, typ)
	require.Error(t, err, "AWS refuses this %s policy", typ)
	require.Nil(t, p)
	var perr *Error
	require.ErrorAs(t, err, &perr, "Parse returns a *policy.Error")
	require.NotEmpty(t, perr.Findings)
	return perr
}

// parseMustSucceed parses doc and returns the policy.
func parseMustSucceed(t *testing.T, doc string, typ Type) *Policy {
	t.Helper()
	p, err := Parse(doc, typ)
	require.NoError(t, err, "AWS accepts this %s policy", typ)
	require.NotNil(t, p)
	require.Equal(t, typ, p.Type)
	require.Len(t, p.Rules, len(p.Document.Statements))
	return p
}

func parseErrorMessages(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == SeverityError {
			out = append(out, f.Message)
		}
	}
	return out
}

func TestParseErrors(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range parseErrorCases {
		t.Run(tc.typ.String()+"/"+tc.name, func(t *testing.T) {
			require.False(t, seen[tc.typ.String()+"/"+tc.name], "duplicate case name")
			seen[tc.typ.String()+"/"+tc.name] = true

			perr := parseMustFail(t, tc.doc, tc.typ)
			first := perr.First()
			require.Equal(t, SeverityError, first.Severity)
			require.Equal(t, tc.code, first.Code)
			require.Equal(t, tc.msg, first.Message)
			require.Equal(t, tc.path, first.Path)
			for _, f := range perr.Findings {
				require.Equal(t, SeverityError, f.Severity, "a *policy.Error holds only errors: %v", f)
			}
			require.Contains(t, perr.Error(), tc.code+": "+tc.msg)

			// Validate reports the same first finding, then any others.
			fs := Validate(tc.doc, tc.typ)
			require.NotEmpty(t, fs)
			require.Equal(t, first, fs[0])
			if tc.typ.isOrg() {
				for _, f := range fs {
					if f.Severity == SeverityError {
						require.NotEqual(t, CodeMalformed, f.Code, "an SCP or RCP error carries Organizations' code: %v", f)
					}
				}
			}
		})
	}
}

// TestParseEveryMessageIsProduced reads the message constants of
// messages.go and checks that some case expects each of them, so a new
// message cannot be added without a test that triggers it.
func TestParseEveryMessageIsProduced(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "messages.go", nil, 0)
	require.NoError(t, err)
	consts := map[string]string{"orgMalformedMessage": orgMalformedMessage}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, "%s is a string literal", name.Name)
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				consts[name.Name] = s
			}
		}
	}
	require.Greater(t, len(consts), 20)

	var produced []string
	for _, tc := range parseErrorCases {
		produced = append(produced, tc.msg)
	}
	for _, tc := range parseSizeCases() {
		produced = append(produced, tc.msg)
	}
	produced = append(produced, msgCharset, fmt.Sprintf(msgInlineSize, 2048, "user", "alice"))

	for name, format := range consts {
		t.Run(name, func(t *testing.T) {
			re := regexp.QuoteMeta(format)
			re = strings.ReplaceAll(re, "%s", ".*")
			re = strings.ReplaceAll(re, "%d", "[0-9]+")
			rx := regexp.MustCompile("^" + re + "$")
			for _, m := range produced {
				if rx.MatchString(m) {
					return
				}
			}
			t.Errorf("no test case produces %s (%q)", name, format)
		})
	}
}

// TestParseAccepted covers the forms AWS accepts, per policy type.
func TestParseAccepted(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  Type
		doc  string
	}{
		// Version and Statement forms. [DOC] reference_policies_elements_version,
		// reference_policies_grammar (Statement is one object or an array).
		{"statement-object", Identity, `{"Version":"2012-10-17","Statement":` + parseIdentityStmt + `}`},
		{"statement-array", Identity, parseV12(parseIdentityStmt)},
		{"statement-array-several", InlineRole, parseV12(parseIdentityStmt, parseIdentityStmt)},
		{"id-string", Identity, `{"Version":"2012-10-17","Id":"my-policy","Statement":` + parseIdentityStmt + `}`},
		{"version-2008-inline-user", InlineUser, `{"Version":"2008-10-17","Statement":` + parseIdentityStmt + `}`},
		{"version-missing-inline-group", InlineGroup, `{"Statement":` + parseIdentityStmt + `}`},
		{"version-missing-inline-role", InlineRole, `{"Statement":` + parseIdentityStmt + `}`},
		{"version-missing-session", Session, `{"Statement":` + parseIdentityStmt + `}`},
		{"version-missing-trust", Trust, `{"Statement":` + parseTrustStmt + `}`},
		{"version-2008-trust", Trust, `{"Version":"2008-10-17","Statement":` + parseTrustStmt + `}`},
		{"version-missing-resource", Resource, `{"Statement":` + parseResourceStmt + `}`},
		{"version-2008-resource", Resource, `{"Version":"2008-10-17","Statement":` + parseResourceStmt + `}`},
		{"whitespace-everywhere", Identity, "\r\n\t{ \"Version\" :\n\"2012-10-17\" ,\t\"Statement\" : [ " + parseIdentityStmt + " ] }\n"},
		{"latin1-in-value", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/café/*"}`)},
		{"escaped-non-latin1-in-value", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/\u20ac/*"}`)},

		// Sid. [DOC] reference_policies_elements_sid (IAM: ASCII letters and
		// digits); S3 and KMS accept other characters (thinkinglabs/aws-iam-policy#5).
		{"sid-alphanumeric", Identity, parseV12(`{"Sid":"Stmt1AllowRead","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)},
		{"sid-empty", Identity, parseV12(`{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)},
		{"sid-distinct", Identity, parseV12(`{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, `{"Sid":"a","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)},
		{"sid-spaces-resource", Resource, parseV12(`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`)},
		{"sid-punctuation-resource", Resource, parseV12(`{"Sid":"topic-subscription-arn:aws:sns:us-east-2:123456789012:MyTopic","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}`)},

		// Effect.
		{"effect-deny", Identity, parseV12(`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}`)},

		// Principal forms. [DOC] reference_policies_elements_principal.
		{"principal-star", Resource, parseResourceWith(`"*"`)},
		{"principal-aws-star", Resource, parseResourceWith(`{"AWS":"*"}`)},
		{"principal-account-id", Resource, parseResourceWith(`{"AWS":"123456789012"}`)},
		{"principal-root-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:root"}`)},
		{"principal-user-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:user/alice"}`)},
		{"principal-user-arn-with-path", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe"}`)},
		{"principal-role-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:iam::123456789012:role/Admin"}`)},
		{"principal-assumed-role-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:sts::123456789012:assumed-role/Admin/alice"}`)},
		{"principal-federated-user-arn", Resource, parseResourceWith(`{"AWS":"arn:aws:sts::123456789012:federated-user/bob"}`)},
		{"principal-other-partition", Resource, parseResourceWith(`{"AWS":"arn:aws-cn:iam::123456789012:root"}`)},
		{"principal-aws-array", Resource, parseResourceWith(`{"AWS":["123456789012","arn:aws:iam::111122223333:user/alice"]}`)},
		{"principal-service", Resource, parseResourceWith(`{"Service":"cloudtrail.amazonaws.com"}`)},
		{"principal-service-array", Resource, parseResourceWith(`{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]}`)},
		{"principal-canonical-user", Resource, parseResourceWith(`{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`)},
		{"principal-mixed-types", Resource, parseResourceWith(`{"AWS":"123456789012","Service":"s3.amazonaws.com"}`)},
		{"principal-not-principal-deny", Resource, parseV12(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::123456789012:user/Bob","123456789012"]},"Action":"s3:*","Resource":"*"}`)},
		{"trust-account", Trust, parseTrustWith(`{"AWS":"123456789012"}`)},
		{"trust-root-arn", Trust, parseTrustWith(`{"AWS":"arn:aws:iam::123456789012:root"}`)},
		{"trust-user-arn", Trust, parseTrustWith(`{"AWS":"arn:aws:iam::123456789012:user/alice"}`)},
		{"trust-role-arn", Trust, parseTrustWith(`{"AWS":"arn:aws:iam::123456789012:role/ci"}`)},
		{"trust-assumed-role-arn", Trust, parseTrustWith(`{"AWS":"arn:aws:sts::123456789012:assumed-role/ci/build"}`)},
		{"trust-star", Trust, parseTrustWith(`"*"`)},
		{"trust-federated-saml", Trust, parseV12(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"},"Action":"sts:AssumeRoleWithSAML"}`)},
		{"trust-federated-oidc-name", Trust, parseV12(`{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`)},
		{"trust-service-array", Trust, parseTrustWith(`{"Service":["ec2.amazonaws.com","ecs-tasks.amazonaws.com"]}`)},
		{"trust-tag-session", Trust, parseV12(`{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}`)},
		{"trust-deny", Trust, parseV12(parseTrustStmt, `{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/mallory"},"Action":"sts:AssumeRole"}`)},

		// Action forms. [DOC] reference_policies_elements_action.
		{"action-star", Identity, parseV12(`{"Effect":"Allow","Action":"*","Resource":"*"}`)},
		{"action-service-star", Identity, parseV12(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`)},
		{"action-wildcards", Identity, parseV12(`{"Effect":"Allow","Action":["s3:Get*","iam:*AccessKey*","ec2:Describe?nstances"],"Resource":"*"}`)},
		{"action-mixed-case", Identity, parseV12(`{"Effect":"Allow","Action":"S3:getobject","Resource":"*"}`)},
		{"action-hyphenated-vendor", Identity, parseV12(`{"Effect":"Allow","Action":["rds-data:ExecuteStatement","execute-api:Invoke","aws-marketplace:ViewSubscriptions"],"Resource":"*"}`)},
		{"not-action-string", InlineUser, parseV12(`{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}`)},
		{"not-action-array", InlineUser, parseV12(`{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}`)},

		// Resource forms. [DOC] reference_policies_elements_resource.
		{"resource-star", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)},
		{"resource-array", Identity, parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::a","arn:aws:s3:::a/*"]}`)},
		{"resource-wildcards-in-sections", Identity, parseV12(`{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/i-*"}`)},
		{"resource-wildcard-partition", Identity, parseV12(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:*:s3:::bucket"}`)},
		{"resource-variable", Identity, parseV12(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}`)},
		{"not-resource", Identity, parseV12(`{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::a","arn:aws:s3:::a/*"]}`)},

		// Condition forms. [DOC] reference_policies_elements_condition_operators.
		{"condition-string-array", Identity, parseCond(`{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}`)},
		{"condition-number", Identity, parseCond(`{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":3600}}`)},
		{"condition-number-array", Identity, parseCond(`{"NumericEquals":{"s3:max-keys":[10,"20",1.5e1]}}`)},
		{"condition-boolean", Identity, parseCond(`{"Bool":{"aws:SecureTransport":true}}`)},
		{"condition-boolean-array", Identity, parseCond(`{"Bool":{"aws:SecureTransport":[false,"true"]}}`)},
		{"condition-null", Identity, parseCond(`{"Null":{"aws:TokenIssueTime":"true"}}`)},
		{"condition-null-boolean", Identity, parseCond(`{"Null":{"aws:TokenIssueTime":true}}`)},
		{"condition-if-exists", Identity, parseCond(`{"StringEqualsIfExists":{"ec2:InstanceType":["t3.micro"]}}`)},
		{"condition-set-operators", Identity, parseCond(`{"ForAnyValue:StringLike":{"aws:TagKeys":"env*"},"ForAllValues:StringEqualsIgnoreCaseIfExists":{"aws:TagKeys":["a"]}}`)},
		{"condition-date-iso", Identity, parseCond(`{"DateGreaterThan":{"aws:CurrentTime":"2019-07-16T12:00:00Z"}}`)},
		{"condition-date-day", Identity, parseCond(`{"DateLessThan":{"aws:CurrentTime":"2019-07-16"}}`)},
		{"condition-date-epoch", Identity, parseCond(`{"DateLessThanEquals":{"aws:EpochTime":"1563278400"}}`)},
		{"condition-date-epoch-number", Identity, parseCond(`{"DateGreaterThanEquals":{"aws:EpochTime":1563278400}}`)},
		{"condition-ip", Identity, parseCond(`{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}`)},
		{"condition-arn", Identity, parseCond(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}`)},
		{"condition-empty-object", Identity, parseCond(`{}`)},
		{"condition-empty-operator-block", Identity, parseCond(`{"StringEquals":{}}`)},
		{"condition-key-any-case", Identity, parseCond(`{"StringEquals":{"AWS:UserName":"bob"}}`)},

		// SCPs (full IAM language, 2025) and RCPs. [DOC] orgs_manage_policies_scps_syntax,
		// orgs_manage_policies_rcps_syntax.
		{"scp-full-access", SCP, parseV12(`{"Effect":"Allow","Action":"*","Resource":"*"}`)},
		{"scp-deny-not-action", SCP, parseV12(`{"Effect":"Deny","NotAction":["iam:*","support:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}`)},
		{"scp-allow-specific", SCP, parseV12(`{"Effect":"Allow","Action":["ec2:*","s3:*"],"Resource":"*"}`)},
		{"scp-not-resource", SCP, parseV12(`{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::allowed/*"}`)},
		{"rcp-full-access", RCP, parseV12(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`)},
		{"rcp-aws-star", RCP, parseV12(`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`)},
		{"rcp-deny-with-condition", RCP, parseV12(`{"Effect":"Deny","Principal":"*","Action":["s3:*","sqs:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}`)},
		{"rcp-not-resource", RCP, parseV12(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}`)},

		// Characters outside U+0000-U+00FF: Organizations and resource
		// policies are not held to IAM's pattern. [DOC] Organizations
		// CreatePolicy Content pattern; IAM's pattern is per IAM API.
		{"non-latin1-resource-policy", Resource, parseV12(`{"Sid":"Zugriff für Prüfer ✓","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/€/*"}`)},
		{"non-latin1-scp", SCP, parseV12(`{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket/日本/*"}`)},
		{"non-latin1-rcp", RCP, parseV12(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/€/*"}`)},
	} {
		t.Run(tc.typ.String()+"/"+tc.name, func(t *testing.T) {
			p := parseMustSucceed(t, tc.doc, tc.typ)
			for _, f := range Validate(tc.doc, tc.typ) {
				require.Equal(t, SeverityWarning, f.Severity, "unexpected %v", f)
			}
			parseCheckSpans(t, tc.doc, p)
		})
	}
}

// TestParseDocumentFields checks that the Document holds the elements as
// written.
func TestParseDocumentFields(t *testing.T) {
	doc := `{"Version":"2012-10-17","Id":"P1","Statement":[` +
		`{"Sid":"One","Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:user/a"],"Service":"s3.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","*"],"Condition":{"NumericLessThan":{"s3:max-keys":[10,true]}}},` +
		`{"Effect":"Deny","NotPrincipal":"*","NotAction":["s3:PutObject"],"NotResource":"arn:aws:s3:::b"}` +
		`]}`
	p := parseMustSucceed(t, doc, Resource)
	d := p.Document
	require.Equal(t, Version2012, d.Version)
	require.Equal(t, "P1", d.ID)
	require.Equal(t, doc, d.Source)
	require.Len(t, d.Statements, 2)

	s := d.Statements[0]
	require.Equal(t, "One", s.Sid)
	require.Equal(t, Allow, s.Effect)
	require.False(t, s.NotPrincipal)
	require.Equal(t, &PrincipalSet{
		AWS:           []string{"123456789012", "arn:aws:iam::123456789012:user/a"},
		Service:       []string{"s3.amazonaws.com"},
		Federated:     []string{"cognito-identity.amazonaws.com"},
		CanonicalUser: []string{"abc"},
	}, s.Principal)
	require.Equal(t, []string{"s3:GetObject"}, s.Action)
	require.False(t, s.NotAction)
	require.Equal(t, []string{"arn:aws:s3:::b/*", "*"}, s.Resource)
	require.True(t, s.HasResource)
	require.Equal(t, []ConditionBlock{{Operator: "NumericLessThan", Keys: []ConditionKey{{Key: "s3:max-keys", Values: []string{"10", "true"}}}}}, s.Condition)

	s = d.Statements[1]
	require.Equal(t, Deny, s.Effect)
	require.True(t, s.NotPrincipal)
	require.Equal(t, &PrincipalSet{All: true}, s.Principal)
	require.True(t, s.NotAction)
	require.Equal(t, []string{"s3:PutObject"}, s.Action)
	require.True(t, s.NotResource)
	require.Equal(t, []string{"arn:aws:s3:::b"}, s.Resource)

	require.Equal(t, 0, p.Rules[0].Index)
	require.Equal(t, "One", p.Rules[0].Sid)
	require.Equal(t, Allow, p.Rules[0].Effect)
	require.Equal(t, 1, p.Rules[1].Index)
	require.Equal(t, Deny, p.Rules[1].Effect)

	// A trust policy has no Resource; the compiled rule says so.
	tp := parseMustSucceed(t, parseV12(parseTrustStmt), Trust)
	require.False(t, tp.Document.Statements[0].HasResource)
	require.Equal(t, &PrincipalSet{Service: []string{"ec2.amazonaws.com"}}, tp.Document.Statements[0].Principal)
}

// parseCheckSpans checks that each statement's span is its JSON object.
func parseCheckSpans(t *testing.T, doc string, p *Policy) {
	t.Helper()
	for i, s := range p.Document.Statements {
		require.GreaterOrEqual(t, s.Span.Start, 0)
		require.LessOrEqual(t, s.Span.End, len(doc))
		require.Less(t, s.Span.Start, s.Span.End)
		text := doc[s.Span.Start:s.Span.End]
		require.True(t, strings.HasPrefix(text, "{"), "statement %d span %v starts %q", i, s.Span, text)
		require.True(t, strings.HasSuffix(text, "}"), "statement %d span %v ends %q", i, s.Span, text)
		require.True(t, json.Valid([]byte(text)), "statement %d span %v is %q", i, s.Span, text)
		require.Equal(t, s.Span, p.Rules[i].Span)
	}
}

func TestParseStatementSpans(t *testing.T) {
	stmts := []string{
		`{"Sid":"First","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`,
		`{ "Sid" : "Second", "Effect" : "Deny", "Action" : [ "s3:PutObject" ], "Resource" : "*" , "Condition": {"StringEquals": {"aws:username": "}{"}} }`,
		`{"Sid":"Third","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/{x}"}`,
	}
	for _, tc := range []struct {
		name string
		doc  string
		want []string
	}{
		{"compact-array", parseV12(stmts...), stmts},
		{"spaced-array", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    " + strings.Join(stmts, " ,\n\t") + "\n  ]\n}\n", stmts},
		{"object", `{"Version":"2012-10-17","Statement":` + stmts[1] + `}`, stmts[1:2]},
		{"object-after-colon-and-space", "{\"Version\":\"2012-10-17\",\"Statement\" :\r\n " + stmts[0] + "}", stmts[:1]},
		{"latin1-before", `{"Id":"déjà vu","Version":"2012-10-17","Statement":[` + stmts[0] + `]}`, stmts[:1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parseMustSucceed(t, tc.doc, Identity)
			require.Len(t, p.Document.Statements, len(tc.want))
			for i, s := range p.Document.Statements {
				require.Equal(t, tc.want[i], tc.doc[s.Span.Start:s.Span.End], "statement %d", i)
			}
			parseCheckSpans(t, tc.doc, p)
		})
	}
}

func TestParseFindingSpans(t *testing.T) {
	t.Run("charset-points-at-character", func(t *testing.T) {
		doc := parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/€"}`)
		f := parseMustFail(t, doc, Identity).First()
		require.Equal(t, "€", doc[f.Span.Start:f.Span.End])
	})
	t.Run("sid-points-at-value", func(t *testing.T) {
		doc := parseV12(`{"Sid":"a-b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)
		f := parseMustFail(t, doc, Identity).First()
		require.Equal(t, `"a-b"`, doc[f.Span.Start:f.Span.End])
	})
	t.Run("missing-actions-points-at-statement", func(t *testing.T) {
		stmt := `{"Effect":"Allow","Resource":"*"}`
		doc := parseV12(stmt)
		f := parseMustFail(t, doc, Identity).First()
		require.Equal(t, stmt, doc[f.Span.Start:f.Span.End])
	})
}

// TestParseFindingOrder: AWS checks a document in a fixed order and reports
// the first fault it meets. Order: [EMU] moto IAMPolicyDocumentValidator.validate
// (syntax, version, legacy parsing, Sid uniqueness, actions present,
// resources present, resource format, action vendor); the size and
// character checks are API parameter constraints, applied before the
// document is read.
func TestParseFindingOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  Type
		doc  string
		want []string // error messages, first is AWS's
	}{
		{"syntax-before-version", Identity,
			`{"Version":"2012-10-18","Statement":[` + parseIdentityStmt + `]}`,
			[]string{msgSyntax, msgVersion2012}},
		{"syntax-in-later-statement-before-legacy-in-first", Identity,
			parseV12(`{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}`, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Bogus":1}`),
			[]string{msgSyntax, msgLegacy}},
		{"version-before-legacy", Identity,
			`{"Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}`,
			[]string{msgVersion2012, msgLegacy}},
		{"legacy-before-sid", Identity,
			parseV12(`{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, `{"Sid":"A","Effect":"deny","Action":"s3:GetObject","Resource":"*"}`),
			[]string{msgLegacy, msgSidUnique}},
		{"sid-before-actions", Identity,
			parseV12(`{"Sid":"A","Effect":"Allow","Resource":"*"}`, `{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`),
			[]string{msgSidUnique, msgNeedActions}},
		{"actions-before-resources", Identity,
			parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`, `{"Effect":"Allow","Resource":"*"}`),
			[]string{msgNeedActions, msgNeedResources}},
		{"resources-before-resource-format", Identity,
			parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"bucket"}`, `{"Effect":"Allow","Action":"s3:GetObject"}`),
			[]string{msgNeedResources, `Resource bucket must be in ARN format or "*".`}},
		{"resource-format-before-action-vendor", Identity,
			parseV12(`{"Effect":"Allow","Action":"GetObject","Resource":"bucket"}`),
			[]string{`Resource bucket must be in ARN format or "*".`, msgVendorPrefix}},
		{"action-vendor-before-principal", Identity,
			parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:Get:Object","Resource":"*"}`),
			[]string{msgOneColon, msgNoPrincipal}},
		{"trust-resource-before-missing-principal", Trust,
			parseV12(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`),
			[]string{"Has prohibited field Resource", msgTrustNoPrincipal}},
		{"document-order-within-a-stage", Identity,
			parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"first"}`, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"second"}`),
			[]string{`Resource first must be in ARN format or "*".`, `Resource second must be in ARN format or "*".`}},
		{"statement-order-within-a-stage", Identity,
			parseV12(`{"Effect":"Allow","Action":"GetObject","Resource":"*"}`, `{"Effect":"Allow","Action":"a:b:c","Resource":"*"}`),
			[]string{msgVendorPrefix, msgOneColon}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			perr := parseMustFail(t, tc.doc, tc.typ)
			require.Equal(t, tc.want[0], perr.First().Message)
			require.Equal(t, tc.want, parseErrorMessages(perr.Findings))
			require.Equal(t, tc.want, parseErrorMessages(Validate(tc.doc, tc.typ)))
		})
	}
}

// parseSizeCase is one document at, or one character over, a type's limit.
type parseSizeCase struct {
	name string
	typ  Type
	doc  string
	ok   bool
	code string
	msg  string
}

// parseSizedDoc returns a valid document of type typ whose size, as AWS
// counts it for typ, is exactly size; pad is inserted between tokens as
// white space that IAM does not count.
func parseSizedDoc(typ Type, size int, space string) string {
	tmpl := `{"Version":"2012-10-17",` + space + `"Statement":[{"Sid":"%s","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	switch typ {
	case Resource:
		tmpl = `{"Version":"2012-10-17",` + space + `"Statement":[{"Sid":"%s","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`
	case Trust:
		tmpl = `{"Version":"2012-10-17",` + space + `"Statement":[{"Sid":"%s","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	case RCP:
		tmpl = `{"Version":"2012-10-17",` + space + `"Statement":[{"Sid":"%s","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`
	}
	return parsePadTo(tmpl, typ, size)
}

// parsePadTo fills the %s of tmpl with letters so that the document's size
// for typ is exactly size.
func parsePadTo(tmpl string, typ Type, size int) string {
	pad := size - Size(fmt.Sprintf(tmpl, ""), typ)
	if pad < 0 {
		panic(fmt.Sprintf("size %d is below the template's", size))
	}
	doc := fmt.Sprintf(tmpl, strings.Repeat("a", pad))
	if Size(doc, typ) != size {
		panic(fmt.Sprintf("built a document of size %d, want %d", Size(doc, typ), size))
	}
	return doc
}

// parseSizeCases: the limits of the IAM quotas page ("IAM doesn't count white
// space when calculating the size of a policy"), [DOC] reference_iam-quotas;
// the Organizations quotas page (SCP and RCP: 5,120 characters, every
// character counted), [DOC] orgs_reference_limits. Messages: [OBS]
// "Cannot exceed quota for PolicySize: 6144" (hashicorp/terraform-provider-aws),
// "Cannot exceed quota for ACLSizePerRole: 2048" (aws-cdk), "Maximum policy
// size of 2048 bytes exceeded for user" (terraform-provider-aws).
func parseSizeCases() []parseSizeCase {
	var out []parseSizeCase
	add := func(typ Type, limit int, code, msg string) {
		at := parseSizedDoc(typ, limit, "")
		over := parseSizedDoc(typ, limit+1, "")
		out = append(out,
			parseSizeCase{name: "at-limit", typ: typ, doc: at, ok: true},
			parseSizeCase{name: "one-over", typ: typ, doc: over, code: code, msg: msg})
	}
	add(Identity, 6144, CodeLimitExceeded, "Cannot exceed quota for PolicySize: 6144")
	add(Boundary, 6144, CodeLimitExceeded, "Cannot exceed quota for PolicySize: 6144")
	add(InlineUser, 2048, CodeLimitExceeded, "Maximum policy size of 2048 bytes exceeded for user")
	add(InlineGroup, 5120, CodeLimitExceeded, "Maximum policy size of 5120 bytes exceeded for group")
	add(InlineRole, 10240, CodeLimitExceeded, "Maximum policy size of 10240 bytes exceeded for role")
	add(Trust, 2048, CodeLimitExceeded, "Cannot exceed quota for ACLSizePerRole: 2048")
	// Session: the Policy parameter's length constraint (2,048 characters,
	// white space included), reported as a ValidationError in AWS's format
	// for constraint violations; see TestParseSessionPolicySizeCountsEveryCharacter.
	add(Session, 2048, CodeValidationError, "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048")
	add(SCP, 5120, CodeOrgConstraint, "You have exceeded the maximum policy size.")
	add(RCP, 5120, CodeOrgConstraint, "You have exceeded the maximum policy size.")
	add(Resource, 20480, CodeLimitExceeded, "Cannot exceed quota for PolicySize: 20480")
	return out
}

func TestParseSizeLimits(t *testing.T) {
	for _, tc := range parseSizeCases() {
		t.Run(tc.typ.String()+"/"+tc.name, func(t *testing.T) {
			if tc.ok {
				parseMustSucceed(t, tc.doc, tc.typ)
				return
			}
			f := parseMustFail(t, tc.doc, tc.typ).First()
			if tc.code != "" {
				require.Equal(t, tc.code, f.Code)
			}
			require.Equal(t, tc.msg, f.Message)
			require.Empty(t, f.Path)
		})
	}
}

func TestParseSizeWhiteSpace(t *testing.T) {
	space := strings.Repeat(" \t\r\n", 500) // 2,000 characters of white space
	for _, tc := range []struct {
		typ Type
		ok  bool
	}{
		// IAM does not count white space. [DOC] reference_iam-quotas.
		{Identity, true}, {Boundary, true}, {InlineUser, true}, {InlineGroup, true},
		{InlineRole, true}, {Trust, true}, {Resource, true},
		// Organizations counts every character. [DOC] orgs_reference_limits
		// ("counts ... including white space"): an SCP at the limit with
		// white space added is over it.
		{SCP, false}, {RCP, false},
	} {
		t.Run(tc.typ.String(), func(t *testing.T) {
			doc := parseSizedDoc(tc.typ, MaxSize(tc.typ), "")
			doc = strings.Replace(doc, ",", ","+space, 1)
			if tc.ok {
				require.Equal(t, MaxSize(tc.typ), Size(doc, tc.typ))
				parseMustSucceed(t, doc, tc.typ)
				return
			}
			require.Greater(t, Size(doc, tc.typ), MaxSize(tc.typ))
			f := parseMustFail(t, doc, tc.typ).First()
			require.Equal(t, CodeOrgConstraint, f.Code)
		})
	}
}

// TestParseSessionPolicySizeCountsEveryCharacter: a session policy is the
// Policy parameter of AssumeRole*, GetFederationToken: "The plaintext that
// you use for both inline and managed session policies can't exceed 2,048
// characters" and the parameter has "Length Constraints: Maximum length of
// 2048" (STS API Reference, AssumeRole, Request Parameters; the Kotlin SDK
// AssumeRoleRequest.policy docs). An API length constraint counts every
// character, white space included, and its violation is a ValidationError;
// PackedPolicyTooLarge is the separate limit of the packed binary form
// ("Your request can fail for this limit even if your plaintext meets the
// other requirements").
func TestParseSessionPolicySizeCountsEveryCharacter(t *testing.T) {
	// 2,000 characters that are not white space, and 100 spaces.
	doc := parseSizedDoc(InlineRole, 2000, strings.Repeat(" ", 100))
	require.Greater(t, len(doc), 2048)
	f := parseMustFail(t, doc, Session).First()
	require.Equal(t, CodeValidationError, f.Code)
}

func TestParseSizeCountsCharactersNotBytes(t *testing.T) {
	// é is two bytes in UTF-8 and one character.
	tmpl := `{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/éééé"}]}`
	for _, typ := range []Type{InlineUser, SCP} {
		t.Run(typ.String(), func(t *testing.T) {
			doc := parsePadTo(tmpl, typ, MaxSize(typ))
			require.Greater(t, len(doc), MaxSize(typ))
			parseMustSucceed(t, doc, typ)
		})
	}
}

func TestParseSizeError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		typ    Type
		total  int
		entity string
		msg    string // "" when within the limit
	}{
		{"user-at-limit", InlineUser, 2048, "alice", ""},
		{"user-over", InlineUser, 2049, "alice", "Maximum policy size of 2048 bytes exceeded for user alice"},
		{"group-at-limit", InlineGroup, 5120, "admins", ""},
		{"group-over", InlineGroup, 5121, "admins", "Maximum policy size of 5120 bytes exceeded for group admins"},
		{"role-at-limit", InlineRole, 10240, "ci", ""},
		{"role-over", InlineRole, 20000, "ci", "Maximum policy size of 10240 bytes exceeded for role ci"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := SizeError(tc.typ, tc.total, tc.entity)
			if tc.msg == "" {
				require.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			require.Equal(t, CodeLimitExceeded, err.First().Code)
			require.Equal(t, tc.msg, err.First().Message)
			require.Equal(t, CodeLimitExceeded+": "+tc.msg+" ("+strconv.Itoa(tc.total)+" characters, the limit is "+strconv.Itoa(MaxSize(tc.typ))+")", err.Error())
		})
	}
}

// TestParseSizeCheckedFirst: an oversized document is refused for its size
// without being read, however broken it is, and quickly.
func TestParseSizeCheckedFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*","Action":[`)
	for i := range 1_000_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"s3:GetObject"`)
	}
	b.WriteString(`]}]} trailing garbage {{{`)
	doc := b.String()

	for _, typ := range []Type{Identity, Resource, SCP, Session} {
		t.Run(typ.String(), func(t *testing.T) {
			start := time.Now()
			perr := parseMustFail(t, doc, typ)
			require.Less(t, time.Since(start), 2*time.Second)
			require.Len(t, perr.Findings, 1, "only the size error: the document is not parsed")
			require.Equal(t, sizeCode(typ), perr.First().Code)
			require.Equal(t, sizeMessage(typ, MaxSize(typ), ""), perr.First().Message)
		})
	}
}

func TestParseDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)
	for _, tc := range []struct {
		name string
		typ  Type
		doc  string
	}{
		{"array-as-id", Resource, `{"Version":"2012-10-17","Id":` + deep + `,"Statement":[` + parseResourceStmt + `]}`},
		{"array-as-condition-value", Resource, parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":` + deep + `}}}`)},
		{"unclosed", Resource, `{"Id":` + strings.Repeat("[", 20_000)},
		{"objects", Resource, strings.Repeat(`{"a":`, 3000) + "1" + strings.Repeat("}", 3000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.LessOrEqual(t, Size(tc.doc, tc.typ), MaxSize(tc.typ), "the size check must not hide the depth check")
			start := time.Now()
			f := parseMustFail(t, tc.doc, tc.typ).First()
			require.Less(t, time.Since(start), time.Second)
			require.Equal(t, CodeMalformed, f.Code)
			require.Equal(t, msgSyntax, f.Message)
		})
	}
	t.Run("legitimate-depth", func(t *testing.T) {
		// Document, Statement array, statement, Condition, operator block,
		// value array: six levels parse.
		parseMustSucceed(t, parseCond(`{"StringEquals":{"aws:username":["a","b"]}}`), Identity)
	})
}

// TestParseCharset: IAM's API parameters for policy documents have the
// pattern [\u0009\u000A\u000D\u0020-\u00FF]+ ([DOC] CreatePolicy,
// PutUserPolicy, CreateRole, AssumeRole API references: "The regex pattern
// used to validate this parameter is a string of characters consisting of
// ... through \u00FF ... tab, line feed, and carriage return").
func TestParseCharset(t *testing.T) {
	bad := []struct {
		name string
		s    string
	}{
		{"euro-sign", "€"},
		{"cjk", "日本"},
		{"emoji", "😀"},
		{"latin-extended", "ő"},
		{"nul", "\x00"},
		{"escape", "\x1b"},
		{"vertical-tab", "\v"},
		{"form-feed", "\f"},
		{"invalid-utf8", "\xff"},
	}
	docFor := func(typ Type, s string) string {
		cond := `"Condition":{"StringEquals":{"aws:PrincipalTag/team":"` + s + `"}}`
		switch typ {
		case Trust:
			return parseV12(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",` + cond + `}`)
		case Resource:
			return parseV12(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*",` + cond + `}`)
		}
		return parseV12(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",` + cond + `}`)
	}
	for _, typ := range []Type{Identity, InlineUser, InlineGroup, InlineRole, Trust, Boundary, Session} {
		for _, c := range bad {
			t.Run(typ.String()+"/"+c.name, func(t *testing.T) {
				doc := docFor(typ, c.s)
				f := parseMustFail(t, doc, typ).First()
				require.Equal(t, CodeValidationError, f.Code)
				require.Equal(t, msgCharset, f.Message)
				require.Empty(t, f.Path)
			})
		}
		t.Run(typ.String()+"/latin1-accepted", func(t *testing.T) {
			parseMustSucceed(t, docFor(typ, "Zürich ÿ ¡ \u00a0"), typ)
		})
		t.Run(typ.String()+"/tab-in-whitespace-accepted", func(t *testing.T) {
			parseMustSucceed(t, "\t"+docFor(typ, "x")+"\r\n", typ)
		})
	}
	t.Run("charset-before-syntax", func(t *testing.T) {
		f := parseMustFail(t, `{"Version": "€`, Identity).First()
		require.Equal(t, CodeValidationError, f.Code)
	})
	// Resource policies and Organizations policies are not IAM parameters.
	for _, typ := range []Type{Resource, SCP} {
		t.Run(typ.String()+"/euro-accepted", func(t *testing.T) {
			parseMustSucceed(t, docFor(typ, "€ 日本 😀"), typ)
		})
	}
}

// TestParseWarnings: findings that do not stop AWS from accepting a
// document. Parse succeeds and keeps them.
func TestParseWarnings(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  Type
		doc  string
		path string
	}{
		// [DOC] reference_policies_elements_version: without Version, AWS
		// applies 2008-10-17 and policy variables are plain text.
		{"missing-version", InlineUser, `{"Statement":` + parseIdentityStmt + `}`, "Version"},
		{"missing-version-trust", Trust, `{"Statement":` + parseTrustStmt + `}`, "Version"},
		// [DOC] reference_policies_condition-single-vs-multi-valued-context-keys:
		// ForAllValues with Allow is true when the key is missing.
		{"for-all-values-allow", Identity, parseCond(`{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`), "Statement[0].Condition.ForAllValues:StringEquals.aws:TagKeys"},
		// [DOC] reference_policies_variables: variables need Version 2012-10-17.
		{"variable-in-2008-policy", InlineUser, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}}`, "Statement.Resource[0]"},
		{"variable-without-version", InlineRole, `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]}`, "Version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parseMustSucceed(t, tc.doc, tc.typ)
			require.NotEmpty(t, p.Warnings)
			var paths []string
			for _, w := range p.Warnings {
				require.Equal(t, SeverityWarning, w.Severity)
				require.NotEmpty(t, w.Message)
				require.Equal(t, "warning", w.Severity.String())
				paths = append(paths, w.Path)
			}
			require.Contains(t, paths, tc.path)
			require.Equal(t, p.Warnings, Validate(tc.doc, tc.typ))
		})
	}
	t.Run("no-warning-for-clean-policy", func(t *testing.T) {
		p := parseMustSucceed(t, parseV12(parseIdentityStmt), Identity)
		require.Empty(t, p.Warnings)
		require.Empty(t, Validate(parseV12(parseIdentityStmt), Identity))
	})
	t.Run("for-all-values-deny-no-warning", func(t *testing.T) {
		p := parseMustSucceed(t, parseV12(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}`), Identity)
		require.Empty(t, p.Warnings)
	})
	t.Run("warnings-follow-errors", func(t *testing.T) {
		doc := `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"x","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"a"}}}]}`
		fs := Validate(doc, InlineUser)
		require.GreaterOrEqual(t, len(fs), 2)
		require.Equal(t, SeverityError, fs[0].Severity)
		seenWarning := false
		for _, f := range fs {
			if f.Severity == SeverityWarning {
				seenWarning = true
			} else {
				require.False(t, seenWarning, "an error after a warning: %v", fs)
			}
		}
		require.True(t, seenWarning)
		// Parse returns only the errors.
		perr := parseMustFail(t, doc, InlineUser)
		for _, f := range perr.Findings {
			require.Equal(t, SeverityError, f.Severity)
		}
	})
}

func TestParseTypeNames(t *testing.T) {
	for _, typ := range []Type{Identity, InlineUser, InlineGroup, InlineRole, Resource, Trust, Boundary, Session, SCP, RCP} {
		t.Run(typ.String(), func(t *testing.T) {
			got, err := ParseType(typ.String())
			require.NoError(t, err)
			require.Equal(t, typ, got)
			require.Positive(t, MaxSize(typ))
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := ParseType("managed")
		require.Error(t, err)
		require.Equal(t, "Type(99)", Type(99).String())
	})
}

func TestParseErrorType(t *testing.T) {
	t.Run("empty-error-first", func(t *testing.T) {
		e := &Error{}
		require.Equal(t, msgSyntax, e.First().Message)
		require.Equal(t, CodeMalformed, e.First().Code)
		require.Equal(t, "invalid policy", e.Error())
	})
	t.Run("detail-in-error-text", func(t *testing.T) {
		perr := parseMustFail(t, parseV12(`{"Effect":"Allow","Action":"s3:GetObject"}`), Identity)
		require.True(t, strings.HasPrefix(perr.Error(), "MalformedPolicyDocument: Policy statement must contain resources. ("), perr.Error())
		require.Contains(t, perr.First().String(), "error at Statement[0]: Policy statement must contain resources.")
	})
	t.Run("must-parse-panics", func(t *testing.T) {
		require.Panics(t, func() { MustParse(`{}`, Identity) })
		require.NotPanics(t, func() { MustParse(parseV12(parseIdentityStmt), Identity) })
	})
}

// The accepted-forms corpus: testdata/accepted/<type>--<name>.json holds
// real-world documents that AWS accepts as policies of <type>, each with a
// source in testdata/accepted/sources.json. Removing an accepted entry is a
// breaking change: a document that parsed before would be refused.
func TestParseAcceptedCorpus(t *testing.T) {
	var sources map[string]string
	raw, err := os.ReadFile(filepath.Join("testdata", "accepted", "sources.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &sources))

	files := parseCorpusFiles(t, "accepted")
	require.GreaterOrEqual(t, len(files), 30)
	typesSeen := map[Type]bool{}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			require.NotEmpty(t, sources[name], "%s has a source in sources.json", name)
			typName, _, ok := strings.Cut(name, "--")
			require.True(t, ok, "file name is <type>--<name>.json")
			typ, err := ParseType(typName)
			require.NoError(t, err)
			typesSeen[typ] = true
			doc := parseReadCorpus(t, "accepted", name)
			p := parseMustSucceed(t, doc, typ)
			for _, f := range Validate(doc, typ) {
				require.Equal(t, SeverityWarning, f.Severity, "unexpected %v", f)
			}
			parseCheckSpans(t, doc, p)
		})
	}
	for name := range sources {
		require.Contains(t, files, name, "sources.json names a file that does not exist")
	}
	require.Len(t, typesSeen, 10, "the corpus has documents of every type")
}

// parseRejectedExpect is an entry of testdata/rejected/expect.json.
type parseRejectedExpect struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
	Source  string `json:"source"`
}

// The rejected corpus: documents AWS refuses, with the error AWS returns
// in testdata/rejected/expect.json.
func TestParseRejectedCorpus(t *testing.T) {
	expect := parseRejectedExpectations(t)
	files := parseCorpusFiles(t, "rejected")
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			want, ok := expect[name]
			require.True(t, ok, "%s has an entry in expect.json", name)
			require.NotEmpty(t, want.Source)
			typ, err := ParseType(want.Type)
			require.NoError(t, err)
			f := parseMustFail(t, parseReadCorpus(t, "rejected", name), typ).First()
			require.Equal(t, want.Code, f.Code)
			require.Equal(t, want.Message, f.Message)
			require.Equal(t, want.Path, f.Path)
		})
	}
	for name := range expect {
		require.Contains(t, files, name, "expect.json names a file that does not exist")
	}
}

func parseRejectedExpectations(t testing.TB) map[string]parseRejectedExpect {
	var expect map[string]parseRejectedExpect
	raw, err := os.ReadFile(filepath.Join("testdata", "rejected", "expect.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &expect))
	return expect
}

// parseCorpusFiles lists the documents of testdata/<dir>, without the
// sidecar files.
func parseCorpusFiles(t testing.TB, dir string) []string {
	entries, err := os.ReadDir(filepath.Join("testdata", dir))
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".json") || n == "sources.json" || n == "expect.json" {
			continue
		}
		out = append(out, n)
	}
	return out
}

func parseReadCorpus(t testing.TB, dir, name string) string {
	raw, err := os.ReadFile(filepath.Join("testdata", dir, name))
	require.NoError(t, err)
	return string(raw)
}

// TestParseAWSManaged: an AWS managed policy's document is not held to
// the PolicySize quota of customer managed policies, but to every other
// rule of an identity policy.
func TestParseAWSManaged(t *testing.T) {
	actions := make([]string, 400)
	for i := range actions {
		actions[i] = fmt.Sprintf(`"ec2:DescribeSomething%03d"`, i)
	}
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Join(actions, ",") + `],"Resource":"*"}]}`
	require.Greater(t, Size(big, Identity), MaxSize(Identity))

	_, err := Parse(big, Identity)
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, CodeLimitExceeded, pe.First().Code)

	p, err := ParseAWSManaged(big)
	require.NoError(t, err)
	require.Equal(t, Identity, p.Type)
	require.Len(t, p.Rules, 1)

	_, err = ParseAWSManaged(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}`)
	require.Error(t, err, "an identity policy names no principal")
	_, err = ParseAWSManaged(`{"Statement":[`)
	require.Error(t, err)
}
