package main

import (
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/warden-iam/warden/internal/config"
	"github.com/warden-iam/warden/internal/server"
)

// envOr returns the environment variable's value, or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func newServeCommand() *cobra.Command {
	def := config.Default()
	cfg := def
	var skew string
	var dev string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the IAM and STS APIs",
		Long: `Serve runs Warden: the AWS IAM and STS Query APIs on one endpoint, SigV4-
authenticated and authorized with AWS's policy evaluation logic.

Every flag has a WARDEN_* environment variable (the flag wins). The root
user's access key comes from WARDEN_ROOT_ACCESS_KEY_ID and
WARDEN_ROOT_SECRET_ACCESS_KEY when set; otherwise the first start generates
one, prints it once and writes it to DATA_DIR/root-credentials, so that
AWS_SHARED_CREDENTIALS_FILE=DATA_DIR/root-credentials aws ... works.
The master key sealing secrets at rest comes from WARDEN_MASTER_KEY, or
DATA_DIR/master.key (created on first start, mode 0600).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := time.ParseDuration(skew)
			if err != nil {
				return err
			}
			cfg.MaxClockSkew = d
			if cfg.Dev, err = strconv.ParseBool(dev); err != nil {
				return err
			}
			cfg.RootAccessKeyID = os.Getenv("WARDEN_ROOT_ACCESS_KEY_ID")
			cfg.RootSecretAccessKey = os.Getenv("WARDEN_ROOT_SECRET_ACCESS_KEY")
			cfg.MasterKey = os.Getenv("WARDEN_MASTER_KEY")
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			srv, err := server.New(ctx, cfg, log, server.Options{Output: cmd.OutOrStdout()})
			if err != nil {
				return err
			}
			log.Info("warden serving", "listen", srv.Addr(), "account", cfg.AccountID, "dev", cfg.Dev)
			return srv.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", envOr("WARDEN_LISTEN", def.Listen), "address to serve on (WARDEN_LISTEN)")
	f.StringVar(&cfg.DataDir, "data-dir", envOr("WARDEN_DATA_DIR", def.DataDir), "directory for the database, keys and audit log (WARDEN_DATA_DIR)")
	f.StringVar(&cfg.AccountID, "account-id", envOr("WARDEN_ACCOUNT_ID", def.AccountID), "the account created on first start (WARDEN_ACCOUNT_ID)")
	f.StringVar(&cfg.Store, "store", envOr("WARDEN_STORE", ""), "storage: empty for SQLite in the data dir, or sqlite:PATH (WARDEN_STORE)")
	f.StringVar(&skew, "max-clock-skew", envOr("WARDEN_MAX_CLOCK_SKEW", def.MaxClockSkew.String()), "how far a request's signing time may be from now (WARDEN_MAX_CLOCK_SKEW)")
	f.StringVar(&dev, "dev", envOr("WARDEN_DEV", "false"), "keep state in memory and allow POST /moto-api/reset (WARDEN_DEV)")
	f.Lookup("dev").NoOptDefVal = "true"
	return cmd
}
