package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/sts"
)

// webTokenDiscovery serves the OpenID Connect discovery document of
// Warden as the issuer of GetWebIdentityToken's tokens. The issuer is
// named by the address the connection came in on, as the STS action names
// it, so that the token's iss and this document agree.
func (s *Server) webTokenDiscovery(w http.ResponseWriter, r *http.Request) {
	webTokenJSON(w, sts.WebTokenDiscovery(webTokenIssuer(r.Context())))
}

// webTokenJWKS serves the public keys that verify those tokens.
func (s *Server) webTokenJWKS(w http.ResponseWriter, r *http.Request) {
	set, err := s.sts.WebTokenJWKS(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "web identity token keys unavailable", "err", err)
		http.Error(w, "keys unavailable", http.StatusServiceUnavailable)
		return
	}
	webTokenJSON(w, set)
}

func webTokenIssuer(ctx context.Context) string {
	if a, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr); ok {
		return sts.WebTokenIssuer(a.String(), false)
	}
	return sts.WebTokenIssuer("", false)
}

func webTokenJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_ = json.NewEncoder(w).Encode(v)
}

// EncodeAuthorizationMessage seals a decision trace with the server's STS
// service, as Warden's authorization API will for its denials; tests use
// it to make messages for DecodeAuthorizationMessage.
func (s *Server) EncodeAuthorizationMessage(ctx context.Context, req *authz.Request, d *authz.Diagnostic) (string, error) {
	return s.sts.EncodeAuthorizationMessage(ctx, req, d)
}

// IssueTradeInToken makes a trade-in token for GetDelegatedAccessToken, as
// IAM's delegation-request actions will once Warden serves them.
func (s *Server) IssueTradeInToken(ctx context.Context, d sts.Delegation) (string, error) {
	return s.sts.IssueTradeInToken(ctx, d)
}
