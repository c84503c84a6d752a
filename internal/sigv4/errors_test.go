package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
)

const (
	tAKID   = "AKIAIOSFODNN7EXAMPLE"
	tSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tBody   = "Action=GetUser&Version=2010-05-08"
)

func testVerifier(now time.Time) *Verifier {
	return New(Config{
		Keys:     staticKeys(map[string]staticKey{tAKID: {tSecret, ""}, "ASIATEMP": {"tempsecret", "tok"}}),
		Now:      fixedNow(now),
		Services: []string{"iam", "sts"},
	})
}

func TestErrors(t *testing.T) {
	good := func(t *testing.T) *http.Request { return signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody)) }
	authz := func(r *http.Request) string { return r.Header.Get("Authorization") }
	withAuthz := func(t *testing.T, f func(string) string) *http.Request {
		r := good(t)
		r.Header.Set("Authorization", f(authz(r)))
		return r
	}
	skew := "5 min."
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		now    time.Time
		body   string
		code   string
		status int
		msg    string
	}{
		{
			name: "no authentication", code: "MissingAuthenticationToken", status: 403,
			msg: "Request is missing Authentication Token",
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Del("Authorization")
				return r
			},
		},
		{
			name: "header and query forms together", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.RequestURI = "/?X-Amz-Signature=00"
				return r
			},
		},
		{
			name: "two Authorization headers", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Add("Authorization", authz(r))
				return r
			},
		},
		{
			name: "not SigV4 at all", code: "IncompleteSignature", status: 400,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
			req: func(t *testing.T) *http.Request { return withAuthz(t, func(string) string { return "Bearer abc" }) },
		},
		{
			name: "no date", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Del("X-Amz-Date")
				return r
			},
			msg: "", // checked below: ends with the date requirement and the header
		},
		{
			name: "missing equal sign", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string { return strings.Replace(s, "Credential=", "Credential ", 1) })
			},
		},
		{
			name: "unsupported algorithm", code: "IncompleteSignature", status: 400,
			msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string { return strings.Replace(s, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1) })
			},
		},
		{
			name: "credential with four elements", code: "IncompleteSignature", status: 400,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + tAKID + "/20260301/us-east-1/iam'",
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string { return strings.Replace(s, "/iam/aws4_request", "/iam", 1) })
			},
		},
		{
			name: "bad terminator", code: "SignatureDoesNotMatch", status: 403,
			msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requesx'.",
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string { return strings.Replace(s, "aws4_request", "aws4_requesx", 1) })
			},
		},
		{
			name: "wrong service", code: "SignatureDoesNotMatch", status: 403,
			msg: "Credential should be scoped to correct service: 'iam' or 'sts'. ",
			req: func(t *testing.T) *http.Request { return signedPost(t, tAKID, tSecret, "", "s3", []byte(tBody)) },
		},
		{
			name: "scope date differs from X-Amz-Date", code: "SignatureDoesNotMatch", status: 403,
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260302' != '20260301', from '20260301T120000Z'.",
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string { return strings.Replace(s, "/20260301/", "/20260302/", 1) })
			},
		},
		{
			name: "malformed X-Amz-Date", code: "IncompleteSignature", status: 400,
			msg: "Date must be in ISO-8601 'basic format'. Got '2026-03-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Set("X-Amz-Date", "2026-03-01T12:00:00Z")
				return r
			},
		},
		{
			name: "host not signed", code: "IncompleteSignature", status: 400,
			msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string {
					return strings.Replace(s, "content-type;host;x-amz-date", "content-type;x-amz-date", 1)
				})
			},
		},
		{
			name: "signed headers unsorted", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				return withAuthz(t, func(s string) string {
					return strings.Replace(s, "content-type;host;x-amz-date", "host;content-type;x-amz-date", 1)
				})
			},
		},
		{
			name: "clock 5m01s behind", code: "SignatureDoesNotMatch", status: 403,
			now: benchTime.Add(5*time.Minute + time.Second),
			msg: "Signature expired: 20260301T120000Z is now earlier than 20260301T120001Z (20260301T120501Z - " + skew + ")",
			req: good,
		},
		{
			name: "clock 5m01s ahead", code: "SignatureDoesNotMatch", status: 403,
			now: benchTime.Add(-5*time.Minute - time.Second),
			msg: "Signature not yet current: 20260301T120000Z is still later than 20260301T115959Z (20260301T115459Z + " + skew + ")",
			req: good,
		},
		{
			name: "unknown access key", code: "InvalidClientTokenId", status: 403,
			msg: "The security token included in the request is invalid.",
			req: func(t *testing.T) *http.Request {
				return signedPost(t, "AKIAUNKNOWN", tSecret, "", "iam", []byte(tBody))
			},
		},
		{
			name: "wrong secret", code: "SignatureDoesNotMatch", status: 403, msg: msgSignatureDoesNotMatch,
			req: func(t *testing.T) *http.Request {
				return signedPost(t, tAKID, "not-the-secret", "", "iam", []byte(tBody))
			},
		},
		{
			name: "unsigned token replaced", code: "InvalidClientTokenId", status: 403,
			req: func(t *testing.T) *http.Request {
				r := signedPost(t, "ASIATEMP", "tempsecret", "tok", "sts", []byte(tBody))
				r.Header.Set("X-Amz-Security-Token", "other")
				return r
			},
		},
		{
			name: "signed token removed", code: "SignatureDoesNotMatch", status: 403,
			req: func(t *testing.T) *http.Request {
				r := signedPost(t, "ASIATEMP", "tempsecret", "tok", "sts", []byte(tBody))
				r.Header.Del("X-Amz-Security-Token")
				return r
			},
		},
		{
			name: "tampered body", code: "SignatureDoesNotMatch", status: 403, msg: msgSignatureDoesNotMatch,
			body: "Action=GetUser&Version=2010-05-08&UserName=root", req: good,
		},
		{
			name: "UNSIGNED-PAYLOAD", code: "IncompleteSignature", status: 400,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
				return r
			},
		},
		{
			name: "mismatching X-Amz-Content-Sha256", code: "SignatureDoesNotMatch", status: 403, msg: msgSignatureDoesNotMatch,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Set("X-Amz-Content-Sha256", strings.Repeat("0", 64))
				return r
			},
		},
		{
			name: "signed header absent", code: "SignatureDoesNotMatch", status: 403,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.Header.Del("Content-Type")
				return r
			},
		},
		{
			name: "malformed query", code: "MalformedQueryString", status: 404,
			req: func(t *testing.T) *http.Request {
				r := good(t)
				r.RequestURI = "/?a=%zz"
				return r
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = benchTime
			}
			body := tBody
			if tc.body != "" {
				body = tc.body
			}
			r := tc.req(t)
			_, err := testVerifier(now).Verify(context.Background(), r, []byte(body))
			requireAWSError(t, err, tc.code, tc.status, tc.msg)
			require.NotContains(t, err.Error(), tSecret)
			require.NotContains(t, err.Error(), dummySecret)
		})
	}
}

