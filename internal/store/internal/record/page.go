package record

import (
	"encoding/base64"
	"fmt"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/store"
)

// EncodeMarker returns the marker that continues a list after the entity
// whose folded name is nameLower: base64 of that name. It names a
// position in the list, not a row, so it survives writes.
func EncodeMarker(nameLower string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(nameLower))
}

// DecodeMarker reverses EncodeMarker. A marker this package did not make
// is an error wrapping store.ErrInvalidMarker.
func (c Codec) DecodeMarker(m string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || !utf8.Valid(b) {
		return "", fmt.Errorf("%s: %w", c.Backend, store.ErrInvalidMarker)
	}
	return string(b), nil
}

// Page assembles the page for p from rows, in list order, that a list
// query returned with a limit of p.MaxItems+1 (no limit when p.MaxItems
// is 0 or less): the extra row, if any, only marks the page truncated.
// Each kept row is converted with conv.
func Page[T any](rows []Entity, p store.PageRequest, conv func(Entity) (T, error)) (store.Page[T], error) {
	var out store.Page[T]
	if p.MaxItems > 0 && len(rows) > p.MaxItems {
		rows = rows[:p.MaxItems]
		out.Truncated = true
		out.Marker = EncodeMarker(rows[len(rows)-1].NameLower)
	}
	out.Items = make([]T, 0, len(rows))
	for _, r := range rows {
		v, err := conv(r)
		if err != nil {
			return store.Page[T]{}, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}
