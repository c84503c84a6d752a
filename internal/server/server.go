// Package server is the composition root: it builds the store, the
// keyring, the IAM service, the SigV4 verifier, the dispatcher and the
// HTTP endpoints from a Config, and runs them. Nothing else wires
// components together.
package server

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/iamapi"
	"github.com/warden-iam/warden/internal/api/orgapi"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/api/stsapi"
	"github.com/warden-iam/warden/internal/audit"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/config"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/orgs"
	"github.com/warden-iam/warden/internal/secrets"
	"github.com/warden-iam/warden/internal/sigv4"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/store/postgres"
	"github.com/warden-iam/warden/internal/store/sqlite"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/internal/sts/oidc"
)

// Server is a running Warden.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	store    store.Store
	iam      *iam.Service
	sts      *sts.Service
	audit    audit.Sink
	handler  http.Handler
	listener net.Listener

	// RootCredentials is set when this start created the root user's key
	// (and printed it); the key is otherwise never held here.
	RootCredentials *Credentials
}

// Credentials is an access key pair.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Options are what tests change about a server.
type Options struct {
	// Now replaces the clock.
	Now func() time.Time
	// Output receives the one-time root-credentials message; default stdout.
	Output io.Writer
	// RequestID replaces the request-id generator.
	RequestID func() string
	// OIDCRootCAs replaces the system CA pool that vouches for OIDC
	// identity providers' HTTPS certificates (AssumeRoleWithWebIdentity);
	// tests trust their local issuer with it.
	OIDCRootCAs *x509.CertPool
	// LogCopy is for servertest: it also receives the log, at debug level.
	// The server itself does not read it.
	LogCopy io.Writer
	// Audit replaces the audit sink (tests inject failures with it).
	Audit audit.Sink
}

// New builds a server from cfg: it opens the store (creating the account
// and its root user on first start), and binds the listener.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	s := &Server{cfg: cfg, log: log}
	ok := false
	defer func() {
		if !ok {
			s.closeAll()
		}
	}()
	if !cfg.Dev {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	key, err := masterKey(cfg)
	if err != nil {
		return nil, err
	}
	keyring, err := secrets.New(key)
	if err != nil {
		return nil, err
	}
	if s.store, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}
	if s.iam, err = iam.New(ctx, iam.Config{Store: s.store, Keyring: keyring, Now: opts.Now, Log: log, MaxSnapshotAge: maxSnapshotAge}); err != nil {
		return nil, err
	}
	if s.sts, err = sts.New(ctx, sts.Config{Store: s.store, Keyring: keyring, IAM: s.iam, Now: opts.Now, OIDC: oidc.Config{RootCAs: opts.OIDCRootCAs}}); err != nil {
		return nil, err
	}
	if _, err := s.iam.EnsureAccount(ctx, cfg.AccountID); err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	if err := s.ensureRootKey(ctx, opts.Output); err != nil {
		return nil, err
	}
	switch db, ok := s.store.(eventStore); {
	case opts.Audit != nil:
		s.audit = opts.Audit
	case cfg.Dev:
		s.audit = audit.Discard{}
	case ok:
		// Nodes sharing a database share one audit trail, in it.
		s.audit = storeAudit{db}
	default:
		if s.audit, err = audit.OpenFile(filepath.Join(cfg.DataDir, "audit.jsonl")); err != nil {
			return nil, err
		}
	}
	s.handler = s.routes(opts.Now, opts.RequestID)
	if s.listener, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

func masterKey(cfg config.Config) ([]byte, error) {
	if cfg.MasterKey != "" {
		return secrets.ParseKey(cfg.MasterKey)
	}
	if cfg.Dev {
		// State lives in memory, so does its key.
		k := make([]byte, secrets.KeySize)
		_, err := rand.Read(k)
		return k, err
	}
	return secrets.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "master.key"))
}

