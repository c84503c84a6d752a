package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// parseAllTypes lists every policy type; a fuzz input picks one by index.
var parseAllTypes = []Type{Identity, InlineUser, InlineGroup, InlineRole, Resource, Trust, Boundary, Session, SCP, RCP}

func parseFuzzType(i uint8) Type { return parseAllTypes[int(i)%len(parseAllTypes)] }

// parseFuzzSeeds returns every document of the corpora and the table
// cases, with its type's index in parseAllTypes.
func parseFuzzSeeds(tb testing.TB) []struct {
	doc string
	typ uint8
} {
	index := func(t Type) uint8 {
		for i, x := range parseAllTypes {
			if x == t {
				return uint8(i)
			}
		}
		tb.Fatalf("unknown type %v", t)
		return 0
	}
	var out []struct {
		doc string
		typ uint8
	}
	add := func(doc string, t Type) {
		out = append(out, struct {
			doc string
			typ uint8
		}{doc, index(t)})
	}
	for _, name := range parseCorpusFiles(tb, "accepted") {
		typName, _, _ := strings.Cut(name, "--")
		t, err := ParseType(typName)
		if err != nil {
			tb.Fatal(err)
		}
		add(parseReadCorpus(tb, "accepted", name), t)
	}
	expect := parseRejectedExpectations(tb)
	for _, name := range parseCorpusFiles(tb, "rejected") {
		t, err := ParseType(expect[name].Type)
		if err != nil {
			tb.Fatal(err)
		}
		add(parseReadCorpus(tb, "rejected", name), t)
	}
	for _, tc := range parseErrorCases {
		add(tc.doc, tc.typ)
	}
	return out
}

// parseFuzzRequests are fixed requests every compiled rule is matched
// against: a user, a role session, an anonymous caller and a service.
func parseFuzzRequests() []*Request {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	ctx := func() Context {
		return NewContext(map[string][]string{
			"aws:SourceIp":                    {"203.0.113.7"},
			"aws:SecureTransport":             {"true"},
			"aws:MultiFactorAuthAge":          {"300"},
			"aws:TagKeys":                     {"env", "team"},
			"aws:RequestTag/env":              {"prod"},
			"s3:prefix":                       {"home/alice/"},
			"aws:SourceArn":                   {"arn:aws:sns:us-east-1:123456789012:topic"},
			"aws:TokenIssueTime":              {"2025-03-01T11:00:00Z"},
			"s3:x-amz-server-side-encryption": {"AES256"},
			"aws:RequestedRegion":             {"us-east-1"},
			"dynamodb:LeadingKeys":            {"alice"},
			"s3:max-keys":                     {"10"},
			"aws:PrincipalTag/team":           {"blue"},
			"saml:aud":                        {"https://signin.aws.amazon.com/saml"},
			"sts:ExternalId":                  {"12345"},
			"aws:ResourceTag/Owner":           {"alice"},
			"kms:EncryptionContext:team":      {"${aws:username}"},
		})
	}
	user := &Request{
		Principal: Principal{Type: PrincipalUser, ARN: "arn:aws:iam::123456789012:user/alice", Account: "123456789012", UserID: "AIDAEXAMPLE", Tags: map[string]string{"team": "blue"}},
		Action:    "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/file", Context: ctx(), Time: at,
	}
	session := &Request{
		Principal: Principal{Type: PrincipalAssumedRole, ARN: "arn:aws:sts::123456789012:assumed-role/Admin/alice", Account: "123456789012", RoleARN: "arn:aws:iam::123456789012:role/Admin", UserID: "AROAEXAMPLE:alice"},
		Action:    "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/ci", Context: ctx(), Time: at,
	}
	anon := &Request{Principal: Principal{Type: PrincipalAnonymous}, Action: "S3:GETOBJECT", Resource: "*", Context: ctx(), Time: at}
	svc := &Request{Principal: Principal{Type: PrincipalService, ARN: "sns.amazonaws.com"}, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-2:123456789012:MyQueue", Context: ctx(), Time: at}
	fed := &Request{Principal: Principal{Type: PrincipalWebIdentity, ARN: "cognito-identity.amazonaws.com"}, Action: "sts:AssumeRoleWithWebIdentity", Resource: "", Context: ctx(), Time: at}
	reqs := []*Request{user, session, anon, svc, fed}
	for _, r := range reqs {
		r.SetGlobalKeys()
	}
	return reqs
}

// FuzzParse: Parse never panics; a document it accepts parses again to the
// same rules, and every rule can be matched against a request.
func FuzzParse(f *testing.F) {
	for _, s := range parseFuzzSeeds(f) {
		f.Add(s.doc, s.typ)
	}
	reqs := parseFuzzRequests()
	f.Fuzz(func(t *testing.T, doc string, ti uint8) {
		typ := parseFuzzType(ti)
		p, err := Parse(doc, typ)
		fs := Validate(doc, typ)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || len(perr.Findings) == 0 {
				t.Fatalf("Parse returned %T %v, want a *policy.Error with findings", err, err)
			}
			if len(fs) == 0 || fs[0] != perr.First() {
				t.Fatalf("Validate's first finding %v differs from Parse's %v", fs, perr.First())
			}
			_ = perr.Error()
			return
		}
		for _, f := range fs {
			if f.Severity == SeverityError {
				t.Fatalf("Parse accepted a document Validate refuses: %v", f)
			}
		}
		if Size(doc, typ) > MaxSize(typ) {
			t.Fatalf("accepted a document of size %d over the %s limit %d", Size(doc, typ), typ, MaxSize(typ))
		}
		again, err := Parse(doc, typ)
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		if len(again.Rules) != len(p.Rules) || len(p.Rules) != len(p.Document.Statements) || len(p.Rules) == 0 {
			t.Fatalf("rules: %d then %d, for %d statements", len(p.Rules), len(again.Rules), len(p.Document.Statements))
		}
		for i, s := range p.Document.Statements {
			if s.Span.Start < 0 || s.Span.End > len(doc) || s.Span.Start >= s.Span.End ||
				doc[s.Span.Start] != '{' || doc[s.Span.End-1] != '}' {
				t.Fatalf("statement %d has span %v", i, s.Span)
			}
		}
		for _, r := range p.Rules {
			r.IndexKeys()
			r.ResourcePrefix()
			r.ConditionKeys()
			for _, req := range reqs {
				var missing []string
				prep := Prepare(req, false, &missing)
				r.Match(&prep)
				prep = Prepare(req, true, nil)
				r.Match(&prep)
				r.MatchAction(req.Action)
			}
		}
	})
}

