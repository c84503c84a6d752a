package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
)

// The AWS wording of the SigV4 failures. Where AWS's exact text for IAM/STS
// is not recorded, the comment says where the text comes from.

// msgSignatureDoesNotMatch is the text AWS returns when the recomputed
// signature differs from the one sent.
const msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

func errSignatureDoesNotMatch() *awserr.Error {
	return awserr.SignatureDoesNotMatch("%s", msgSignatureDoesNotMatch)
}

// errMissingAuth is returned when a request carries neither an Authorization
// header nor presigned query parameters.
func errMissingAuth() *awserr.Error {
	return awserr.MissingAuthentication("Request is missing Authentication Token")
}

// errAuthHeaderIncomplete lists every missing piece of the Authorization
// header in AWS's order, followed by the header as sent.
// AWS behaviour: "Authorization header requires 'Credential' parameter.
// Authorization header requires 'Signature' parameter. ... Authorization=..."
// (recorded in aws/aws-sdk-ruby#317, brendanhay/amazonka#316).
func errAuthHeaderIncomplete(noCred, noSig, noSigned, noDate bool, header string) *awserr.Error {
	var b strings.Builder
	if noCred {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if noSig {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if noSigned {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if noDate {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	b.WriteString("Authorization=")
	b.WriteString(header)
	return awserr.IncompleteSignature("%s", b.String())
}

// AWS behaviour: "'<pair>' not a valid key=value pair (missing equal-sign) in
// Authorization header: '<header>'." (recorded in iann0036/cloud9-sync#10).
func errMissingEqual(pair, header string) *awserr.Error {
	return awserr.IncompleteSignature("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", pair, header)
}

func errUnsupportedAlgorithm(alg string) *awserr.Error {
	return awserr.IncompleteSignature("Unsupported AWS 'algorithm': '%s'.", alg)
}

func errCredentialElements(cred string) *awserr.Error {
	return awserr.IncompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
}

func errTerminator(term string) *awserr.Error {
	return awserr.SignatureDoesNotMatch("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", term)
}

// AWS behaviour: "Credential should be scoped to correct service: 'batch'. "
// (recorded in cllunsford/aws-signing-proxy#25; the trailing space is AWS's).
func errService(want []string) *awserr.Error {
	return awserr.SignatureDoesNotMatch("Credential should be scoped to correct service: '%s'. ", strings.Join(want, "' or '"))
}

func errScopeDate(scopeDate, amzDate string) *awserr.Error {
	return awserr.SignatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", scopeDate, amzDate[:min(8, len(amzDate))], amzDate)
}

func errBadDate(got string) *awserr.Error {
	return awserr.IncompleteSignature("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", got)
}

// AWS behaviour: API Gateway words it "'Host' or ':authority' must be a
// 'SignedHeader' in the AWS Authorization." (aws/aws-sdk-php#2469); the code
// for IAM/STS is not recorded, IncompleteSignature is our choice.
func errHostNotSigned() *awserr.Error {
	return awserr.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

func errSignedHeadersMalformed(sh string) *awserr.Error {
	return awserr.IncompleteSignature("SignedHeaders must be a ';'-separated, sorted list of lower-case header names, got '%s'.", sh)
}

func errSignedHeaderMissing(name string) *awserr.Error {
	return awserr.SignatureDoesNotMatch("The request signature we calculated does not match the signature you provided. Signed header '%s' is not present in the request.", name)
}

// AWS behaviour: S3 answers "Only one auth mechanism allowed; ..." with
// InvalidArgument; IAM/STS is not recorded. IncompleteSignature is our code.
func errBothForms() *awserr.Error {
	return awserr.IncompleteSignature("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified")
}

func errDuplicateHeader(name string) *awserr.Error {
	return awserr.IncompleteSignature("Only one '%s' header is allowed.", name)
}

func errUnsignedPayload(v string) *awserr.Error {
	return awserr.IncompleteSignature("x-amz-content-sha256 value '%s' is not supported; the payload must be signed.", v)
}

// skewText renders a duration the way AWS does in its clock messages
// ("5 min."), falling back to seconds for odd windows.
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + " sec."
}

// AWS behaviour: "Signature expired: 20160117T015330Z is now earlier than
// 20160117T015332Z (20160117T015832Z - 5 min.)" with SignatureDoesNotMatch
// (convox/rack#235, aws/aws-cli#6676).
func errExpired(reqTime, now time.Time, skew time.Duration) *awserr.Error {
	return awserr.SignatureDoesNotMatch("Signature expired: %s is now earlier than %s (%s - %s)",
		reqTime.UTC().Format(amzDateLayout), now.Add(-skew).UTC().Format(amzDateLayout), now.UTC().Format(amzDateLayout), skewText(skew))
}

// errNotYetCurrent is the mirror image of errExpired for a clock ahead of ours.
func errNotYetCurrent(reqTime, now time.Time, skew time.Duration) *awserr.Error {
	return awserr.SignatureDoesNotMatch("Signature not yet current: %s is still later than %s (%s + %s)",
		reqTime.UTC().Format(amzDateLayout), now.Add(skew).UTC().Format(amzDateLayout), now.UTC().Format(amzDateLayout), skewText(skew))
}

// Presigned (query) form. AWS's S3 wording and code
// (AuthorizationQueryParametersError, 400) is recorded in minio/minio#5162,
// bryanjos/aws_auth#31 and aws/aws-cli#5464; IAM/STS wording is not recorded.
func errQueryParams(format string, a ...any) *awserr.Error {
	return awserr.New("AuthorizationQueryParametersError", http.StatusBadRequest, format, a...)
}

func errQueryIncomplete() *awserr.Error {
	return errQueryParams("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
}

func errPresignExpired() *awserr.Error {
	return awserr.RequestExpired("Request has expired.")
}

func errMalformedQuery() *awserr.Error {
	return awserr.MalformedQueryString("The query string is not a valid percent-encoded string.")
}