func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	switch {
	case cfg.Dev:
		return sqlite.Open(ctx, ":memory:")
	case cfg.Store == "":
		return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "warden.db"))
	case cfg.Postgres():
		return postgres.Open(ctx, cfg.Store)
	default:
		return sqlite.Open(ctx, strings.TrimPrefix(cfg.Store, "sqlite:"))
	}
}

// ensureRootKey gives the root user its access key: the configured one, or
// on first start a generated one, printed once and written to
// DATA_DIR/root-credentials in the shared-credentials format.
func (s *Server) ensureRootKey(ctx context.Context, out io.Writer) error {
	acct := s.cfg.AccountID
	if s.cfg.RootAccessKeyID != "" {
		return s.iam.ImportRootKey(ctx, acct, s.cfg.RootAccessKeyID, s.cfg.RootSecretAccessKey)
	}
	keys, _, err := s.iam.ListAccessKeys(ctx, acct, "")
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return nil
	}
	k, err := s.iam.CreateAccessKey(ctx, acct, "")
	if err != nil {
		return err
	}
	s.RootCredentials = &Credentials{AccessKeyID: k.ID, SecretAccessKey: k.Secret}
	path := filepath.Join(s.cfg.DataDir, "root-credentials")
	content := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", k.ID, k.Secret)
	if err := os.MkdirAll(s.cfg.DataDir, 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write root credentials: %w", err)
	}
	fmt.Fprintf(out, "Warden created the root user of account %s. Its access key is shown once:\n"+
		"  aws_access_key_id     = %s\n  aws_secret_access_key = %s\n"+
		"It is also in %s (mode 0600): AWS_SHARED_CREDENTIALS_FILE=%s aws ...\n",
		acct, k.ID, k.Secret, path, path)
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Handler is the server's HTTP handler (for in-process tests).
func (s *Server) Handler() http.Handler { return s.handler }

// IAM is the server's IAM service.
func (s *Server) IAM() *iam.Service { return s.iam }

func (s *Server) routes(now func() time.Time, requestID func() string) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warden_requests_total", Help: "API requests by service, action and error code."}, []string{"service", "action", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "warden_request_duration_seconds", Help: "API request latency.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"service"})
	reg.MustRegister(requests, latency)
	known := map[string]bool{}
	iamActions := iamapi.Actions(s.iam)
	stsActions := stsapi.Actions(s.sts)
	for _, h := range append(append([]api.Handler{}, iamActions...), stsActions...) {
		known[h.ActionName()] = true
	}
	s.iam.TrackActions("iam", actionNames(iamActions))
	s.iam.TrackActions("sts", actionNames(stsActions))
	orgService := orgapi.NewService(orgs.New(s.iam, now))
	for _, name := range orgService.Actions() {
		known[name] = true
	}
	s.iam.TrackActions("organizations", orgService.Actions())
	verifier := sigv4.New(sigv4.Config{Keys: api.KeyFunc(s.iam, s.sts, now), MaxSkew: s.cfg.MaxClockSkew, Now: now, Services: []string{"iam", "sts", "organizations"}})
	d := api.NewDispatcher(api.Config{
		IAM: s.iam,
		Services: []*api.Service{
			api.NewService("iam", "2010-05-08", query.NamespaceIAM, "iam.amazonaws.com", awserr.ServiceFailure, iamActions...),
			api.NewService("sts", "2011-06-15", query.NamespaceSTS, "sts.amazonaws.com", awserr.InternalFailure, stsActions...),
			orgService,
		},
		Verifier:  verifier,
		Audit:     s.audit,
		Log:       s.log,
		Now:       now,
		RequestID: requestID,
		Accessed:  api.AccessRecorder(s.iam),
		Observe: func(service, action, code string, d time.Duration) {
			if !known[action] {
				action = "unknown" // bound the label's cardinality
			}
			if code == "" {
				code = "OK"
			}
			requests.WithLabelValues(service, action, code).Inc()
			latency.WithLabelValues(service).Observe(d.Seconds())
		},
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("POST /moto-api/reset", s.reset)
	mux.HandleFunc("GET /.well-known/openid-configuration", s.webTokenDiscovery)
	mux.HandleFunc("GET /.well-known/jwks.json", s.webTokenJWKS)
	mux.Handle("/{$}", d)
	return mux
}

// ready reports whether the node can decide requests: its store answers
// and its snapshot is confirmed current.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	if err := s.iam.Ready(ctx); err != nil {
		http.Error(w, "snapshot not current: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ready\n")
}

