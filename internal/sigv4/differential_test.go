package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// toServer writes a client request to the wire and reads it back the way an
// http.Server does, so the verifier sees exactly what a server would.
func toServer(tb testing.TB, r *http.Request, body []byte) *http.Request {
	tb.Helper()
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		tb.Fatalf("%v\n%s", err, buf.String())
	}
	if _, err := io.ReadAll(sr.Body); err != nil {
		tb.Fatal(err)
	}
	return sr
}

const pathChars = "abcXYZ019-._~ !$&'()*+,;=:@%ሴé"

func randString(rng *rand.Rand, alphabet []rune, min, max int) string {
	n := min + rng.IntN(max-min+1)
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

// TestDifferentialSDK signs random requests with aws-sdk-go-v2's v4.Signer
// (header and presigned) and verifies them.
func TestDifferentialSDK(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pathAlpha := []rune(pathChars)
	qAlpha := []rune("aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}ሴé日本\u00a0")
	hAlpha := []rune("aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")
	regions := []string{"us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1"}
	services := []string{"iam", "sts"}
	const akid, secret = "AKIDDIFFERENTIAL0001", "differential/secret+key0123456789abcdefgh"
	const tempID, tempSecret, token = "ASIADIFFERENTIAL0001", "temporary/secret", "FwoGZXIvYXdzEBYaD+token/with=chars"
	keys := staticKeys(map[string]staticKey{akid: {secret, ""}, tempID: {tempSecret, token}})

	for i := range 500 {
		presign := i%2 == 1
		t.Run(fmt.Sprintf("%03d", i), func(t *testing.T) {
			when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			region := regions[rng.IntN(len(regions))]
			service := services[rng.IntN(len(services))]

			// A path of non-empty segments without dot segments: the SDK
			// signer does not normalize, so such paths are where it agrees
			// with AWS's non-S3 rules.
			var segs []string
			for range rng.IntN(4) {
				s := randString(rng, pathAlpha, 1, 8)
				if s == "." || s == ".." {
					s = "x"
				}
				segs = append(segs, s)
			}
			u := &url.URL{Scheme: "https", Host: service + ".amazonaws.com", Path: "/" + strings.Join(segs, "/")}
			if len(segs) > 0 && rng.IntN(2) == 0 {
				u.Path += "/"
			}
			q := url.Values{}
			for range rng.IntN(5) {
				k := randString(rng, qAlpha, 1, 6)
				q.Add(k, randString(rng, qAlpha, 0, 8))
				if rng.IntN(4) == 0 {
					q.Add(k, randString(rng, qAlpha, 0, 4)) // repeated key
				}
			}
			u.RawQuery = q.Encode()

			method := http.MethodGet
			var body []byte
			if rng.IntN(2) == 0 {
				method = http.MethodPost
				body = []byte(url.Values{"Action": {"GetUser"}, "Version": {"2010-05-08"}, "UserName": {randString(rng, qAlpha, 0, 12)}}.Encode())
			}
			r, err := http.NewRequest(method, u.String(), nil)
			require.NoError(t, err)
			if body != nil {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				r.ContentLength = int64(len(body))
			}
			for range rng.IntN(4) {
				name := "X-Test-" + randString(rng, []rune("abcdefghij"), 1, 5)
				r.Header.Add(name, randString(rng, hAlpha, 0, 10))
			}
			creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
			if rng.IntN(3) == 0 {
				creds = aws.Credentials{AccessKeyID: tempID, SecretAccessKey: tempSecret, SessionToken: token}
			}
			sum := sha256.Sum256(body)
			ph := hex.EncodeToString(sum[:])
			signer := v4.NewSigner()
			if presign {
				signed, hdr, err := signer.PresignHTTP(context.Background(), creds, r, ph, service, region, when)
				require.NoError(t, err)
				r, err = http.NewRequest(method, signed, nil)
				require.NoError(t, err)
				// PresignHTTP returns the signed headers; send them as they were.
				for k, vs := range hdr {
					if !strings.EqualFold(k, "host") && !strings.EqualFold(k, "content-length") {
						r.Header[http.CanonicalHeaderKey(k)] = vs
					}
				}
			} else {
				require.NoError(t, signer.SignHTTP(context.Background(), creds, r, ph, service, region, when))
			}
			sr := toServer(t, r, body)

			skew := time.Duration(rng.Int64N(int64(4*time.Minute))) - 2*time.Minute
			v := New(Config{Keys: keys, Now: fixedNow(when.Add(skew)), Services: services})
			res, err := v.Verify(context.Background(), sr, body)
			require.NoError(t, err, "request %s %s", method, sr.RequestURI)
			require.Equal(t, creds.AccessKeyID, res.AccessKeyID)
			require.Equal(t, creds.SessionToken, res.SessionToken)
			require.Equal(t, region, res.Region)
			require.Equal(t, service, res.Service)
			require.Equal(t, presign, res.Presigned)

			// And a tampered body never verifies.
			if len(body) > 0 {
				bad := append([]byte(nil), body...)
				bad[len(bad)-1] ^= 0x01
				_, err = v.Verify(context.Background(), sr, bad)
				require.Error(t, err)
			}
		})
	}
}
