package orgapi

import (
	"context"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/jsonproto"
	"github.com/warden-iam/warden/internal/orgs"
	"github.com/warden-iam/warden/policy"
)

func init() {
	jsonproto.RegisterPattern("handshakeId", `h-[0-9a-z]{8,32}`)
}

// HandshakeParty is the HandshakeParty shape. Its id and a resource's
// value are sensitive in the model; the audit trail hides them.
type HandshakeParty struct {
	ID   string `json:"Id" audit:"redact"`
	Type string `json:"Type"`
}

// HandshakeResource is the HandshakeResource shape.
type HandshakeResource struct {
	Type      string              `json:"Type"`
	Value     string              `json:"Value" audit:"redact"`
	Resources []HandshakeResource `json:"Resources,omitempty"`
}

// Handshake is the Handshake shape.
type Handshake struct {
	ARN                 string              `json:"Arn"`
	ID                  string              `json:"Id"`
	Action              string              `json:"Action"`
	State               string              `json:"State"`
	Parties             []HandshakeParty    `json:"Parties"`
	Resources           []HandshakeResource `json:"Resources"`
	RequestedTimestamp  jsonproto.Time      `json:"RequestedTimestamp"`
	ExpirationTimestamp jsonproto.Time      `json:"ExpirationTimestamp"`
}

// featureSetOf is the ORGANIZATION_FEATURE_SET resource's value (AWS's
// example answers "FULL" for all features).
func featureSetOf(fs string) string {
	if fs == "ALL" {
		return "FULL"
	}
	return fs
}

func handshakeOf(h orgs.Handshake) Handshake {
	w := Handshake{ARN: h.ARN(), ID: h.ID, Action: h.Action, State: h.State,
		Parties: []HandshakeParty{{ID: h.Org, Type: "ORGANIZATION"}, {ID: h.Target, Type: h.TargetType}},
		Resources: []HandshakeResource{
			{Type: "ORGANIZATION", Value: h.Org, Resources: []HandshakeResource{
				{Type: "MASTER_EMAIL", Value: h.ManagementEmail},
				{Type: "MASTER_NAME", Value: h.ManagementName},
				{Type: "ORGANIZATION_FEATURE_SET", Value: featureSetOf(h.FeatureSet)},
			}},
			{Type: h.TargetType, Value: h.Target},
		},
		RequestedTimestamp: jsonproto.Time(h.Requested), ExpirationTimestamp: jsonproto.Time(h.Expires)}
	if h.Notes != "" {
		w.Resources = append(w.Resources, HandshakeResource{Type: "NOTES", Value: h.Notes})
	}
	return w
}

type handshakeResult struct {
	Handshake Handshake `json:"Handshake"`
}

type listHandshakesResult struct {
	Handshakes []Handshake `json:"Handshakes"`
	NextToken  string      `json:"NextToken,omitempty"`
}

func handshakeActions(s *orgs.Service) []api.Handler {
	result := func(h orgs.Handshake, err error) (*handshakeResult, error) {
		if err != nil {
			return nil, err
		}
		return &handshakeResult{handshakeOf(h)}, nil
	}
	list := func(p orgs.Page[orgs.Handshake], err error) (*listHandshakesResult, error) {
		if err != nil {
			return nil, err
		}
		return &listHandshakesResult{Handshakes: mapList(p.Items, handshakeOf), NextToken: p.NextToken}, nil
	}
	// The actions on one handshake are authorized on its ARN (Service
	// Authorization Reference), or "*" when the caller cannot see it
	// (the action then answers HandshakeNotFoundException).
	handshake := func(ctx context.Context, c *api.Call, in *orgs.HandshakeIDInput) (api.Target, error) {
		arn := s.HandshakeResource(ctx, c.Caller.Account, in.HandshakeID)
		if arn == "" {
			arn = "*"
		}
		return api.Target{ARN: arn}, nil
	}
	return []api.Handler{
		api.Action[orgs.InviteAccountInput, handshakeResult]{
			Name: "InviteAccountToOrganization", IAMAction: "organizations:InviteAccountToOrganization",
			Context: func(_ *api.Call, in *orgs.InviteAccountInput, keys *policy.Context) { requestTags(in.Tags, keys) },
			Do: func(ctx context.Context, c *api.Call, in *orgs.InviteAccountInput) (*handshakeResult, error) {
				return result(s.InviteAccountToOrganization(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.HandshakeIDInput, handshakeResult]{
			Name: "AcceptHandshake", IAMAction: "organizations:AcceptHandshake", Resource: handshake,
			Do: func(ctx context.Context, c *api.Call, in *orgs.HandshakeIDInput) (*handshakeResult, error) {
				return result(s.AcceptHandshake(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.HandshakeIDInput, handshakeResult]{
			Name: "DeclineHandshake", IAMAction: "organizations:DeclineHandshake", Resource: handshake,
			Do: func(ctx context.Context, c *api.Call, in *orgs.HandshakeIDInput) (*handshakeResult, error) {
				return result(s.DeclineHandshake(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.HandshakeIDInput, handshakeResult]{
			Name: "CancelHandshake", IAMAction: "organizations:CancelHandshake", Resource: handshake,
			Do: func(ctx context.Context, c *api.Call, in *orgs.HandshakeIDInput) (*handshakeResult, error) {
				return result(s.CancelHandshake(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.HandshakeIDInput, handshakeResult]{
			Name: "DescribeHandshake", IAMAction: "organizations:DescribeHandshake", ReadOnly: true, Resource: handshake,
			Do: func(ctx context.Context, c *api.Call, in *orgs.HandshakeIDInput) (*handshakeResult, error) {
				return result(s.DescribeHandshake(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.ListHandshakesInput, listHandshakesResult]{
			Name: "ListHandshakesForAccount", IAMAction: "organizations:ListHandshakesForAccount", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListHandshakesInput) (*listHandshakesResult, error) {
				return list(s.ListHandshakesForAccount(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[orgs.ListHandshakesInput, listHandshakesResult]{
			Name: "ListHandshakesForOrganization", IAMAction: "organizations:ListHandshakesForOrganization", ReadOnly: true,
			Do: func(ctx context.Context, c *api.Call, in *orgs.ListHandshakesInput) (*listHandshakesResult, error) {
				return list(s.ListHandshakesForOrganization(ctx, c.Caller.Account, *in))
			},
		},
		api.Action[empty, empty]{
			Name: "LeaveOrganization", IAMAction: "organizations:LeaveOrganization",
			Do: func(ctx context.Context, c *api.Call, _ *empty) (*empty, error) {
				return &empty{}, s.LeaveOrganization(ctx, c.Caller.Account)
			},
		},
		api.Action[empty, handshakeResult]{
			Name: "EnableAllFeatures", IAMAction: "organizations:EnableAllFeatures",
			Do: func(ctx context.Context, c *api.Call, _ *empty) (*handshakeResult, error) {
				return nil, s.EnableAllFeatures(ctx, c.Caller.Account)
			},
		},
	}
}
