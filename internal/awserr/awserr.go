// Package awserr is the vocabulary of AWS errors: a code, the message the
// client sees verbatim, the HTTP status and the fault (Sender or Receiver).
// Domain code returns *Error values; the HTTP edge is the one place that
// renders them. It imports nothing of Warden's.
package awserr

import (
	"fmt"
	"net/http"
)

// Fault says whose fault an error is; it becomes <Type> in the XML body.
type Fault uint8

// The two faults.
const (
	Sender Fault = iota
	Receiver
)

func (f Fault) String() string {
	if f == Receiver {
		return "Receiver"
	}
	return "Sender"
}

// Error is an error as AWS reports it.
type Error struct {
	Code    string // "NoSuchEntity"
	Message string // shown to the client verbatim
	Status  int    // 404
	Fault   Fault
	// Reason is the Reason member some errors of the JSON APIs carry
	// (Organizations' InvalidInputException, ConstraintViolationException);
	// "" for none, and always for the Query APIs.
	Reason string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// New returns an error with the given code, status and message.
func New(code string, status int, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...), Status: status, Fault: Sender}
}

func sender(code string, status int) func(format string, a ...any) *Error {
	return func(format string, a ...any) *Error { return New(code, status, format, a...) }
}

// The errors of the AWS common set and of IAM, with AWS's statuses.
var (
	NoSuchEntity            = sender("NoSuchEntity", http.StatusNotFound)
	EntityAlreadyExists     = sender("EntityAlreadyExists", http.StatusConflict)
	MalformedPolicyDocument = sender("MalformedPolicyDocument", http.StatusBadRequest)
	LimitExceeded           = sender("LimitExceeded", http.StatusConflict)
	DeleteConflict          = sender("DeleteConflict", http.StatusConflict)
	InvalidInput            = sender("InvalidInput", http.StatusBadRequest)
	ValidationError         = sender("ValidationError", http.StatusBadRequest)
	MissingParameter        = sender("MissingParameter", http.StatusBadRequest)
	InvalidParameterValue   = sender("InvalidParameterValue", http.StatusBadRequest)
	InvalidAction           = sender("InvalidAction", http.StatusBadRequest)
	AccessDenied            = sender("AccessDenied", http.StatusForbidden)
	PolicyNotAttachable     = sender("PolicyNotAttachable", http.StatusBadRequest)
	InvalidClientTokenID    = sender("InvalidClientTokenId", http.StatusForbidden)
	SignatureDoesNotMatch   = sender("SignatureDoesNotMatch", http.StatusForbidden)
	IncompleteSignature     = sender("IncompleteSignature", http.StatusBadRequest)
	MissingAuthentication   = sender("MissingAuthenticationToken", http.StatusForbidden)
	RequestExpired          = sender("RequestExpired", http.StatusBadRequest)
	ExpiredToken            = sender("ExpiredToken", http.StatusForbidden)
	UnrecognizedClient      = sender("UnrecognizedClientException", http.StatusBadRequest)
	OptInRequired           = sender("OptInRequired", http.StatusForbidden)
	MalformedQueryString    = sender("MalformedQueryString", http.StatusNotFound)
	UnsupportedProtocol     = sender("UnsupportedProtocol", http.StatusBadRequest)
	RequestEntityTooLarge   = sender("RequestEntityTooLarge", http.StatusRequestEntityTooLarge)
	Throttling              = sender("Throttling", http.StatusBadRequest)
)

// ServiceFailure is IAM's generic 500. Its text says nothing of the cause,
// which goes to the log only.
func ServiceFailure() *Error {
	return &Error{Code: "ServiceFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: http.StatusInternalServerError, Fault: Receiver}
}

// InternalFailure is the common set's generic 500.
func InternalFailure() *Error {
	return &Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: http.StatusInternalServerError, Fault: Receiver}
}

// ServiceUnavailable is the 503 for a node that cannot decide on
// trustworthy data (its store is unreachable).
func ServiceUnavailable() *Error {
	return &Error{Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server.", Status: http.StatusServiceUnavailable, Fault: Receiver}
}
