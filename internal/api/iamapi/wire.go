package iamapi

import (
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// Tag is a tag on the wire.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// Members is an optional list in the Query protocol's <member> form. A nil
// *Members omits the element; `xml:"Tags>member,omitempty"` cannot, since
// encoding/xml writes the empty parent anyway, and AWS omits absent lists.
type Members[T any] struct {
	Items []T `xml:"member"`
}

// optionalTags returns the tags as an optional list: nil when there are none.
func optionalTags(in []store.Tag) *Members[Tag] {
	t := tags(in)
	if t == nil {
		return nil
	}
	return &Members[Tag]{Items: t}
}

// Boundary is an entity's PermissionsBoundary element.
type Boundary struct {
	Type string `xml:"PermissionsBoundaryType"`
	ARN  string `xml:"PermissionsBoundaryArn"`
}

// User is the User shape of the AWS model.
type User struct {
	Path                string        `xml:"Path,omitempty"`
	UserName            string        `xml:"UserName,omitempty"`
	UserID              string        `xml:"UserId"`
	ARN                 string        `xml:"Arn"`
	CreateDate          query.Time    `xml:"CreateDate"`
	PasswordLastUsed    *query.Time   `xml:"PasswordLastUsed,omitempty"`
	PermissionsBoundary *Boundary     `xml:"PermissionsBoundary,omitempty"`
	Tags                *Members[Tag] `xml:"Tags,omitempty"`
}

func tags(in []store.Tag) []Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]Tag, len(in))
	for i, t := range in {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func boundary(arn string) *Boundary {
	if arn == "" {
		return nil
	}
	return &Boundary{Type: "PermissionsBoundaryPolicy", ARN: arn}
}

// userOf converts a store user. full is false for listings: AWS behaviour,
// ListUsers returns neither tags nor the permissions boundary.
func userOf(u store.User, full bool) User {
	w := User{Path: u.Path, UserName: u.Name, UserID: u.ID, ARN: iam.UserARN(u.Account, u.Path, u.Name),
		CreateDate: query.Time(u.CreateDate), PasswordLastUsed: query.TimePtr(u.PasswordLastUsed)}
	if full {
		w.Tags = optionalTags(u.Tags)
		w.PermissionsBoundary = boundary(u.PermissionsBoundary)
	}
	return w
}
