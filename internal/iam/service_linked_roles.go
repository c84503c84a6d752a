package iam

import (
	"context"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// Service-linked roles.
// [Using service-linked roles]: https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
//
// A service-linked role of service S (a principal such as
// elasticbeanstalk.amazonaws.com) is named AWSServiceRoleFor<Name>, or
// AWSServiceRoleFor<Name>_<CustomSuffix>, lives at the path
// /aws-service-role/S/, and trusts S. AWS attaches the service's AWS
// managed policy; Warden does so for the services whose policy the
// awspolicies catalog holds (serviceRolePolicies).

// serviceRoleNames holds the <Name> AWS gives the roles of services whose
// name is not their principal's first label with its first letter upper
// cased. AWS keeps this table per service; these are the common ones.
var serviceRoleNames = map[string]string{
	"autoscaling":                      "AutoScaling",
	"cloudtrail":                       "CloudTrail",
	"config":                           "Config",
	"ecs":                              "ECS",
	"eks":                              "AmazonEKS",
	"elasticbeanstalk":                 "ElasticBeanstalk",
	"elasticloadbalancing":             "ElasticLoadBalancing",
	"elasticache":                      "ElastiCache",
	"guardduty":                        "AmazonGuardDuty",
	"rds":                              "RDS",
	"spot":                             "EC2Spot",
	"ssm":                              "AmazonSSM",
	"support":                          "Support",
	"trustedadvisor":                   "TrustedAdvisor",
	"organizations":                    "Organizations",
	"sso":                              "SSO",
	"dynamodb.application-autoscaling": "ApplicationAutoScaling_DynamoDBTable",
	"ecs.application-autoscaling":      "ApplicationAutoScaling_ECSService",
}

// servicePrincipal is a service principal of the commercial partition.
var servicePrincipal = regexp.MustCompile(`^([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.amazonaws\.com$`)

// serviceLinkedRoleName returns the role name of service, or false when
// service is not a service principal.
func serviceLinkedRoleName(service, suffix string) (string, bool) {
	m := servicePrincipal.FindStringSubmatch(service)
	if m == nil {
		return "", false
	}
	name, ok := serviceRoleNames[m[1]]
	if !ok {
		label := strings.ReplaceAll(m[1], "-", "")
		label = strings.ReplaceAll(label, ".", "")
		name = strings.ToUpper(label[:1]) + label[1:]
	}
	name = "AWSServiceRoleFor" + name
	if suffix != "" {
		name += "_" + suffix
	}
	return name, true
}

// serviceLinkedPath is the path of the service-linked roles of service.
func serviceLinkedPath(service string) string { return "/aws-service-role/" + service + "/" }

// isServiceLinked reports whether a role is a service-linked role.
func isServiceLinked(r store.Role) bool { return strings.HasPrefix(r.Path, "/aws-service-role/") }

// CreateServiceLinkedRoleInput is the input of CreateServiceLinkedRole.
type CreateServiceLinkedRoleInput struct {
	AWSServiceName string  `query:"AWSServiceName,required" min:"1" max:"128" pattern:"name"`
	Description    *string `query:"Description" max:"1000" pattern:"description"`
	CustomSuffix   *string `query:"CustomSuffix" min:"1" max:"64" pattern:"name"`
}

// CreateServiceLinkedRole creates the service-linked role of a service.
// AWS behaviour: a name already taken is InvalidInput, not
// EntityAlreadyExists, and asks for another suffix.
func (s *Service) CreateServiceLinkedRole(ctx context.Context, acct string, in CreateServiceLinkedRoleInput) (store.Role, error) {
	suffix := ""
	if in.CustomSuffix != nil {
		suffix = *in.CustomSuffix
	}
	name, ok := serviceLinkedRoleName(in.AWSServiceName, suffix)
	if !ok {
		return store.Role{}, awserr.InvalidInput("Invalid ServiceName: %s", in.AWSServiceName)
	}
	if len(name) > 64 {
		return store.Role{}, awserr.InvalidInput("The role name %s is longer than 64 characters; use a shorter custom suffix.", name)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["` +
		in.AWSServiceName + `"]},"Action":["sts:AssumeRole"]}]}`
	r := store.Role{Account: acct, Name: name, Path: serviceLinkedPath(in.AWSServiceName), ID: newID(prefixRole),
		CreateDate: s.now().UTC(), AssumeRolePolicy: trust, MaxSessionDuration: roleDefaultMaxSession}
	if in.Description != nil {
		r.Description = *in.Description
	}
	err := s.update(ctx, func(tx store.Tx) error {
		page, err := tx.ListRoles(ctx, acct, "/", store.PageRequest{})
		if err != nil {
			return err
		}
		if len(page.Items) >= maxRolesPerAccount {
			return awserr.LimitExceeded("Cannot exceed quota for RolesPerAccount: %d", maxRolesPerAccount)
		}
		err = tx.CreateRole(ctx, r)
		if isExists(err) {
			return awserr.InvalidInput("Service role name %s has been taken in this account, please try a different suffix.", name)
		} else if err != nil {
			return err
		}
		return attachServiceRolePolicy(ctx, tx, r, in.AWSServiceName)
	})
	return r, err
}

// DeleteServiceLinkedRoleInput is the input of DeleteServiceLinkedRole.
type DeleteServiceLinkedRoleInput struct {
	RoleName string `query:"RoleName,required" min:"1" max:"64" pattern:"name"`
}

// The statuses of a deletion task.
const (
	DeletionSucceeded = "SUCCEEDED"
)

// DeleteServiceLinkedRole deletes a service-linked role and returns the
// id of its deletion task. AWS deletes asynchronously; Warden deletes at
// once (the role's policies with it), so the task has SUCCEEDED when this
// returns. A role in an instance profile is refused, as DeleteRole does.
// Tasks are kept in this node's memory: another node, or this one after a
// restart, does not know the id.
func (s *Service) DeleteServiceLinkedRole(ctx context.Context, acct string, in DeleteServiceLinkedRoleInput) (string, error) {
	var task string
	err := s.update(ctx, func(tx store.Tx) error {
		ro, err := roleGet(ctx, tx, acct, in.RoleName)
		if err != nil {
			return err
		}
		if !isServiceLinked(ro) {
			return awserr.InvalidInput("Role %s is not a service-linked role.", ro.Name)
		}
		profiles, err := tx.ListInstanceProfilesForRole(ctx, acct, ro.Name, store.PageRequest{MaxItems: 1})
		if err != nil {
			return err
		}
		if len(profiles.Items) > 0 {
			return awserr.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		service := strings.TrimSuffix(strings.TrimPrefix(ro.Path, "/aws-service-role/"), "/")
		task = "task/aws-service-role/" + service + "/" + ro.Name + "/" + uuid.NewString()
		err = tx.DeleteRole(ctx, acct, ro.Name)
		if isNotFound(err) {
			return errNoSuchRole(in.RoleName)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	s.deletionTasks.Store(acct+" "+task, DeletionSucceeded)
	return task, nil
}

// DeletionTaskInput is the input of GetServiceLinkedRoleDeletionStatus.
type DeletionTaskInput struct {
	DeletionTaskID string `query:"DeletionTaskId,required" min:"1" max:"1000"`
}

// GetServiceLinkedRoleDeletionStatus returns the status of a deletion task
// of the account; NoSuchEntity for a task this node does not know.
func (s *Service) GetServiceLinkedRoleDeletionStatus(_ context.Context, acct string, in DeletionTaskInput) (string, error) {
	st, ok := s.deletionTasks.Load(acct + " " + in.DeletionTaskID)
	if !ok {
		return "", awserr.NoSuchEntity("Deletion task with id %s cannot be found.", in.DeletionTaskID)
	}
	return st.(string), nil
}

// ServiceLinkedRoleARN returns the ARN of the service-linked role
// CreateServiceLinkedRole would create, or a role ARN without a name when
// service is not a service principal.
func ServiceLinkedRoleARN(acct, service string, suffix *string) string {
	sfx := ""
	if suffix != nil {
		sfx = *suffix
	}
	name, _ := serviceLinkedRoleName(service, sfx)
	return RoleARN(acct, serviceLinkedPath(service), name)
}
