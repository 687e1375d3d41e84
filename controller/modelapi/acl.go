package modelapi

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/repository"
)

// CodeAuthorizationRequired is the code of LoopBack 3's answer to a
// request its ACLs deny.
const CodeAuthorizationRequired = "AUTHORIZATION_REQUIRED"

// ACLs guards the model's methods with LoopBack 3 ACL entries, checked
// under each route's method name before anything else of the call runs:
// before every interceptor, the global ones and remote hooks included
// (LoopBack 3 authorizes a call before its beforeRemote hooks), so a
// denied call runs no hook. The caller is the profile the request was
// authenticated as (see [Authenticate]); relation
// methods (prototype.__create__reviews) are checked against this, the
// parent model's, entries. As a LoopBack 3 model's static "acls", an
// entry applies to the model whatever its Model, and to a method when it
// names no method or the method's own name (an alias does not do). A
// denial is LoopBack 3's 401 AUTHORIZATION_REQUIRED. Without ACLs the
// model is open. Static roles are resolved by the [acl.RoleStore] in the
// container, when there is one.
func ACLs(entries ...acl.Entry) Option {
	return optionFunc(func(s *settings) { s.acls = append(s.acls, entries...) })
}

// Authenticate names the strategies that authenticate the model's
// requests (see authentication.Strategy), tried in order, so that its
// ACLs know the caller: the first profile is the USER principal, and
// its Roles are ROLE principals. As in LoopBack 3, authentication never
// refuses a request by itself: one that no strategy authenticates,
// because it carries no credentials or credentials a strategy rejects (a
// dead token), is served as anonymous, and the ACLs decide. It sets the
// model's routes' Authentication and AuthenticationOptional, except on a
// method (see [Methods]) that declares its own authentication.
//
//	rest.WithAuthentication(authentication.Basic(verify)),
//	rest.WithModelAPI[Review, int](modelapi.Authenticate("basic"), modelapi.ACLs(reviewACLs...)),
func Authenticate(strategies ...string) Option {
	return optionFunc(func(s *settings) { s.authentication = append([]string{}, strategies...) })
}

// AccessType declares the access type of the model's method name (its
// own methods, added with [Methods]), as a LoopBack 3 remote method's
// accessType does; undeclared, a method is READ when its verb is GET or
// HEAD and EXECUTE otherwise.
func AccessType(method string, t acl.AccessType) Option {
	return optionFunc(func(s *settings) {
		if s.accessTypes == nil {
			s.accessTypes = map[string]acl.AccessType{}
		}
		s.accessTypes[method] = t
	})
}

// OwnerKey names what makes a user the $owner of an instance: a property
// holding the user's id (publisherId), or a belongsTo relation to the
// user model (its foreign key is used); the id property ("id") makes
// each user the owner of its own instance, as LoopBack 3's user model
// is. The default is LoopBack 3's:
// userId, else owner, when the model has such a property.
func OwnerKey(name string) Option { return optionFunc(func(s *settings) { s.ownerKey = name }) }

// authorizationRequired is LoopBack 3's answer to a denied request.
func authorizationRequired() error {
	return httperr.Unauthorized("Authorization Required").WithName("Error").WithCode(CodeAuthorizationRequired)
}

// ownerProperty is the property holding an instance's owner id; "" when
// the model has none.
func (b *base) ownerProperty() (string, error) {
	key := b.settings.ownerKey
	if key == "" {
		for _, p := range []string{"userId", "owner"} {
			if b.model.Property(p) != nil {
				return p, nil
			}
		}
		return "", nil
	}
	if b.model.Property(key) != nil {
		return key, nil
	}
	rels, err := b.model.Relations()
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if r.Name == key && r.Kind == repository.BelongsTo {
			return r.KeyFrom, nil
		}
	}
	return "", fmt.Errorf("modelapi: %s: OwnerKey(%q): neither a property nor a belongsTo relation of the model", b.model.Name, key)
}

// aclGuard checks route r of the model against the model's entries. It
// is the route's Guard, so it runs before every interceptor, remote hooks
// included: LoopBack 3 authorizes a call (strong-remoting's auth phase)
// before its beforeRemote hooks, so a denied call runs none, and no
// afterRemote hook sees it.
func (b *base) aclGuard(r controller.Route, roles acl.RoleStore) (interceptor.BeforeHook, error) {
	owner, err := b.ownerProperty()
	if err != nil {
		return nil, err
	}
	if err := acl.Validate(b.settings.acls); err != nil {
		return nil, fmt.Errorf("modelapi: %s: %w", b.model.Name, err)
	}
	req := acl.MethodAccessType(b.model.Name, r.Name, r.Verb)
	if at, ok := b.settings.accessTypes[r.Name]; ok {
		req.AccessType = at
	}
	// The entries are a model's static ACLs, which LoopBack 3's
	// getStaticACLs applies to the method only when they name it exactly
	// (not by an alias) or name no method, and always to the model.
	var entries []acl.Entry
	for _, e := range b.settings.acls {
		if e.Property == "" || e.Property == acl.All || e.Property == req.Property {
			e.Model = b.model.Name
			entries = append(entries, e)
		}
	}
	checker := &acl.Checker{Entries: entries, Roles: roles}
	return func(ic *interceptor.InvocationContext) error {
		ac := &acl.Context{Request: req}
		if p, ok := authentication.ProfileFrom(ic); ok && p.ID != "" {
			ac.Principals = append(ac.Principals, acl.Principal{Type: acl.User, ID: p.ID})
			for _, role := range p.Roles {
				ac.Principals = append(ac.Principals, acl.Principal{Type: acl.Role, ID: role})
			}
		}
		if ic.Request != nil {
			if id, ok := ic.Request.PathParams.Get("id"); ok {
				ac.Owners = func(ctx context.Context) ([]string, error) { return b.owners(ctx, id, owner) }
			}
		}
		perm, err := checker.Check(ic, ac)
		if err != nil {
			return err
		}
		if perm != acl.Allow {
			return authorizationRequired()
		}
		return nil
	}, nil
}

// owners are the owner ids of the instance whose id is text: none when
// there is no such instance, as LoopBack 3's isOwner finds no owner, or
// when the model has no owner property.
func (b *base) owners(ctx context.Context, text, prop string) ([]string, error) {
	key, ok := b.parseKey(text)
	if !ok {
		return nil, nil
	}
	ds, err := b.find(ctx, b.model, repository.Query{Where: repository.Eq(b.model.ID.Name, key), Limit: 1})
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	if prop == "" {
		return nil, nil
	}
	v := keyOf(ds[0], prop)
	if v == nil {
		return nil, nil
	}
	return []string{idText(v)}, nil
}
