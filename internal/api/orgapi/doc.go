// Package orgapi is the AWS Organizations action table (AWS JSON 1.1,
// X-Amz-Target AWSOrganizationsV20161128.<Action>): the wire shapes of
// the AWS model and one declarative entry per action over the orgs
// service. Authorization asks for organizations:<Action> on the entity's
// ARN where the action names one.
package orgapi
