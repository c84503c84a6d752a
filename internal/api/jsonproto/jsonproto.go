package jsonproto

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/awserr"
)

// ContentType is the media type of AWS JSON 1.1 requests and responses.
const ContentType = "application/x-amz-json-1.1"

// The reasons a field fails its constraints, as AWS Organizations names
// them in InvalidInputException.
const (
	ReasonRequired  = "INPUT_REQUIRED"
	ReasonMinLength = "MIN_LENGTH_EXCEEDED"
	ReasonMaxLength = "MAX_LENGTH_EXCEEDED"
	ReasonPattern   = "INVALID_PATTERN"
	ReasonEnum      = "INVALID_ENUM"
	ReasonMinValue  = "MIN_VALUE_EXCEEDED"
	ReasonMaxValue  = "MAX_VALUE_EXCEEDED"
)

// FieldError is a field that fails a constraint of the model. The service
// turns it into its own error (Organizations: InvalidInputException with
// the Reason).
type FieldError struct {
	Field  string // the wire name, e.g. "Name" or "Tags.1.Key"
	Reason string // ReasonRequired, …
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

var patterns sync.Map // name -> *regexp.Regexp

// RegisterPattern adds a named pattern for `pattern` tags: goRE is the
// model's pattern in Go syntax, without anchors.
func RegisterPattern(name, goRE string) {
	patterns.Store(name, regexp.MustCompile(`^(?:`+goRE+`)$`))
}

// Decode fills dst (a pointer to a struct with `json` tags) from a JSON
// body ("" is {}), then checks the constraints that tags declare:
// `json:"Name,required"`, `min`, `max` (string length in characters,
// list length), `minValue`, `maxValue`, `pattern` (a registered name) and
// `enum` ("A|B"), in nested structs and lists of structs too. A body that
// is not a JSON object of the input's shape is a SerializationException;
// a constraint violation is a *FieldError.
func Decode(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		return serialization()
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return serialization()
	}
	return check(reflect.ValueOf(dst).Elem(), "")
}

func serialization() error {
	return awserr.New("SerializationException", http.StatusBadRequest, "Start of structure or map found where not expected.")
}

func check(v reflect.Value, prefix string) error {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		path := prefix + name
		fv := v.Field(i)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				if strings.Contains(opts, "required") {
					return &FieldError{path, ReasonRequired}
				}
				continue
			}
			fv = fv.Elem()
		} else if fv.IsZero() {
			// A value field is absent when empty: a required one must be
			// set (a required pointer field only present: "" is a value).
			if strings.Contains(opts, "required") {
				return &FieldError{path, ReasonRequired}
			}
			continue
		}
		if err := checkValue(fv, sf.Tag, path); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(fv reflect.Value, tag reflect.StructTag, path string) error {
	switch fv.Kind() {
	case reflect.String:
		s := fv.String()
		n := utf8.RuneCountInString(s)
		if m := tag.Get("min"); m != "" && n < atoi(m) {
			return &FieldError{path, ReasonMinLength}
		}
		if m := tag.Get("max"); m != "" && n > atoi(m) {
			return &FieldError{path, ReasonMaxLength}
		}
		if p := tag.Get("pattern"); p != "" {
			re, ok := patterns.Load(p)
			if !ok {
				panic(fmt.Sprintf("jsonproto: %s: unknown pattern %q", path, p))
			}
			if !re.(*regexp.Regexp).MatchString(s) {
				return &FieldError{path, ReasonPattern}
			}
		}
		if e := tag.Get("enum"); e != "" {
			ok := false
			for _, want := range strings.Split(e, "|") {
				ok = ok || s == want
			}
			if !ok {
				return &FieldError{path, ReasonEnum}
			}
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		n := fv.Int()
		if m := tag.Get("minValue"); m != "" && n < int64(atoi(m)) {
			return &FieldError{path, ReasonMinValue}
		}
		if m := tag.Get("maxValue"); m != "" && n > int64(atoi(m)) {
			return &FieldError{path, ReasonMaxValue}
		}
	case reflect.Slice:
		if m := tag.Get("min"); m != "" && fv.Len() < atoi(m) {
			return &FieldError{path, ReasonMinLength}
		}
		if m := tag.Get("max"); m != "" && fv.Len() > atoi(m) {
			return &FieldError{path, ReasonMaxLength}
		}
		for i := range fv.Len() {
			ev := fv.Index(i)
			p := path + "." + strconv.Itoa(i+1)
			if ev.Kind() == reflect.Struct {
				if err := check(ev, p+"."); err != nil {
					return err
				}
				continue
			}
			if err := checkValue(ev, reflect.StructTag(tag.Get("member")), p); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if fv.Type() != reflect.TypeFor[Time]() {
			return check(fv, path+".")
		}
	}
	return nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic("jsonproto: bad constraint " + s)
	}
	return n
}

// Time is a timestamp on the wire: seconds since the epoch, a JSON number
// with a fractional part (AWS JSON's default timestamp format).
type Time time.Time

// MarshalJSON writes the time in epoch seconds, to the millisecond.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// MarshalText writes the time in RFC 3339 (for the audit trail; the wire
// uses MarshalJSON).
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format(time.RFC3339)), nil
}

// UnmarshalJSON reads epoch seconds.
func (t *Time) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*t = Time(time.UnixMilli(int64(f * 1000)).UTC())
	return nil
}

// EncodeResult returns the JSON body of a result (nil: {}).
func EncodeResult(result any) ([]byte, error) {
	if result == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(result)
}

// errorBody is an error on the wire. SDKs read the code from __type and
// the message from Message (or message).
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"Message"`
	Reason  string `json:"Reason,omitempty"`
}

// EncodeError returns the JSON body of an error.
func EncodeError(e *awserr.Error) []byte {
	b, err := json.Marshal(errorBody{Type: e.Code, Message: e.Message, Reason: e.Reason})
	if err != nil {
		return []byte(`{"__type":"InternalFailure"}`)
	}
	return b
}

// Write writes a JSON response with the request id header.
func Write(w http.ResponseWriter, status int, body []byte, requestID string) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("x-amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
