package store

import (
	"context"
	"slices"
	"time"
)

// OrgFeature is a feature enabled for an organization: trusted access for
// a service (OrgFeatureTrustedAccess + a service principal) or one of
// IAM's centralized root access features.
type OrgFeature struct {
	Name    string
	Enabled time.Time // when it was enabled; zero if not recorded
}

// HasOrgFeature reports whether features holds the feature name.
func HasOrgFeature(features []OrgFeature, name string) bool {
	return slices.ContainsFunc(features, func(f OrgFeature) bool { return f.Name == name })
}

// OrgFeatureReader reads the features enabled for an organization.
type OrgFeatureReader interface {
	// OrgFeatures returns the features enabled for the organization,
	// sorted by name; none (not an error) for an absent one.
	OrgFeatures(ctx context.Context, org string) ([]OrgFeature, error)
}

// OrgFeatureWriter enables and disables organization features.
type OrgFeatureWriter interface {
	// SetOrgFeature enables (on, at the time at) or disables the feature
	// name; doing so twice is no error, and enabling an enabled feature
	// keeps its first time. ErrNotFound if the organization is absent.
	// The features go with the organization.
	SetOrgFeature(ctx context.Context, org, name string, on bool, at time.Time) error
}

// OrgFeatureTrustedAccess prefixes the feature that records trusted access
// for a service principal ("TrustedAccess:iam.amazonaws.com"), which AWS
// Organizations' EnableAWSServiceAccess grants.
const OrgFeatureTrustedAccess = "TrustedAccess:"
