package storetest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/store"
)

// mfa returns an unassigned virtual MFA device named name at path "/".
func mfa(acct, name string) store.MFADevice {
	return store.MFADevice{
		Account: acct, SerialNumber: "arn:aws:iam::" + acct + ":mfa/" + name, Name: name, Path: "/",
		CreateDate: t0, SealedSeed: []byte("sealed:" + name),
	}
}

// assigned returns d enabled for user at enabled.
func assigned(d store.MFADevice, user string, minutes int) store.MFADevice {
	d.UserName = user
	d.EnableDate = at(minutes)
	return d
}

func mfaSerial(d store.MFADevice) string { return d.SerialNumber }

// listMFA lists the serial numbers f selects and requires success.
func listMFA(t *testing.T, s store.Store, acct string, f store.MFAFilter) []string {
	t.Helper()
	var out []string
	view(t, s, func(r store.Reader) error {
		ds, err := r.ListMFADevices(t.Context(), acct, f)
		out = names(ds, mfaSerial)
		return err
	})
	return out
}

func getMFA(t *testing.T, s store.Store, acct, serial string) store.MFADevice {
	t.Helper()
	var d store.MFADevice
	view(t, s, func(r store.Reader) error {
		var err error
		d, err = r.GetMFADevice(t.Context(), acct, serial)
		return err
	})
	return d
}

