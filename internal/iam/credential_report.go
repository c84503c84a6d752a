package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/warden-iam/warden/internal/awserr"
	"github.com/warden-iam/warden/internal/store"
)

// The credential report.
// [Getting credential reports]: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
const (
	// reportReuse: AWS behaviour, a report is generated at most every
	// four hours; a newer one is reused.
	reportReuse = 4 * time.Hour
	// reportExpiry: a report older than this is ReportExpired. AWS does
	// not say when a report expires; Warden takes the reuse period, so
	// that an expired report is one GenerateCredentialReport replaces.
	reportExpiry = reportReuse
	// reportStale: a generation that has not finished after this long
	// (its node stopped) no longer holds off a new one.
	reportStale = 5 * time.Minute
)

// The report's column headings, in AWS's order.
var reportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
	"password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// The report's placeholder values (AWS's).
const (
	reportNA            = "N/A"
	reportNotSupported  = "not_supported"
	reportNoInformation = "no_information"
	reportRootUser      = "<root_account>"
)

// reportTime formats a time as the report does: ISO 8601 in UTC to the
// second, with a +00:00 offset.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// reportTimeOr formats t, or gives none when t is zero.
func reportTimeOr(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return reportTime(t)
}

// ReportState is the State of GenerateCredentialReport.
type ReportState string

// The report states.
const (
	ReportStarted    ReportState = "STARTED"
	ReportInProgress ReportState = "INPROGRESS"
	ReportComplete   ReportState = "COMPLETE"
)

// GenerateCredentialReport generates the account's credential report
// unless one younger than four hours exists (then it is COMPLETE). The
// report is stored, so every node serves it. AWS generates in the
// background and answers STARTED; Warden generates before answering
// STARTED, so a GetCredentialReport that follows finds it. While one
// generation runs, another call answers INPROGRESS and
// GetCredentialReport ReportInProgress.
func (s *Service) GenerateCredentialReport(ctx context.Context, acct string) (ReportState, error) {
	started := s.now().UTC()
	state := ReportStarted
	var prev store.CredentialReport
	err := s.record(ctx, func(tx store.Tx) error {
		state, prev = ReportStarted, store.CredentialReport{Account: acct}
		r, err := tx.GetCredentialReport(ctx, acct)
		if err == nil && len(r.Content) > 0 {
			prev = r
		}
		switch {
		case err == nil && len(r.Content) > 0 && started.Sub(r.GeneratedTime) < reportReuse:
			state = ReportComplete
			return nil
		case err == nil && len(r.Content) == 0 && started.Sub(r.GeneratedTime) < reportStale:
			state = ReportInProgress
			return nil
		case err != nil && !isNotFound(err):
			return err
		}
		return tx.PutCredentialReport(ctx, store.CredentialReport{Account: acct, GeneratedTime: started})
	})
	if err != nil || state != ReportStarted {
		return state, err
	}
	if err := s.finishCredentialReport(ctx, acct); err != nil {
		// Put back what was there, so that the next call starts again
		// rather than waiting for the in-progress mark to lapse. (A mark
		// with the zero time has lapsed already.)
		if perr := s.record(context.WithoutCancel(ctx), func(tx store.Tx) error {
			return tx.PutCredentialReport(ctx, prev)
		}); perr != nil {
			s.log.WarnContext(ctx, "could not clear a failed credential report generation", "err", perr)
		}
		return "", err
	}
	return state, nil
}

// finishCredentialReport builds the account's report and stores it.
func (s *Service) finishCredentialReport(ctx context.Context, acct string) error {
	// The key uses this node holds in memory go into the report.
	if err := s.FlushUsage(ctx); err != nil {
		return err
	}
	var content []byte
	if err := s.view(ctx, func(r store.Reader) error {
		var err error
		content, err = buildCredentialReport(ctx, r, acct)
		return err
	}); err != nil {
		return err
	}
	return s.record(ctx, func(tx store.Tx) error {
		return tx.PutCredentialReport(ctx, store.CredentialReport{Account: acct, GeneratedTime: s.now().UTC(), Content: content})
	})
}

// GetCredentialReport returns the account's report.
func (s *Service) GetCredentialReport(ctx context.Context, acct string) (store.CredentialReport, error) {
	var r store.CredentialReport
	err := s.view(ctx, func(rd store.Reader) error {
		var err error
		r, err = rd.GetCredentialReport(ctx, acct)
		return err
	})
	now := s.now().UTC()
	switch {
	case isNotFound(err) || (err == nil && len(r.Content) == 0 && now.Sub(r.GeneratedTime) >= reportStale):
		return store.CredentialReport{}, awserr.New("ReportNotPresent", http.StatusGone,
			"Credential report not present. To generate a credential report, use GenerateCredentialReport.")
	case err != nil:
		return store.CredentialReport{}, err
	case len(r.Content) == 0:
		return store.CredentialReport{}, awserr.New("ReportInProgress", http.StatusNotFound,
			"Credential report is still being generated.")
	case now.Sub(r.GeneratedTime) >= reportExpiry:
		return store.CredentialReport{}, awserr.New("ReportExpired", http.StatusGone,
			"The credential report has expired. To generate a new credential report, use GenerateCredentialReport.")
	}
	return r, nil
}

