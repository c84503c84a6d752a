package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/server/servertest"
)

// coverageDoc is the generated list of the operations Warden serves.
const coverageDoc = "../../docs/compatibility.md"

// coverageAPI is one AWS API whose operations the coverage test sends.
type coverageAPI struct {
	name    string // "IAM"
	service string // the SigV4 service, "iam"
	// version is the Query API version; target the X-Amz-Target prefix of
	// a JSON API. One of them is set.
	version, target string
	module          string // the SDK module whose model lists the operations
	client          any    // a client of that SDK, whose methods are the operations
	// all: every operation of the API must be served.
	all bool
}

var coverageAPIs = []coverageAPI{
	{"IAM", "iam", "2010-05-08", "", "github.com/aws/aws-sdk-go-v2/service/iam", &iam.Client{}, true},
	{"STS", "sts", "2011-06-15", "", "github.com/aws/aws-sdk-go-v2/service/sts", &sts.Client{}, true},
	// Organizations: what multi-account IAM needs (issue 7); invitations,
	// trusted service access and the other policy types are not served.
	{"Organizations", "organizations", "", "AWSOrganizationsV20161128", "github.com/aws/aws-sdk-go-v2/service/organizations", &organizations.Client{}, false},
}

// coverageOperations lists the operations of an SDK client: its methods of
// the shape func(context.Context, *XInput, ...func(*Options)) (*XOutput,
// error), sorted by name.
func coverageOperations(client any) []string {
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	t := reflect.TypeOf(client)
	var ops []string
	for i := range t.NumMethod() {
		m := t.Method(i)
		ft := m.Type // the receiver is In(0)
		if ft.NumIn() != 4 || !ft.IsVariadic() || ft.NumOut() != 2 || ft.In(1) != ctxType || ft.Out(1) != errType {
			continue
		}
		in, out := ft.In(2), ft.Out(0)
		if in.Kind() != reflect.Pointer || in.Elem().Name() != m.Name+"Input" ||
			out.Kind() != reflect.Pointer || out.Elem().Name() != m.Name+"Output" {
			continue
		}
		ops = append(ops, m.Name)
	}
	sort.Strings(ops)
	return ops
}

// coverageModuleVersion is the version of a module go.mod requires. (A
// test binary's build information does not list its dependencies.)
func coverageModuleVersion(t *testing.T, path string) string {
	t.Helper()
	mod, err := os.ReadFile(filepath.FromSlash("../../go.mod"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && (f[0] == path || (len(f) >= 3 && f[0] == "require" && f[1] == path)) {
			return f[len(f)-1]
		}
	}
	t.Fatalf("go.mod does not require %s", path)
	return ""
}

// coverageAuthErrors are the codes of a request refused before it reaches
// an action: a sign the probe itself is broken.
var coverageAuthErrors = []string{"MissingAuthenticationToken", "InvalidClientTokenId", "SignatureDoesNotMatch",
	"IncompleteSignature", "ServiceUnavailable", "ServiceFailure", "InternalFailure",
	"UnrecognizedClientException", "InvalidSignatureException", "ServiceException"}

// TestCoverage sends every operation of the AWS IAM, STS and
// Organizations models to a server, with root credentials and no
// parameters, and records which ones the server knows (any answer but
// InvalidAction, or UnknownOperationException for a JSON API). It keeps
// docs/compatibility.md true: run with -update to rewrite it. Every IAM
// and STS operation must be served.
func TestCoverage(t *testing.T) {
	srv := servertest.Start(t)
	probe := func(a coverageAPI, op string) (body string, unknown bool) {
		if a.target != "" {
			_, raw := postJSON(t, srv, a.service, a.target+"."+op, "application/x-amz-json-1.1", "{}")
			return string(raw), strings.Contains(string(raw), `"UnknownOperationException"`)
		}
		_, body = signedPost(t, srv, servertest.RootAccessKeyID, servertest.RootSecretAccessKey, a.service,
			"Action="+op+"&Version="+a.version, time.Now())
		return body, strings.Contains(body, "<Code>InvalidAction</Code>")
	}
	var doc strings.Builder
	type row struct {
		api, op string
		served  bool
	}
	var rows []row
	var summary []string
	for _, a := range coverageAPIs {
		ops := coverageOperations(a.client)
		require.NotEmpty(t, ops, "no operations found on %T", a.client)
		// The probe tells an unknown operation apart.
		body, unknown := probe(a, "NoSuchCoverageOperation")
		require.True(t, unknown, body)
		served := 0
		for _, op := range ops {
			body, unknown := probe(a, op)
			ok := !unknown
			for _, code := range coverageAuthErrors {
				require.NotContains(t, body, "<Code>"+code+"</Code>", "%s %s: the probe did not reach the action", a.name, op)
				require.NotContains(t, body, `"`+code+`"`, "%s %s: the probe did not reach the action", a.name, op)
			}
			if a.all {
				require.True(t, ok, "%s %s is not served", a.name, op)
			}
			if ok {
				served++
			}
			rows = append(rows, row{a.name, op, ok})
		}
		summary = append(summary, fmt.Sprintf("- %s (`%s` %s): %d of %d operations served, %d not yet.",
			a.name, strings.TrimPrefix(a.module, "github.com/aws/aws-sdk-go-v2/"), coverageModuleVersion(t, a.module),
			served, len(ops), len(ops)-served))
	}

	doc.WriteString("# AWS API compatibility\n\n")
	doc.WriteString("<!-- Generated by `go test ./internal/server -run TestCoverage -update`. Do not edit. -->\n\n")
	doc.WriteString("Which operations of the AWS IAM, STS and Organizations APIs Warden serves. The operations are\n")
	doc.WriteString("those of the aws-sdk-go-v2 clients Warden is tested with; the test sends each one to a server and\n")
	doc.WriteString("counts it as served unless the server answers `InvalidAction` (`UnknownOperationException` for\n")
	doc.WriteString("Organizations, a JSON API). Every IAM and STS operation is served.\n\n")
	doc.WriteString(strings.Join(summary, "\n") + "\n\n")
	doc.WriteString("| API | Operation | Served |\n|---|---|---|\n")
	for _, r := range rows {
		served := "no"
		if r.served {
			served = "yes"
		}
		fmt.Fprintf(&doc, "| %s | %s | %s |\n", r.api, r.op, served)
	}

	if *update {
		require.NoError(t, os.WriteFile(filepath.FromSlash(coverageDoc), []byte(doc.String()), 0o644))
	}
	want, err := os.ReadFile(filepath.FromSlash(coverageDoc))
	require.NoError(t, err, "run go test ./internal/server -run TestCoverage -update to create it")
	require.Equal(t, string(want), doc.String(),
		"docs/compatibility.md is out of date: run go test ./internal/server -run TestCoverage -update")
}
