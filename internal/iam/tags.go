package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Tag is a tag as IAM inputs carry it.
type Tag struct {
	Key   string `query:"Key,required" min:"1" max:"128" pattern:"tagKey"`
	Value string `query:"Value,required" max:"256" pattern:"tagValue"`
}

// maxTags is AWS's limit of tags per IAM entity.
const maxTags = 50

// checkNewTags applies AWS's tag rules to tags being added: no duplicate
// keys (case-insensitively), no "aws:" prefix.
// [Tagging IAM resources]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
func checkNewTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return awserr.InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		if strings.HasPrefix(k, "aws:") {
			return awserr.InvalidInput("User-created tag keys can't start with \"aws:\".")
		}
	}
	return nil
}

// mergeTags adds tags to existing ones: a key already present (compared
// case-insensitively) takes the new value. It refuses more than 50 tags.
func mergeTags(existing []store.Tag, add []Tag) ([]store.Tag, error) {
	if err := checkNewTags(add); err != nil {
		return nil, err
	}
	out := append([]store.Tag(nil), existing...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = store.Tag{Key: t.Key, Value: t.Value}
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, store.Tag{Key: t.Key, Value: t.Value})
		}
	}
	if len(out) > maxTags {
		return nil, awserr.LimitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// removeTags drops the given keys (case-insensitively).
func removeTags(existing []store.Tag, keys []string) []store.Tag {
	out := existing[:0:0]
	for _, t := range existing {
		drop := false
		for _, k := range keys {
			if strings.EqualFold(t.Key, k) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func toStoreTags(tags []Tag) []store.Tag {
	out := make([]store.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

// taggable is how the tag actions (Tag*, Untag*, List*Tags) reach the tags
// of one kind of entity, and the tag rules of that kind. The entity is named
// by id: a name, an ARN or a serial number, as the kind's inputs carry it.
type taggable struct {
	// modify runs fn on the tags of the entity in one transaction and
	// stores the entity, or returns the kind's NoSuchEntity.
	modify func(ctx context.Context, s *Service, acct, id string, fn func(*[]store.Tag) error) error
	// read returns the tags of the entity, or the kind's NoSuchEntity.
	read func(ctx context.Context, s *Service, acct, id string) ([]store.Tag, error)
	// check, when set, validates the new tags before the entity is read.
	check func([]Tag) error
	// merge adds tags to the existing ones; remove drops keys.
	merge  func(existing []store.Tag, add []Tag) ([]store.Tag, error)
	remove func(existing []store.Tag, keys []string) []store.Tag
	// page, when set, orders and pages the tags List*Tags returns; else
	// they come in stored order, all in one page (an entity has at most
	// 50 tags).
	page func(tags []store.Tag, p store.PageRequest) (store.Page[store.Tag], error)
}

// tag adds or replaces tags of the entity id names.
func (s *Service) tag(ctx context.Context, k taggable, acct, id string, add []Tag) error {
	if k.check != nil {
		if err := k.check(add); err != nil {
			return err
		}
	}
	return k.modify(ctx, s, acct, id, func(t *[]store.Tag) error {
		var err error
		*t, err = k.merge(*t, add)
		return err
	})
}

// untag removes tags of the entity id names.
func (s *Service) untag(ctx context.Context, k taggable, acct, id string, keys []string) error {
	return k.modify(ctx, s, acct, id, func(t *[]store.Tag) error {
		*t = k.remove(*t, keys)
		return nil
	})
}

// listTags returns the tags of the entity id names, one page of them.
func (s *Service) listTags(ctx context.Context, k taggable, acct, id string, marker *string, maxItems *int) (store.Page[store.Tag], error) {
	tags, err := k.read(ctx, s, acct, id)
	if err != nil {
		return store.Page[store.Tag]{}, err
	}
	if k.page == nil {
		return store.Page[store.Tag]{Items: tags}, nil
	}
	return k.page(tags, page(marker, maxItems))
}
