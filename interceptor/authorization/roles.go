package authorization

import "slices"

// Roles is the role-based authorizer for [Metadata.AllowedRoles] and
// [Metadata.DeniedRoles], registered by [Module] ahead of the
// application's own. Its caller has the profile's roles and the built-in
// ones: [Everyone], and [Authenticated] or else [Unauthenticated] and
// [Anonymous].
//
//   - A route that declares no roles gets no vote from it: Abstain.
//   - A caller who has a denied role and no allowed one is denied; one
//     who has an allowed role and no denied one is allowed.
//   - A caller who has both wins or loses by the more specific of the
//     two: the profile's own roles before [Authenticated],
//     [Unauthenticated] and [Anonymous], and those before [Everyone]; on
//     a tie the denial wins. So [DenyAllExcept]("admin") allows admins,
//     and [AllowAllExcept]("guest") denies guests.
//   - A caller who has neither is denied when the route allows some
//     roles (LoopBack 4's basic authorizer), and gets no vote when the
//     route only denies some.
var Roles Authorizer = AuthorizerFunc(roles)

// Specificity of a role: the more, the more specific.
const (
	specNone = iota
	specEveryone
	specBuiltin
	specOwn
)

func roles(ctx *Context, md *Metadata) (Decision, error) {
	if len(md.AllowedRoles) == 0 && len(md.DeniedRoles) == 0 {
		return Abstain, nil
	}
	p, authenticated := ctx.Profile()
	has := func(role string) int {
		switch role {
		case Everyone:
			return specEveryone
		case Authenticated:
			if authenticated {
				return specBuiltin
			}
			return specNone
		case Unauthenticated, Anonymous:
			if !authenticated {
				return specBuiltin
			}
			return specNone
		}
		if authenticated && slices.Contains(p.Roles, role) {
			return specOwn
		}
		return specNone
	}
	best := func(list []string) int {
		b := specNone
		for _, r := range list {
			b = max(b, has(r))
		}
		return b
	}
	allowed, deniedBy := best(md.AllowedRoles), best(md.DeniedRoles)
	switch {
	case deniedBy != specNone && deniedBy >= allowed:
		return Deny, nil
	case allowed != specNone:
		return Allow, nil
	case len(md.AllowedRoles) > 0:
		return Deny, nil
	}
	return Abstain, nil
}
