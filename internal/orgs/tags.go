package orgs

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/store"
)

// Tag is a tag on the wire.
type Tag struct {
	Key   string  `json:"Key,required" min:"1" max:"128"`
	Value *string `json:"Value,required" max:"256"`
}

// storeTags checks tags for a new resource and converts them.
func storeTags(tags []Tag) ([]store.Tag, error) {
	return mergeTags(nil, tags)
}

// mergeTags adds tags to have (a tag of the same key is replaced), AWS's
// way: no key twice in one request, at most MaxTags in all.
func mergeTags(have []store.Tag, tags []Tag) ([]store.Tag, error) {
	out := slices.Clone(have)
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return nil, invalidInput("DUPLICATE_TAG_KEY", "You specified the same tag key more than once.")
		}
		seen[t.Key] = true
		v := ""
		if t.Value != nil {
			v = *t.Value
		}
		if i := slices.IndexFunc(out, func(x store.Tag) bool { return x.Key == t.Key }); i >= 0 {
			out[i].Value = v
		} else {
			out = append(out, store.Tag{Key: t.Key, Value: v})
		}
	}
	if len(out) > MaxTags {
		return nil, constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the number of tags allowed on this resource.")
	}
	return out, nil
}

// TagResourceInput is TagResource's input.
type TagResourceInput struct {
	ResourceID string `json:"ResourceId,required" pattern:"taggableResourceId"`
	Tags       []Tag  `json:"Tags,required"`
}

// UntagResourceInput is UntagResource's input.
type UntagResourceInput struct {
	ResourceID string   `json:"ResourceId,required" pattern:"taggableResourceId"`
	TagKeys    []string `json:"TagKeys,required" member:"min:\"1\" max:\"128\""`
}

// ListTagsForResourceInput is ListTagsForResource's input.
type ListTagsForResourceInput struct {
	ResourceID string `json:"ResourceId,required" pattern:"taggableResourceId"`
	NextToken  string `json:"NextToken" max:"100000"`
}

// tags returns the tags of a root, OU, account or customer policy;
// TargetNotFoundException if o has no such resource.
func (o *Org) tags(id string) ([]store.Tag, error) {
	if u := o.units[id]; u != nil {
		return u.Tags, nil
	}
	if a := o.accounts[id]; a != nil {
		return a.Tags, nil
	}
	if p := o.policies[id]; p != nil {
		return p.Tags, nil
	}
	return nil, errTargetNotFound()
}

// setTags stores the tags of the resource id (which tags found).
func (o *Org) setTags(ctx context.Context, tx store.Tx, id string, tags []store.Tag) error {
	if u := o.units[id]; u != nil {
		c := *u
		c.Tags = tags
		return tx.UpdateOrgUnit(ctx, c)
	}
	if a := o.accounts[id]; a != nil {
		c := *a
		c.Tags = tags
		return tx.UpdateOrgAccount(ctx, c)
	}
	c := *o.policies[id]
	c.Tags = tags
	return tx.UpdateOrgPolicy(ctx, c)
}

// TagResource adds or replaces tags of a root, OU, account or policy.
func (s *Service) TagResource(ctx context.Context, caller string, in TagResourceInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		have, err := o.tags(in.ResourceID)
		if err != nil {
			return err
		}
		tags, err := mergeTags(have, in.Tags)
		if err != nil {
			return err
		}
		return o.setTags(ctx, tx, in.ResourceID, tags)
	})
}

// UntagResource removes tags by key (absent keys are ignored).
func (s *Service) UntagResource(ctx context.Context, caller string, in UntagResourceInput) error {
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		have, err := o.tags(in.ResourceID)
		if err != nil {
			return err
		}
		return o.setTags(ctx, tx, in.ResourceID, slices.DeleteFunc(slices.Clone(have), func(t store.Tag) bool { return slices.Contains(in.TagKeys, t.Key) }))
	})
}

// ListTagsForResource returns a resource's tags, ordered by key.
func (s *Service) ListTagsForResource(ctx context.Context, caller string, in ListTagsForResourceInput) (Page[store.Tag], error) {
	var p Page[store.Tag]
	err := s.view(ctx, caller, func(o *Org) error {
		have, err := o.tags(in.ResourceID)
		if err != nil {
			return err
		}
		p, err = page(slices.Clone(have), func(t store.Tag) string { return t.Key }, in.NextToken, nil)
		return err
	})
	return p, err
}
