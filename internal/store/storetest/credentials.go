package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

func serverCert(acct, name string) store.ServerCertificate {
	return store.ServerCertificate{Account: acct, Name: name, Path: "/", ID: "ASCA" + acct + name,
		Body:      "-----BEGIN CERTIFICATE-----\n" + name + "\n-----END CERTIFICATE-----\n",
		SealedKey: []byte("sealed " + name), Expiration: at(60 * 24), UploadDate: t0}
}

func getServerCert(t *testing.T, s store.Store, acct, name string) (store.ServerCertificate, error) {
	t.Helper()
	var c store.ServerCertificate
	err := s.View(t.Context(), func(r store.Reader) error {
		var err error
		c, err = r.GetServerCertificate(t.Context(), acct, name)
		return err
	})
	return c, err
}

// listServerCerts pages through the certificates with prefix, pageSize at
// a time (0: all at once), and returns them.
func listServerCerts(t *testing.T, s store.Store, acct, prefix string, pageSize int) []store.ServerCertificate {
	t.Helper()
	var out []store.ServerCertificate
	marker := ""
	for {
		var pg store.Page[store.ServerCertificate]
		view(t, s, func(r store.Reader) error {
			var err error
			pg, err = r.ListServerCertificates(t.Context(), acct, prefix, store.PageRequest{Marker: marker, MaxItems: pageSize})
			return err
		})
		out = append(out, pg.Items...)
		if !pg.Truncated {
			return out
		}
		require.NotEmpty(t, pg.Marker)
		marker = pg.Marker
	}
}

func certName(c store.ServerCertificate) string { return c.Name }

// testServerCertificates: CRUD, case-insensitive names with case kept,
// every field round-tripping, lists without secrets, path prefixes,
// pagination, renames and DeleteAccountData.
func testServerCertificates(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	c := serverCert(acct1, "Web")
	c.Path = "/cloudfront/"
	c.Chain = "-----BEGIN CERTIFICATE-----\nchain\n-----END CERTIFICATE-----\n"
	c.Tags = []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}}
	update(t, s, func(tx store.Tx) error { return tx.CreateServerCertificate(ctx, c) })
	got, err := getServerCert(t, s, acct1, "WEB")
	require.NoError(t, err)
	requireEqual(t, c, got)

	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateServerCertificate(ctx, serverCert(acct1, "web")) })
	requireIs(t, err, store.ErrAlreadyExists)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateServerCertificate(ctx, serverCert("999999999999", "x")) })
	requireIs(t, err, store.ErrNotFound, "no such account")
	_, err = getServerCert(t, s, acct2, "Web")
	requireIs(t, err, store.ErrNotFound, "another account's certificate")
	update(t, s, func(tx store.Tx) error { return tx.CreateServerCertificate(ctx, serverCert(acct2, "Web")) })

	// Lists carry the metadata only.
	listed := listServerCerts(t, s, acct1, "/", 0)
	require.Len(t, listed, 1)
	meta := c
	meta.Body, meta.Chain, meta.SealedKey = "", "", nil
	requireEqual(t, meta, listed[0])

	for _, n := range []string{"b", "A", "c", "D"} {
		update(t, s, func(tx store.Tx) error { return tx.CreateServerCertificate(ctx, serverCert(acct1, n)) })
	}
	want := []string{"A", "b", "c", "D", "Web"}
	for _, size := range []int{0, 1, 2, 5, 100} {
		require.Equal(t, want, names(listServerCerts(t, s, acct1, "/", size), certName), "page size %d", size)
	}
	require.Equal(t, []string{"Web"}, names(listServerCerts(t, s, acct1, "/cloudfront/", 1), certName))
	require.Empty(t, listServerCerts(t, s, acct1, "/CLOUDFRONT/", 0), "the path prefix is case-sensitive")

	// A rename and a move keep the body, chain and key.
	renamed := c
	renamed.Name, renamed.Path, renamed.Tags = "Site", "/", nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateServerCertificate(ctx, "web", renamed) })
	got, err = getServerCert(t, s, acct1, "site")
	require.NoError(t, err)
	requireEqual(t, renamed, got)
	_, err = getServerCert(t, s, acct1, "Web")
	requireIs(t, err, store.ErrNotFound)
	err = updateErr(t, s, func(tx store.Tx) error {
		r := renamed
		r.Name = "B"
		return tx.UpdateServerCertificate(ctx, "Site", r)
	})
	requireIs(t, err, store.ErrAlreadyExists, "a taken new name")
	err = updateErr(t, s, func(tx store.Tx) error { return tx.UpdateServerCertificate(ctx, "absent", renamed) })
	requireIs(t, err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteServerCertificate(ctx, acct1, "SITE") })
	err = updateErr(t, s, func(tx store.Tx) error { return tx.DeleteServerCertificate(ctx, acct1, "Site") })
	requireIs(t, err, store.ErrNotFound)

	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, listServerCerts(t, s, acct1, "/", 0))
	require.Len(t, listServerCerts(t, s, acct2, "/", 0), 1, "another account's certificates stay")
}

