// Package api is Warden's HTTP edge for the AWS Query APIs and the AWS
// JSON 1.1 APIs (json.go): it reads the request (size limit, form or JSON
// body), authenticates it with SigV4, routes its Action (or X-Amz-Target)
// to a declarative table entry, decodes the input once, asks the
// decision engine whether the caller may do it, runs it, and renders the
// result or the error. It is the one place an error becomes bytes on the
// wire, and every request, allowed or not, leaves one audit event.
package api
