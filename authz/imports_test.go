package authz_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEngineImports keeps the public engine's imports pointing one way:
// arn imports nothing of Warden's, policy only arn, authz only policy and
// arn. Other Go services embed these packages; they must never pull in
// Warden's internals.
func TestEngineImports(t *testing.T) {
	const module = "github.com/warden-iam/warden/"
	allowed := map[string][]string{
		"arn":    nil,
		"policy": {module + "arn"},
		"authz":  {module + "arn", module + "policy"},
	}
	for dir, ok := range allowed {
		files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, files, dir)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			parsed, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, module) {
					require.Contains(t, ok, path, "%s imports %s", f, path)
				}
				require.NotContains(t, path, "/internal/", "%s imports %s", f, path)
			}
		}
	}
}
