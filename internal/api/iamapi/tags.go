package iamapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// listTagsResult is the answer of every List*Tags action. Marker is set
// only by the kinds whose tags are paged (ListPolicyTags).
type listTagsResult struct {
	Tags        []Tag  `xml:"Tags>member"`
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

// requestTags adds aws:RequestTag/KEY and aws:TagKeys for tags a request
// sets.
func requestTags(tags []iam.Tag, keys *policy.Context) {
	if len(tags) == 0 {
		return
	}
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys.Set("aws:RequestTag/"+t.Key, t.Value)
		names = append(names, t.Key)
	}
	keys.Set("aws:TagKeys", names...)
}

// taggable declares the Tag*, Untag* and List*Tags actions of one kind of
// entity, whose inputs are T, U and L. All three are authorized on Target
// of the entity the input names; Tag* adds aws:RequestTag/* and
// aws:TagKeys, Untag* adds aws:TagKeys.
type taggable[T, U, L any] struct {
	// Kind names the actions and their IAM actions: "User" declares
	// TagUser, UntagUser and ListUserTags (iam:TagUser ...).
	Kind string
	// Target is the resource of the entity an input names. WriteTarget,
	// when set, replaces it for Tag* and Untag*.
	Target      targetOf
	WriteTarget targetOf
	// TagID, UntagID and ListID read the entity's name or ARN from each
	// input; Tags and TagKeys read the tags set and the keys removed.
	TagID   func(*T) string
	UntagID func(*U) string
	ListID  func(*L) string
	Tags    func(*T) []iam.Tag
	TagKeys func(*U) []string
	// Tag, Untag and List are the service's methods.
	Tag   func(ctx context.Context, acct string, in T) error
	Untag func(ctx context.Context, acct string, in U) error
	List  func(ctx context.Context, acct string, in L) (store.Page[store.Tag], error)
}

// actions returns the kind's three table entries.
func (k taggable[T, U, L]) actions() []api.Handler {
	write := k.Target
	if k.WriteTarget != nil {
		write = k.WriteTarget
	}
	return []api.Handler{
		api.Action[T, struct{}]{
			Name: "Tag" + k.Kind, IAMAction: "iam:Tag" + k.Kind,
			Resource: named(write, k.TagID),
			Context:  func(_ *api.Call, in *T, keys *policy.Context) { requestTags(k.Tags(in), keys) },
			Do: func(ctx context.Context, c *api.Call, in *T) (*struct{}, error) {
				return nil, k.Tag(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[U, struct{}]{
			Name: "Untag" + k.Kind, IAMAction: "iam:Untag" + k.Kind,
			Resource: named(write, k.UntagID),
			Context:  func(_ *api.Call, in *U, keys *policy.Context) { keys.Set("aws:TagKeys", k.TagKeys(in)...) },
			Do: func(ctx context.Context, c *api.Call, in *U) (*struct{}, error) {
				return nil, k.Untag(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[L, listTagsResult]{
			Name: "List" + k.Kind + "Tags", IAMAction: "iam:List" + k.Kind + "Tags", ReadOnly: true,
			Resource: named(k.Target, k.ListID),
			Do: func(ctx context.Context, c *api.Call, in *L) (*listTagsResult, error) {
				p, err := k.List(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := tags(p.Items)
				if out == nil {
					out = []Tag{}
				}
				return &listTagsResult{Tags: out, IsTruncated: p.Truncated, Marker: p.Marker}, nil
			},
		},
	}
}