func TestNoDateMessage(t *testing.T) {
	r := signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody))
	r.Header.Del("X-Amz-Date")
	_, err := testVerifier(benchTime).Verify(context.Background(), r, []byte(tBody))
	requireAWSError(t, err, "IncompleteSignature", 400,
		"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="+r.Header.Get("Authorization"))
}

func TestClockWindow(t *testing.T) {
	r := signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody))
	for _, tc := range []struct {
		name string
		d    time.Duration
		ok   bool
	}{
		{"behind 4m59s", 4*time.Minute + 59*time.Second, true},
		{"ahead 4m59s", -4*time.Minute - 59*time.Second, true},
		{"behind 5m01s", 5*time.Minute + time.Second, false},
		{"ahead 5m01s", -5*time.Minute - time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testVerifier(benchTime.Add(tc.d)).Verify(context.Background(), r, []byte(tBody))
			if tc.ok {
				require.NoError(t, err)
			} else {
				requireAWSError(t, err, "SignatureDoesNotMatch", 403, "")
			}
		})
	}
}

// presigned returns a server-side presigned GET with the given extra query.
func presigned(t *testing.T, expires string) *http.Request {
	t.Helper()
	q := url.Values{
		"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"},
		"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Credential": {tAKID + "/20260301/us-east-1/sts/aws4_request"},
		"X-Amz-Date": {"20260301T120000Z"}, "X-Amz-SignedHeaders": {"host"},
	}
	signExpires := expires
	if n, err := strconv.Atoi(expires); expires != "" && (err != nil || n < 1 || n > MaxExpires) {
		signExpires = "900" // invalid values are rejected before the signature
	}
	if signExpires != "" {
		q.Set("X-Amz-Expires", signExpires)
	}
	r := &http.Request{Method: "GET", Host: "sts.amazonaws.com", Header: http.Header{}, URL: &url.URL{Path: "/"}}
	r.RequestURI = "/?" + q.Encode()
	// Sign it with our own canonicalizer: the SDK path is covered elsewhere.
	v := testVerifier(benchTime)
	s := newScratch()
	rq := request{method: "GET", rawPath: "/", presigned: true}
	require.NoError(t, parseQuery(r.RequestURI[2:], s))
	var res Result
	require.NoError(t, v.parseQueryFormNoClock(findQueryAuth(s), s, &rq, &res))
	require.NoError(t, payloadHash(r, nil, &rq))
	require.NoError(t, buildCanonical(r, &rq, s, true))
	sk := newSigningKey(deriveKey(tSecret, "20260301", "us-east-1", "sts"))
	sig := signature(&rq, s, sk)
	r.RequestURI += "&X-Amz-Signature=" + string(sig[:])
	if signExpires != expires {
		r.RequestURI = strings.Replace(r.RequestURI, "X-Amz-Expires=900", "X-Amz-Expires="+url.QueryEscape(expires), 1)
	}
	return r
}

