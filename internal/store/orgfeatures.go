package store

import "context"

// OrgFeatureReader reads the features enabled for an organization: the
// services it gives trusted access (OrgFeatureTrustedAccess + a service
// principal) and IAM's centralized root access features.
type OrgFeatureReader interface {
	// OrgFeatures returns the names of the features enabled for the
	// organization, sorted; none (not an error) for an absent one.
	OrgFeatures(ctx context.Context, org string) ([]string, error)
}

// OrgFeatureWriter enables and disables organization features.
type OrgFeatureWriter interface {
	// SetOrgFeature enables (on) or disables the feature name; doing so
	// twice is no error. ErrNotFound if the organization is absent. The
	// features go with the organization.
	SetOrgFeature(ctx context.Context, org, name string, on bool) error
}

// OrgFeatureTrustedAccess prefixes the feature that records trusted access
// for a service principal ("TrustedAccess:iam.amazonaws.com"), which AWS
// Organizations' EnableAWSServiceAccess grants.
const OrgFeatureTrustedAccess = "TrustedAccess:"
