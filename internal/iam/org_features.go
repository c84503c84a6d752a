package iam

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// IAM's centralized root access features of an organization
// ([Centrally manage root access for member accounts]).
//
// [Centrally manage root access for member accounts]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
const (
	FeatureRootCredentialsManagement = "RootCredentialsManagement"
	FeatureRootSessions              = "RootSessions"
	// IAMServicePrincipal is the service principal that the organization
	// must give trusted access (EnableAWSServiceAccess) first.
	IAMServicePrincipal = "iam.amazonaws.com"
)

// AWS's errors of the root access operations (the IAM API reference of
// each; the messages are the errors' documented descriptions).
func errOrgNotFound() *awserr.Error {
	return awserr.New("OrganizationNotFoundException", http.StatusBadRequest, "The request was rejected because no organization is associated with your account.")
}

func errNotAllFeatures() *awserr.Error {
	return awserr.New("OrganizationNotInAllFeaturesModeException", http.StatusBadRequest, "The request was rejected because your organization does not have All features enabled. For more information, see Available feature sets in the Organizations User Guide.")
}

func errCallerNotManagement() *awserr.Error {
	return awserr.New("CallerIsNotManagementAccountException", http.StatusBadRequest, "The request was rejected because the account making the request is not the management account for the organization.")
}

func errNotManagementOrDelegated() *awserr.Error {
	return awserr.New("AccountNotManagementOrDelegatedAdministratorException", http.StatusBadRequest, "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.")
}

func errServiceAccess() *awserr.Error {
	return awserr.New("ServiceAccessNotEnabledException", http.StatusBadRequest, "The request was rejected because trusted access is not enabled for IAM in Organizations. For details, see IAM and Organizations in the Organizations User Guide.")
}

// OrgFeatures is the answer of the root access operations.
type OrgFeatures struct {
	OrganizationID string
	// Enabled are the enabled features, RootCredentialsManagement first.
	Enabled []string
}

// orgForRootAccess returns the organization of acct and its features once
// the checks AWS makes pass, in AWS's order: an organization, all
// features, the management account (enabling names its own error),
// trusted access for IAM. Warden has no delegated administrator for IAM,
// so only the management account passes.
func orgForRootAccess(ctx context.Context, r store.Reader, acct string, enabling bool) (store.Organization, []store.OrgFeature, error) {
	o, err := r.OrganizationOf(ctx, acct)
	if errors.Is(err, store.ErrNotFound) {
		return o, nil, errOrgNotFound()
	}
	if err != nil {
		return o, nil, err
	}
	if o.FeatureSet != "ALL" {
		return o, nil, errNotAllFeatures()
	}
	if o.ManagementAccount != acct {
		if enabling {
			return o, nil, errCallerNotManagement()
		}
		return o, nil, errNotManagementOrDelegated()
	}
	features, err := r.OrgFeatures(ctx, o.ID)
	if err != nil {
		return o, nil, err
	}
	if !store.HasOrgFeature(features, store.OrgFeatureTrustedAccess+IAMServicePrincipal) {
		return o, nil, errServiceAccess()
	}
	return o, features, nil
}

func rootAccessFeatures(o store.Organization, features []store.OrgFeature) *OrgFeatures {
	out := &OrgFeatures{OrganizationID: o.ID, Enabled: []string{}}
	for _, f := range []string{FeatureRootCredentialsManagement, FeatureRootSessions} {
		if store.HasOrgFeature(features, f) {
			out.Enabled = append(out.Enabled, f)
		}
	}
	return out
}

// ListOrganizationsFeatures returns the root access features enabled for
// the caller's organization.
func (s *Service) ListOrganizationsFeatures(ctx context.Context, acct string) (*OrgFeatures, error) {
	var out *OrgFeatures
	err := s.view(ctx, func(r store.Reader) error {
		o, features, err := orgForRootAccess(ctx, r, acct, false)
		if err != nil {
			return err
		}
		out = rootAccessFeatures(o, features)
		return nil
	})
	return out, err
}

// SetOrganizationsFeature enables or disables a root access feature of
// the caller's organization and returns the features enabled after.
func (s *Service) SetOrganizationsFeature(ctx context.Context, acct, feature string, on bool) (*OrgFeatures, error) {
	var out *OrgFeatures
	err := s.update(ctx, func(tx store.Tx) error {
		o, features, err := orgForRootAccess(ctx, tx, acct, on)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if err := tx.SetOrgFeature(ctx, o.ID, feature, on, now); err != nil {
			return err
		}
		features = slices.DeleteFunc(features, func(f store.OrgFeature) bool { return f.Name == feature })
		if on {
			features = append(features, store.OrgFeature{Name: feature, Enabled: now})
		}
		out = rootAccessFeatures(o, features)
		return nil
	})
	return out, err
}

// RootSessionAllowed checks that caller may start a root session of the
// member account target (sts:AssumeRoot): target is a member account of
// an organization that caller manages, which gives IAM trusted access and
// has root sessions enabled. It reads the store, like the action itself.
func (s *Service) RootSessionAllowed(ctx context.Context, caller, target string) (bool, error) {
	ok := false
	err := s.view(ctx, func(r store.Reader) error {
		o, err := r.OrganizationOf(ctx, target)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if o.ManagementAccount != caller || target == caller {
			return nil
		}
		features, err := r.OrgFeatures(ctx, o.ID)
		if err != nil {
			return err
		}
		ok = store.HasOrgFeature(features, store.OrgFeatureTrustedAccess+IAMServicePrincipal) &&
			store.HasOrgFeature(features, FeatureRootSessions)
		return nil
	})
	return ok, err
}
