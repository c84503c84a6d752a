package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	wiam "github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/server/servertest"
)

// BenchmarkGetUser measures one signed GetUser in process: request bytes
// in, response bytes out, through SigV4 verification, decoding,
// authorization, the store read and XML encoding. The request is signed
// once; the server's clock stays within its window.
func BenchmarkGetUser(b *testing.B) {
	srv := servertest.Start(b)
	ctx := context.Background()
	if _, err := srv.RootIAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		b.Fatal(err)
	}
	body := []byte("Action=GetUser&Version=2010-05-08&UserName=alice")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: servertest.RootAccessKeyID, SecretAccessKey: servertest.RootSecretAccessKey},
		req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	h := srv.Server.Handler()
	b.ReportAllocs()
	for b.Loop() {
		r := req.Clone(ctx)
		r.Body = http.NoBody
		r.Body = readCloser{bytes.NewReader(body)}
		r.RemoteAddr = "127.0.0.1:1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// BenchmarkGetUserInOrganization is BenchmarkGetUser for an administrator
// of a member account two levels down an organization (root, OU,
// account) with SCPs enabled and a deny SCP on the OU: the decision reads
// three SCP levels and the request carries the organization keys.
func BenchmarkGetUserInOrganization(b *testing.B) {
	env := orgSetup(b)
	ctx := context.Background()
	env.policy(b, "p-denyusers1", wiam.PolicyTypeSCP, denyUsers)
	env.attach(b, "p-denyusers1", ouDev)
	cfg := env.user(b, memberA, "alice", adminDoc)
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte("Action=GetUser&Version=2010-05-08&UserName=alice")
	req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	h := env.srv.Server.Handler()
	b.ReportAllocs()
	for b.Loop() {
		r := req.Clone(ctx)
		r.Body = readCloser{bytes.NewReader(body)}
		r.RemoteAddr = "127.0.0.1:1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
}
