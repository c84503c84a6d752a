// Package config is the server's configuration: one struct with defaults,
// read from flags and WARDEN_* environment variables, and validated all at
// once.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/warden-iam/warden/arn"
)

// Config configures `warden serve`.
type Config struct {
	// Listen is the address to serve on.
	Listen string
	// DataDir holds the SQLite database, the master key, the root
	// credentials file and the audit log.
	DataDir string
	// AccountID is the account created on first start.
	AccountID string
	// Store is "" (SQLite in DataDir), "sqlite:PATH", or a PostgreSQL URL
	// (postgres://...) for several nodes sharing one database.
	Store string
	// MaxClockSkew bounds how far a request's signing time may be from now.
	MaxClockSkew time.Duration
	// Dev keeps state in memory and enables POST /moto-api/reset.
	Dev bool
	// RootAccessKeyID and RootSecretAccessKey, when set, are the root
	// user's access key.
	RootAccessKeyID     string
	RootSecretAccessKey string `sensitive:"true"`
	// MasterKey, when set, is the key sealing secrets at rest (64 hex
	// digits or base64); otherwise DataDir/master.key.
	MasterKey string `sensitive:"true"`
}

// Default returns the defaults.
func Default() Config {
	return Config{
		Listen:       "127.0.0.1:4280",
		DataDir:      "./warden-data",
		AccountID:    "123456789012",
		MaxClockSkew: 5 * time.Minute,
	}
}

// Validate returns every problem of the configuration at once.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("--listen %q is not host:port: %w", c.Listen, err))
	}
	if !arn.IsAccountID(c.AccountID) {
		errs = append(errs, fmt.Errorf("--account-id %q is not a 12-digit account id", c.AccountID))
	}
	if c.DataDir == "" && !c.Dev {
		errs = append(errs, errors.New("--data-dir is empty"))
	}
	if c.MaxClockSkew <= 0 || c.MaxClockSkew > time.Hour {
		errs = append(errs, fmt.Errorf("--max-clock-skew %v must be between 0 and 1h", c.MaxClockSkew))
	}
	if (c.RootAccessKeyID == "") != (c.RootSecretAccessKey == "") {
		errs = append(errs, errors.New("WARDEN_ROOT_ACCESS_KEY_ID and WARDEN_ROOT_SECRET_ACCESS_KEY go together"))
	}
	if c.RootAccessKeyID != "" && (len(c.RootAccessKeyID) < 16 || len(c.RootAccessKeyID) > 128 || strings.ContainsFunc(c.RootAccessKeyID, notWord)) {
		errs = append(errs, errors.New("WARDEN_ROOT_ACCESS_KEY_ID must be 16 to 128 letters and digits"))
	}
	if c.RootSecretAccessKey != "" && len(c.RootSecretAccessKey) < 16 {
		errs = append(errs, errors.New("WARDEN_ROOT_SECRET_ACCESS_KEY must be at least 16 characters"))
	}
	if c.Store != "" && !strings.HasPrefix(c.Store, "sqlite:") && !c.Postgres() {
		errs = append(errs, fmt.Errorf("--store %q: want sqlite:PATH or a postgres:// URL", redactURL(c.Store)))
	}
	return errors.Join(errs...)
}

func notWord(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
}

// Postgres reports whether the store is a PostgreSQL database.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.Store, "postgres://") || strings.HasPrefix(c.Store, "postgresql://")
}

// redactURL hides a password in a connection URL.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}
