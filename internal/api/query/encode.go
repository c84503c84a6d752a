package query

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
)

// The XML namespaces of the Query APIs Warden serves.
const (
	NamespaceIAM = "https://iam.amazonaws.com/doc/2010-05-08/"
	NamespaceSTS = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// Time is a timestamp as the Query APIs write it: ISO 8601 in UTC with
// second precision, e.g. 2026-11-22T12:00:00Z.
type Time time.Time

// MarshalText formats t.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// TimePtr returns a *Time for t, or nil for the zero time, so optional
// timestamps are omitted.
func TimePtr(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	q := Time(t)
	return &q
}

// EncodeResult renders the envelope of a successful call: the
// <ActionResponse> element holding <ActionResult> (omitted when result is
// nil) and the request id.
func EncodeResult(ns, action string, result any, requestID string) ([]byte, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	if err := enc.EncodeToken(root); err != nil {
		return nil, err
	}
	if result != nil {
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return nil, err
		}
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	if err := enc.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// EncodeError renders AWS's error envelope.
func EncodeError(ns string, e *awserr.Error, requestID string) []byte {
	r := errorResponse{Xmlns: ns, RequestID: requestID}
	r.Error.Type = e.Fault.String()
	r.Error.Code = e.Code
	r.Error.Message = e.Message
	out, err := xml.Marshal(r)
	if err != nil {
		// Only strings are marshalled: this cannot fail.
		panic(err)
	}
	return out
}

// WriteXML writes an XML body with its status.
func WriteXML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
