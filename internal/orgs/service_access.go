package orgs

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/internal/store"
)

// Trusted access: the management account lets an AWS service act in the
// organization ([EnableAWSServiceAccess]). It is kept as the organization
// feature store.OrgFeatureTrustedAccess + the service principal, the flag
// IAM's centralized root access reads (iam.IAMServicePrincipal), so every
// node sees it. RegisterDelegatedAdministrator requires it for the
// service.
//
// [EnableAWSServiceAccess]: https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnableAWSServiceAccess.html

// ServiceAccessInput is the input of EnableAWSServiceAccess and
// DisableAWSServiceAccess.
type ServiceAccessInput struct {
	ServicePrincipal string `json:"ServicePrincipal,required" min:"1" max:"128" pattern:"servicePrincipal"`
}

// recognized checks that a service principal names an AWS service. AWS
// keeps the list of services that integrate with Organizations to itself;
// Warden recognizes any principal of an AWS service's form
// ("<name>.amazonaws.com") and refuses others as AWS refuses an unknown
// one (UNRECOGNIZED_SERVICE_PRINCIPAL).
func recognized(principal string) error {
	name, ok := strings.CutSuffix(principal, ".amazonaws.com")
	if !ok || name == "" || strings.HasSuffix(name, ".") || strings.HasPrefix(name, ".") {
		return invalidInput("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified a service principal that isn't recognized.")
	}
	return nil
}

// trusted reports whether the organization gives the service trusted
// access.
func trusted(ctx context.Context, r store.Reader, org, principal string) (bool, error) {
	features, err := r.OrgFeatures(ctx, org)
	if err != nil {
		return false, err
	}
	return store.HasOrgFeature(features, store.OrgFeatureTrustedAccess+principal), nil
}

// EnableAWSServiceAccess gives a service trusted access; enabling it again
// is no error and keeps the first date.
func (s *Service) EnableAWSServiceAccess(ctx context.Context, caller string, in ServiceAccessInput) error {
	if err := recognized(in.ServicePrincipal); err != nil {
		return err
	}
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		// Trusted access needs all features (AWS's user guide,
		// "Using Organizations with other AWS services").
		if o.Organization.FeatureSet != "ALL" {
			return constraint("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE", "You attempted to perform an operation that requires the organization to be configured to support all features. An organization that supports only consolidated billing features can't perform this operation.")
		}
		return tx.SetOrgFeature(ctx, o.ID(), store.OrgFeatureTrustedAccess+in.ServicePrincipal, true, s.now().UTC())
	})
}

// DisableAWSServiceAccess ends a service's trusted access; disabling it
// when it is not enabled is no error. AWS leaves the service's delegated
// administrators and the service's own settings (IAM's root access
// features) in place; they stop working until access is enabled again,
// since each checks trusted access.
func (s *Service) DisableAWSServiceAccess(ctx context.Context, caller string, in ServiceAccessInput) error {
	if err := recognized(in.ServicePrincipal); err != nil {
		return err
	}
	return s.update(ctx, caller, func(tx store.Tx, o *Org) error {
		return tx.SetOrgFeature(ctx, o.ID(), store.OrgFeatureTrustedAccess+in.ServicePrincipal, false, s.now().UTC())
	})
}

// ListServiceAccessInput is ListAWSServiceAccessForOrganization's input.
type ListServiceAccessInput struct {
	NextToken  string `json:"NextToken" max:"100000"`
	MaxResults *int32 `json:"MaxResults" minValue:"1" maxValue:"20"`
}

// EnabledService is a service with trusted access and when it got it.
type EnabledService struct {
	ServicePrincipal string
	store.OrgFeature
}

// ListAWSServiceAccessForOrganization lists the services with trusted
// access (the management account and delegated administrators).
func (s *Service) ListAWSServiceAccessForOrganization(ctx context.Context, caller string, in ListServiceAccessInput) (Page[EnabledService], error) {
	var p Page[EnabledService]
	err := s.iam.ViewStore(ctx, func(r store.Reader) error {
		o, err := load(ctx, r, caller)
		if err != nil {
			return err
		}
		if o.Management() != caller && !o.isDelegatedAdmin(caller) {
			return errAccessDenied()
		}
		features, err := r.OrgFeatures(ctx, o.ID())
		if err != nil {
			return err
		}
		var out []EnabledService
		for _, f := range features {
			if sp, ok := strings.CutPrefix(f.Name, store.OrgFeatureTrustedAccess); ok {
				out = append(out, EnabledService{ServicePrincipal: sp, OrgFeature: f})
			}
		}
		p, err = page(out, func(e EnabledService) string { return e.ServicePrincipal }, in.NextToken, in.MaxResults)
		return err
	})
	return p, err
}
