package iam

import (
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
