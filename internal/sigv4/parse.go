package sigv4

import (
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
)

// authorization is the parsed Authorization header:
// "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=hex". Absent parts are "".
type authorization struct {
	Credential    string
	SignedHeaders string
	Signature     string
}

// String renders a in the form the AWS SDKs send.
func (a authorization) String() string {
	return algorithm + " Credential=" + a.Credential + ", SignedHeaders=" + a.SignedHeaders + ", Signature=" + a.Signature
}

// parseAuthorization parses an Authorization header value without
// allocating on success. A header that is not AWS4-HMAC-SHA256 at all comes
// back empty, so that the caller reports every missing part as AWS does.
func parseAuthorization(h string) (authorization, error) {
	if a, ok := parseSDKAuthorization(h); ok {
		return a, nil
	}
	return parseAuthorizationParams(h)
}

// parseAuthorizationParams is the general parser: parameters in any order,
// separated by commas, with spaces around them.
func parseAuthorizationParams(h string) (authorization, error) {
	var a authorization
	alg, rest, _ := strings.Cut(h, " ")
	if alg != algorithm {
		if strings.HasPrefix(alg, "AWS4-") {
			return a, errUnsupportedAlgorithm(alg)
		}
		return authorization{}, nil
	}
	for rest != "" {
		part := rest
		if i := strings.IndexByte(rest, ','); i >= 0 {
			part, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		for part != "" && part[0] == ' ' {
			part = part[1:]
		}
		for part != "" && part[len(part)-1] == ' ' {
			part = part[:len(part)-1]
		}
		if part == "" {
			continue
		}
		eq := strings.IndexByte(part, '=')
		if eq < 0 {
			return authorization{}, errMissingEqual(part, h)
		}
		k, val := strings.TrimRight(part[:eq], " "), strings.TrimLeft(part[eq+1:], " ")
		var dst *string
		switch k {
		case "Credential":
			dst = &a.Credential
		case "SignedHeaders":
			dst = &a.SignedHeaders
		case "Signature":
			dst = &a.Signature
		default:
			continue // AWS ignores parameters it does not know
		}
		if *dst != "" {
			return authorization{}, errDuplicateParam(k)
		}
		*dst = val
	}
	return a, nil
}

func errDuplicateParam(k string) *awserr.Error {
	return awserr.IncompleteSignature("Authorization header has more than one '%s' parameter.", k)
}

// parseSDKAuthorization parses the exact layout the AWS SDKs and CLI send,
// "AWS4-HMAC-SHA256 Credential=C, SignedHeaders=S, Signature=G", in one
// pass. It reports false for anything else, including values that the
// general parser would trim or find empty, so that where it succeeds its
// result is the general parser's.
func parseSDKAuthorization(h string) (authorization, bool) {
	const (
		cred   = algorithm + " Credential="
		signed = " SignedHeaders="
		sig    = " Signature="
	)
	var a authorization
	if !strings.HasPrefix(h, cred) {
		return a, false
	}
	rest := h[len(cred):]
	i := strings.IndexByte(rest, ',')
	if i < 0 {
		return a, false
	}
	a.Credential, rest = rest[:i], rest[i+1:]
	if !strings.HasPrefix(rest, signed) {
		return a, false
	}
	rest = rest[len(signed):]
	if i = strings.IndexByte(rest, ','); i < 0 {
		return a, false
	}
	a.SignedHeaders, rest = rest[:i], rest[i+1:]
	if !strings.HasPrefix(rest, sig) {
		return a, false
	}
	a.Signature = rest[len(sig):]
	if strings.IndexByte(a.Signature, ',') >= 0 {
		return a, false
	}
	for _, v := range [...]string{a.Credential, a.SignedHeaders, a.Signature} {
		if v == "" || v[0] == ' ' || v[len(v)-1] == ' ' {
			return a, false
		}
	}
	return a, true
}
