package orgs

import (
	"net/http"

	"github.com/warden-iam/warden/internal/awserr"
)

// Every Organizations exception is a 400 but AccessDenied (403) and the
// few AWS reports as 5xx; the messages are AWS's.
func exception(code, format string, a ...any) *awserr.Error {
	return awserr.New(code, http.StatusBadRequest, format, a...)
}

func errNotInUse() error {
	return exception("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
}

func errAlreadyInOrganization() error {
	return exception("AlreadyInOrganizationException", "The provided account is already a member of an organization.")
}

// errAccessDenied is AWS's answer to a member account calling an action
// that only the management account may call.
func errAccessDenied() error {
	return awserr.New("AccessDeniedException", http.StatusForbidden, "You don't have permissions to access this resource.")
}

func errOUNotFound() error {
	return exception("OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.")
}

func errParentNotFound() error {
	return exception("ParentNotFoundException", "You specified parent that doesn't exist.")
}

func errChildNotFound() error {
	return exception("ChildNotFoundException", "You specified a child that doesn't exist.")
}

func errAccountNotFound() error {
	return exception("AccountNotFoundException", "You specified an account that doesn't exist.")
}

func errRootNotFound() error {
	return exception("RootNotFoundException", "You specified a root that doesn't exist.")
}

func errPolicyNotFound() error {
	return exception("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")
}

func errTargetNotFound() error {
	return exception("TargetNotFoundException", "You specified a target that doesn't exist.")
}

func errRequestNotFound() error {
	return exception("CreateAccountStatusNotFoundException", "We can't find an create account request with the CreateAccountRequestId that you specified.")
}

func errDuplicateOU() error {
	return exception("DuplicateOrganizationalUnitException", "An OU with the same name already exists.")
}

func errDuplicatePolicy() error {
	return exception("DuplicatePolicyException", "A policy with the same name already exists.")
}

func errDuplicateAttachment() error {
	return exception("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.")
}

func errPolicyNotAttached() error {
	return exception("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.")
}

func errPolicyInUse() error {
	return exception("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
}

func errPolicyTypeEnabled() error {
	return exception("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.")
}

func errPolicyTypeNotEnabled() error {
	return exception("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")
}

func errPolicyTypeNotAvailable() error {
	return exception("PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.")
}

func errOrganizationNotEmpty() error {
	return exception("OrganizationNotEmptyException", "To delete an organization you must first remove all member accounts (except the management account).")
}

func errOUNotEmpty() error {
	return exception("OrganizationalUnitNotEmptyException", "You must first delete all child OUs and remove all accounts from the specified OU.")
}

func errDuplicateAccount() error {
	return exception("DuplicateAccountException", "That account is already present in the specified destination.")
}

func errSourceParentNotFound() error {
	return exception("SourceParentNotFoundException", "You specified a source parent that doesn't exist.")
}

func errDestinationParentNotFound() error {
	return exception("DestinationParentNotFoundException", "You specified a destination parent that doesn't exist.")
}

func errMasterCannotLeave() error {
	return exception("MasterCannotLeaveOrganizationException", "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.")
}

func errAccountAlreadyClosed() error {
	return exception("AccountAlreadyClosedException", "The provided account is already closed.")
}

// constraint is ConstraintViolationException with its Reason.
func constraint(reason, format string, a ...any) error {
	e := exception("ConstraintViolationException", format, a...)
	e.Reason = reason
	return e
}

// invalidInput is InvalidInputException with its Reason.
func invalidInput(reason, format string, a ...any) error {
	e := exception("InvalidInputException", format, a...)
	e.Reason = reason
	return e
}

// InvalidField renders a field that fails the model's constraints as AWS
// Organizations does: InvalidInputException with the reason.
func InvalidField(field, reason string) error {
	msgs := map[string]string{
		"INPUT_REQUIRED":      "You must specify a value for %s.",
		"MIN_LENGTH_EXCEEDED": "You provided a value for %s that is shorter than the minimum length.",
		"MAX_LENGTH_EXCEEDED": "You provided a value for %s that is longer than the maximum length.",
		"INVALID_PATTERN":     "You provided a value for %s that does not match the required pattern.",
		"INVALID_ENUM":        "You specified an invalid value for %s.",
		"MIN_VALUE_EXCEEDED":  "You provided a value for %s that is lower than the minimum value.",
		"MAX_VALUE_EXCEEDED":  "You provided a value for %s that is higher than the maximum value.",
	}
	msg, ok := msgs[reason]
	if !ok {
		msg = "You provided a value for %s that is not valid."
	}
	return invalidInput(reason, msg, field)
}
