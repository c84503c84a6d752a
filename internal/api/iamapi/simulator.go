package iamapi

import (
	"context"
	"sort"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/iam"
)

// The wire shapes of the policy simulator: EvaluationResult, Statement,
// Position, ResourceSpecificResult and their details, as the AWS model
// has them.
type (
	simPositionWire struct {
		Line   int `xml:"Line"`
		Column int `xml:"Column"`
	}
	simStatementWire struct {
		SourcePolicyID   string           `xml:"SourcePolicyId,omitempty"`
		SourcePolicyType string           `xml:"SourcePolicyType,omitempty"`
		StartPosition    *simPositionWire `xml:"StartPosition,omitempty"`
		EndPosition      *simPositionWire `xml:"EndPosition,omitempty"`
	}
	simEntryWire struct {
		Key   string `xml:"key"`
		Value string `xml:"value"`
	}
	// simDetailsWire is a string-to-string map in the Query protocol's
	// <entry><key/><value/></entry> form.
	simDetailsWire struct {
		Entries []simEntryWire `xml:"entry"`
	}
	simOrganizationsWire struct {
		AllowedByOrganizations bool `xml:"AllowedByOrganizations"`
	}
	simBoundaryWire struct {
		AllowedByPermissionsBoundary bool `xml:"AllowedByPermissionsBoundary"`
	}
	simResourceResultWire struct {
		EvalResourceName                  string                    `xml:"EvalResourceName"`
		EvalResourceDecision              string                    `xml:"EvalResourceDecision"`
		MatchedStatements                 Members[simStatementWire] `xml:"MatchedStatements"`
		MissingContextValues              Members[string]           `xml:"MissingContextValues"`
		EvalDecisionDetails               *simDetailsWire           `xml:"EvalDecisionDetails,omitempty"`
		PermissionsBoundaryDecisionDetail *simBoundaryWire          `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
	}
	simEvaluationResultWire struct {
		EvalActionName                    string                          `xml:"EvalActionName"`
		EvalResourceName                  string                          `xml:"EvalResourceName"`
		EvalDecision                      string                          `xml:"EvalDecision"`
		MatchedStatements                 Members[simStatementWire]       `xml:"MatchedStatements"`
		MissingContextValues              Members[string]                 `xml:"MissingContextValues"`
		OrganizationsDecisionDetail       *simOrganizationsWire           `xml:"OrganizationsDecisionDetail,omitempty"`
		PermissionsBoundaryDecisionDetail *simBoundaryWire                `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
		EvalDecisionDetails               *simDetailsWire                 `xml:"EvalDecisionDetails,omitempty"`
		ResourceSpecificResults           *Members[simResourceResultWire] `xml:"ResourceSpecificResults,omitempty"`
	}
	simulationResult struct {
		EvaluationResults Members[simEvaluationResultWire] `xml:"EvaluationResults"`
		IsTruncated       bool                             `xml:"IsTruncated"`
		Marker            string                           `xml:"Marker,omitempty"`
	}
	contextKeysResult struct {
		ContextKeyNames Members[string] `xml:"ContextKeyNames"`
	}
)

func simStatements(in []iam.MatchedStatement) Members[simStatementWire] {
	out := Members[simStatementWire]{Items: []simStatementWire{}}
	for _, m := range in {
		out.Items = append(out.Items, simStatementWire{SourcePolicyID: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
			StartPosition: &simPositionWire{Line: m.Start.Line, Column: m.Start.Column},
			EndPosition:   &simPositionWire{Line: m.End.Line, Column: m.End.Column}})
	}
	return out
}

func simDetails(m map[string]string) *simDetailsWire {
	if m == nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := &simDetailsWire{Entries: []simEntryWire{}}
	for _, k := range keys {
		out.Entries = append(out.Entries, simEntryWire{Key: k, Value: m[k]})
	}
	return out
}

func simBoundary(b *bool) *simBoundaryWire {
	if b == nil {
		return nil
	}
	return &simBoundaryWire{AllowedByPermissionsBoundary: *b}
}

func simStrings(in []string) Members[string] {
	return Members[string]{Items: append([]string{}, in...)}
}

