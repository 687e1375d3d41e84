package actions

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"

	"go.uber.org/fx"

	"github.com/loomhq/loom/controller"
)

// EnforcersGroup is the fx value group of the names of what the
// application enforces, each a [controller.Enforced]'s EnforcedBy (see
// [Enforces]).
const EnforcersGroup = `group:"loom.enforcers"`

// Enforces registers that the application enforces the declarations
// whose [controller.Enforced.EnforcedBy] is one of names. The module that
// enforces them installs it, as interceptor/authorization's does with
// "rest.WithAuthorization"; [Module] then lets routes and controllers
// declare them. A declaration nobody enforces stops the application from
// starting with an [*UnenforcedError].
//
//	actions.Enforces("rest.WithAuthorization")
func Enforces(names ...string) fx.Option {
	opts := make([]fx.Option, 0, len(names))
	for _, n := range names {
		opts = append(opts, fx.Provide(fx.Annotate(func() string { return n }, fx.ResultTags(EnforcersGroup))))
	}
	return fx.Options(opts...)
}

// UnenforcedError is why an application does not start: a route or a
// controller declares what nothing in the application enforces (see
// [controller.Enforced]).
type UnenforcedError struct {
	// Route is the route that declares it; nil when Controller does.
	Route *controller.Route
	// Controller is the name of the controller that declares it for its
	// routes, when Route is nil.
	Controller string
	// Declares and EnforcedBy are the declaration's
	// [controller.Enforced] names: what it declares, and the option that
	// enforces it.
	Declares, EnforcedBy string
}

// Error names the declaration and the option to install:
//
//	route GET /x (C.m) declares authorization, but the application does not install rest.WithAuthorization
func (e *UnenforcedError) Error() string {
	who := "controller " + e.Controller
	if e.Route != nil {
		who = fmt.Sprintf("route %s %s (%s)", e.Route.Verb, e.Route.Path, e.Route.OperationID())
	}
	return fmt.Sprintf("%s declares %s, but the application does not install %s", who, e.Declares, e.EnforcedBy)
}

var enforcedType = reflect.TypeFor[controller.Enforced]()

// checkEnforced fails with an [*UnenforcedError] on the first declaration
// of controllers, or of the routes of table, that no name of enforcers
// enforces: the controllers' own first, then the routes' in table order.
func checkEnforced(table *RouteTable, controllers []controller.Controller, enforcers []string) error {
	for _, c := range controllers {
		for _, e := range declaredBy(c) {
			if !slices.Contains(enforcers, e.EnforcedBy()) {
				return &UnenforcedError{Controller: controller.NameOf(c), Declares: e.Declares(), EnforcedBy: e.EnforcedBy()}
			}
		}
	}
	for _, r := range table.Routes() {
		var missing []controller.Enforced
		for key := range r.Metadata {
			if e, ok := key.(controller.Enforced); ok && !slices.Contains(enforcers, e.EnforcedBy()) {
				missing = append(missing, e)
			}
		}
		if len(missing) > 0 {
			// The metadata is a map: name the same one at every start.
			e := slices.MinFunc(missing, func(a, b controller.Enforced) int { return cmp.Compare(a.Declares(), b.Declares()) })
			return &UnenforcedError{Route: &r.Route, Declares: e.Declares(), EnforcedBy: e.EnforcedBy()}
		}
	}
	return nil
}

// declaredBy returns what controller c declares for its routes: the
// results of its exported methods without parameters whose type, not an
// interface, implements controller.Enforced, as zero values.
func declaredBy(c controller.Controller) []controller.Enforced {
	var out []controller.Enforced
	t := reflect.TypeOf(c)
	for i := range t.NumMethod() {
		mt := t.Method(i).Type // the receiver is its first parameter
		if mt.NumIn() != 1 || mt.NumOut() != 1 {
			continue
		}
		res := mt.Out(0)
		if res.Kind() != reflect.Interface && res.Implements(enforcedType) {
			out = append(out, reflect.Zero(res).Interface().(controller.Enforced))
		}
	}
	return out
}
