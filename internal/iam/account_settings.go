package iam

import (
	"context"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// The account-wide switches and preferences: outbound web identity
// federation, the STS global endpoint's token version, and account
// properties. Each is an account setting in the store, read from the store
// on every use, so every node sees a change at once.

// The names of the account settings this file owns.
const (
	// settingOutbound is "enabled" or "disabled"; absent until the account
	// first enables outbound web identity federation.
	settingOutbound = "iam:OutboundWebIdentityFederation"
	// settingTokenVersion is "v1Token" or "v2Token"; absent is v1Token.
	settingTokenVersion = "sts:GlobalEndpointTokenVersion"
	// settingProperty prefixes each account property's key.
	settingProperty = "property:"
)

// accountSettings reads the account's settings.
func (s *Service) accountSettings(ctx context.Context, acct string) (map[string]string, error) {
	var m map[string]string
	err := s.view(ctx, func(r store.Reader) error {
		var err error
		m, err = r.GetAccountSettings(ctx, acct)
		return err
	})
	return m, err
}

// ---- outbound web identity federation ----

// AWS behaviour ([EnableOutboundWebIdentityFederation],
// [DisableOutboundWebIdentityFederation]): the feature is off until the
// account enables it; enabling it twice is FeatureEnabled (409), disabling
// it while it is off is FeatureDisabled (404). The texts are the model's
// documentation of the two errors.
//
// [EnableOutboundWebIdentityFederation]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOutboundWebIdentityFederation.html
// [DisableOutboundWebIdentityFederation]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_DisableOutboundWebIdentityFederation.html
func errFeatureEnabled() error {
	return awserr.New("FeatureEnabled", http.StatusConflict,
		"The request failed because outbound identity federation is already enabled for your AWS account. You cannot enable the feature multiple times. To fetch the current configuration (including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation.")
}

func errFeatureDisabled() error {
	return awserr.New("FeatureDisabled", http.StatusNotFound,
		"The request failed because outbound identity federation is already disabled for your AWS account. You cannot disable the feature multiple times")
}

// EnableOutboundWebIdentityFederation lets the account's principals call
// sts:GetWebIdentityToken. AWS gives each account its own issuer URL;
// Warden is one issuer for every account it serves (see
// sts.WebTokenIssuer), so the caller names it.
func (s *Service) EnableOutboundWebIdentityFederation(ctx context.Context, acct string) error {
	return s.update(ctx, func(tx store.Tx) error {
		m, err := tx.GetAccountSettings(ctx, acct)
		if err != nil {
			return err
		}
		if m[settingOutbound] == "enabled" {
			return errFeatureEnabled()
		}
		return tx.PutAccountSettings(ctx, acct, map[string]string{settingOutbound: "enabled"})
	})
}

// DisableOutboundWebIdentityFederation stops new web identity tokens;
// tokens already issued stay valid until they expire, as on AWS.
func (s *Service) DisableOutboundWebIdentityFederation(ctx context.Context, acct string) error {
	return s.update(ctx, func(tx store.Tx) error {
		m, err := tx.GetAccountSettings(ctx, acct)
		if err != nil {
			return err
		}
		if m[settingOutbound] != "enabled" {
			return errFeatureDisabled()
		}
		return tx.PutAccountSettings(ctx, acct, map[string]string{settingOutbound: "disabled"})
	})
}

// OutboundWebIdentityFederation reports whether the account's principals
// may get web identity tokens now (enabled), and whether the account ever
// enabled the feature, which gave it its issuer (configured).
func (s *Service) OutboundWebIdentityFederation(ctx context.Context, acct string) (enabled, configured bool, err error) {
	m, err := s.accountSettings(ctx, acct)
	if err != nil {
		return false, false, err
	}
	v := m[settingOutbound]
	return v == "enabled", v != "", nil
}

// GetOutboundWebIdentityFederationInfo reports whether the feature is on.
// AWS lists FeatureDisabled as this action's one error; Warden returns it
// for an account that never enabled the feature (it has no issuer to
// report yet), and the issuer with JwtVendingEnabled false once the
// feature was enabled and then disabled. The message is Warden's: AWS
// documents only the message of DisableOutboundWebIdentityFederation's
// FeatureDisabled.
func (s *Service) GetOutboundWebIdentityFederationInfo(ctx context.Context, acct string) (enabled bool, err error) {
	enabled, configured, err := s.OutboundWebIdentityFederation(ctx, acct)
	if err != nil {
		return false, err
	}
	if !configured {
		return false, awserr.New("FeatureDisabled", http.StatusNotFound,
			"Outbound identity federation is not enabled for your AWS account.")
	}
	return enabled, nil
}

// ---- the STS global endpoint's token version ----

// SetSecurityTokenServicePreferencesInput is the input of
// SetSecurityTokenServicePreferences.
type SetSecurityTokenServicePreferencesInput struct {
	GlobalEndpointTokenVersion string `query:"GlobalEndpointTokenVersion,required" enum:"v1Token|v2Token"`
}

// SetSecurityTokenServicePreferences records which tokens the global STS
// endpoint issues. AWS behaviour ([SetSecurityTokenServicePreferences]):
// v1Token (the default) is valid only in the regions enabled by default,
// v2Token everywhere; GetAccountSummary reports it as
// GlobalEndpointTokenVersion 1 or 2. Warden's tokens are valid on every
// node whatever the region, so the preference is recorded and reported
// but changes no token.
//
// [SetSecurityTokenServicePreferences]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetSecurityTokenServicePreferences.html
func (s *Service) SetSecurityTokenServicePreferences(ctx context.Context, acct string, in SetSecurityTokenServicePreferencesInput) error {
	v := in.GlobalEndpointTokenVersion
	if v == "v1Token" {
		v = "" // the default is stored as no setting
	}
	return s.update(ctx, func(tx store.Tx) error {
		return tx.PutAccountSettings(ctx, acct, map[string]string{settingTokenVersion: v})
	})
}

// globalEndpointTokenVersion is GetAccountSummary's value for the setting.
func globalEndpointTokenVersion(m map[string]string) int {
	if m[settingTokenVersion] == "v2Token" {
		return 2
	}
	return accountGlobalEndpointTokenVersion
}

// ---- account properties ----

// Account property bounds. AWS behaviour ([PutAccountProperties]): keys
// are 1 to 50 characters of ^[A-Za-z][A-Za-z0-9/_-]*$ with exactly one
// "/" between the namespace and the property name, values 1 to 1024
// characters, and every key of one request in one namespace. AWS does not
// publish how many properties an account may have; Warden allows
// accountPropertiesMax.
//
// [PutAccountProperties]: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutAccountProperties.html
const (
	accountPropertyKeyMax   = 50
	accountPropertyValueMax = 1024
	accountPropertiesMax    = 100
)

var accountPropertyKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9/_-]*$`)

// PutAccountPropertiesInput is the input of PutAccountProperties; the
// decoder does not check map entries, so PutAccountProperties does.
type PutAccountPropertiesInput struct {
	Properties map[string]string `query:"Properties,required"`
}

// GetAccountProperties returns the account's properties, key to value.
func (s *Service) GetAccountProperties(ctx context.Context, acct string) (map[string]string, error) {
	m, err := s.accountSettings(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range m {
		if key, ok := strings.CutPrefix(k, settingProperty); ok {
			out[key] = v
		}
	}
	return out, nil
}

// PutAccountProperties sets account properties. AWS names the properties
// of its own features (Role Manager) without publishing their keys or
// types; Warden serves none of those features, so it stores any
// well-formed key with its value as given and checks no type.
func (s *Service) PutAccountProperties(ctx context.Context, acct string, in PutAccountPropertiesInput) error {
	keys := slices.Sorted(maps.Keys(in.Properties))
	var problems []string
	for _, k := range keys {
		if len(k) < 1 || len(k) > accountPropertyKeyMax || !accountPropertyKey.MatchString(k) {
			problems = append(problems, "Value '"+k+"' at 'properties' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 50, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$]")
		}
		if v := in.Properties[k]; v == "" || len(v) > accountPropertyValueMax {
			problems = append(problems, "Value '"+v+"' at 'properties."+k+"' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1]")
		}
	}
	if len(problems) > 0 {
		noun := "error"
		if len(problems) > 1 {
			noun = "errors"
		}
		return awserr.ValidationError("%d validation %s detected: %s", len(problems), noun, strings.Join(problems, "; "))
	}
	namespace := ""
	set := make(map[string]string, len(keys))
	for _, k := range keys {
		ns, name, _ := strings.Cut(k, "/")
		if strings.Count(k, "/") != 1 || name == "" {
			return awserr.InvalidInput("The property key %s must have the form Namespace/PropertyName.", k)
		}
		if namespace != "" && ns != namespace {
			return awserr.InvalidInput("All property keys must belong to the same namespace.")
		}
		namespace = ns
		set[settingProperty+k] = in.Properties[k]
	}
	return s.update(ctx, func(tx store.Tx) error {
		m, err := tx.GetAccountSettings(ctx, acct)
		if err != nil {
			return err
		}
		n := 0
		for k := range m {
			if strings.HasPrefix(k, settingProperty) {
				n++
			}
		}
		for k := range set {
			if _, ok := m[k]; !ok {
				n++
			}
		}
		if n > accountPropertiesMax {
			return awserr.InvalidInput("An account can have at most %d properties.", accountPropertiesMax)
		}
		return tx.PutAccountSettings(ctx, acct, set)
	})
}
