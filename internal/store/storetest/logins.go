package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// testLoginProfiles: put, replace, read case-insensitively, a rename
// carries the profile, history round-trips, the sentinels, and deleting
// the user deletes the profile.
func testLoginProfiles(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "Alice")) })

	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetLoginProfile(ctx, acct1, "Alice")
		return err
	}), store.ErrNotFound, "no profile yet")
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.PutLoginProfile(ctx, store.LoginProfile{Account: acct1, UserName: "nobody", PasswordHash: "h", CreateDate: t0, PasswordChanged: t0})
	}), store.ErrNotFound, "no such user")

	p := store.LoginProfile{Account: acct1, UserName: "Alice", PasswordHash: "$argon2id$one",
		PasswordResetRequired: true, CreateDate: at(1), PasswordChanged: at(2)}
	update(t, s, func(tx store.Tx) error { return tx.PutLoginProfile(ctx, p) })
	get := func(name string) store.LoginProfile {
		var got store.LoginProfile
		view(t, s, func(r store.Reader) error {
			var err error
			got, err = r.GetLoginProfile(ctx, acct1, name)
			return err
		})
		return got
	}
	requireEqual(t, p, get("ALICE"))

	p.PasswordHash, p.History, p.PasswordResetRequired, p.PasswordChanged = "$argon2id$two", []string{"$argon2id$one"}, false, at(3)
	update(t, s, func(tx store.Tx) error { return tx.PutLoginProfile(ctx, p) })
	requireEqual(t, p, get("alice"))

	u := user(acct1, "Alice")
	u.Name = "Alicia"
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "Alice", u) })
	p.UserName = "Alicia"
	requireEqual(t, p, get("alicia"))

	// Another account's user of the same name sees nothing.
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct2, "Alicia")) })
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetLoginProfile(ctx, acct2, "Alicia")
		return err
	}), store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteLoginProfile(ctx, acct1, "alicia") })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteLoginProfile(ctx, acct1, "Alicia") }), store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.PutLoginProfile(ctx, p) })
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "Alicia") })
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "Alicia")) })
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetLoginProfile(ctx, acct1, "Alicia")
		return err
	}), store.ErrNotFound, "a new user of the old name has no profile")
}

// testPasswordPolicies: put, replace, delete, per account.
func testPasswordPolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	get := func(acct string) (store.PasswordPolicy, error) {
		var p store.PasswordPolicy
		err := s.View(ctx, func(r store.Reader) error {
			var err error
			p, err = r.GetPasswordPolicy(ctx, acct)
			return err
		})
		return p, err
	}
	_, err := get(acct1)
	requireIs(t, err, store.ErrNotFound)
	p := store.PasswordPolicy{Account: acct1, MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true,
		MaxPasswordAge: 90, PasswordReusePrevention: 24, HardExpiry: true}
	update(t, s, func(tx store.Tx) error { return tx.PutPasswordPolicy(ctx, p) })
	got, err := get(acct1)
	require.NoError(t, err)
	requireEqual(t, p, got)
	p = store.PasswordPolicy{Account: acct1, MinimumPasswordLength: 6}
	update(t, s, func(tx store.Tx) error { return tx.PutPasswordPolicy(ctx, p) })
	got, err = get(acct1)
	require.NoError(t, err)
	requireEqual(t, p, got)
	_, err = get(acct2)
	requireIs(t, err, store.ErrNotFound, "other account")
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.PutPasswordPolicy(ctx, store.PasswordPolicy{Account: "999999999999", MinimumPasswordLength: 6})
	}), store.ErrNotFound, "no such account")
	update(t, s, func(tx store.Tx) error { return tx.DeletePasswordPolicy(ctx, acct1) })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeletePasswordPolicy(ctx, acct1) }), store.ErrNotFound)
}