// testMFADevices: CRUD, the sentinels, serial numbers compared
// case-sensitively, and every field round-tripping (nil seed and tags
// stay empty, the extreme steps survive).
func testMFADevices(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	d := mfa(acct1, "phone")
	d.Path = "/team/"
	d.SerialNumber = "arn:aws:iam::" + acct1 + ":mfa/team/phone"
	d.LastUsedStep = 58_000_000
	d.Tags = []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: ""}}
	update(t, s, func(tx store.Tx) error { return tx.CreateMFADevice(ctx, d) })
	requireEqual(t, d, getMFA(t, s, acct1, d.SerialNumber))
	view(t, s, func(r store.Reader) error {
		_, err := r.GetMFADevice(ctx, acct1, "arn:aws:iam::"+acct1+":mfa/team/PHONE")
		requireIs(t, err, store.ErrNotFound, "the serial number is case-sensitive")
		_, err = r.GetMFADevice(ctx, acct2, d.SerialNumber)
		requireIs(t, err, store.ErrNotFound, "another account's device")
		return nil
	})

	// A nil seed stays nil; a zero step and no tags stay zero.
	bare := mfa(acct1, "bare")
	bare.SealedSeed = nil
	update(t, s, func(tx store.Tx) error { return tx.CreateMFADevice(ctx, bare) })
	got := getMFA(t, s, acct1, bare.SerialNumber)
	require.Nil(t, got.SealedSeed)
	require.Nil(t, got.Tags)
	require.Zero(t, got.LastUsedStep)
	require.True(t, got.EnableDate.IsZero())
	requireEqual(t, bare, got)

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.CreateMFADevice(ctx, d) }), store.ErrAlreadyExists)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.CreateMFADevice(ctx, mfa("999999999999", "phone"))
	}), store.ErrNotFound, "no such account")
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.CreateMFADevice(ctx, assigned(mfa(acct1, "ghost"), "nobody", 1))
	}), store.ErrNotFound, "no such user")
	// A sentinel leaves the transaction usable.
	update(t, s, func(tx store.Tx) error {
		requireIs(t, tx.CreateMFADevice(ctx, d), store.ErrAlreadyExists)
		return tx.CreateMFADevice(ctx, mfa(acct1, "after-conflict"))
	})
	// Another case is another device.
	upper := d
	upper.SerialNumber = "arn:aws:iam::" + acct1 + ":mfa/team/PHONE"
	upper.Name = "PHONE"
	update(t, s, func(tx store.Tx) error { return tx.CreateMFADevice(ctx, upper) })

	// Update sets the user, enable date, step and tags, and nothing else.
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "alice")) })
	d2 := assigned(d, "alice", 5)
	d2.LastUsedStep = math.MaxInt64
	d2.Tags = []store.Tag{{Key: "k", Value: "v"}}
	changed := d2
	changed.Name, changed.Path, changed.CreateDate, changed.SealedSeed = "other", "/other/", at(9), []byte("other")
	update(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, changed) })
	requireEqual(t, d2, getMFA(t, s, acct1, d.SerialNumber))
	requireEqual(t, upper, getMFA(t, s, acct1, upper.SerialNumber)) // untouched

	// Negative steps round trip too; tags can be cleared.
	d3 := d2
	d3.LastUsedStep = math.MinInt64
	d3.Tags = nil
	update(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, d3) })
	requireEqual(t, d3, getMFA(t, s, acct1, d.SerialNumber))

	// Unassigning clears the enable date.
	d4 := d3
	d4.UserName, d4.EnableDate = "", at(7)
	update(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, d4) })
	got = getMFA(t, s, acct1, d.SerialNumber)
	require.Empty(t, got.UserName)
	require.True(t, got.EnableDate.IsZero(), "an unassigned device has no enable date")

	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateMFADevice(ctx, assigned(d, "nobody", 1))
	}), store.ErrNotFound, "no such user")
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateMFADevice(ctx, assigned(mfa(acct2, "phone"), "alice", 1))
	}), store.ErrNotFound, "alice is not a user of acct2")
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, mfa(acct1, "absent")) }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		return tx.UpdateMFADevice(ctx, assigned(mfa(acct1, "absent"), "alice", 1))
	}), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error {
		x := d
		x.Account = acct2
		return tx.UpdateMFADevice(ctx, x)
	}), store.ErrNotFound, "another account's device")

	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteMFADevice(ctx, acct1, "arn:absent") }), store.ErrNotFound)
	requireIs(t, updateErr(t, s, func(tx store.Tx) error { return tx.DeleteMFADevice(ctx, acct2, d.SerialNumber) }), store.ErrNotFound)
	update(t, s, func(tx store.Tx) error { return tx.DeleteMFADevice(ctx, acct1, d.SerialNumber) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetMFADevice(ctx, acct1, d.SerialNumber)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	requireEqual(t, []string{
		mfa(acct1, "after-conflict").SerialNumber, bare.SerialNumber, upper.SerialNumber,
	}, listMFA(t, s, acct1, store.MFAFilter{}))
	// The serial number is free again, and the user still exists.
	update(t, s, func(tx store.Tx) error { return tx.CreateMFADevice(ctx, d) })
	view(t, s, func(r store.Reader) error {
		_, err := r.GetUser(ctx, acct1, "alice")
		return err
	})
}

// testMFAAssignment: the list filters and their order, the user's name
// following a rename, and a deleted user unassigning its devices.
func testMFAAssignment(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	a := assigned(mfa(acct1, "a-alice"), "Alice", 1)
	b := mfa(acct1, "B-spare")
	c := assigned(mfa(acct1, "c-bob"), "bob", 2)
	z := assigned(mfa(acct1, "Z-alice"), "Alice", 3)
	spare := mfa(acct1, "_spare")
	update(t, s, func(tx store.Tx) error {
		for _, u := range []string{"Alice", "bob", "carol"} {
			if err := tx.CreateUser(ctx, user(acct1, u)); err != nil {
				return err
			}
		}
		// Created out of order, and a and c assigned on create.
		for _, d := range []store.MFADevice{c, spare, z, b, a} {
			if d.SerialNumber == z.SerialNumber {
				d.UserName = "" // assigned below, by an update
			}
			if d.UserName == "" {
				d.EnableDate = at(9) // ignored without a user
			}
			if err := tx.CreateMFADevice(ctx, d); err != nil {
				return err
			}
		}
		// z is assigned by an update, with a user name in another case.
		zz := z
		zz.UserName = "ALICE"
		return tx.UpdateMFADevice(ctx, zz)
	})
	// The unassigned devices have no enable date even if one was given.
	got := getMFA(t, s, acct1, b.SerialNumber)
	require.True(t, got.EnableDate.IsZero())
	requireEqual(t, b, got)
	requireEqual(t, a, getMFA(t, s, acct1, a.SerialNumber))
	requireEqual(t, z, getMFA(t, s, acct1, z.SerialNumber)) // the stored case of the user's name

	// Serial-number order is by bytes: uppercase before lowercase, "_" between.
	all := []string{b.SerialNumber, z.SerialNumber, spare.SerialNumber, a.SerialNumber, c.SerialNumber}
	requireEqual(t, all, listMFA(t, s, acct1, store.MFAFilter{}))
	requireEqual(t, []string{z.SerialNumber, a.SerialNumber, c.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{Assignment: "Assigned"}))
	requireEqual(t, []string{b.SerialNumber, spare.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{Assignment: "Unassigned"}))
	requireEqual(t, []string{z.SerialNumber, a.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{UserName: "aLiCe"}))
	// Assignment is ignored with UserName.
	requireEqual(t, []string{z.SerialNumber, a.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{UserName: "alice", Assignment: "Unassigned"}))
	requireEqual(t, []string{c.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{UserName: "BOB"}))
	require.Empty(t, listMFA(t, s, acct1, store.MFAFilter{UserName: "carol"}))
	view(t, s, func(r store.Reader) error {
		_, err := r.ListMFADevices(ctx, acct1, store.MFAFilter{UserName: "nobody"})
		requireIs(t, err, store.ErrNotFound)
		_, err = r.ListMFADevices(ctx, acct2, store.MFAFilter{UserName: "Alice"})
		requireIs(t, err, store.ErrNotFound, "Alice is not a user of acct2")
		ds, err := r.ListMFADevices(ctx, acct1, store.MFAFilter{Assignment: "Assigned"})
		require.NoError(t, err)
		requireEqual(t, []store.MFADevice{z, a, c}, ds)
		return nil
	})

	// A rename carries along: the devices show the user's new name.
	update(t, s, func(tx store.Tx) error {
		u := user(acct1, "Alicia")
		u.ID = user(acct1, "Alice").ID
		return tx.UpdateUser(ctx, "alice", u)
	})
	a.UserName, z.UserName = "Alicia", "Alicia"
	requireEqual(t, a, getMFA(t, s, acct1, a.SerialNumber))
	requireEqual(t, []string{z.SerialNumber, a.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{UserName: "ALICIA"}))
	view(t, s, func(r store.Reader) error {
		_, err := r.ListMFADevices(ctx, acct1, store.MFAFilter{UserName: "Alice"})
		requireIs(t, err, store.ErrNotFound, "the old name is gone")
		ds, err := r.ListMFADevices(ctx, acct1, store.MFAFilter{})
		require.NoError(t, err)
		requireEqual(t, []store.MFADevice{b, z, spare, a, c}, ds)
		return nil
	})

	// Moving a device to another user.
	c2 := assigned(c, "carol", 4)
	update(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, c2) })
	require.Empty(t, listMFA(t, s, acct1, store.MFAFilter{UserName: "bob"}))
	requireEqual(t, []string{c.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{UserName: "Carol"}))
	requireEqual(t, c2, getMFA(t, s, acct1, c.SerialNumber))

	// Deleting a user (which the service refuses while a device is
	// enabled) leaves its devices, unassigned.
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, acct1, "alicia") })
	got = getMFA(t, s, acct1, a.SerialNumber)
	require.Empty(t, got.UserName)
	require.True(t, got.EnableDate.IsZero(), "an unassigned device has no enable date")
	requireEqual(t, []string{c.SerialNumber}, listMFA(t, s, acct1, store.MFAFilter{Assignment: "Assigned"}))
	requireEqual(t, []string{b.SerialNumber, z.SerialNumber, spare.SerialNumber, a.SerialNumber},
		listMFA(t, s, acct1, store.MFAFilter{Assignment: "Unassigned"}))
	// A new user of the old name does not inherit them.
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, user(acct1, "Alicia")) })
	require.Empty(t, listMFA(t, s, acct1, store.MFAFilter{UserName: "Alicia"}))
}

