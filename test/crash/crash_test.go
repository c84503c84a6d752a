// Package crash kills a real `warden serve` process with SIGKILL in the
// middle of acknowledged writes and checks, after a restart, that every
// acknowledged write survived and nothing is half-written (RELIABILITY 26).
package crash

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

const (
	rootKey    = "AKIACRASHTESTROOT001"
	rootSecret = "crashTestRootSecretKeyForLoopbackOnly000"
)

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func start(t *testing.T, bin, dataDir, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", dataDir)
	cmd.Env = append(os.Environ(), "WARDEN_ROOT_ACCESS_KEY_ID="+rootKey, "WARDEN_ROOT_SECRET_ACCESS_KEY="+rootSecret)
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	t.Fatal("the server did not become ready")
	return nil
}

func client(addr string) *iam.Client {
	return iam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider(rootKey, rootSecret, ""), RetryMaxAttempts: 1})
}

func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "warden")
	build := exec.Command("go", "build", "-o", bin, "github.com/warden-iam/warden/cmd/warden")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	dataDir := filepath.Join(dir, "data")
	addr := freePort(t)
	cmd := start(t, bin, dataDir, addr)

	// Acknowledged writes, recorded as they are acknowledged.
	type ack struct{ user, key string }
	acks := make(chan ack, 10000)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c := client(addr)
		for i := 0; ctx.Err() == nil; i++ {
			name := fmt.Sprintf("user-%05d", i)
			if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
				return
			}
			acks <- ack{user: name}
			k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
			if err != nil {
				return
			}
			acks <- ack{user: name, key: *k.AccessKey.AccessKeyId}
		}
	}()
	time.Sleep(1500 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	cancel()
	<-done
	close(acks)

	cmd = start(t, bin, dataDir, addr)
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	c := client(addr)
	users, keys := 0, 0
	for a := range acks {
		if a.key == "" {
			users++
			_, err := c.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(a.user)})
			require.NoError(t, err, "acknowledged user %s lost", a.user)
			continue
		}
		keys++
		list, err := c.ListAccessKeys(context.Background(), &iam.ListAccessKeysInput{UserName: aws.String(a.user)})
		require.NoError(t, err)
		found := false
		for _, k := range list.AccessKeyMetadata {
			found = found || *k.AccessKeyId == a.key
		}
		require.True(t, found, "acknowledged key %s of %s lost", a.key, a.user)
	}
	t.Logf("%d acknowledged users and %d keys survived SIGKILL", users, keys)
	require.Greater(t, users, 5, "the loop made progress before the kill")

	// Nothing half-written: every key belongs to an existing user and
	// opens (the server loaded every sealed secret to start), and the
	// database is intact.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "warden.db")+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var check string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	require.Equal(t, "ok", check)
	var orphans int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM access_keys k WHERE k.user_pk IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.pk = k.user_pk)`).Scan(&orphans))
	require.Zero(t, orphans)
}