// testSigningCertificates: users' and the root user's certificates, ids
// unique per account, order, status updates, renames, the sentinels.
func testSigningCertificates(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "Bob")) })
	c1 := store.SigningCertificate{Account: acct1, ID: "CERTB", UserName: "Bob", Body: "pem1", Status: store.KeyActive, UploadDate: at(2)}
	c2 := store.SigningCertificate{Account: acct1, ID: "CERTA", UserName: "Bob", Body: "pem2", Status: store.KeyInactive, UploadDate: at(3)}
	root := store.SigningCertificate{Account: acct1, ID: "CERTR", Body: "pem3", Status: store.KeyActive, UploadDate: at(1)}
	update(t, s, func(tx store.Tx) error {
		for _, c := range []store.SigningCertificate{c2, c1, root} {
			if err := tx.CreateSigningCertificate(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateSigningCertificate(ctx, c1) }), store.ErrAlreadyExists)
	bad := c1
	bad.ID, bad.UserName = "CERTX", "nobody"
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateSigningCertificate(ctx, bad) }), store.ErrNotFound)
	other := c1
	other.Account, other.UserName = acct2, ""
	update(t, s, func(tx store.Tx) error { return tx.CreateSigningCertificate(ctx, other) })

	list := func(acct, name string) []store.SigningCertificate {
		var out []store.SigningCertificate
		view(t, s, func(r store.Reader) error {
			var err error
			out, err = r.ListSigningCertificates(ctx, acct, name)
			return err
		})
		return out
	}
	requireEqual(t, []store.SigningCertificate{c1, c2}, list(acct1, "bob"))
	requireEqual(t, []store.SigningCertificate{root}, list(acct1, ""))
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.ListSigningCertificates(ctx, acct1, "nobody")
		return err
	}), store.ErrNotFound)

	c1.Status = store.KeyInactive
	update(t, s, func(tx store.Tx) error { return tx.UpdateSigningCertificate(ctx, c1) })
	u := user(acct1, "Bob")
	u.Name = "Robert"
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "Bob", u) })
	c1.UserName = "Robert"
	view(t, s, func(r store.Reader) error {
		got, err := r.GetSigningCertificate(ctx, acct1, "CERTB")
		requireEqual(t, c1, got)
		return err
	})
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetSigningCertificate(ctx, acct1, "certb")
		return err
	}), store.ErrNotFound, "ids compare case-sensitively")

	update(t, s, func(tx store.Tx) error { return tx.DeleteSigningCertificate(ctx, acct1, "CERTB") })
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteSigningCertificate(ctx, acct1, "CERTB") }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateSigningCertificate(ctx, store.SigningCertificate{Account: acct1, ID: "CERTB", Status: store.KeyActive})
	}), store.ErrNotFound)
	requireEqual(t, []store.SigningCertificate{{Account: acct2, ID: "CERTB", Body: "pem1", Status: store.KeyActive, UploadDate: at(2)}}, list(acct2, ""))
}

// testCredentialReports: put, replace, per account.
func testCredentialReports(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetCredentialReport(ctx, acct1)
		return err
	}), store.ErrNotFound)
	for _, r := range []store.CredentialReport{
		{Account: acct1, GeneratedTime: at(1), Content: []byte("user,arn\n")},
		{Account: acct1, GeneratedTime: at(2), Content: []byte("user,arn\nbob,x\n")},
	} {
		update(t, s, func(tx store.Tx) error { return tx.PutCredentialReport(ctx, r) })
		view(t, s, func(rd store.Reader) error {
			got, err := rd.GetCredentialReport(ctx, acct1)
			requireEqual(t, r, got)
			return err
		})
	}
	requireIs(t, s.View(ctx, func(r store.Reader) error {
		_, err := r.GetCredentialReport(ctx, acct2)
		return err
	}), store.ErrNotFound)
}

// testDeleteAccountDataLogins: the --dev reset clears every login
// record of the account and none of another's.
func testDeleteAccountDataLogins(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	for _, acct := range []string{acct1, acct2} {
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateUser(ctx, user(acct, "Carol")); err != nil {
				return err
			}
			if err := tx.PutLoginProfile(ctx, store.LoginProfile{Account: acct, UserName: "Carol", PasswordHash: "h", CreateDate: t0, PasswordChanged: t0}); err != nil {
				return err
			}
			if err := tx.PutPasswordPolicy(ctx, store.PasswordPolicy{Account: acct, MinimumPasswordLength: 6}); err != nil {
				return err
			}
			if err := tx.CreateSigningCertificate(ctx, store.SigningCertificate{Account: acct, ID: "ROOTCERT", Body: "b", Status: store.KeyActive, UploadDate: t0}); err != nil {
				return err
			}
			return tx.PutCredentialReport(ctx, store.CredentialReport{Account: acct, GeneratedTime: t0, Content: []byte("x")})
		})
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetPasswordPolicy(ctx, acct1)
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetCredentialReport(ctx, acct1)
		requireIs(t, err, store.ErrNotFound)
		certs, err := r.ListSigningCertificates(ctx, acct1, "")
		require.NoError(t, err)
		require.Empty(t, certs)

		_, err = r.GetLoginProfile(ctx, acct2, "Carol")
		require.NoError(t, err)
		_, err = r.GetPasswordPolicy(ctx, acct2)
		require.NoError(t, err)
		_, err = r.GetCredentialReport(ctx, acct2)
		require.NoError(t, err)
		certs, err = r.ListSigningCertificates(ctx, acct2, "")
		require.NoError(t, err)
		require.Len(t, certs, 1)
		return nil
	})
}
