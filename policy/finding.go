package policy

import (
	"fmt"
	"strings"
)

// Severity tells whether a finding makes a document unusable.
type Severity uint8

// The severities.
const (
	// SeverityError: AWS refuses the document.
	SeverityError Severity = iota + 1
	// SeverityWarning: AWS accepts the document, but it probably does not
	// do what its author meant.
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Error codes of findings, as the IAM and Organizations APIs return them.
const (
	CodeMalformed       = "MalformedPolicyDocument"
	CodeLimitExceeded   = "LimitExceeded"
	CodeValidationError = "ValidationError"
	// The Organizations API (SCPs, RCPs) has its own vocabulary.
	CodeOrgMalformed  = "MalformedPolicyDocumentException"
	CodeOrgConstraint = "ConstraintViolationException"
)

// orgMalformedMessage is the one message AWS Organizations returns for
// every invalid SCP or RCP.
const orgMalformedMessage = "The provided policy document does not meet the requirements of the specified policy type."

// Finding is one problem in a policy document.
type Finding struct {
	Severity Severity
	// Code is the AWS error code the API returns for this finding.
	Code string
	// Message is AWS's message, verbatim, as the API returns it.
	Message string
	// Detail says precisely what is wrong, where Message (AWS's text) is
	// generic, such as "Syntax errors in policy.".
	Detail string
	// Path locates the element, e.g. "Statement[1].Condition.StringEquals".
	Path string
	// Span is the element's byte range in the document, when known.
	Span Span
}

func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	if f.Path != "" {
		b.WriteString(" at ")
		b.WriteString(f.Path)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	if f.Detail != "" && f.Detail != f.Message {
		b.WriteString(" (")
		b.WriteString(f.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Error is returned by [Parse] for a document AWS would refuse. It holds
// every error finding; the first is the one AWS reports.
type Error struct {
	Findings []Finding
}

func (e *Error) Error() string {
	if len(e.Findings) == 0 {
		return "invalid policy"
	}
	f := e.Findings[0]
	if f.Detail != "" && f.Detail != f.Message {
		return fmt.Sprintf("%s: %s (%s)", f.Code, f.Message, f.Detail)
	}
	return f.Code + ": " + f.Message
}

// First returns the finding AWS would report.
func (e *Error) First() Finding {
	if len(e.Findings) == 0 {
		return Finding{Severity: SeverityError, Code: CodeMalformed, Message: msgSyntax}
	}
	return e.Findings[0]
}
