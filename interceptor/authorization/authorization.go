package authorization

import (
	"fmt"
	"slices"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/interceptor"
)

// Decision is an authorizer's vote, LoopBack 4's AuthorizationDecision.
// The zero value is [Abstain].
type Decision int

// The decisions.
const (
	// Abstain leaves the decision to the other authorizers.
	Abstain Decision = iota
	// Allow lets the invocation through.
	Allow
	// Deny refuses it.
	Deny
)

// String is LoopBack 4's name of the decision: Allow, Deny or Abstain.
func (d Decision) String() string {
	switch d {
	case Abstain:
		return "Abstain"
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}

// The built-in roles, LoopBack 4's: every caller has [Everyone], an
// authenticated one [Authenticated], an anonymous one [Unauthenticated]
// and [Anonymous]. The [Roles] authorizer gives them to the caller beside
// the profile's own roles.
const (
	Everyone        = "$everyone"
	Authenticated   = "$authenticated"
	Unauthenticated = "$unauthenticated"
	Anonymous       = "$anonymous"
)

// Metadata is what a route (or a controller, for all of its routes)
// declares of its authorization: LoopBack 4's AuthorizationMetadata, the
// argument of @authorize. Declare it with [Authorize] or one of its
// shortcuts; the authorizers read it.
type Metadata struct {
	// AllowedRoles are the roles let through; the [Roles] authorizer
	// denies a caller who has none of them.
	AllowedRoles []string
	// DeniedRoles are the roles refused.
	DeniedRoles []string
	// Voters are authorizers of this route alone; they vote before the
	// registered ones.
	Voters []Authorizer
	// Resource names what the route gives access to, for authorizers that
	// keep policies by resource; empty means the invocation's target,
	// [Context.Resource].
	Resource string
	// Scopes are the access scopes the route requires, for authorizers
	// that check a token's scopes.
	Scopes []string
	// Skip lets the route through without authorization.
	Skip bool
}

// merge adds m2's declarations to m's, as LoopBack 4 merges two
// @authorize on one method: lists are joined without duplicates (voters
// are all kept), a resource replaces the one before, and a skip stays.
func (m Metadata) merge(m2 Metadata) Metadata {
	out := Metadata{
		AllowedRoles: union(m.AllowedRoles, m2.AllowedRoles),
		DeniedRoles:  union(m.DeniedRoles, m2.DeniedRoles),
		Scopes:       union(m.Scopes, m2.Scopes),
		Voters:       append(slices.Clip(m.Voters), m2.Voters...),
		Resource:     m.Resource,
		Skip:         m.Skip || m2.Skip,
	}
	if m2.Resource != "" {
		out.Resource = m2.Resource
	}
	return out
}

func union(a, b []string) []string {
	if a == nil && b == nil {
		return nil
	}
	out := make([]string, 0, len(a)+len(b))
	for _, s := range append(slices.Clip(a), b...) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Context is what an authorizer knows of the invocation it votes on:
// LoopBack 4's AuthorizationContext.
type Context struct {
	// Principals are who the request comes from: the authenticated
	// profile, or none for an anonymous caller.
	Principals []*authentication.Profile
	// Roles are the profile's roles (LoopBack 4 leaves the list for
	// authorizers to fill; Loom copies the profile's static roles).
	Roles []string
	// Scopes are the scopes granted to the caller; Loom's strategies grant
	// none, so the list is empty unless an authorizer fills it.
	Scopes []string
	// Resource is the invocation's target, such as
	// TodoController.create.
	Resource string
	// Invocation is the invocation itself: its route, its arguments (a
	// pointer to the route's input in Invocation.Args[0]) and its request.
	Invocation *interceptor.InvocationContext
}

// Profile returns the authenticated profile; false for an anonymous
// caller.
func (c *Context) Profile() (*authentication.Profile, bool) {
	if len(c.Principals) == 0 || c.Principals[0] == nil {
		return nil, false
	}
	return c.Principals[0], true
}

// Authorizer votes on an invocation: LoopBack 4's Authorizer function.
// It reads the caller from ctx and what the route requires from md, and
// returns [Allow], [Deny] or [Abstain]. An error ends the invocation with
// that error, as a thrown one does in LoopBack 4: return an
// httperr.Error for a status of one's choosing.
type Authorizer interface {
	Authorize(ctx *Context, md *Metadata) (Decision, error)
}

// AuthorizerFunc is a function that is an [Authorizer].
type AuthorizerFunc func(ctx *Context, md *Metadata) (Decision, error)

// Authorize calls f.
func (f AuthorizerFunc) Authorize(ctx *Context, md *Metadata) (Decision, error) { return f(ctx, md) }

// Authorized is a controller whose routes are authorized by default,
// LoopBack 4's @authorize on a class: a route that declares nothing of
// its own takes Authorization's metadata; one that declares anything
// (even [Skip]) takes only its own.
type Authorized interface {
	Authorization() Metadata
}

// Options configure the authorization interceptor, LoopBack 4's
// AuthorizationOptions. The zero value is LoopBack 4's defaults.
type Options struct {
	// Precedence is the decision that ends the vote as soon as one
	// authorizer returns it: [Deny] (the default) or [Allow].
	Precedence Decision
	// DefaultDecision is the decision when every authorizer abstains:
	// [Deny] (the default) or [Allow].
	DefaultDecision Decision
	// DefaultMetadata is the metadata of routes that declare none (neither
	// they nor their controller); nil leaves them unauthorized, as in
	// LoopBack 4.
	DefaultMetadata *Metadata
	// DefaultStatusCodeForDeny is the status of a denial to an
	// authenticated caller; 0 means 403. An anonymous caller is always
	// answered 401.
	DefaultStatusCodeForDeny int
}

// withDefaults fills in LoopBack 4's defaults and checks o.
func (o Options) withDefaults() (Options, error) {
	if o.Precedence == Abstain {
		o.Precedence = Deny
	}
	if o.DefaultDecision == Abstain {
		o.DefaultDecision = Deny
	}
	if o.DefaultStatusCodeForDeny == 0 {
		o.DefaultStatusCodeForDeny = 403
	}
	switch {
	case o.Precedence != Allow && o.Precedence != Deny:
		return o, fmt.Errorf("authorization: Precedence is %v; it is Allow or Deny", o.Precedence)
	case o.DefaultDecision != Allow && o.DefaultDecision != Deny:
		return o, fmt.Errorf("authorization: DefaultDecision is %v; it is Allow or Deny", o.DefaultDecision)
	case o.DefaultStatusCodeForDeny < 400 || o.DefaultStatusCodeForDeny > 599:
		return o, fmt.Errorf("authorization: DefaultStatusCodeForDeny is %d; it is an error status, 400 to 599", o.DefaultStatusCodeForDeny)
	}
	return o, nil
}