// parseStrictCheck walks valid JSON with encoding/json's tokenizer and
// reports whether it has no duplicate object keys (compared decoded) and
// whether it nests at most maxDepth deep, counting as parseJSON does: the
// root value is at depth 0, its members or elements at depth 1.
func parseStrictCheck(data []byte) (noDup, shallow bool) {
	type frame struct {
		obj       bool
		keys      map[string]bool
		expectKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	noDup = true
	deepest := 0
	valueDone := func() {
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF, or a fault json.Valid already reported
		}
		d, isDelim := tok.(json.Delim)
		if len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].expectKey {
			top := stack[len(stack)-1]
			if isDelim && d == '}' {
				stack = stack[:len(stack)-1]
				valueDone()
				continue
			}
			k, _ := tok.(string)
			if top.keys[k] {
				noDup = false
			}
			top.keys[k] = true
			top.expectKey = false
			continue
		}
		if isDelim && d == ']' {
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		deepest = max(deepest, len(stack))
		switch {
		case isDelim && d == '[':
			stack = append(stack, &frame{})
		case isDelim && d == '{':
			stack = append(stack, &frame{obj: true, keys: map[string]bool{}, expectKey: true})
		default:
			valueDone()
		}
	}
	return noDup, deepest <= maxDepth
}

// FuzzParseJSONTree: parseJSON accepts exactly the documents that
// encoding/json accepts, except those with duplicate object keys or
// nested deeper than maxDepth, which it refuses.
func FuzzParseJSONTree(f *testing.F) {
	for _, s := range parseFuzzSeeds(f) {
		f.Add([]byte(s.doc))
	}
	for _, s := range []string{
		`{}`, `[]`, `1`, `-0.5e+10`, `"\u00e9\ud83d\ude00"`, `true`, `null`, `{"a":[1,{"b":null}]}`,
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `[1,]`, `{"a" 1}`, `{"a":1}}`, ` [ ] `, `"\xff"`,
		strings.Repeat("[", 40) + strings.Repeat("]", 40), strings.Repeat("[", 33) + strings.Repeat("]", 33),
		strings.Repeat("[", 32) + strings.Repeat("]", 32), `{"a":1} {"b":2}`, `01`, `1.`, `.5`, `[1 2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := parseJSON(data)
		valid := json.Valid(data)
		if err == nil {
			if !valid {
				t.Fatalf("parseJSON accepted %q, which encoding/json refuses", data)
			}
			if n == nil || n.start < 0 || n.end > len(data) || n.start >= n.end {
				t.Fatalf("root span [%d,%d) of %d bytes", n.start, n.end, len(data))
			}
			return
		}
		if !valid {
			return
		}
		noDup, shallow := parseStrictCheck(data)
		if noDup && shallow {
			t.Fatalf("parseJSON refused %q (%v), which is valid JSON without duplicate keys", data, err)
		}
	})
}

// TestParseJSONTreeDepth: nesting is refused past maxDepth, quickly and
// without exhausting the stack, however deep.
func TestParseJSONTreeDepth(t *testing.T) {
	for _, tc := range []struct {
		name  string
		depth int
		ok    bool
	}{
		{"at-limit", maxDepth + 1, true}, // depth counts from 0 at the root
		{"one-over", maxDepth + 2, false},
		{"ten-thousand", 10_000, false},
		{"one-million", 1_000_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(strings.Repeat("[", tc.depth) + strings.Repeat("]", tc.depth))
			start := time.Now()
			_, err := parseJSON(data)
			if time.Since(start) > time.Second {
				t.Fatalf("took %v", time.Since(start))
			}
			if tc.ok && err != nil {
				t.Fatalf("depth %d refused: %v", tc.depth, err)
			}
			if !tc.ok && err == nil {
				t.Fatalf("depth %d accepted", tc.depth)
			}
		})
	}
}
