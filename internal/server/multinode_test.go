package server_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// testDatabase creates a database of its own on the server of
// WARDEN_TEST_POSTGRES_URL (scripts/test-postgres.sh starts one) and
// returns its URL. Without the variable the test is skipped, loudly.
func testDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("WARDEN_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("SKIPPED: multi-node tests need PostgreSQL; WARDEN_TEST_POSTGRES_URL is unset (run them with scripts/test-postgres.sh go test ./internal/server)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "warden_nodes_" + hex.EncodeToString(b[:])
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// waitFor polls cond until it holds and returns how long that took; the
// test fails if it takes more than a second.
func waitFor(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < 3*time.Second {
		if cond() {
			d := time.Since(start)
			t.Logf("%s reached the other node in %v", what, d.Round(time.Millisecond))
			require.LessOrEqual(t, d, time.Second, "%s took longer than a second to propagate", what)
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never reached the other node", what)
	return 0
}

const nodesMasterKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// TestTwoNodesOnePostgres runs two servers on one database and measures
// how long a change made on one takes to take effect on the other.
func TestTwoNodesOnePostgres(t *testing.T) {
	db := testDatabase(t)
	a := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	b := servertest.Start(t, servertest.WithStore(db), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	rootA := a.RootIAM()

	_, err := rootA.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	k, err := rootA.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	require.NoError(t, err)
	keyID, secret := *k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey
	onB := b.IAM(keyID, secret)

	waitFor(t, "a new access key", func() bool {
		_, err := b.STS(keyID, secret).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err == nil
	})
	_, err = onB.ListUsers(ctx, &iam.ListUsersInput{})
	requireAPIError(t, err, "AccessDenied", "")

	_, err = rootA.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("allow"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}))})
	require.NoError(t, err)
	waitFor(t, "a new allow", func() bool {
		_, err := onB.ListUsers(ctx, &iam.ListUsersInput{})
		return err == nil
	})

	_, err = rootA.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("deny"),
		PolicyDocument: doc(t, policyDoc(stmt{"Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}))})
	require.NoError(t, err)
	waitFor(t, "a new deny", func() bool {
		_, err := onB.ListUsers(ctx, &iam.ListUsersInput{})
		return err != nil
	})

	// A session minted on A is accepted on B: the sealing keys are shared.
	roleARN := createRole(t, rootA, "shared",
		policyDoc(stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "sts:AssumeRole"}), nil)
	var sess *sts.AssumeRoleOutput
	waitFor(t, "a new role", func() bool {
		sess, err = a.STS(keyID, secret).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("n1")})
		return err == nil
	})
	waitFor(t, "a session token minted on the other node", func() bool {
		_, err := sessionSTS(b, sess.Credentials).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err == nil
	})

	_, err = rootA.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(keyID), Status: types.StatusTypeInactive})
	require.NoError(t, err)
	waitFor(t, "a deactivated key", func() bool {
		_, err := b.STS(keyID, secret).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err != nil
	})

	// Both nodes write one audit trail, in the database.
	conn, err := pgx.Connect(ctx, db)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var events int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM audit_events").Scan(&events))
	require.Greater(t, events, 5)
}

// TestNodeFailsClosedWhenTheDatabaseGoes: a node whose database becomes
// unreachable refuses requests with a 5xx and says so on /readyz, and
// recovers by itself when the database returns.
func TestNodeFailsClosedWhenTheDatabaseGoes(t *testing.T) {
	db := testDatabase(t)
	u, err := url.Parse(db)
	require.NoError(t, err)
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	srv := servertest.Start(t, servertest.WithStore(u.String()), servertest.WithMasterKey(nodesMasterKey))
	ctx := context.Background()
	_, err = srv.RootIAM().ListUsers(ctx, &iam.ListUsersInput{})
	require.NoError(t, err)

	proxy.setDown(true)
	start := time.Now()
	require.Eventually(t, func() bool {
		_, err := srv.RootIAM().ListUsers(ctx, &iam.ListUsersInput{})
		return isStatus(err, 503) || isStatus(err, 500)
	}, 15*time.Second, 50*time.Millisecond)
	t.Logf("requests refused %v after the database went away", time.Since(start).Round(time.Millisecond))
	// Even a call that needs no store read is refused: the node cannot
	// vouch for its snapshot.
	require.Eventually(t, func() bool {
		_, err := srv.RootSTS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return isStatus(err, 503)
	}, 15*time.Second, 50*time.Millisecond)
	resp, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	proxy.setDown(false)
	start = time.Now()
	require.Eventually(t, func() bool {
		_, err := srv.RootIAM().ListUsers(ctx, &iam.ListUsersInput{})
		return err == nil
	}, 20*time.Second, 100*time.Millisecond)
	t.Logf("recovered %v after the database returned", time.Since(start).Round(time.Millisecond))
}

func isStatus(err error, status int) bool {
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && re.HTTPStatusCode() == status
}

// tcpProxy forwards connections to a target; setDown(true) cuts every
// connection and refuses new ones.
type tcpProxy struct {
	addr   string
	target string
	ln     net.Listener
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &tcpProxy{addr: ln.Addr().String(), target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	return p
}

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = struct{}{}, struct{}{}
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close() }()
		go func() { _, _ = io.Copy(c, up); c.Close() }()
	}
}

func (p *tcpProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]struct{}{}
	}
}