// How a node keeps its snapshot current: it checks the store's revision
// every snapshotPoll (and at once on a change notification where the store
// sends them), and refuses requests when it could not confirm the snapshot
// within maxSnapshotAge.
const (
	snapshotPoll   = 250 * time.Millisecond
	maxSnapshotAge = 5 * time.Second
)

// reset wipes every entity but the accounts and the root credentials: the
// reset call IAM test suites (moto's) make between tests. It exists only
// with --dev, and only on a loopback listener.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Dev || !isLoopback(s.listener.Addr()) {
		http.Error(w, "reset is available only with --dev on a loopback listener", http.StatusForbidden)
		return
	}
	if err := s.iam.Reset(r.Context()); err != nil {
		s.log.Error("reset failed", "err", err)
		http.Error(w, "reset failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// Run serves until ctx ends, then shuts down gracefully: in-flight
// requests finish, key usage is flushed, the store is closed.
func (s *Server) Run(ctx context.Context) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	var wg sync.WaitGroup
	flushCtx, stopFlush := context.WithCancel(context.Background())
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.iam.Watch(flushCtx, s.changes(flushCtx), snapshotPoll)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-flushCtx.Done():
				return
			case <-t.C:
				if err := s.iam.FlushUsage(flushCtx); err != nil {
					s.log.Warn("flushing access key usage failed", "err", err)
				}
				if err := s.iam.FlushAccess(flushCtx); err != nil {
					s.log.Warn("flushing last accessed data failed", "err", err)
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.listener) }()
	var err error
	select {
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = srv.Shutdown(shutCtx)
		cancel()
		<-errc
	case err = <-errc:
	}
	stopFlush()
	wg.Wait()
	if ferr := s.iam.FlushUsage(context.Background()); ferr != nil {
		s.log.Warn("flushing access key usage failed", "err", ferr)
	}
	if ferr := s.iam.FlushAccess(context.Background()); ferr != nil {
		s.log.Warn("flushing last accessed data failed", "err", ferr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, s.closeAll())
}

// eventStore is a store that keeps the audit trail (PostgreSQL).
type eventStore interface {
	AppendAuditEvent(ctx context.Context, event []byte) error
}

// storeAudit is the audit sink of a store that keeps the trail.
type storeAudit struct{ db eventStore }

func (a storeAudit) Write(e *audit.Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return a.db.AppendAuditEvent(ctx, b)
}

func (storeAudit) Close() error { return nil }

// changes returns the store's change notifications, when it sends them.
func (s *Server) changes(ctx context.Context) <-chan int64 {
	type listener interface {
		Listen(ctx context.Context) (<-chan int64, error)
	}
	l, ok := s.store.(listener)
	if !ok {
		return nil
	}
	ch, err := l.Listen(ctx)
	if err != nil {
		s.log.Warn("change notifications unavailable; polling only", "err", err)
		return nil
	}
	return ch
}

func (s *Server) closeAll() error {
	var errs []error
	if s.audit != nil {
		errs = append(errs, s.audit.Close())
		s.audit = nil
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
		s.store = nil
	}
	if s.listener != nil {
		_ = s.listener.Close()
	}
	return errors.Join(errs...)
}

// actionNames returns the names of an action table's actions.
func actionNames(hs []api.Handler) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ActionName()
	}
	return out
}