func simulationOf(r *iam.SimulationResult) *simulationResult {
	out := &simulationResult{IsTruncated: r.Truncated, Marker: r.Marker,
		EvaluationResults: Members[simEvaluationResultWire]{Items: []simEvaluationResultWire{}}}
	for _, er := range r.Results {
		w := simEvaluationResultWire{
			EvalActionName: er.Action, EvalResourceName: er.Resource, EvalDecision: er.Decision,
			MatchedStatements:                 simStatements(er.Matched),
			MissingContextValues:              simStrings(er.Missing),
			OrganizationsDecisionDetail:       &simOrganizationsWire{AllowedByOrganizations: er.AllowedByOrganizations},
			PermissionsBoundaryDecisionDetail: simBoundary(er.Boundary),
			EvalDecisionDetails:               simDetails(er.Details),
		}
		if er.Resources != nil {
			w.ResourceSpecificResults = &Members[simResourceResultWire]{Items: []simResourceResultWire{}}
			for _, rr := range er.Resources {
				w.ResourceSpecificResults.Items = append(w.ResourceSpecificResults.Items, simResourceResultWire{
					EvalResourceName: rr.Resource, EvalResourceDecision: rr.Decision,
					MatchedStatements:                 simStatements(rr.Matched),
					MissingContextValues:              simStrings(rr.Missing),
					EvalDecisionDetails:               simDetails(rr.Details),
					PermissionsBoundaryDecisionDetail: simBoundary(rr.Boundary),
				})
			}
		}
		out.EvaluationResults.Items = append(out.EvaluationResults.Items, w)
	}
	return out
}

// simSourceTarget is the resource of the actions on a PolicySourceArn: the
// user, group or role it names. AWS's service authorization reference
// lists user, group and role as the resource types of
// iam:SimulatePrincipalPolicy and iam:GetContextKeysForPrincipalPolicy.
// The ARN is the caller's text; tags come with it when the entity exists.
func simSourceTarget(c *api.Call, source string) api.Target {
	t := api.Target{ARN: source}
	if u, ok := c.Snapshot.User(c.Caller.Account, simLastName(source)); ok && iam.UserARN(u.Account, u.Path, u.Name) == source {
		t.Tags = u.Tags
	}
	return t
}

func simLastName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}

func simulatorActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.SimulatePrincipalPolicyInput, simulationResult]{
			Name: "SimulatePrincipalPolicy", IAMAction: "iam:SimulatePrincipalPolicy", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.SimulatePrincipalPolicyInput) (api.Target, error) {
				return simSourceTarget(c, in.PolicySourceArn), nil
			},
			Do: func(_ context.Context, c *api.Call, in *iam.SimulatePrincipalPolicyInput) (*simulationResult, error) {
				r, err := s.SimulatePrincipalPolicy(c.Snapshot, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return simulationOf(r), nil
			},
		},
		// SimulateCustomPolicy and GetContextKeysForCustomPolicy act on no
		// resource: they are authorized on "*".
		api.Action[iam.SimulateCustomPolicyInput, simulationResult]{
			Name: "SimulateCustomPolicy", IAMAction: "iam:SimulateCustomPolicy", ReadOnly: true,
			Do: func(_ context.Context, c *api.Call, in *iam.SimulateCustomPolicyInput) (*simulationResult, error) {
				r, err := s.SimulateCustomPolicy(c.Snapshot, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return simulationOf(r), nil
			},
		},
		api.Action[iam.GetContextKeysForPrincipalPolicyInput, contextKeysResult]{
			Name: "GetContextKeysForPrincipalPolicy", IAMAction: "iam:GetContextKeysForPrincipalPolicy", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *iam.GetContextKeysForPrincipalPolicyInput) (api.Target, error) {
				return simSourceTarget(c, in.PolicySourceArn), nil
			},
			Do: func(_ context.Context, c *api.Call, in *iam.GetContextKeysForPrincipalPolicyInput) (*contextKeysResult, error) {
				keys, err := s.GetContextKeysForPrincipalPolicy(c.Snapshot, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &contextKeysResult{ContextKeyNames: simStrings(keys)}, nil
			},
		},
		api.Action[iam.GetContextKeysForCustomPolicyInput, contextKeysResult]{
			Name: "GetContextKeysForCustomPolicy", IAMAction: "iam:GetContextKeysForCustomPolicy", ReadOnly: true,
			Do: func(_ context.Context, _ *api.Call, in *iam.GetContextKeysForCustomPolicyInput) (*contextKeysResult, error) {
				keys, err := s.GetContextKeysForCustomPolicy(*in)
				if err != nil {
					return nil, err
				}
				return &contextKeysResult{ContextKeyNames: simStrings(keys)}, nil
			},
		},
	}
}