// parseQueryFormNoClock parses the query form with a clock that accepts it.
func (v *Verifier) parseQueryFormNoClock(qa queryAuth, s *scratch, rq *request, res *Result) error {
	qa.signature = qa.algorithm // not yet signed: any index will do
	save := v.now
	defer func() { v.now = save }()
	v.now = fixedNow(benchTime)
	return v.parseQueryForm(qa, s, rq, res)
}

func TestPresignedExpiry(t *testing.T) {
	for _, tc := range []struct {
		name, expires string
		now           time.Duration
		code          string
		msg           string
	}{
		{"valid", "900", 900 * time.Second, "", ""},
		{"expired", "900", 901 * time.Second, "RequestExpired", "Request has expired."},
		{"week", "604800", 604800 * time.Second, "", ""},
		{"over a week", "604801", time.Second, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
		{"negative", "-1", time.Second, "AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative"},
		{"zero", "0", 0, "AuthorizationQueryParametersError", "X-Amz-Expires must be greater than 0"},
		{"not a number", "1h", time.Second, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number"},
		{"no expires, inside skew", "", 4 * time.Minute, "", ""},
		{"no expires, outside skew", "", 6 * time.Minute, "SignatureDoesNotMatch", ""},
		{"in the future", "900", -6 * time.Minute, "SignatureDoesNotMatch", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := presigned(t, tc.expires)
			res, err := testVerifier(benchTime.Add(tc.now)).Verify(context.Background(), r, nil)
			if tc.code == "" {
				require.NoError(t, err)
				require.True(t, res.Presigned)
				require.Equal(t, "sts", res.Service)
				return
			}
			requireAWSError(t, err, tc.code, map[string]int{"RequestExpired": 400, "AuthorizationQueryParametersError": 400, "SignatureDoesNotMatch": 403}[tc.code], tc.msg)
		})
	}
	t.Run("incomplete", func(t *testing.T) {
		r := presigned(t, "900")
		r.RequestURI = strings.Replace(r.RequestURI, "X-Amz-SignedHeaders=host&", "", 1)
		_, err := testVerifier(benchTime).Verify(context.Background(), r, nil)
		requireAWSError(t, err, "AuthorizationQueryParametersError", 400, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
	})
	t.Run("repeated parameter", func(t *testing.T) {
		r := presigned(t, "900")
		r.RequestURI += "&X-Amz-Date=20260301T120000Z"
		_, err := testVerifier(benchTime).Verify(context.Background(), r, nil)
		requireAWSError(t, err, "AuthorizationQueryParametersError", 400, "")
	})
}

// TestKeyLookupFailure: a store failure is not an AWS error and is wrapped.
func TestKeyLookupFailure(t *testing.T) {
	boom := errors.New("store down")
	v := New(Config{Keys: func(context.Context, string, string) (Key, error) { return Key{}, boom }, Now: fixedNow(benchTime)})
	_, err := v.Verify(context.Background(), signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody)), []byte(tBody))
	require.ErrorIs(t, err, boom)
	var ae *awserr.Error
	require.False(t, errors.As(err, &ae))
}

