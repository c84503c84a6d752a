package record

import (
	"fmt"
	"time"

	"github.com/warden-iam/warden/internal/store"
)

// Entity is a user, group, role or managed policy as its row holds it,
// apart from the row's key and kind: the common columns and the JSON of
// the kind-specific fields. A backend scans a row into an Entity (and
// decodes the columns its own way), and stores the Entity that
// UserEntity, GroupEntity, RoleEntity or PolicyEntity returns.
type Entity struct {
	Account   string
	Name      string
	NameLower string // Fold(Name)
	Path      string
	ID        string
	Created   time.Time
	// Ref is the row's one reference column: the permissions boundary's
	// ARN of a user or role, the role's name of an instance profile; ""
	// for none.
	Ref  string
	Data string // JSON of the kind-specific fields
}

// entity checks the common fields and encodes data; Created is left to
// the backend.
func (c Codec) entity(account, name, path, id string, created time.Time, ref string, data any) (Entity, error) {
	if err := c.CheckText("account", account, "name", name, "path", path, "id", id, "reference", ref); err != nil {
		return Entity{}, err
	}
	js, err := c.EncodeJSON("entity", data)
	if err != nil {
		return Entity{}, err
	}
	return Entity{
		Account: account, Name: name, NameLower: Fold(name), Path: path, ID: id,
		Created: created, Ref: ref, Data: js,
	}, nil
}

type userData struct {
	Tags             []tagJSON `json:"tags,omitempty"`
	PasswordLastUsed string    `json:"password_last_used,omitempty"`
}

type roleData struct {
	AssumeRolePolicy   string    `json:"assume_role_policy,omitempty"`
	Description        string    `json:"description,omitempty"`
	MaxSessionDuration int       `json:"max_session_duration,omitempty"`
	Tags               []tagJSON `json:"tags,omitempty"`
	LastUsedDate       string    `json:"last_used_date,omitempty"`
	LastUsedRegion     string    `json:"last_used_region,omitempty"`
}

type policyData struct {
	Description    string    `json:"description,omitempty"`
	DefaultVersion string    `json:"default_version,omitempty"`
	NextVersion    int       `json:"next_version,omitempty"`
	UpdateDate     string    `json:"update_date,omitempty"`
	Tags           []tagJSON `json:"tags,omitempty"`
}

// User converts a stored user.
func (c Codec) User(e Entity) (store.User, error) {
	var d userData
	if err := c.DecodeJSON(e.Name, e.Data, &d); err != nil {
		return store.User{}, err
	}
	plu, err := c.DecodeTime(d.PasswordLastUsed)
	if err != nil {
		return store.User{}, err
	}
	return store.User{
		Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, CreateDate: e.Created,
		PermissionsBoundary: e.Ref, Tags: tagsFromJSON(d.Tags), PasswordLastUsed: plu,
	}, nil
}

// UserEntity checks u and returns its stored form.
func (c Codec) UserEntity(u store.User) (Entity, error) {
	if err := c.CheckTags(u.Tags); err != nil {
		return Entity{}, err
	}
	plu, err := c.EncodeTime(u.PasswordLastUsed)
	if err != nil {
		return Entity{}, err
	}
	return c.entity(u.Account, u.Name, u.Path, u.ID, u.CreateDate, u.PermissionsBoundary,
		userData{Tags: tagsToJSON(u.Tags), PasswordLastUsed: plu})
}

// Group converts a stored group (a group has no data).
func (c Codec) Group(e Entity) (store.Group, error) {
	return store.Group{Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, CreateDate: e.Created}, nil
}

// GroupEntity checks g and returns its stored form.
func (c Codec) GroupEntity(g store.Group) (Entity, error) {
	return c.entity(g.Account, g.Name, g.Path, g.ID, g.CreateDate, "", struct{}{})
}

// Role converts a stored role.
func (c Codec) Role(e Entity) (store.Role, error) {
	var d roleData
	if err := c.DecodeJSON(e.Name, e.Data, &d); err != nil {
		return store.Role{}, err
	}
	lu, err := c.DecodeTime(d.LastUsedDate)
	if err != nil {
		return store.Role{}, err
	}
	return store.Role{
		Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, CreateDate: e.Created,
		AssumeRolePolicy: d.AssumeRolePolicy, Description: d.Description,
		MaxSessionDuration: d.MaxSessionDuration, PermissionsBoundary: e.Ref,
		Tags: tagsFromJSON(d.Tags), LastUsedDate: lu, LastUsedRegion: d.LastUsedRegion,
	}, nil
}

