package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/audit"
	"github.com/warden-iam/warden/internal/server/servertest"
)

// memorySink keeps audit events in memory.
type memorySink struct {
	mu     sync.Mutex
	events []audit.Event
}

func (m *memorySink) Write(e *audit.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, *e)
	return nil
}

func (m *memorySink) Close() error { return nil }

func (m *memorySink) last() audit.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.events[len(m.events)-1]
}

// jsonCall posts a JSON 1.1 request, signed for service unless service is
// "", and returns the status, the x-amzn-RequestId header and the body.
func jsonCall(t *testing.T, srv *servertest.Server, service, target, contentType, body string) (int, string, map[string]any) {
	t.Helper()
	resp, raw := postJSON(t, srv, service, target, contentType, body)
	require.Equal(t, "application/x-amz-json-1.1", resp.Header.Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return resp.StatusCode, resp.Header.Get("x-amzn-RequestId"), out
}

// postJSON posts a JSON-protocol request with the root user's key, signed
// for service unless service is "", and returns the response and its body.
func postJSON(t *testing.T, srv *servertest.Server, service, target, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", target)
	if service != "" {
		sum := sha256.Sum256([]byte(body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: servertest.RootAccessKeyID, SecretAccessKey: servertest.RootSecretAccessKey},
			req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, raw
}

func TestOrganizationsProtocol(t *testing.T) {
	sink := &memorySink{}
	srv := servertest.Start(t, servertest.WithAudit(sink), servertest.WithRequestID("req-1"))
	const ct = "application/x-amz-json-1.1"
	const prefix = "AWSOrganizationsV20161128."

	status, id, body := jsonCall(t, srv, "organizations", prefix+"CreateOrganization", ct, `{"FeatureSet":"ALL"}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "req-1", id)
	org := body["Organization"].(map[string]any)
	require.Equal(t, "123456789012", org["MasterAccountId"])
	e := sink.last()
	require.Equal(t, "organizations.amazonaws.com", e.EventSource)
	require.Equal(t, "CreateOrganization", e.EventName)
	require.False(t, e.ReadOnly)
	require.Equal(t, map[string]any{"featureSet": "ALL"}, e.RequestParameters)
	require.Equal(t, org["Id"], e.ResponseElements["organization"].(map[string]any)["id"])

	status, _, body = jsonCall(t, srv, "organizations", prefix+"ListRoots", ct, ``)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, body["Roots"], 1)
	require.True(t, sink.last().ReadOnly)

	for _, tc := range []struct {
		name, service, target, contentType, body string
		status                                   int
		code                                     string
	}{
		{"unknown action", "organizations", prefix + "Nope", ct, `{}`, 400, "UnknownOperationException"},
		{"unknown target", "organizations", "AWSNothing.Nope", ct, `{}`, 400, "UnknownOperationException"},
		{"not JSON", "organizations", prefix + "ListRoots", ct, `{"MaxResults":`, 400, "SerializationException"},
		{"wrong shape", "organizations", prefix + "ListRoots", ct, `{"MaxResults":"ten"}`, 400, "SerializationException"},
		{"wrong media type", "organizations", prefix + "ListRoots", "text/plain", `{}`, 415, "UnsupportedMediaTypeException"},
		{"scoped to another service", "iam", prefix + "ListRoots", ct, `{}`, 400, "InvalidSignatureException"},
		{"unsigned", "", prefix + "ListRoots", ct, `{}`, 403, "MissingAuthenticationToken"},
		{"missing required input", "organizations", prefix + "DescribeAccount", ct, `{}`, 400, "InvalidInputException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, id, body := jsonCall(t, srv, tc.service, tc.target, tc.contentType, tc.body)
			require.Equal(t, tc.status, status, body)
			require.Equal(t, tc.code, body["__type"], body)
			require.NotEmpty(t, body["Message"])
			require.Equal(t, "req-1", id)
			require.Equal(t, tc.code, sink.last().ErrorCode)
		})
	}
	_, _, body = jsonCall(t, srv, "organizations", prefix+"DescribeAccount", ct, `{}`)
	require.Equal(t, "INPUT_REQUIRED", body["Reason"])

	big := `{"NextToken":"` + strings.Repeat("a", 1<<20) + `"}`
	status, _, body = jsonCall(t, srv, "organizations", prefix+"ListRoots", ct, big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.Equal(t, "RequestEntityTooLarge", body["__type"])
}
