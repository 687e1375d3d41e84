package modelapi

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/interceptor"
)

// routeMaker is an [Exposed] that builds its own endpoints.
type routeMaker interface {
	routes() []controller.Route
	changeStreamRoutes() []controller.Route
}

// buildController builds the controller of model t from the registry:
// its own endpoints, one set per relation (built by the target's entry,
// which knows the target's Go types), its methods; less the disabled
// ones; under its base path, with its error conventions; guarded by its
// ACLs, whose static roles roles resolves.
func buildController(t reflect.Type, name string, all []Exposed, methods []controller.Route, roles acl.RoleStore) (controller.Controller, error) {
	byType := make(map[reflect.Type]Exposed, len(all))
	for _, x := range all {
		mt := x.Model().Type
		if _, dup := byType[mt]; dup && mt == t {
			return nil, fmt.Errorf("modelapi: %s is registered twice; call rest.WithModelAPI once per model", name)
		}
		byType[mt] = x
	}
	self, ok := byType[t]
	if !ok {
		return nil, fmt.Errorf("modelapi: %s: not in the registry", name)
	}
	b := self.base()
	routes := self.(routeMaker).routes()
	if b.settings.convention == LoopBack3 {
		rels, err := b.model.Relations()
		if err != nil {
			return nil, fmt.Errorf("modelapi: %w", err)
		}
		for _, rel := range rels {
			target, ok := byType[rel.TargetType]
			if !ok {
				tn := rel.TargetType.Name()
				return nil, fmt.Errorf("modelapi: %s.%s: the relation's target model %s is not registered; "+
					"register it with rest.WithModelAPI[%s, <id type>]() (add modelapi.Private() to give it no endpoints of its own)",
					name, rel.Name, tn, tn)
			}
			rr, err := target.relationRoutes(b, rel)
			if err != nil {
				return nil, err
			}
			routes = append(routes, rr...)
		}
		routes = append(routes, self.(routeMaker).changeStreamRoutes()...)
	}
	for _, m := range methods {
		if m.Name == "" {
			return nil, fmt.Errorf("modelapi: %s: a method at %s %s has no name; give it its LoopBack 3 name with controller.Name", name, m.Verb, m.Path)
		}
		routes = append(routes, m)
	}
	routes, err := disable(name, routes, b.settings.disabled)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range routes {
		r := &routes[i]
		r.Path = b.path + r.Path
		if r.Path == "" {
			r.Path = "/"
		}
		if r.TranslateError == nil && b.settings.convention == LoopBack3 {
			r.TranslateError = lb3Translator(r.InputType())
		}
		if seen[r.Name] && r.API.OperationID == "" {
			r.API.OperationID = name + "." + r.Name + "__" + strings.ToLower(r.Verb) + pathSuffix(r.Path)
		}
		seen[r.Name] = true
		if len(b.settings.authentication) > 0 && r.Authentication == nil && !r.SkipAuthentication {
			r.Authentication = slices.Clone(b.settings.authentication)
			r.AuthenticationOptional = true
		}
		if len(b.settings.acls) > 0 {
			check, err := b.aclGuard(*r, roles)
			if err != nil {
				return nil, err
			}
			r.Guard = then(check, r.Guard)
		}
	}
	c := controller.Func{Label: name, List: routes}
	if b.settings.convention != LoopBack3 || b.settings.private {
		return c, nil
	}
	return mounted{c, lb3Mounts(name, b.path)}, nil
}

// then is the guard that runs first, then second when first lets the
// call through; second may be nil.
func then(first, second interceptor.BeforeHook) interceptor.BeforeHook {
	if second == nil {
		return first
	}
	return func(ic *interceptor.InvocationContext) error {
		if err := first(ic); err != nil {
			return err
		}
		return second(ic)
	}
}

// mounted is a model's controller that owns its base path and its REST
// root, the base path's parent, as LoopBack 3's REST adapter does.
type mounted struct {
	controller.Func
	mounts []controller.Mount
}

// Mounts answers the requests under the model's base path and its REST
// root that no route matches.
func (m mounted) Mounts() []controller.Mount { return m.mounts }

// lb3Mounts are the mounts of a model at path: under it, LoopBack 3's
// 'Shared class "CoffeeShop" has no method handling GET /1/nothing' (a
// known path with another verb included); under its parent, the REST
// root (unless that is the server's root), 'There is no method to handle
// GET /Nopes'.
func lb3Mounts(model, path string) []controller.Mount {
	root := ""
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		root = path[:i]
	}
	mounts := []controller.Mount{
		{Prefix: path, NotFound: func(r *http.Request, rest string) error {
			return httperr.NotFound(fmt.Sprintf("Shared class %q has no method handling %s %s", model, r.Method, redactToken(rest))).
				WithName("Error")
		}},
	}
	if root == "" {
		// The models are at the server's root: a REST root there would
		// answer for every other route of the application too.
		return mounts
	}
	return append(mounts, controller.Mount{Prefix: root, NotFound: func(r *http.Request, rest string) error {
		return httperr.NotFound(fmt.Sprintf("There is no method to handle %s %s", r.Method, redactToken(rest))).WithName("Error")
	}})
}

// redactToken is the path text p, its query's access_token values
// replaced: LoopBack 3's 404 texts echo the query, which must not hand a
// token back to whoever reads the answer or its logs.
func redactToken(p string) string {
	path, query, ok := strings.Cut(p, "?")
	if !ok {
		return p
	}
	parts := strings.Split(query, "&")
	for i, kv := range parts {
		k, _, _ := strings.Cut(kv, "=")
		if name, err := url.QueryUnescape(k); err != nil || strings.EqualFold(name, "access_token") {
			parts[i] = k + "=[REDACTED]"
		}
	}
	return path + "?" + strings.Join(parts, "&")
}

// disable drops the routes of the methods named; a name no route has is
// an error listing the names there are.
func disable(model string, routes []controller.Route, names []string) ([]controller.Route, error) {
	if len(names) == 0 {
		return routes, nil
	}
	// createChangeStream is a method of every model, mounted only when
	// the connector reports changes.
	have := map[string]bool{"createChangeStream": true}
	for _, r := range routes {
		have[r.Name] = true
	}
	off := map[string]bool{}
	for _, n := range names {
		if !have[n] {
			list := make([]string, 0, len(have))
			for k := range have {
				list = append(list, k)
			}
			slices.Sort(list)
			return nil, fmt.Errorf("modelapi: %s: Disable(%q): the model has no such method; its methods are %s",
				model, n, strings.Join(list, ", "))
		}
		off[n] = true
	}
	return slices.DeleteFunc(routes, func(r controller.Route) bool { return off[r.Name] }), nil
}

// pathSuffix turns /CoffeeShops/{id}/replace into _CoffeeShops_id_replace,
// for an operation id.
func pathSuffix(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" {
			continue
		}
		b.WriteByte('_')
		b.WriteString(seg)
	}
	return b.String()
}