// testMFAIsolation: the same serial number and user name in two accounts
// are two devices and two users.
func testMFAIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	const serial = "arn:aws:iam::000000000000:mfa/shared"
	d1 := mfa(acct1, "shared")
	d1.SerialNumber = serial
	d2 := d1
	d2.Account = acct2
	d2.SealedSeed = []byte("another seed")
	update(t, s, func(tx store.Tx) error {
		for _, acct := range []string{acct1, acct2} {
			if err := tx.CreateUser(ctx, user(acct, "alice")); err != nil {
				return err
			}
		}
		if err := tx.CreateMFADevice(ctx, d1); err != nil {
			return err
		}
		if err := tx.CreateMFADevice(ctx, d2); err != nil {
			return err
		}
		return tx.CreateMFADevice(ctx, mfa(acct2, "only-in-2"))
	})
	d1 = assigned(d1, "alice", 1)
	update(t, s, func(tx store.Tx) error { return tx.UpdateMFADevice(ctx, d1) })
	requireEqual(t, d1, getMFA(t, s, acct1, serial))
	requireEqual(t, d2, getMFA(t, s, acct2, serial))
	requireEqual(t, []string{serial}, listMFA(t, s, acct1, store.MFAFilter{}))
	requireEqual(t, []string{serial}, listMFA(t, s, acct1, store.MFAFilter{UserName: "alice"}))
	require.Empty(t, listMFA(t, s, acct2, store.MFAFilter{UserName: "alice"}))
	requireEqual(t, []string{serial, mfa(acct2, "only-in-2").SerialNumber}, listMFA(t, s, acct2, store.MFAFilter{}))
	require.Empty(t, listMFA(t, s, acct2, store.MFAFilter{Assignment: "Assigned"}))
	require.Empty(t, listMFA(t, s, "999999999999", store.MFAFilter{}))

	update(t, s, func(tx store.Tx) error { return tx.DeleteMFADevice(ctx, acct2, serial) })
	requireEqual(t, d1, getMFA(t, s, acct1, serial))
}

