// Package servertest starts a real Warden server in-process for tests, on
// a random loopback port with in-memory state, and builds aws-sdk-go-v2
// clients pointed at it.
package servertest

import (
	"bytes"
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/warden-iam/warden/internal/audit"
	"github.com/warden-iam/warden/internal/config"
	"github.com/warden-iam/warden/internal/server"
)

// The root credentials every test server starts with.
const (
	RootAccessKeyID     = "AKIAWARDENTESTROOT01"
	RootSecretAccessKey = "wardenTestRootSecretKeyForLoopbackOnly00"
	AccountID           = "123456789012"
)

// Server is a running test server.
type Server struct {
	URL    string
	Server *server.Server
}

// Option changes the test server's configuration.
type Option func(*config.Config, *server.Options)

// WithClock fixes the server's clock.
func WithClock(now func() time.Time) Option {
	return func(_ *config.Config, o *server.Options) { o.Now = now }
}

// WithRequestID fixes the request id of every response.
func WithRequestID(id string) Option {
	return func(_ *config.Config, o *server.Options) { o.RequestID = func() string { return id } }
}

// WithOIDCRootCAs makes the server trust pool for OIDC identity
// providers' HTTPS certificates instead of the system pool.
func WithOIDCRootCAs(pool *x509.CertPool) Option {
	return func(_ *config.Config, o *server.Options) { o.OIDCRootCAs = pool }
}

// WithLog sends the server's log, at debug level, to w as well as to the
// test's log.
func WithLog(w io.Writer) Option {
	return func(_ *config.Config, o *server.Options) { o.LogCopy = w }
}

// WithAudit replaces the audit sink.
func WithAudit(sink audit.Sink) Option {
	return func(_ *config.Config, o *server.Options) { o.Audit = sink }
}

// WithStore serves from a store URL (a PostgreSQL database shared by
// several test servers), with a data directory of its own.
func WithStore(url string) Option {
	return func(c *config.Config, _ *server.Options) { c.Dev = false; c.Store = url }
}

// WithMasterKey sets the master key (nodes sharing a store need the same).
func WithMasterKey(hexKey string) Option {
	return func(c *config.Config, _ *server.Options) { c.MasterKey = hexKey }
}

// WithDataDir serves from a data directory instead of memory.
func WithDataDir(dir string) Option {
	return func(c *config.Config, _ *server.Options) { c.Dev = false; c.DataDir = dir }
}

// Start starts a server and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Dev = true
	cfg.DataDir = t.TempDir()
	cfg.RootAccessKeyID = RootAccessKeyID
	cfg.RootSecretAccessKey = RootSecretAccessKey
	o := server.Options{Output: io.Discard}
	for _, opt := range opts {
		opt(&cfg, &o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out io.Writer = testWriter{t}
	level := slog.LevelWarn
	if o.LogCopy != nil {
		out, level = io.MultiWriter(out, o.LogCopy), slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}))
	srv, err := server.New(ctx, cfg, log, o)
	if err != nil {
		cancel()
		t.Fatalf("start server: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with %v", err)
		}
	})
	return &Server{URL: "http://" + srv.Addr(), Server: srv}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Config returns an AWS config for the given credentials against s.
func (s *Server) Config(accessKeyID, secret string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secret, ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second, Transport: bufferingTransport{}},
		// Tests assert on the first answer: no retries.
		RetryMaxAttempts: 1,
	}
}

// bufferingTransport reads each response body whole before the SDK sees
// the response. aws-sdk-go-v2 closes the request body as soon as the
// response headers arrive; on loopback, where the answer comes back before
// net/http's write loop is done with the request, the transport then
// closes the connection under a large response still being read ("use of
// closed network connection", aws/aws-sdk-go-v2#2737). The SDK retries
// that by default; tests make one attempt, so they buffer instead. A
// truncated body still fails the request.
type bufferingTransport struct{}

func (bufferingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// IAM returns an IAM client with the given credentials.
func (s *Server) IAM(accessKeyID, secret string) *iam.Client {
	return iam.NewFromConfig(s.Config(accessKeyID, secret))
}

// STS returns an STS client with the given credentials.
func (s *Server) STS(accessKeyID, secret string) *sts.Client {
	return sts.NewFromConfig(s.Config(accessKeyID, secret))
}

// RootIAM returns an IAM client with the root user's credentials.
func (s *Server) RootIAM() *iam.Client { return s.IAM(RootAccessKeyID, RootSecretAccessKey) }

// RootSTS returns an STS client with the root user's credentials.
func (s *Server) RootSTS() *sts.Client { return s.STS(RootAccessKeyID, RootSecretAccessKey) }

// Post sends an unsigned form to the server and returns status and body,
// for tests of what happens before authentication.
func (s *Server) Post(t testing.TB, form string) (int, string) {
	t.Helper()
	resp, err := http.Post(s.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// String is a shortcut for aws.String.
func String(s string) *string { return aws.String(s) }
