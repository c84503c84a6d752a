package iam

import (
	"encoding/base64"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// pageByID cuts one page out of a list the service holds whole (a user's
// keys or credentials, in their list order). The marker is the base64 of
// the id of the last item returned; a marker naming no item of the list
// (forged, or its item deleted since) is refused rather than silently
// restarting the list.
func pageByID[T any](items []T, id func(T) string, p store.PageRequest) (store.Page[T], error) {
	if p.Marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(p.Marker)
		found := -1
		if err == nil {
			for i, it := range items {
				if id(it) == string(b) {
					found = i
					break
				}
			}
		}
		if found < 0 {
			// No recorded AWS text for a bad marker; this one says what
			// is wrong in AWS's style.
			return store.Page[T]{}, awserr.ValidationError("Invalid Marker %s.", p.Marker)
		}
		items = items[found+1:]
	}
	out := store.Page[T]{Items: items}
	if p.MaxItems > 0 && len(items) > p.MaxItems {
		out.Items = items[:p.MaxItems]
		out.Truncated = true
		out.Marker = base64.RawURLEncoding.EncodeToString([]byte(id(out.Items[p.MaxItems-1])))
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	return out, nil
}
