// Package orgs is the AWS Organizations domain service: organizations,
// their root and organizational units, member accounts (CreateAccount
// makes real Warden accounts), service and resource control policies and
// their attachments, and tags, with AWS's validation, quotas, exceptions
// and messages. It keeps its state in the store beside IAM's and changes
// it through iam.Service.UpdateStore, so that every change reaches the
// snapshot (iam.OrgPath), which is what SCP and RCP enforcement reads. It
// knows nothing of HTTP: it must not import the api packages.
package orgs
