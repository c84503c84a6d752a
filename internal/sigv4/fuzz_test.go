package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request,SignedHeaders=host,Signature=00",
		"AWS4-HMAC-SHA256 Credential=x, Credential=y",
		"AWS4-HMAC-SHA256 Credential x",
		"AWS4-HMAC-SHA512 Credential=x",
		"Bearer token",
		"AWS AKIA:sig",
		"",
		"AWS4-HMAC-SHA256 ",
		"AWS4-HMAC-SHA256 ,,, ,Foo=bar",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil || a.Credential == "" || a.SignedHeaders == "" || a.Signature == "" {
			return
		}
		// Round trip where the parts survive rendering: no commas, and no
		// spaces at the edges (the parser trims them).
		for _, p := range []string{a.Credential, a.SignedHeaders, a.Signature} {
			if strings.Contains(p, ",") || strings.Trim(p, " ") != p {
				t.Fatalf("parser returned an untrimmed or comma part %q from %q", p, h)
			}
		}
		b, err := parseAuthorization(a.String())
		if err != nil || b != a {
			t.Fatalf("round trip %q -> %q -> %+v (%v)", h, a.String(), b, err)
		}
	})
}

// FuzzVerify feeds arbitrary request bytes to the verifier: it must never
// panic, and must never accept a request it was not given a valid key for.
func FuzzVerify(f *testing.F) {
	if dir, err := filepath.Glob(filepath.Join("..", "..", "..", "shared", "testdata", "sigv4", "aws-signing-test-suite", "v4", "*", "*-signed-request.txt")); err == nil {
		for _, p := range dir {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("POST / HTTP/1.1\nHost: iam.amazonaws.com\nX-Amz-Date: 20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\n\nAction=GetUser"))
	f.Add([]byte("GET /a/../b//c/./?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=99999999&X-Amz-Signature=zz HTTP/1.1\nHost: x\n\n"))
	f.Add([]byte("GET /?%zz=%%&&=&X-Amz-Signature= HTTP/1.1\n\n"))
	ts := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	v := New(Config{
		Keys: staticKeys(map[string]staticKey{"AKIDEXAMPLE": {"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}}),
		Now:  fixedNow(ts),
	})
	f.Fuzz(func(t *testing.T, raw []byte) {
		// Both our text parser and net/http's, as a server would see it.
		if r, body, err := parseRawRequest(raw); err == nil {
			_, _ = v.Verify(context.Background(), r, body)
		}
		wire := bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
		if r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire))); err == nil {
			_, _ = v.Verify(context.Background(), r, nil)
		}
	})
}