// testDeleteAccountDataMFA: DeleteAccountData removes the account's
// devices, assigned or not, and no other account's.
func testDeleteAccountDataMFA(t *testing.T, s store.Store) {
	ctx := t.Context()
	setup(t, s)
	update(t, s, func(tx store.Tx) error {
		for _, acct := range []string{acct1, acct2} {
			if err := tx.CreateUser(ctx, user(acct, "alice")); err != nil {
				return err
			}
			if err := tx.CreateMFADevice(ctx, assigned(mfa(acct, "phone"), "alice", 1)); err != nil {
				return err
			}
			if err := tx.CreateMFADevice(ctx, mfa(acct, "spare")); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteAccountData(ctx, acct1) })
	require.Empty(t, listMFA(t, s, acct1, store.MFAFilter{}))
	view(t, s, func(r store.Reader) error {
		_, err := r.GetMFADevice(ctx, acct1, mfa(acct1, "phone").SerialNumber)
		requireIs(t, err, store.ErrNotFound)
		return nil
	})
	requireEqual(t, []string{mfa(acct2, "phone").SerialNumber, mfa(acct2, "spare").SerialNumber},
		listMFA(t, s, acct2, store.MFAFilter{}))
	requireEqual(t, assigned(mfa(acct2, "phone"), "alice", 1), getMFA(t, s, acct2, mfa(acct2, "phone").SerialNumber))
	// The serial numbers are free again.
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateMFADevice(ctx, mfa(acct1, "phone")); err != nil {
			return err
		}
		return tx.CreateMFADevice(ctx, mfa(acct1, "spare"))
	})
}
