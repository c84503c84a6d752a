package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/aws/aws-sdk-go-v2/aws"
)

var benchTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// signedPost returns a server-side view of an IAM-style form POST signed by
// aws-sdk-go-v2 with content-type;host;x-amz-date, as aws CLI/boto send it.
func signedPost(tb testing.TB, akid, secret, token, service string, body []byte) *http.Request {
	tb.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.ContentLength = 0 // keep content-length out of SignedHeaders, like the CLI
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, "us-east-1", benchTime); err != nil {
		tb.Fatal(err)
	}
	return toServer(tb, r, body)
}

func BenchmarkVerify(b *testing.B) {
	body := []byte("Action=GetUser&Version=2010-05-08")
	r := signedPost(b, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "iam", body)
	owner := new(int)
	v := New(Config{
		Keys: func(_ context.Context, akid, _ string) (Key, error) {
			return Key{Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Owner: owner}, nil
		},
		Now:      fixedNow(benchTime.Add(time.Minute)),
		Services: []string{"iam", "sts"},
	})
	ctx := context.Background()
	if _, err := v.Verify(ctx, r, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := v.Verify(ctx, r, body)
		if err != nil || res.AccessKeyID == "" {
			b.Fatal(err)
		}
	}
}
