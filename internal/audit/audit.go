// Package audit records one CloudTrail-format event per API request,
// allowed or denied, in a sink (a JSON-lines file in the data directory).
// Secrets never reach an event: input and output fields tagged
// `audit:"redact"` are replaced, as CloudTrail does, by
// HIDDEN_DUE_TO_SECURITY_REASONS. It imports nothing of Warden's.
package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Hidden replaces a secret in an event, in CloudTrail's words.
const Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// Event is one API call in CloudTrail's record format.
// [CloudTrail record contents]: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
type Event struct {
	EventVersion       string         `json:"eventVersion"`
	UserIdentity       UserIdentity   `json:"userIdentity"`
	EventTime          string         `json:"eventTime"`
	EventSource        string         `json:"eventSource"`
	EventName          string         `json:"eventName"`
	AWSRegion          string         `json:"awsRegion"`
	SourceIPAddress    string         `json:"sourceIPAddress"`
	UserAgent          string         `json:"userAgent"`
	ErrorCode          string         `json:"errorCode,omitempty"`
	ErrorMessage       string         `json:"errorMessage,omitempty"`
	RequestParameters  map[string]any `json:"requestParameters"`
	ResponseElements   map[string]any `json:"responseElements"`
	RequestID          string         `json:"requestID"`
	EventID            string         `json:"eventID"`
	ReadOnly           bool           `json:"readOnly"`
	EventType          string         `json:"eventType"`
	ManagementEvent    bool           `json:"managementEvent"`
	RecipientAccountID string         `json:"recipientAccountId,omitempty"`
	EventCategory      string         `json:"eventCategory"`
}

// UserIdentity is the caller of an event.
type UserIdentity struct {
	Type        string `json:"type,omitempty"` // Root, IAMUser, AssumedRole, ...
	PrincipalID string `json:"principalId,omitempty"`
	ARN         string `json:"arn,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	UserName    string `json:"userName,omitempty"`
}

// Sink stores events. Write must be safe for concurrent use.
type Sink interface {
	Write(e *Event) error
	Close() error
}

// FileSink appends events as JSON lines to a file.
type FileSink struct {
	mu sync.Mutex
	f  *os.File
}

// OpenFile opens (creating, mode 0600) a JSON-lines audit file.
func OpenFile(path string) (*FileSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: open %s: %w", path, err)
	}
	return &FileSink{f: f}, nil
}

// Write appends one event.
func (s *FileSink) Write(e *Event) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.f.Write(line)
	return err
}

// Close closes the file.
func (s *FileSink) Close() error { return s.f.Close() }

// Discard is a Sink that keeps nothing.
type Discard struct{}

// Write does nothing.
func (Discard) Write(*Event) error { return nil }

// Close does nothing.
func (Discard) Close() error { return nil }

// FormatTime formats an event time as CloudTrail does.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// Parameters turns an input or output struct into CloudTrail's
// lowerCamel map, omitting empty fields and hiding fields tagged
// `audit:"redact"`.
func Parameters(v any) map[string]any {
	if v == nil {
		return nil
	}
	m, _ := convert(reflect.ValueOf(v)).(map[string]any)
	return m
}

func convert(v reflect.Value) any {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return FormatTime(t)
		}
		if tm, ok := v.Interface().(interface{ MarshalText() ([]byte, error) }); ok {
			b, err := tm.MarshalText()
			if err == nil {
				return string(b)
			}
		}
		out := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Name == "XMLName" {
				continue
			}
			name := fieldName(sf)
			if name == "" {
				continue
			}
			fv := v.Field(i)
			if fv.IsZero() {
				continue
			}
			if sf.Tag.Get("audit") == "redact" {
				out[name] = Hidden
				continue
			}
			if sf.Anonymous {
				if inner, ok := convert(fv).(map[string]any); ok {
					for k, x := range inner {
						out[k] = x
					}
				}
				continue
			}
			out[name] = convert(fv)
		}
		return out
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return Hidden // raw bytes are never logged
		}
		list := make([]any, v.Len())
		for i := range list {
			list[i] = convert(v.Index(i))
		}
		return list
	case reflect.Map:
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			out[fmt.Sprint(iter.Key().Interface())] = convert(iter.Value())
		}
		return out
	default:
		return v.Interface()
	}
}

// fieldName is the lowerCamel form of the field's wire name (its query or
// xml tag, else its Go name).
func fieldName(sf reflect.StructField) string {
	name := sf.Name
	if q, ok := sf.Tag.Lookup("query"); ok {
		name, _, _ = strings.Cut(q, ",")
	} else if j, ok := sf.Tag.Lookup("json"); ok {
		name, _, _ = strings.Cut(j, ",") // the JSON protocol's inputs and results
	} else if x, ok := sf.Tag.Lookup("xml"); ok {
		x, _, _ = strings.Cut(x, ",")
		if x == "-" {
			return ""
		}
		if i := strings.LastIndexByte(x, '>'); i >= 0 {
			x = x[:strings.IndexByte(x, '>')]
		}
		if x != "" {
			name = x
		}
	}
	if name == "-" || name == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}
