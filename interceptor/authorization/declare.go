package authorization

import (
	"github.com/loomhq/loom/controller"
)

// metadataKey is the key of a route's declaration in
// controller.Route.Metadata. It is a controller.Enforced: an application
// that does not install [Module] does not start.
type metadataKey struct{}

// enforcer is the option that installs [Module], named in the start-up
// error of an application that declares authorization without it.
const enforcer = "rest.WithAuthorization"

func (metadataKey) Declares() string   { return "authorization" }
func (metadataKey) EnforcedBy() string { return enforcer }

// Declares is "authorization": with [Metadata.EnforcedBy], it makes
// Metadata a controller.Enforced, so that a controller declaring its
// routes' authorization ([Authorized]) in an application that does not
// install [Module] stops it from starting, as a route's [Authorize] does.
func (Metadata) Declares() string { return "authorization" }

// EnforcedBy is "rest.WithAuthorization", the option that installs
// [Module]; see [Metadata.Declares].
func (Metadata) EnforcedBy() string { return enforcer }

// Authorize declares the route's authorization, LoopBack 4's
// @authorize(md) on a method. Declarations on one route add up: roles,
// scopes and voters are joined, the last resource wins, and a [Skip]
// stays.
//
//	controller.Delete("/todos/{id}", c.DeleteByID, authorization.Authorize(authorization.Metadata{
//		AllowedRoles: []string{"admin"},
//	}))
func Authorize(md Metadata) controller.Option {
	return controller.WithMetadata(metadataKey{}, func(prev any) any {
		if p, ok := prev.(*Metadata); ok {
			m := p.merge(md)
			return &m
		}
		m := Metadata{}.merge(md)
		return &m
	})
}

// MetadataOf returns the authorization route r declares itself (not its
// controller's); false when it declares none.
func MetadataOf(r *controller.Route) (Metadata, bool) {
	m, ok := r.Metadata[metadataKey{}].(*Metadata)
	if !ok {
		return Metadata{}, false
	}
	return *m, true
}

// Skip lets the route through without authorization, LoopBack 4's
// @authorize.skip(), whatever its controller or the default metadata
// declare.
func Skip() controller.Option { return Authorize(Metadata{Skip: true}) }

// AllowRoles declares the roles let through, @authorize.allow.
func AllowRoles(roles ...string) controller.Option {
	return Authorize(Metadata{AllowedRoles: roles})
}

// DenyRoles declares the roles refused, @authorize.deny.
func DenyRoles(roles ...string) controller.Option {
	return Authorize(Metadata{DeniedRoles: roles})
}

// Scope declares the scopes the route requires, @authorize.scope.
func Scope(scopes ...string) controller.Option {
	return Authorize(Metadata{Scopes: scopes})
}

// Vote adds voters of the route's own, @authorize.vote.
func Vote(voters ...Authorizer) controller.Option {
	return Authorize(Metadata{Voters: voters})
}

// AllowAll lets everyone through, @authorize.allowAll.
func AllowAll() controller.Option { return AllowRoles(Everyone) }

// DenyAll refuses everyone, @authorize.denyAll.
func DenyAll() controller.Option { return DenyRoles(Everyone) }

// AllowAllExcept lets everyone through but roles, @authorize.allowAllExcept.
func AllowAllExcept(roles ...string) controller.Option {
	return Authorize(Metadata{AllowedRoles: []string{Everyone}, DeniedRoles: roles})
}

// DenyAllExcept refuses everyone but roles, @authorize.denyAllExcept.
func DenyAllExcept(roles ...string) controller.Option {
	return Authorize(Metadata{AllowedRoles: roles, DeniedRoles: []string{Everyone}})
}

// AllowAuthenticated lets every authenticated caller through,
// @authorize.allowAuthenticated.
func AllowAuthenticated() controller.Option { return AllowRoles(Authenticated) }

// DenyUnauthenticated refuses anonymous callers,
// @authorize.denyUnauthenticated.
func DenyUnauthenticated() controller.Option { return DenyRoles(Unauthenticated) }
