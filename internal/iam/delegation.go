package iam

import (
	"context"
	"strings"

	"github.com/warden-iam/warden/arn"
	"github.com/warden-iam/warden/internal/awserr"
)

// IAM temporary delegation, role templates and human-readable summaries:
// AWS features whose other half is AWS itself, which a self-hosted
// deployment does not have. Warden checks each call's input as AWS's model
// does, then answers what AWS answers an account without the feature.
//
// Temporary delegation ([temporary delegation]): only a partner that AWS
// has onboarded may call CreateDelegationRequest. Onboarding registers the
// partner's policy templates (DelegationPermission.PolicyTemplateArn) with
// AWS, and the exchange token reaches the partner through its SNS topic
// (SendDelegationToken). Neither registry nor notification channel exists
// in one Warden deployment, so no caller is a partner:
// CreateDelegationRequest is refused (AccessDenied), no delegation
// request ever exists, ListDelegationRequests lists none and every action
// on one request is NoSuchEntity. sts:GetDelegatedAccessToken still trades
// in tokens, which a deployment's own code makes with
// sts.Service.IssueTradeInToken.
//
// Role templates ([AcquireRole]) are published by AWS (Role Manager);
// Warden publishes none, so every template is NoSuchEntity.
//
// GetHumanReadableSummary summarizes delegation requests only (AWS
// generates the text with a language model), so every entity it can name
// is absent here.
//
// AWS does not document the texts of these errors; the messages are
// Warden's, in IAM's usual wording.
//
// [temporary delegation]: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-temporary-delegation.html
// [AcquireRole]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_AcquireRole.html

// DelegationRequestInput is the input of AcceptDelegationRequest,
// AssociateDelegationRequest and SendDelegationToken.
type DelegationRequestInput struct {
	DelegationRequestID string `query:"DelegationRequestId,required" min:"16" max:"128" pattern:"delegationRequestId"`
}

// DelegationNotesInput is the input of RejectDelegationRequest and
// UpdateDelegationRequest.
type DelegationNotesInput struct {
	DelegationRequestID string  `query:"DelegationRequestId,required" min:"16" max:"128" pattern:"delegationRequestId"`
	Notes               *string `query:"Notes" max:"500" pattern:"description"`
}

// GetDelegationRequestInput is the input of GetDelegationRequest.
type GetDelegationRequestInput struct {
	DelegationRequestID       string `query:"DelegationRequestId,required" min:"16" max:"128" pattern:"delegationRequestId"`
	DelegationPermissionCheck *bool  `query:"DelegationPermissionCheck"`
}

// ListDelegationRequestsInput is the input of ListDelegationRequests.
type ListDelegationRequestsInput struct {
	OwnerID  *string `query:"OwnerId" min:"20" max:"2048" pattern:"delegationOwnerId"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

// PolicyParameter is one parameter of a delegation's policy template.
type PolicyParameter struct {
	Name   *string  `query:"Name"`
	Values []string `query:"Values"`
	Type   *string  `query:"Type" enum:"string|stringList"`
}

// CreateDelegationRequestInput is the input of CreateDelegationRequest;
// Permissions is flattened into its two members. The constraints are those
// AWS publishes; members without published constraints are only required
// or not.
type CreateDelegationRequestInput struct {
	OwnerAccountID      *string           `query:"OwnerAccountId" pattern:"accountId"`
	Description         string            `query:"Description,required" max:"1000" pattern:"description"`
	PolicyTemplateARN   *string           `query:"Permissions.PolicyTemplateArn" min:"20" max:"2048" pattern:"arn"`
	Parameters          []PolicyParameter `query:"Permissions.Parameters"`
	RequestMessage      *string           `query:"RequestMessage"`
	RequestorWorkflowID string            `query:"RequestorWorkflowId,required"`
	RedirectURL         *string           `query:"RedirectUrl"`
	NotificationChannel string            `query:"NotificationChannel,required" min:"2" max:"400" pattern:"notificationChannel"`
	SessionDuration     int               `query:"SessionDuration,required"`
	OnlySendByOwner     *bool             `query:"OnlySendByOwner"`
}

// HumanReadableSummaryInput is the input of GetHumanReadableSummary.
type HumanReadableSummaryInput struct {
	EntityARN string  `query:"EntityArn,required" min:"20" max:"2048" pattern:"arn"`
	Locale    *string `query:"Locale"`
}

// RoleTemplateInput is the input of GetRoleTemplateVersion.
type RoleTemplateInput struct {
	TemplateARN  string `query:"TemplateArn,required" min:"20" max:"2048" pattern:"arn"`
	MinorVersion *int   `query:"MinorVersion"`
}

// AcquireRoleInput is the input of AcquireRole. ReplacementValues (a map
// of structures the decoder does not read) would only fill in a template,
// and there is none.
type AcquireRoleInput struct {
	TemplateARN          string `query:"TemplateArn,required" min:"20" max:"2048" pattern:"arn"`
	TemplateMinorVersion *int   `query:"TemplateMinorVersion"`
}

func errNoDelegationRequest(id string) error {
	return awserr.NoSuchEntity("The delegation request with id %s cannot be found.", id)
}

// CreateDelegationRequest refuses every caller: none is an onboarded
// partner. The input was checked first, as AWS checks it.
func (s *Service) CreateDelegationRequest(_ context.Context, caller string, in CreateDelegationRequestInput) error {
	if in.PolicyTemplateARN == nil {
		return awserr.ValidationError("1 validation error detected: Value null at 'permissions.policyTemplateArn' failed to satisfy constraint: Member must not be null")
	}
	return awserr.AccessDenied("User: %s is not authorized to perform: iam:CreateDelegationRequest because the account is not onboarded as a temporary delegation partner", caller)
}

// DelegationRequest finds a delegation request; there are none.
func (s *Service) DelegationRequest(_ context.Context, _ string, id string) error {
	return errNoDelegationRequest(id)
}

// ListDelegationRequests lists the account's delegation requests: none. A
// marker cannot have come from an earlier call.
func (s *Service) ListDelegationRequests(_ context.Context, _ string, in ListDelegationRequestsInput) error {
	if in.Marker != nil {
		return awserr.ValidationError("Invalid Marker: the value was not returned by a previous call.")
	}
	return nil
}

// GetHumanReadableSummary summarizes a delegation request, the one entity
// type AWS supports (arn:aws:iam::ACCOUNT:delegation-request/ID).
func (s *Service) GetHumanReadableSummary(_ context.Context, _ string, in HumanReadableSummaryInput) error {
	a, err := arn.Parse(in.EntityARN)
	id, ok := strings.CutPrefix(a.Resource, "delegation-request/")
	if err != nil || a.Service != "iam" || !ok || id == "" {
		return awserr.InvalidInput("The entity %s is not supported. At this time, the only supported entity type is delegation-request.", in.EntityARN)
	}
	return errNoDelegationRequest(id)
}

// RoleTemplate finds a role template; Warden publishes none.
func (s *Service) RoleTemplate(_ context.Context, templateARN string) error {
	if _, err := arn.Parse(templateARN); err != nil {
		return awserr.InvalidInput("ARN %s is not valid.", templateARN)
	}
	return awserr.NoSuchEntity("The role template with ARN %s cannot be found.", templateARN)
}