// RoleEntity checks r and returns its stored form.
func (c Codec) RoleEntity(r store.Role) (Entity, error) {
	if err := c.CheckTags(r.Tags); err != nil {
		return Entity{}, err
	}
	if err := c.CheckText("assume role policy", r.AssumeRolePolicy, "description", r.Description, "last used region", r.LastUsedRegion); err != nil {
		return Entity{}, err
	}
	lu, err := c.EncodeTime(r.LastUsedDate)
	if err != nil {
		return Entity{}, err
	}
	return c.entity(r.Account, r.Name, r.Path, r.ID, r.CreateDate, r.PermissionsBoundary, roleData{
		AssumeRolePolicy: r.AssumeRolePolicy, Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration, Tags: tagsToJSON(r.Tags),
		LastUsedDate: lu, LastUsedRegion: r.LastUsedRegion,
	})
}

// Policy converts a stored managed policy.
func (c Codec) Policy(e Entity) (store.Policy, error) {
	var d policyData
	if err := c.DecodeJSON(e.Name, e.Data, &d); err != nil {
		return store.Policy{}, err
	}
	ud, err := c.DecodeTime(d.UpdateDate)
	if err != nil {
		return store.Policy{}, err
	}
	return store.Policy{
		Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, CreateDate: e.Created,
		Description: d.Description, DefaultVersion: d.DefaultVersion, NextVersion: d.NextVersion,
		UpdateDate: ud, Tags: tagsFromJSON(d.Tags),
	}, nil
}

// PolicyEntity checks p and returns its stored form (a managed policy has
// no permissions boundary).
func (c Codec) PolicyEntity(p store.Policy) (Entity, error) {
	if err := c.CheckTags(p.Tags); err != nil {
		return Entity{}, err
	}
	if err := c.CheckText("description", p.Description, "default version", p.DefaultVersion); err != nil {
		return Entity{}, err
	}
	ud, err := c.EncodeTime(p.UpdateDate)
	if err != nil {
		return Entity{}, err
	}
	return c.entity(p.Account, p.Name, p.Path, p.ID, p.CreateDate, "", policyData{
		Description: p.Description, DefaultVersion: p.DefaultVersion, NextVersion: p.NextVersion,
		UpdateDate: ud, Tags: tagsToJSON(p.Tags),
	})
}

// AddEntity converts an entity row of LoadAccount, of the given kind, and
// appends it to d's users, groups, roles or policies.
func (c Codec) AddEntity(d *store.AccountData, kind string, e Entity) error {
	switch store.EntityKind(kind) {
	case store.KindUser:
		u, err := c.User(e)
		if err != nil {
			return err
		}
		d.Users = append(d.Users, u)
	case store.KindGroup:
		g, err := c.Group(e)
		if err != nil {
			return err
		}
		d.Groups = append(d.Groups, g)
	case store.KindRole:
		r, err := c.Role(e)
		if err != nil {
			return err
		}
		d.Roles = append(d.Roles, r)
	case store.KindPolicy:
		p, err := c.Policy(e)
		if err != nil {
			return err
		}
		d.Policies = append(d.Policies, p)
	default:
		return fmt.Errorf("unknown entity kind %q", kind)
	}
	return nil
}

type instanceProfileData struct {
	Tags []tagJSON `json:"tags,omitempty"`
}

// InstanceProfile converts a stored instance profile; its Ref is the name
// of the profile's role (or ""), which the backends' queries fill in.
func (c Codec) InstanceProfile(e Entity) (store.InstanceProfile, error) {
	var d instanceProfileData
	if err := c.DecodeJSON(e.Name, e.Data, &d); err != nil {
		return store.InstanceProfile{}, err
	}
	return store.InstanceProfile{
		Account: e.Account, Name: e.Name, Path: e.Path, ID: e.ID, CreateDate: e.Created,
		RoleName: e.Ref, Tags: tagsFromJSON(d.Tags),
	}, nil
}

// InstanceProfileEntity checks p and returns its stored form, with the
// role's name in Ref (the backends store a reference to the role).
func (c Codec) InstanceProfileEntity(p store.InstanceProfile) (Entity, error) {
	if err := c.CheckTags(p.Tags); err != nil {
		return Entity{}, err
	}
	return c.entity(p.Account, p.Name, p.Path, p.ID, p.CreateDate, p.RoleName,
		instanceProfileData{Tags: tagsToJSON(p.Tags)})
}

// CheckAlias checks an account alias's strings.
func (c Codec) CheckAlias(acct, alias string) error {
	return c.CheckText("account", acct, "alias", alias)
}