func reportBool(b bool) string { return strconv.FormatBool(b) }

// reportKeys fills the five columns of each of the first two access keys.
func reportKeys(keys []store.AccessKey) []string {
	var out []string
	for i := range 2 {
		if i >= len(keys) {
			out = append(out, "false", reportNA, reportNA, reportNA, reportNA)
			continue
		}
		k := keys[i]
		out = append(out, reportBool(k.Status == store.KeyActive), reportTime(k.CreateDate))
		if k.LastUsedDate.IsZero() {
			out = append(out, reportNA, reportNA, reportNA)
			continue
		}
		region, service := k.LastUsedRegion, k.LastUsedService
		if region == "" {
			region = reportNA
		}
		if service == "" {
			service = reportNA
		}
		out = append(out, reportTime(k.LastUsedDate), region, service)
	}
	return out
}

// reportCerts fills the two columns of each of the first two signing
// certificates.
func reportCerts(certs []store.SigningCertificate) []string {
	var out []string
	for i := range 2 {
		if i >= len(certs) {
			out = append(out, "false", reportNA)
			continue
		}
		out = append(out, reportBool(certs[i].Status == store.KeyActive), reportTime(certs[i].UploadDate))
	}
	return out
}

// buildCredentialReport writes the report's CSV: the root user's row
// first, then one row per user in name order.
func buildCredentialReport(ctx context.Context, r store.Reader, acct string) ([]byte, error) {
	a, err := r.GetAccount(ctx, acct)
	if err != nil {
		return nil, err
	}
	policy := store.PasswordPolicy{}
	if p, err := r.GetPasswordPolicy(ctx, acct); err == nil {
		policy = p
	} else if !isNotFound(err) {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(reportColumns); err != nil {
		return nil, err
	}

	// AWS behaviour: the root user's password columns are not_supported
	// but password_last_used; Warden's root user has no console password,
	// so there is no sign-in to report.
	rootKeys, err := r.ListAccessKeys(ctx, acct, "")
	if err != nil {
		return nil, err
	}
	rootCerts, err := r.ListSigningCertificates(ctx, acct, "")
	if err != nil {
		return nil, err
	}
	row := []string{reportRootUser, "arn:aws:iam::" + acct + ":root", reportTime(a.CreateDate),
		reportNotSupported, reportNoInformation, reportNotSupported, reportNotSupported, "false"}
	row = append(append(row, reportKeys(rootKeys)...), reportCerts(rootCerts)...)
	if err := w.Write(row); err != nil {
		return nil, err
	}

	users, err := r.ListUsers(ctx, acct, "/", store.PageRequest{})
	if err != nil {
		return nil, err
	}
	for _, u := range users.Items {
		row, err := reportUserRow(ctx, r, acct, u, policy)
		if err != nil {
			return nil, fmt.Errorf("iam: credential report: user %s: %w", u.Name, err)
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// reportUserRow is a user's row.
func reportUserRow(ctx context.Context, r store.Reader, acct string, u store.User, policy store.PasswordPolicy) ([]string, error) {
	lp, err := r.GetLoginProfile(ctx, acct, u.Name)
	hasPassword := err == nil
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	mfa, err := r.ListMFADevices(ctx, acct, store.MFAFilter{UserName: u.Name})
	if err != nil {
		return nil, err
	}
	keys, err := r.ListAccessKeys(ctx, acct, u.Name)
	if err != nil {
		return nil, err
	}
	certs, err := r.ListSigningCertificates(ctx, acct, u.Name)
	if err != nil {
		return nil, err
	}
	// password_last_used: the time; no_information for a password never
	// used; N/A for a user without a password that never signed in.
	lastUsed := reportNA
	switch {
	case !u.PasswordLastUsed.IsZero():
		lastUsed = reportTime(u.PasswordLastUsed)
	case hasPassword:
		lastUsed = reportNoInformation
	}
	changed, next := reportNA, reportNA
	if hasPassword {
		changed = reportTimeOr(lp.PasswordChanged, reportNA)
		next = reportTimeOr(passwordExpiry(policy, lp.PasswordChanged), reportNA)
	}
	row := []string{u.Name, UserARN(acct, u.Path, u.Name), reportTime(u.CreateDate), reportBool(hasPassword),
		lastUsed, changed, next, reportBool(len(mfa) > 0)}
	return append(append(row, reportKeys(keys)...), reportCerts(certs)...), nil
}
