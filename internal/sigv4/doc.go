// Package sigv4 verifies requests signed with AWS Signature Version 4
// (AWS4-HMAC-SHA256), in both of its forms: the Authorization header and the
// presigned query string (X-Amz-Algorithm, X-Amz-Credential, ...).
//
// It owns the whole server-side decision "who signed this request, and is the
// signature good": parsing the Authorization header and the X-Amz-* query
// parameters, the clock window, the credential scope checks, the canonical
// request exactly as AWS builds it for non-S3 services, the string to sign,
// the signing-key derivation (with a bounded, concurrency-safe cache) and the
// constant-time comparison of the signature. Failures are *awserr.Error
// values carrying AWS's codes, HTTP statuses and wording.
//
// The package never touches the credential store. It gets secrets through a
// [KeyFunc] that the composition root supplies, and it never logs a secret or
// puts one into an error. It imports only the standard library and
// internal/awserr; it must not import store, iam, sts or api.
//
// References: [Create a signed AWS API request],
// [Authenticating Requests: Using Query Parameters], and the AWS signing test
// suite (awslabs/aws-c-auth tests/aws-signing-test-suite), which the tests run.
//
// [Create a signed AWS API request]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// [Authenticating Requests: Using Query Parameters]: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
package sigv4
