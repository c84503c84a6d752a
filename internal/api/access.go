package api

import (
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/internal/sts"
	"github.com/warden-iam/warden/policy"
)

// AccessRecorder returns the Config.Accessed hook that feeds IAM's last
// accessed data: each authenticated attempt, allowed or denied, by an IAM
// user (with its long-term keys or a session of its own) or by a role
// session is recorded against the user or role, with the request's region
// and time. The root user is no IAM entity and is not recorded.
//
// A federated user's session (GetFederationToken) is recorded against the
// IAM user whose credentials created it: its permissions are that user's
// policies, narrowed. AWS does not document this case; recording the
// access keeps a permission that was used from looking unused.
func AccessRecorder(s *iam.Service) func(c *Call, service, action string) {
	return func(c *Call, service, action string) {
		a := iam.Access{Account: c.Caller.Account, Service: service, Action: action,
			Region: orDefault(c.Region, "us-east-1"), Time: c.Time}
		sess := c.Caller.Session
		switch {
		case c.Caller.Principal.Type == policy.PrincipalAssumedRole && sess != nil && sess.Kind == sts.KindAssumedRole:
			a.Kind, a.Name, a.ID = store.KindRole, sess.RoleName, sess.RoleID
		case c.Caller.UserName != "" && sess != nil:
			a.Kind, a.Name, a.ID = store.KindUser, c.Caller.UserName, sess.UserID
		case c.Caller.UserName != "":
			a.Kind, a.Name, a.ID = store.KindUser, c.Caller.UserName, c.Caller.Principal.UserID
		default:
			return
		}
		s.RecordAccess(a)
	}
}
