package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
	"github.com/warden-iam/warden/policy"
)

func init() {
	// certificateBodyType, privateKeyType and certificateChainType of the
	// AWS model share this pattern.
	query.RegisterPattern("certificateBody", `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
}

// ServerCertificateMetadata is the ServerCertificateMetadata shape.
type ServerCertificateMetadata struct {
	Path                  string     `xml:"Path"`
	ServerCertificateName string     `xml:"ServerCertificateName"`
	ServerCertificateID   string     `xml:"ServerCertificateId"`
	ARN                   string     `xml:"Arn"`
	UploadDate            query.Time `xml:"UploadDate"`
	Expiration            query.Time `xml:"Expiration"`
}

func serverCertificateMetadataOf(c store.ServerCertificate) ServerCertificateMetadata {
	return ServerCertificateMetadata{Path: c.Path, ServerCertificateName: c.Name, ServerCertificateID: c.ID,
		ARN: iam.ServerCertificateARN(c.Account, c.Path, c.Name), UploadDate: query.Time(c.UploadDate),
		Expiration: query.Time(c.Expiration)}
}

// ServerCertificate is the ServerCertificate shape: never the private key.
type ServerCertificate struct {
	ServerCertificateMetadata ServerCertificateMetadata `xml:"ServerCertificateMetadata"`
	CertificateBody           string                    `xml:"CertificateBody"`
	CertificateChain          string                    `xml:"CertificateChain,omitempty"`
	Tags                      *Members[Tag]             `xml:"Tags,omitempty"`
}

type uploadServerCertificateResult struct {
	ServerCertificateMetadata ServerCertificateMetadata `xml:"ServerCertificateMetadata"`
	Tags                      *Members[Tag]             `xml:"Tags,omitempty"`
}

type getServerCertificateResult struct {
	ServerCertificate ServerCertificate `xml:"ServerCertificate"`
}

type listServerCertificatesResult struct {
	ServerCertificateMetadataList []ServerCertificateMetadata `xml:"ServerCertificateMetadataList>member"`
	IsTruncated                   bool                        `xml:"IsTruncated"`
	Marker                        string                      `xml:"Marker,omitempty"`
}

// serverCertificateByName is the resource of an action on a named server
// certificate: its ARN with its path and tags when it exists, else the
// ARN AWS forms without a path. Certificates are not in the snapshot, so
// this reads the service.
func serverCertificateByName(s *iam.Service) targetOf {
	return func(ctx context.Context, c *api.Call, name string) api.Target {
		arn, tags, _ := s.ServerCertificateTarget(ctx, c.Caller.Account, name)
		return api.Target{ARN: arn, Tags: tags}
	}
}

func serverCertificateActions(s *iam.Service) []api.Handler {
	byName := serverCertificateByName(s)
	certName := func(in *iam.ServerCertificateNameInput) string { return in.ServerCertificateName }
	return slices.Concat([]api.Handler{
		api.Action[iam.UploadServerCertificateInput, uploadServerCertificateResult]{
			Name: "UploadServerCertificate", IAMAction: "iam:UploadServerCertificate",
			Resource: func(_ context.Context, c *api.Call, in *iam.UploadServerCertificateInput) (api.Target, error) {
				return api.Target{ARN: iam.ServerCertificateARN(c.Caller.Account, iam.PathOrRoot(in.Path), in.ServerCertificateName)}, nil
			},
			Context: func(_ *api.Call, in *iam.UploadServerCertificateInput, keys *policy.Context) {
				requestTags(in.Tags, keys)
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UploadServerCertificateInput) (*uploadServerCertificateResult, error) {
				sc, err := s.UploadServerCertificate(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &uploadServerCertificateResult{ServerCertificateMetadata: serverCertificateMetadataOf(sc),
					Tags: optionalTags(sc.Tags)}, nil
			},
		},
		api.Action[iam.ServerCertificateNameInput, getServerCertificateResult]{
			Name: "GetServerCertificate", IAMAction: "iam:GetServerCertificate", ReadOnly: true,
			Resource: named(byName, certName),
			Do: func(ctx context.Context, c *api.Call, in *iam.ServerCertificateNameInput) (*getServerCertificateResult, error) {
				sc, err := s.GetServerCertificate(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				return &getServerCertificateResult{ServerCertificate: ServerCertificate{
					ServerCertificateMetadata: serverCertificateMetadataOf(sc),
					CertificateBody:           sc.Body, CertificateChain: sc.Chain, Tags: optionalTags(sc.Tags)}}, nil
			},
		},
		api.Action[iam.ListServerCertificatesInput, listServerCertificatesResult]{
			Name: "ListServerCertificates", IAMAction: "iam:ListServerCertificates", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, _ *iam.ListServerCertificatesInput) (api.Target, error) {
				return listTarget(c, "server-certificate")
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.ListServerCertificatesInput) (*listServerCertificatesResult, error) {
				p, err := s.ListServerCertificates(ctx, c.Caller.Account, *in)
				if err != nil {
					return nil, err
				}
				out := &listServerCertificatesResult{ServerCertificateMetadataList: []ServerCertificateMetadata{},
					IsTruncated: p.Truncated, Marker: p.Marker}
				for _, sc := range p.Items {
					out.ServerCertificateMetadataList = append(out.ServerCertificateMetadataList, serverCertificateMetadataOf(sc))
				}
				return out, nil
			},
		},
		// AWS behaviour: a rename needs permission on the old and the new
		// name; the dispatcher authorizes one resource, the certificate's
		// current ARN.
		api.Action[iam.UpdateServerCertificateInput, struct{}]{
			Name: "UpdateServerCertificate", IAMAction: "iam:UpdateServerCertificate",
			Resource: named(byName, func(in *iam.UpdateServerCertificateInput) string { return in.ServerCertificateName }),
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateServerCertificateInput) (*struct{}, error) {
				source := byName(ctx, c, in.ServerCertificateName)
				if err := authorizeRename(c, "iam:UpdateServerCertificate", "server-certificate", source, in.NewPath, in.NewServerCertificateName); err != nil {
					return nil, err
				}
				return nil, s.UpdateServerCertificate(ctx, c.Caller.Account, *in)
			},
		},
		api.Action[iam.ServerCertificateNameInput, struct{}]{
			Name: "DeleteServerCertificate", IAMAction: "iam:DeleteServerCertificate",
			Resource: named(byName, certName),
			Do: func(ctx context.Context, c *api.Call, in *iam.ServerCertificateNameInput) (*struct{}, error) {
				return nil, s.DeleteServerCertificate(ctx, c.Caller.Account, *in)
			},
		},
	}, taggable[iam.TagServerCertificateInput, iam.UntagServerCertificateInput, iam.ListServerCertificateTagsInput]{
		Kind: "ServerCertificate", Target: byName,
		TagID:   func(in *iam.TagServerCertificateInput) string { return in.ServerCertificateName },
		UntagID: func(in *iam.UntagServerCertificateInput) string { return in.ServerCertificateName },
		ListID:  func(in *iam.ListServerCertificateTagsInput) string { return in.ServerCertificateName },
		Tags:    func(in *iam.TagServerCertificateInput) []iam.Tag { return in.Tags },
		TagKeys: func(in *iam.UntagServerCertificateInput) []string { return in.TagKeys },
		Tag:     s.TagServerCertificate, Untag: s.UntagServerCertificate, List: s.ListServerCertificateTags,
	}.actions())
}
