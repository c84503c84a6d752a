package record

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/store"
)

// Organizations records (store.Organization, OrgUnit, OrgAccount,
// OrgPolicy, CreateAccountStatus) are kept whole as JSON in a data
// column; the backends copy the fields they index or constrain (ids,
// parents, names) into columns of their own.

// OrgRecord returns the JSON data of an organizations record, after
// checking that every string in it is valid UTF-8 (ErrInvalidText).
func (c Codec) OrgRecord(v any) (string, error) {
	if err := c.checkStrings(reflect.ValueOf(v), ""); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: encode %T: %w", c.Backend, v, err)
	}
	return string(b), nil
}

// DecodeOrgRecord decodes the JSON data of an organizations record into
// dst (a pointer) and puts its times in UTC.
func (c Codec) DecodeOrgRecord(data string, dst any) error {
	if err := json.Unmarshal([]byte(data), dst); err != nil {
		return fmt.Errorf("%s: stored %T: %w", c.Backend, dst, err)
	}
	utc(reflect.ValueOf(dst).Elem())
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

func (c Codec) checkStrings(v reflect.Value, name string) error {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return fmt.Errorf("%s: %w: %s", c.Backend, store.ErrInvalidText, name)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return nil
		}
		for i := range v.NumField() {
			if err := c.checkStrings(v.Field(i), v.Type().Field(i).Name); err != nil {
				return err
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := c.checkStrings(v.Index(i), name); err != nil {
				return err
			}
		}
	}
	return nil
}

// utc sets every time field of a decoded record to UTC, so the zero time
// and every other time compare equal to what was stored.
func utc(v reflect.Value) {
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			utc(v.Field(i))
		}
	case v.Kind() == reflect.Slice:
		for i := range v.Len() {
			utc(v.Index(i))
		}
	}
}
