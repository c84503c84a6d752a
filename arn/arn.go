package arn

import (
	"errors"
	"strings"
)

// ARN is a parsed Amazon Resource Name:
// arn:partition:service:region:account-id:resource.
//
// The resource part keeps everything after the fifth colon, colons
// included, because resource identifiers such as
// "function:my-fn:PROD" or "log-group:/a/b:*" contain them.
//
// [Amazon Resource Names (ARNs)]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// ErrMalformed is returned (wrapped) by [Parse] for text that is not an ARN.
var ErrMalformed = errors.New("arn: malformed ARN")

// Parse parses s as an ARN. It requires the "arn:" prefix, six colon-separated
// sections and non-empty partition, service and resource sections; region
// and account may be empty (as in S3 and IAM ARNs). It does not judge whether
// the service or partition exists.
func Parse(s string) (ARN, error) {
	var parts [5]string
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, malformed(s, `it does not start with "arn:"`)
	}
	for i := 1; i < 5; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return ARN{}, malformed(s, "it has fewer than six sections")
		}
		parts[i], rest = rest[:j], rest[j+1:]
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: rest}
	switch {
	case a.Partition == "":
		return ARN{}, malformed(s, "the partition is empty")
	case a.Service == "":
		return ARN{}, malformed(s, "the service is empty")
	case a.Resource == "":
		return ARN{}, malformed(s, "the resource is empty")
	}
	return a, nil
}

type parseError struct{ input, why string }

func (e *parseError) Error() string { return "arn: " + quote(e.input) + " is not an ARN: " + e.why }
func (e *parseError) Unwrap() error { return ErrMalformed }

func malformed(s, why string) error { return &parseError{input: s, why: why} }

func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "…"
	}
	return `"` + s + `"`
}

// String returns the ARN's canonical text.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// IsARN reports whether s parses as an ARN.
func IsARN(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// Split cuts s at its first five colons into the six sections of an ARN
// without allocating. ok is false if s has fewer than five colons.
func Split(s string) (sections [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return sections, false
		}
		sections[i], s = s[:j], s[j+1:]
	}
	sections[5] = s
	return sections, true
}

// IsAccountID reports whether s is an AWS account id: exactly 12 decimal
// digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
