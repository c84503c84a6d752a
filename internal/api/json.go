package api

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/sigv4"
)

// NewJSONService returns an AWS JSON 1.1 service: requests are POSTs whose
// X-Amz-Target header is "<target>.<Action>" and whose body is the JSON
// input. invalid turns an input that fails the model's constraints into
// the service's error. Its actions are Action values like the Query
// services', with `json` tags on their inputs.
func NewJSONService(name, target, source string, failure func() *awserr.Error, invalid func(*jsonproto.FieldError) error, handlers ...Handler) *Service {
	s := NewService(name, "", "", source, failure, handlers...)
	s.Target = target
	s.invalid = invalid
	return s
}

// serveJSON handles one JSON-protocol request through the same phases as
// a Query request: bounded body, SigV4, snapshot, session limits,
// authorization (in the action), the audit event, one place for errors.
func (d *Dispatcher) serveJSON(w http.ResponseWriter, r *http.Request, target string) {
	start := d.cfg.Now()
	call := &Call{RequestID: d.cfg.RequestID(), Time: start.UTC(), SourceIP: sourceIP(r), UserAgent: r.UserAgent(), Secure: r.TLS != nil}
	prefix, action, _ := strings.Cut(target, ".")
	svc := d.jsonService(prefix)
	var result any
	var err error
	defer func() {
		d.finish(w, r, d.respondJSON, svc, action, call, result, err, recover(), start)
	}()
	if r.Method != http.MethodPost {
		err = awserr.New("InvalidHttpRequest", http.StatusMethodNotAllowed, "The %s method is not supported.", r.Method)
		return
	}
	var raw []byte
	raw, err = readBody(w, r)
	if err != nil {
		return
	}
	if mt, _, perr := mime.ParseMediaType(r.Header.Get("Content-Type")); len(raw) > 0 && (perr != nil || !strings.HasPrefix(mt, "application/x-amz-json-")) {
		err = awserr.New("UnsupportedMediaTypeException", http.StatusUnsupportedMediaType, "The request's Content-Type must be %s.", jsonproto.ContentType)
		return
	}
	if svc.Target == "" {
		err = awserr.New("UnknownOperationException", http.StatusBadRequest, "The target %s is not known.", target)
		return
	}
	var key *sigv4.Result
	if key, err = d.cfg.Verifier.Verify(r.Context(), r, raw); err != nil {
		err = jsonAuthError(err)
		return
	}
	if key.Service != svc.Name {
		err = awserr.New("InvalidSignatureException", http.StatusBadRequest, "Credential should be scoped to correct service: '%s'.", svc.Name)
		return
	}
	if err = d.authenticated(r.Context(), call, svc, key, action); err != nil {
		return
	}
	result, err = d.dispatchJSON(r.Context(), svc, call, action, raw)
}

// dispatchJSON routes an authenticated JSON call to its handler.
func (d *Dispatcher) dispatchJSON(ctx context.Context, svc *Service, call *Call, action string, body []byte) (any, error) {
	call.auditFailing = d.auditFailing.Load()
	h, ok := svc.handlers[action]
	if !ok {
		return nil, awserr.New("UnknownOperationException", http.StatusBadRequest, "The operation %s is not known.", action)
	}
	return h.serveJSON(ctx, call, body, svc.invalid)
}

// jsonService returns the JSON service of an X-Amz-Target prefix, or a
// stand-in (Target "") that only renders the error.
func (d *Dispatcher) jsonService(prefix string) *Service {
	for _, s := range d.services {
		if s.Target != "" && s.Target == prefix {
			return s
		}
	}
	return &Service{Name: "unknown", Failure: awserr.InternalFailure}
}

// jsonAuthError renders SigV4's failures with the codes AWS's JSON
// services use.
func jsonAuthError(err error) error {
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case "InvalidClientTokenId":
		return awserr.New("UnrecognizedClientException", http.StatusForbidden, "%s", ae.Message)
	case "SignatureDoesNotMatch", "IncompleteSignature":
		return awserr.New("InvalidSignatureException", http.StatusBadRequest, "%s", ae.Message)
	}
	return err
}

// respondJSON writes the JSON result or error and returns the error code
// ("" on success).
func (d *Dispatcher) respondJSON(w http.ResponseWriter, r *http.Request, svc *Service, action string, call *Call, result any, err error) string {
	if err == nil {
		body, encErr := jsonproto.EncodeResult(result)
		if encErr == nil {
			jsonproto.Write(w, http.StatusOK, body, call.RequestID)
			return ""
		}
		err = encErr
	}
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		d.cfg.Log.ErrorContext(r.Context(), "unhandled error", "request_id", call.RequestID, "action", action, "err", err)
		ae = svc.Failure()
	}
	if ae.Code == "AccessDenied" {
		// The engine's denial, in the JSON services' vocabulary.
		c := *ae
		c.Code = "AccessDeniedException"
		ae = &c
	}
	jsonproto.Write(w, ae.Status, jsonproto.EncodeError(ae), call.RequestID)
	return ae.Code
}
