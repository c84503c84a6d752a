// Package query is the AWS Query protocol codec: it decodes a form
// (POST body or GET query string) into a typed input struct, applying the
// constraints of the AWS model with AWS's ValidationError messages, and
// encodes results and errors as the XML envelopes AWS returns. Services
// never see url.Values.
package query
