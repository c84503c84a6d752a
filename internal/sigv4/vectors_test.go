package sigv4

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type vectorContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Expiration       int       `json:"expiration_in_seconds"`
	Normalize        bool      `json:"normalize"`
	Region           string    `json:"region"`
	Service          string    `json:"service"`
	SignBody         bool      `json:"sign_body"`
	Timestamp        time.Time `json:"timestamp"`
	OmitSessionToken bool      `json:"omit_session_token"`
}

type vector struct {
	name string
	dir  string
	ctx  vectorContext
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	dir := vectorsDir(t)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var vs []vector
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name(), "context.json"))
		require.NoError(t, err)
		v := vector{name: e.Name(), dir: filepath.Join(dir, e.Name())}
		require.NoError(t, json.Unmarshal(raw, &v.ctx), e.Name())
		vs = append(vs, v)
	}
	require.Len(t, vs, 38, "expected the 38 v4 cases in %s", dir)
	return vs
}

func (vc vector) read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vc.dir, name))
	require.NoError(t, err)
	return b
}

func (vc vector) verifier(now time.Time) *Verifier {
	c := vc.ctx.Credentials
	return New(Config{
		Keys:     staticKeys(map[string]staticKey{c.AccessKeyID: {c.SecretAccessKey, c.Token}}),
		Now:      fixedNow(now),
		Services: []string{vc.ctx.Service},
	})
}

func (vc vector) request(t *testing.T, form string) (*http.Request, []byte) {
	t.Helper()
	r, body, err := parseRawRequest(vc.read(t, form+"-signed-request.txt"))
	require.NoError(t, err)
	return r, body
}

func TestVectors(t *testing.T) {
	for _, vc := range loadVectors(t) {
		for _, form := range []string{"header", "query"} {
			t.Run(vc.name+"/"+form, func(t *testing.T) {
				ts := vc.ctx.Timestamp
				r, body := vc.request(t, form)
				v := vc.verifier(ts)

				res, err := v.Verify(context.Background(), r, body)
				require.NoError(t, err)
				require.Equal(t, vc.ctx.Credentials.AccessKeyID, res.AccessKeyID)
				require.Equal(t, vc.ctx.Credentials.Token, res.SessionToken)
				require.Equal(t, vc.ctx.Region, res.Region)
				require.Equal(t, vc.ctx.Service, res.Service)
				require.Equal(t, form == "query", res.Presigned)
				require.True(t, res.Time.Equal(ts))
				require.Equal(t, vc.ctx.Credentials.AccessKeyID, res.Key.Owner)
				require.Contains(t, res.SignedHeaders, "host")

				canon, sts := canonicalFor(t, v, r, body, vc.ctx.Normalize, !vc.ctx.OmitSessionToken)
				require.Equal(t, string(vc.read(t, form+"-canonical-request.txt")), canon)
				require.Equal(t, string(vc.read(t, form+"-string-to-sign.txt")), sts)

				// The clock window.
				if form == "header" {
					for _, d := range []time.Duration{-4*time.Minute - 59*time.Second, 4*time.Minute + 59*time.Second, 5 * time.Minute, -5 * time.Minute} {
						_, err := vc.verifier(ts.Add(d)).Verify(context.Background(), r, body)
						require.NoError(t, err, "now = ts%+v", d)
					}
					for _, d := range []time.Duration{-5*time.Minute - time.Second, 5*time.Minute + time.Second} {
						_, err := vc.verifier(ts.Add(d)).Verify(context.Background(), r, body)
						requireAWSError(t, err, "SignatureDoesNotMatch", 403, "")
					}
				} else {
					exp := time.Duration(vc.ctx.Expiration) * time.Second
					_, err := vc.verifier(ts.Add(exp)).Verify(context.Background(), r, body)
					require.NoError(t, err)
					_, err = vc.verifier(ts.Add(exp+time.Second)).Verify(context.Background(), r, body)
					requireAWSError(t, err, "RequestExpired", 400, "Request has expired.")
				}
			})
		}
	}
}

// TestVectorMutations flips every byte of every signature, and one byte of
// each signed header value, query parameter and body: all must fail.
func TestVectorMutations(t *testing.T) {
	for _, vc := range loadVectors(t) {
		for _, form := range []string{"header", "query"} {
			t.Run(vc.name+"/"+form, func(t *testing.T) {
				ts := vc.ctx.Timestamp
				v := vc.verifier(ts)
				sig := strings.TrimSpace(string(vc.read(t, form+"-signature.txt")))
				require.Len(t, sig, 64)
				raw := string(vc.read(t, form+"-signed-request.txt"))
				require.Contains(t, raw, sig)
				i := strings.Index(raw, sig)

				mustFail := func(t *testing.T, raw, what string) {
					t.Helper()
					r, body, err := parseRawRequest([]byte(raw))
					if err != nil {
						return // not even a request
					}
					_, err = v.Verify(context.Background(), r, body)
					require.Error(t, err, what)
				}
				for j := range 64 {
					b := []byte(raw)
					c := b[i+j]
					for _, repl := range []byte{'0', 'f', 'A', 'x'} {
						if repl == c {
							continue
						}
						b[i+j] = repl
						r, body, err := parseRawRequest(b)
						require.NoError(t, err)
						_, err = v.Verify(context.Background(), r, body)
						requireAWSError(t, err, "SignatureDoesNotMatch", 403, msgSignatureDoesNotMatch)
					}
				}
				// Truncated and extended signatures.
				mustFail(t, raw[:i+63]+raw[i+64:], "short signature")
				mustFail(t, raw[:i+64]+"0"+raw[i+64:], "long signature")

				// One byte of each signed header's value.
				r0, _ := vc.request(t, form)
				res, err := v.Verify(context.Background(), r0, nil)
				if err != nil && vc.ctx.SignBody {
					res, err = v.Verify(context.Background(), r0, []byte(strings.SplitN(raw, "\n\n", 2)[1]))
				}
				require.NoError(t, err)
				head, body, _ := strings.Cut(raw, "\n\n")
				lines := strings.Split(head, "\n")
				for _, name := range res.SignedHeaders {
					for li := 1; li < len(lines); li++ {
						k, val, ok := strings.Cut(lines[li], ":")
						if !ok || !strings.EqualFold(k, name) || strings.TrimSpace(val) == "" {
							continue
						}
						m := append([]string(nil), lines...)
						p := len(k) + 1 + len(val) - 1
						b := []byte(m[li])
						b[p] ^= 0x01
						m[li] = string(b)
						mustFail(t, strings.Join(m, "\n")+"\n\n"+body, "header "+name)
					}
				}
				// One byte of the first query parameter's value and of the
				// request path.
				first := lines[0]
				if q := strings.Index(first, "?"); q >= 0 {
					eq := strings.Index(first[q:], "=")
					b := []byte(first)
					b[q+eq+1] ^= 0x01
					m := append([]string(nil), lines...)
					m[0] = string(b)
					mustFail(t, strings.Join(m, "\n")+"\n\n"+body, "query")
				}
				{
					// Append to the path: normalization must not absorb it.
					end := strings.LastIndexByte(first, ' ')
					if q := strings.IndexByte(first, '?'); q >= 0 {
						end = q
					}
					b := []byte(first[:end] + "x" + first[end:])
					m := append([]string(nil), lines...)
					m[0] = string(b)
					mustFail(t, strings.Join(m, "\n")+"\n\n"+body, "path")
				}
				if vc.ctx.SignBody && body != "" {
					b := []byte(body)
					b[0] ^= 0x01
					mustFail(t, head+"\n\n"+string(b), "body")
				}
			})
		}
	}
}
