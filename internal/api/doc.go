// Package api is Warden's HTTP edge for the AWS Query APIs: it reads the
// request (size limit, form), authenticates it with SigV4, routes its
// Action to a declarative table entry, decodes the input once, asks the
// decision engine whether the caller may do it, runs it, and renders the
// result or the error. It is the one place an error becomes bytes on the
// wire, and every request, allowed or not, leaves one audit event.
package api
