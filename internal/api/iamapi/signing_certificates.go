package iamapi

import (
	"context"
	"slices"

	"github.com/warden-iam/warden/internal/api"
	"github.com/warden-iam/warden/internal/api/query"
	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/iam"
	"github.com/warden-iam/warden/internal/store"
)

// signingCertificate is the SigningCertificate shape.
type signingCertificate struct {
	UserName        string     `xml:"UserName"`
	CertificateID   string     `xml:"CertificateId"`
	CertificateBody string     `xml:"CertificateBody"`
	Status          string     `xml:"Status"`
	UploadDate      query.Time `xml:"UploadDate"`
}

func toSigningCertificate(c store.SigningCertificate) signingCertificate {
	return signingCertificate{UserName: c.UserName, CertificateID: c.ID, CertificateBody: c.Body,
		Status: string(c.Status), UploadDate: query.Time(c.UploadDate)}
}

type uploadSigningCertificateResult struct {
	Certificate signingCertificate `xml:"Certificate"`
}

type listSigningCertificatesInput struct {
	UserName *string `query:"UserName" min:"1" max:"128" pattern:"name"`
	Marker   *string `query:"Marker" min:"1" max:"320" pattern:"marker"`
	MaxItems *int    `query:"MaxItems" minValue:"1" maxValue:"1000"`
}

type listSigningCertificatesResult struct {
	Certificates []signingCertificate `xml:"Certificates>member"`
	IsTruncated  bool                 `xml:"IsTruncated"`
	Marker       string               `xml:"Marker,omitempty"`
}

// pageCertificates cuts one page from a user's certificates: the marker
// is the id of the first certificate of the next page.
func pageCertificates(certs []store.SigningCertificate, marker *string, maxItems *int) (*listSigningCertificatesResult, error) {
	start := 0
	if marker != nil {
		start = slices.IndexFunc(certs, func(c store.SigningCertificate) bool { return c.ID == *marker })
		if start < 0 {
			return nil, awserr.ValidationError("Invalid Marker: the value was not returned by a previous call.")
		}
	}
	end := len(certs)
	if maxItems != nil && start+*maxItems < end {
		end = start + *maxItems
	}
	out := &listSigningCertificatesResult{Certificates: []signingCertificate{}}
	for _, c := range certs[start:end] {
		out.Certificates = append(out.Certificates, toSigningCertificate(c))
	}
	if end < len(certs) {
		out.IsTruncated, out.Marker = true, certs[end].ID
	}
	return out, nil
}

// certUser is the user a signing-certificate action names, or the
// caller's own: the IAM user, or "" for the root user's certificates.
// AWS behaviour: "you can use this operation to manage Amazon Web Services
// account root user credentials"; a role session must name the user (the
// safer choice: it never reaches the root user's certificates).
func certUser(c *api.Call, name *string) (string, error) {
	switch {
	case name != nil:
		return *name, nil
	case c.Caller.IsRoot():
		return "", nil
	case c.Caller.UserName != "" && c.Caller.Session == nil:
		return c.Caller.UserName, nil
	}
	return "", awserr.ValidationError("Must specify userName when calling with non-User credentials")
}

func signingCertificateActions(s *iam.Service) []api.Handler {
	return []api.Handler{
		api.Action[iam.UploadSigningCertificateInput, uploadSigningCertificateResult]{
			Name: "UploadSigningCertificate", IAMAction: "iam:UploadSigningCertificate",
			Resource: func(_ context.Context, c *api.Call, in *iam.UploadSigningCertificateInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UploadSigningCertificateInput) (*uploadSigningCertificateResult, error) {
				user, err := certUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				cert, err := s.UploadSigningCertificate(ctx, c.Caller.Account, user, in.CertificateBody)
				if err != nil {
					return nil, err
				}
				return &uploadSigningCertificateResult{Certificate: toSigningCertificate(cert)}, nil
			},
		},
		api.Action[listSigningCertificatesInput, listSigningCertificatesResult]{
			Name: "ListSigningCertificates", IAMAction: "iam:ListSigningCertificates", ReadOnly: true,
			Resource: func(_ context.Context, c *api.Call, in *listSigningCertificatesInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *listSigningCertificatesInput) (*listSigningCertificatesResult, error) {
				user, err := certUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				certs, err := s.ListSigningCertificates(ctx, c.Caller.Account, user)
				if err != nil {
					return nil, err
				}
				return pageCertificates(certs, in.Marker, in.MaxItems)
			},
		},
		api.Action[iam.UpdateSigningCertificateInput, struct{}]{
			Name: "UpdateSigningCertificate", IAMAction: "iam:UpdateSigningCertificate",
			Resource: func(_ context.Context, c *api.Call, in *iam.UpdateSigningCertificateInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.UpdateSigningCertificateInput) (*struct{}, error) {
				user, err := certUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.UpdateSigningCertificate(ctx, c.Caller.Account, user, in.CertificateID, in.Status)
			},
		},
		api.Action[iam.SigningCertificateInput, struct{}]{
			Name: "DeleteSigningCertificate", IAMAction: "iam:DeleteSigningCertificate",
			Resource: func(_ context.Context, c *api.Call, in *iam.SigningCertificateInput) (api.Target, error) {
				return keyOwnerTarget(c, in.UserName), nil
			},
			Do: func(ctx context.Context, c *api.Call, in *iam.SigningCertificateInput) (*struct{}, error) {
				user, err := certUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, s.DeleteSigningCertificate(ctx, c.Caller.Account, user, in.CertificateID)
			},
		},
	}
}
