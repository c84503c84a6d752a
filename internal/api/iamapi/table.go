package iamapi

import (
	"net/url"
	"strings"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
)

// Actions returns the IAM action table.
func Actions(s *iam.Service) []api.Handler {
	var all []api.Handler
	for _, area := range [][]api.Handler{
		userActions(s),
		accessKeyActions(s),
		groupActions(s),
		roleActions(s),
		managedPolicyActions(s),
		inlinePolicyActions(s),
		oidcProviderActions(s),
		samlProviderActions(s),
		mfaActions(s),
	} {
		all = append(all, area...)
	}
	return all
}

// encodeDocument URL-encodes a policy document as IAM returns documents
// (RFC 3986 percent-encoding; a space is %20).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}