// TestSecretRotation: a changed secret never reuses a cached signing key.
func TestSecretRotation(t *testing.T) {
	secret := tSecret
	v := New(Config{Keys: func(context.Context, string, string) (Key, error) { return Key{Secret: secret}, nil }, Now: fixedNow(benchTime)})
	r := signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody))
	_, err := v.Verify(context.Background(), r, []byte(tBody))
	require.NoError(t, err)
	secret = "rotated"
	_, err = v.Verify(context.Background(), r, []byte(tBody))
	requireAWSError(t, err, "SignatureDoesNotMatch", 403, msgSignatureDoesNotMatch)
}

// TestDateHeader: a request dated by Date instead of X-Amz-Date.
func TestDateHeader(t *testing.T) {
	r := signedPost(t, tAKID, tSecret, "", "iam", []byte(tBody))
	r.Header.Del("X-Amz-Date")
	r.Header.Set("Date", benchTime.Format(http.TimeFormat))
	// Re-sign by hand: canonical request over the Date header.
	v := testVerifier(benchTime)
	ah, err := parseAuthorization(r.Header.Get("Authorization"))
	require.NoError(t, err)
	ah.SignedHeaders = "content-type;date;host"
	ah.Signature = strings.Repeat("0", 64)
	r.Header.Set("Authorization", ah.String())
	s := newScratch()
	var rq request
	var res Result
	rq.method, rq.rawPath = r.Method, "/"
	require.NoError(t, v.parseHeaderForm(r, ah.String(), &rq, &res))
	require.NoError(t, payloadHash(r, []byte(tBody), &rq))
	require.NoError(t, buildCanonical(r, &rq, s, true))
	sk := newSigningKey(deriveKey(tSecret, "20260301", "us-east-1", "iam"))
	sig := signature(&rq, s, sk)
	ah.Signature = string(sig[:])
	r.Header.Set("Authorization", ah.String())
	got, err := v.Verify(context.Background(), r, []byte(tBody))
	require.NoError(t, err)
	require.True(t, got.Time.Equal(benchTime))
	require.Equal(t, []string{"content-type", "date", "host"}, got.SignedHeaders)
}

// TestConstantTimeCompare guards the comparison: the signature check must
// go through hmac.Equal, never == or bytes.Equal.
func TestConstantTimeCompare(t *testing.T) {
	src := readSource(t, "sigv4.go")
	require.Contains(t, src, "hmac.Equal(got[:], sig[:])")
	for _, bad := range []string{"bytes.Equal(got", "got == sig", "string(got[:]) ==", "rq.signature =="} {
		require.NotContains(t, src, bad)
	}
}

// TestHMACFallback: the precomputed-state HMAC equals crypto/hmac, and so
// does the fallback.
func TestHMACFallback(t *testing.T) {
	k := deriveKey("secret", "20260301", "us-east-1", "iam")
	msg := []byte(strings.Repeat("string to sign ", 20))
	m := hmac.New(sha256.New, k[:])
	m.Write(msg)
	want := m.Sum(nil)
	s := newScratch()
	require.Equal(t, want, newSigningKey(k).mac(s, msg))
	plain := &signingKey{key: k}
	require.Equal(t, want, plain.mac(s, msg))
}

func TestParseAmzDate(t *testing.T) {
	for _, s := range []string{"20150830T123600Z", "20000229T000000Z", "19700101T000000Z", "20991231T235959Z", "00010101T000000Z"} {
		got, err := parseAmzDate(s)
		require.NoError(t, err, s)
		want, err := time.Parse(amzDateLayout, s)
		require.NoError(t, err)
		require.True(t, want.Equal(got), "%s: %v != %v", s, got, want)
		var b [16]byte
		formatAmzDate(&b, got)
		require.Equal(t, s, string(b[:]))
	}
	for _, s := range []string{"20150230T123600Z", "21000229T000000Z", "20150830T243600Z", "20150830T126000Z", "20150830T123660Z", "2015083OT123600Z", "20150830 123600Z", "20151330T123600Z", "20150800T123600Z", "-0150830T123600Z"} {
		_, err := parseAmzDate(s)
		require.Error(t, err, s)
	}
}