func sshKey(acct, user, id string, minute int) store.SSHPublicKey {
	return store.SSHPublicKey{Account: acct, UserName: user, ID: id, Body: "ssh-rsa AAAA" + id,
		Fingerprint: "00:11:" + id, Status: store.KeyActive, UploadDate: at(minute)}
}

func serviceCred(acct, user, id string, minute int) store.ServiceCredential {
	return store.ServiceCredential{Account: acct, UserName: user, ID: id, ServiceName: "codecommit.amazonaws.com",
		ServiceUserName: user + "-at-" + acct, SealedSecret: []byte("sealed " + id), Status: store.KeyActive,
		CreateDate: at(minute)}
}

// testUserCredentials: SSH public keys and service-specific credentials
// hang from a user: CRUD, the sentinels, order, renames carrying them,
// deletes cascading and account isolation.
func testUserCredentials(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, u := range []store.User{user(acct1, "alice"), user(acct1, "Bob"), user(acct2, "alice")} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	k2 := sshKey(acct1, "alice", "APKA2", 2)
	k1 := sshKey(acct1, "alice", "APKA1", 1)
	c2 := serviceCred(acct1, "alice", "ACCA2", 2)
	c1 := serviceCred(acct1, "alice", "ACCA1", 1)
	c1.ServiceName, c1.Expiration = "bedrock.amazonaws.com", at(100)
	cb := serviceCred(acct1, "Bob", "ACCA3", 0)
	update(t, s, func(tx store.Tx) error {
		for _, k := range []store.SSHPublicKey{k2, k1} {
			if err := tx.CreateSSHPublicKey(ctx, k); err != nil {
				return err
			}
		}
		for _, c := range []store.ServiceCredential{c2, c1, cb} {
			if err := tx.CreateServiceCredential(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	readKeys := func(acct, u string) ([]store.SSHPublicKey, error) {
		var out []store.SSHPublicKey
		err := s.View(ctx, func(r store.Reader) error {
			var err error
			out, err = r.ListSSHPublicKeys(ctx, acct, u)
			return err
		})
		return out, err
	}
	readCreds := func(acct, u string) ([]store.ServiceCredential, error) {
		var out []store.ServiceCredential
		err := s.View(ctx, func(r store.Reader) error {
			var err error
			out, err = r.ListServiceCredentials(ctx, acct, u)
			return err
		})
		return out, err
	}
	keys, err := readKeys(acct1, "ALICE")
	require.NoError(t, err)
	requireEqual(t, []store.SSHPublicKey{k1, k2}, keys)
	creds, err := readCreds(acct1, "Alice")
	require.NoError(t, err)
	requireEqual(t, []store.ServiceCredential{c1, c2}, creds)
	creds, err = readCreds(acct1, "")
	require.NoError(t, err)
	requireEqual(t, []store.ServiceCredential{c1, c2, cb}, creds) // every user's, by user name
	_, err = readKeys(acct1, "nobody")
	requireIs(t, err, store.ErrNotFound)
	_, err = readCreds(acct1, "nobody")
	requireIs(t, err, store.ErrNotFound)
	keys, err = readKeys(acct2, "alice")
	require.NoError(t, err)
	require.Empty(t, keys, "another account's user")

	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateSSHPublicKey(ctx, sshKey(acct1, "nobody", "APKA9", 0)) })
	requireIs(t, err, store.ErrNotFound)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateSSHPublicKey(ctx, sshKey(acct1, "Bob", "APKA1", 0)) })
	requireIs(t, err, store.ErrAlreadyExists)
	err = updateErr(t, s, func(tx store.Tx) error {
		return tx.CreateServiceCredential(ctx, serviceCred(acct1, "nobody", "ACCA9", 0))
	})
	requireIs(t, err, store.ErrNotFound)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.CreateServiceCredential(ctx, serviceCred(acct1, "Bob", "ACCA1", 0)) })
	requireIs(t, err, store.ErrAlreadyExists)

	// Updates set the status (and a credential's secret).
	k1.Status = store.KeyInactive
	c1.Status, c1.SealedSecret = store.KeyInactive, []byte("new secret")
	update(t, s, func(tx store.Tx) error {
		if err := tx.UpdateSSHPublicKey(ctx, k1); err != nil {
			return err
		}
		return tx.UpdateServiceCredential(ctx, c1)
	})
	view(t, s, func(r store.Reader) error {
		k, err := r.GetSSHPublicKey(ctx, acct1, "APKA1")
		require.NoError(t, err)
		requireEqual(t, k1, k)
		c, err := r.GetServiceCredential(ctx, acct1, "ACCA1")
		require.NoError(t, err)
		requireEqual(t, c1, c)
		_, err = r.GetSSHPublicKey(ctx, acct2, "APKA1")
		requireIs(t, err, store.ErrNotFound, "another account's key")
		_, err = r.GetServiceCredential(ctx, acct2, "ACCA1")
		requireIs(t, err, store.ErrNotFound, "another account's credential")
		return nil
	})
	err = updateErr(t, s, func(tx store.Tx) error { return tx.UpdateSSHPublicKey(ctx, sshKey(acct1, "alice", "APKA9", 0)) })
	requireIs(t, err, store.ErrNotFound)
	err = updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateServiceCredential(ctx, serviceCred(acct1, "alice", "ACCA9", 0))
	})
	requireIs(t, err, store.ErrNotFound)

	// A rename carries them along.
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, "alice", user(acct1, "Carol")) })
	keys, err = readKeys(acct1, "carol")
	require.NoError(t, err)
	require.Len(t, keys, 2)
	require.Equal(t, "Carol", keys[0].UserName)
	creds, err = readCreds(acct1, "")
	require.NoError(t, err)
	require.Equal(t, []string{"Bob", "Carol", "Carol"}, names(creds, func(c store.ServiceCredential) string { return c.UserName }))

	update(t, s, func(tx store.Tx) error {
		if err := tx.DeleteSSHPublicKey(ctx, acct1, "APKA2"); err != nil {
			return err
		}
		return tx.DeleteServiceCredential(ctx, acct1, "ACCA2")
	})
	err = updateErr(t, s, func(tx store.Tx) error { return tx.DeleteSSHPublicKey(ctx, acct1, "APKA2") })
	requireIs(t, err, store.ErrNotFound)
	err = updateErr(t, s, func(tx store.Tx) error { return tx.DeleteServiceCredential(ctx, acct1, "ACCA2") })
	requireIs(t, err, store.ErrNotFound)

	// Deleting the user (the service refuses first; the store cascades).
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "Carol") })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetSSHPublicKey(ctx, acct1, "APKA1")
		requireIs(t, err, store.ErrNotFound)
		_, err = r.GetServiceCredential(ctx, acct1, "ACCA1")
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	creds, err = readCreds(acct1, "")
	require.NoError(t, err)
	require.Empty(t, creds)
}
