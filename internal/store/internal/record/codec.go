package record

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/store"
)

// Codec converts records to and from their stored form for one backend.
// The zero value is not useful: set Backend.
type Codec struct {
	// Backend names the backend ("sqlite", "postgres") at the start of
	// every error message, as the backend's own errors do.
	Backend string
	// TimePrecision truncates the times stored inside JSON data (0 keeps
	// nanoseconds). PostgreSQL keeps microseconds in its time columns, so
	// its backend truncates JSON times alike.
	TimePrecision time.Duration
}

// TimeLayout is the layout of the times inside JSON data (and of the
// SQLite backend's time columns). It is fixed-width so that times sort as
// text; the zero time is stored as "".
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// EncodeTime returns t in UTC in TimeLayout, truncated to TimePrecision,
// or "" for the zero time. Years outside 1-9999 are refused.
func (c Codec) EncodeTime(t time.Time) (string, error) {
	if t.IsZero() {
		return "", nil
	}
	u := t.UTC()
	if y := u.Year(); y < 1 || y > 9999 {
		return "", fmt.Errorf("%s: time %v out of range (years 1-9999)", c.Backend, t)
	}
	if c.TimePrecision > 0 {
		u = u.Truncate(c.TimePrecision)
	}
	return u.Format(TimeLayout), nil
}

// DecodeTime reverses EncodeTime: "" is the zero time.
func (c Codec) DecodeTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: stored time %q: %w", c.Backend, s, err)
	}
	return t, nil
}

// Fold is the case fold of names: stored in name_lower and compared there.
// Folding happens in Go, never in SQL, so the result does not depend on a
// database's locale and is the same in every backend.
func Fold(name string) string { return strings.ToLower(name) }

// CheckText returns an error wrapping store.ErrInvalidText, naming the
// field, for the first value that is not valid UTF-8: the name fold
// (strings.ToLower), JSON and PostgreSQL's text type could not keep it
// verbatim, so it is refused rather than silently altered. fields
// alternate name, value.
func (c Codec) CheckText(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if !utf8.ValidString(fields[i+1]) {
			return fmt.Errorf("%s: %w: %s", c.Backend, store.ErrInvalidText, fields[i])
		}
	}
	return nil
}

// CheckTags is CheckText for every key and value of tags.
func (c Codec) CheckTags(tags []store.Tag) error {
	for _, tg := range tags {
		if err := c.CheckText("tag key", tg.Key, "tag value", tg.Value); err != nil {
			return err
		}
	}
	return nil
}

// CheckList is CheckText for every value of vs, each named field.
func (c Codec) CheckList(field string, vs []string) error {
	for _, v := range vs {
		if err := c.CheckText(field, v); err != nil {
			return err
		}
	}
	return nil
}

// EncodeJSON returns v as the JSON of a data column; what names the
// record in the error.
func (c Codec) EncodeJSON(what string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: encode %s data: %w", c.Backend, what, err)
	}
	return string(b), nil
}

// DecodeJSON reads the JSON of a data column into v; "" and "{}" (the
// columns' default) leave v as it is. what names the record in the error.
func (c Codec) DecodeJSON(what, data string, v any) error {
	if data == "" || data == "{}" {
		return nil
	}
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return fmt.Errorf("%s: stored data of %q: %w", c.Backend, what, err)
	}
	return nil
}

// tagJSON is a tag in JSON data.
type tagJSON struct {
	K string `json:"k"`
	V string `json:"v"`
}

func tagsToJSON(tags []store.Tag) []tagJSON {
	if len(tags) == 0 {
		return nil
	}
	out := make([]tagJSON, len(tags))
	for i, tg := range tags {
		out[i] = tagJSON{K: tg.Key, V: tg.Value}
	}
	return out
}

func tagsFromJSON(tags []tagJSON) []store.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]store.Tag, len(tags))
	for i, tg := range tags {
		out[i] = store.Tag{Key: tg.K, Value: tg.V}
	}
	return out
}
