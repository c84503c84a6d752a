package sts

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/warden-iam/warden/authz"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

// decodePurpose names the service keys that seal authorization messages.
const decodePurpose = "authorization-message"

// decodeVersion is the first byte of every sealed authorization message.
const decodeVersion byte = 1

// decodeMaxMessage is the model's bound on EncodedMessage (encodedMessageType).
const decodeMaxMessage = 10240

// decodeKey is one opened service key.
type decodeKey struct {
	id  string
	raw []byte
}

// decodeServiceKeys returns the opened service keys of purpose, oldest
// first, creating one with gen when none is usable (usable nil: any key
// is). It is shared by the three features that keep their own service key
// (authorization messages, web identity tokens, trade-in tokens). Keys are
// read from the store on each use instead of being cached on the Service:
// these calls are rare, and every node then sees a key another node
// created. Nodes creating a key at once each create one; all of them open,
// and the newest usable one is used for new material.
func (s *Service) decodeServiceKeys(ctx context.Context, purpose string, usable func([]byte) bool, gen func() ([]byte, error)) ([]decodeKey, error) {
	var out []decodeKey
	have := func(keys []store.ServiceKey) (bool, error) {
		sort.SliceStable(keys, func(i, j int) bool { return keys[i].CreateDate.Before(keys[j].CreateDate) })
		out = out[:0]
		ok := false
		for _, k := range keys {
			raw, err := s.keyring.Open(k.Sealed, decodeKeyAAD(purpose, k.ID))
			if err != nil {
				return false, fmt.Errorf("%s key %s does not open under the master key: %w", purpose, k.ID, err)
			}
			out = append(out, decodeKey{id: k.ID, raw: raw})
			ok = ok || usable == nil || usable(raw)
		}
		return ok, nil
	}
	var found bool
	err := s.store.View(ctx, func(r store.Reader) error {
		keys, err := r.ListServiceKeys(ctx, purpose)
		if err != nil {
			return err
		}
		found, err = have(keys)
		return err
	})
	if err == nil && !found {
		err = s.store.Update(ctx, func(tx store.Tx) error {
			keys, err := tx.ListServiceKeys(ctx, purpose)
			if err != nil {
				return err
			}
			if ok, err := have(keys); ok || err != nil {
				return err
			}
			raw, err := gen()
			if err != nil {
				return err
			}
			var id [8]byte
			if _, err := rand.Read(id[:]); err != nil {
				return err
			}
			k := store.ServiceKey{ID: hex.EncodeToString(id[:]), Purpose: purpose, CreateDate: s.now().UTC()}
			k.Sealed = s.keyring.Seal(raw, decodeKeyAAD(purpose, k.ID))
			if err := tx.CreateServiceKey(ctx, k); err != nil {
				return err
			}
			out = append(out, decodeKey{id: k.ID, raw: raw})
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("sts: load %s keys: %w", purpose, err)
	}
	return out, nil
}

func decodeKeyAAD(purpose, id string) string { return "service-key:" + purpose + ":" + id }

func decodeRandomKey() ([]byte, error) {
	raw := make([]byte, 32)
	_, err := rand.Read(raw)
	return raw, err
}

// decodeSeal seals plain with the newest key (AES-256-GCM, random nonce);
// the header (version, key id) is authenticated too. The text is
// unpadded base64url, like AWS's encoded messages, so that it survives
// being pasted into a URL or a shell.
func decodeSeal(keys []decodeKey, version byte, plain []byte) (string, error) {
	k := keys[len(keys)-1]
	aead, err := decodeAEAD(k.raw)
	if err != nil {
		return "", err
	}
	header := append([]byte{version, byte(len(k.id))}, k.id...)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(header, nil, plain, header)), nil
}

// decodeOpen opens what decodeSeal sealed; ok is false for anything else.
func decodeOpen(keys []decodeKey, version byte, text string) ([]byte, bool) {
	// The decoder skips line breaks; AWS behaviour: a message with one is
	// not valid.
	if strings.ContainsAny(text, "\r\n") {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(raw) < 2 || raw[0] != version || len(raw) < 2+int(raw[1]) {
		return nil, false
	}
	header, body := raw[:2+int(raw[1])], raw[2+int(raw[1]):]
	for _, k := range keys {
		if k.id != string(header[2:]) {
			continue
		}
		aead, err := decodeAEAD(k.raw)
		if err != nil {
			return nil, false
		}
		plain, err := aead.Open(nil, nil, body, header)
		return plain, err == nil
	}
	return nil, false
}

func decodeAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// The decoded message's JSON, in the shape AWS documents
// ([DecodeAuthorizationMessage]): allowed, explicitDeny, matchedStatements,
// failures and context. Lists are {"items": [...]} as AWS writes them.
// Warden adds to each matched statement the policy that holds it
// (policyId, policyType) and the statement's position, which AWS's own
// messages leave out but which is what "why was this denied?" needs.
//
// [DecodeAuthorizationMessage]: https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
type decodeMessage struct {
	Allowed           bool                   `json:"allowed"`
	ExplicitDeny      bool                   `json:"explicitDeny"`
	MatchedStatements decodeItems[decodeStm] `json:"matchedStatements"`
	Failures          decodeItems[string]    `json:"failures"`
	Context           decodeContext          `json:"context"`
}

type decodeItems[T any] struct {
	Items []T `json:"items"`
}

type decodeStm struct {
	StatementID    string `json:"statementId"`
	Effect         string `json:"effect"`
	PolicyID       string `json:"policyId"`
	PolicyType     string `json:"policyType"`
	StatementIndex int    `json:"statementIndex"`
}

type decodeContext struct {
	Principal  decodePrincipal         `json:"principal"`
	Action     string                  `json:"action"`
	Resource   string                  `json:"resource"`
	Conditions decodeItems[decodeCond] `json:"conditions"`
}

type decodePrincipal struct {
	ID  string `json:"id"`
	ARN string `json:"arn"`
}

type decodeCond struct {
	Key    string                   `json:"key"`
	Values decodeItems[decodeValue] `json:"values"`
}

type decodeValue struct {
	Value string `json:"value"`
}

// EncodeAuthorizationMessage seals the trace of one decision (the request
// and the Diagnostic that [authz.Explain] filled in for it) into the
// opaque text that DecodeAuthorizationMessage turns back into AWS's JSON.
// The message is sealed, not signed, because it may name policies and
// condition values the caller is not entitled to see: only a principal
// allowed sts:DecodeAuthorizationMessage reads it.
//
// In a self-hosted deployment this is what an access-denied answer of
// Warden's authorization API (/v1/authorize) carries for the service that
// asked, the way EC2 returns an "Encoded authorization failure message";
// IAM and STS themselves answer with plain messages, as on AWS.
func (s *Service) EncodeAuthorizationMessage(ctx context.Context, req *authz.Request, d *authz.Diagnostic) (string, error) {
	keys, err := s.decodeServiceKeys(ctx, decodePurpose, nil, decodeRandomKey)
	if err != nil {
		return "", err
	}
	msg := decodeMessage{
		Allowed:      d.Result.Decision == authz.Allowed,
		ExplicitDeny: d.Result.Decision == authz.ExplicitlyDenied,
		Context: decodeContext{
			Principal: decodePrincipal{ID: req.Principal.UserID, ARN: req.Principal.ARN},
			Action:    req.Action,
			Resource:  req.Resource,
		},
	}
	msg.MatchedStatements.Items = []decodeStm{}
	msg.Failures.Items = []string{}
	msg.Context.Conditions.Items = []decodeCond{}
	for _, m := range d.Matched {
		st := decodeStm{PolicyType: m.Kind.String()}
		if m.Policy != nil {
			st.PolicyID = m.Policy.ID
		}
		if m.Rule != nil {
			st.StatementID, st.StatementIndex = m.Rule.Sid, m.Rule.Index
			st.Effect = "ALLOW"
			if m.Rule.Effect == policy.Deny {
				st.Effect = "DENY"
			}
		}
		msg.MatchedStatements.Items = append(msg.MatchedStatements.Items, st)
	}
	for _, k := range req.Context.Keys() {
		vals, _ := req.Context.Get(k)
		c := decodeCond{Key: k}
		c.Values.Items = make([]decodeValue, 0, len(vals))
		for _, v := range vals {
			c.Values.Items = append(c.Values.Items, decodeValue{Value: v})
		}
		msg.Context.Conditions.Items = append(msg.Context.Conditions.Items, c)
	}
	plain, err := json.Marshal(msg)
	if err != nil {
		return "", err
	}
	return decodeSeal(keys, decodeVersion, plain)
}

// errDecodeInvalid is AWS's answer to a message it did not issue, or one
// tampered with or cut short.
func errDecodeInvalid() error {
	return awserr.New("InvalidAuthorizationMessageException", http.StatusBadRequest, "Message is not valid")
}

// DecodeAuthorizationMessage returns the JSON document an encoded
// authorization message holds. Authorization (sts:DecodeAuthorizationMessage)
// happened before. AWS behaviour: anything not sealed by this deployment
// (including a message with line breaks, or truncated) is an
// InvalidAuthorizationMessageException.
func (s *Service) DecodeAuthorizationMessage(ctx context.Context, encoded string) (string, error) {
	if len(encoded) > decodeMaxMessage {
		return "", errDecodeInvalid()
	}
	keys, err := s.decodeServiceKeys(ctx, decodePurpose, nil, decodeRandomKey)
	if err != nil {
		return "", err
	}
	plain, ok := decodeOpen(keys, decodeVersion, encoded)
	if !ok || !json.Valid(plain) {
		return "", errDecodeInvalid()
	}
	return string(plain), nil
}
