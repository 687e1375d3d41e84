package acl

import (
	"context"
	"fmt"
	"slices"
)

// Principal is one identity of the caller: a USER with its id, or a ROLE
// the caller was given (a strategy's static roles).
type Principal struct {
	Type PrincipalType
	ID   string
}

// Context is one access check: the request and who asks.
type Context struct {
	Request
	// Principals are the caller's identities; none for an anonymous
	// caller.
	Principals []Principal
	// Owners, when set, returns the user ids that own the instance the
	// method is called on: nil when there is no such instance (so no one
	// is its $owner). Nil Owners means the method has no instance, or the
	// model has no owner key: no one is $owner.
	Owners func(ctx context.Context) ([]string, error)
}

// UserID is the id of the caller's USER principal, "" when anonymous.
func (c *Context) UserID() string {
	for _, p := range c.Principals {
		if p.Type == User {
			return p.ID
		}
	}
	return ""
}

// RoleStore answers whether principals hold a static role: LoopBack 3's
// Role and RoleMapping models. [Repository] stores them in repositories.
type RoleStore interface {
	// InRole reports whether any of principals is mapped to role.
	InRole(ctx context.Context, role string, principals []Principal) (bool, error)
}

// Validate reports the first entry of entries that LoopBack 3 would not
// understand: an unknown access type, principal type or permission, or
// no principal.
func Validate(entries []Entry) error {
	for i, e := range entries {
		switch e.AccessType {
		case "", AllAccess, Read, Write, Execute, Replicate:
		default:
			return fmt.Errorf("acl: entry %d: access type %q is none of READ, WRITE, EXECUTE, REPLICATE, *", i, e.AccessType)
		}
		switch e.PrincipalType {
		case Role, User, App:
		default:
			return fmt.Errorf("acl: entry %d: principal type %q is none of ROLE, USER, APP", i, e.PrincipalType)
		}
		if e.PrincipalID == "" {
			return fmt.Errorf("acl: entry %d: no principal id", i)
		}
		if e.Permission != Allow && e.Permission != Deny {
			return fmt.Errorf("acl: entry %d: permission %q is neither ALLOW nor DENY", i, e.Permission)
		}
	}
	return nil
}

// Checker decides requests with a model's entries.
type Checker struct {
	// Entries are the model's ACL entries.
	Entries []Entry
	// Roles holds the static roles; nil means no one is in a static role.
	Roles RoleStore
	// DefaultPermission applies when no entry matches; "" is ALLOW.
	DefaultPermission Permission
}

// Check is LoopBack 3's ACL.checkAccessForContext: the entries that
// match ac and whose principal the caller is (an exact principal, or a
// role the caller is in), resolved with [Resolve].
func (c *Checker) Check(ctx context.Context, ac *Context) (Permission, error) {
	var effective []Entry
	for _, e := range c.Entries {
		if Score(e, ac.Request) < 0 {
			continue
		}
		if slices.ContainsFunc(ac.Principals, func(p Principal) bool { return p.Type == e.PrincipalType && p.ID == e.PrincipalID }) {
			effective = append(effective, e)
			continue
		}
		if e.PrincipalType != Role {
			continue
		}
		in, err := c.inRole(ctx, e.PrincipalID, ac)
		if err != nil {
			return Deny, err
		}
		if in {
			effective = append(effective, e)
		}
	}
	return Resolve(effective, ac.Request, c.DefaultPermission), nil
}

// inRole is LoopBack 3's Role.isInRole for the built-in roles and, for
// the others, the role store.
func (c *Checker) inRole(ctx context.Context, role string, ac *Context) (bool, error) {
	user := ac.UserID()
	switch role {
	case Everyone:
		return true, nil
	case Authenticated:
		return user != "", nil
	case Unauthenticated:
		return user == "", nil
	case Related:
		return false, nil
	case Owner:
		if user == "" || ac.Owners == nil {
			return false, nil
		}
		owners, err := ac.Owners(ctx)
		if err != nil {
			return false, fmt.Errorf("acl: finding the owner: %w", err)
		}
		return slices.Contains(owners, user), nil
	}
	if c.Roles == nil || len(ac.Principals) == 0 {
		return false, nil
	}
	in, err := c.Roles.InRole(ctx, role, ac.Principals)
	if err != nil {
		return false, fmt.Errorf("acl: role %q: %w", role, err)
	}
	return in, nil
}
