package controller

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/loomhq/loom/interceptor"
)

// Controller is a set of operations. Register one with the REST
// application (rest.WithController); its constructor's parameters are
// injected, like any binding's.
//
//	func (c *TodoController) Routes() []controller.Route {
//		return []controller.Route{
//			controller.Post("/todos", c.Create),
//			controller.Get("/todos/{id}", c.FindByID),
//		}
//	}
type Controller interface {
	// Routes lists the controller's operations. It is called once, when the
	// application starts.
	Routes() []Route
}

// Namer is a controller that names itself; others are named after their
// type (*TodoController is TodoController).
type Namer interface {
	ControllerName() string
}

// Intercepted is a controller with interceptors for all of its routes,
// LoopBack's @intercept on a class.
type Intercepted interface {
	Interceptors() []interceptor.Interceptor
}

// Authenticated is a controller whose routes are authenticated by default,
// LoopBack 4's @authenticate on a class: Authentication names the
// strategies, tried in order. A route's own [Authenticate] or
// [SkipAuthentication] overrides it.
type Authenticated interface {
	Authentication() []string
}

// NameOf returns the name of controller c.
func NameOf(c Controller) string {
	if n, ok := c.(Namer); ok {
		return n.ControllerName()
	}
	t := reflect.TypeOf(c)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return fmt.Sprintf("%T", c)
	}
	return t.Name()
}

// RoutesOf returns c's routes with their controller name, default tags and
// default authentication (see [Authenticated]) filled in, and the controller's interceptors placed before each route's
// own.
func RoutesOf(c Controller) []Route {
	name := NameOf(c)
	var shared []interceptor.Interceptor
	if ic, ok := c.(Intercepted); ok {
		shared = ic.Interceptors()
	}
	var auth []string
	if ac, ok := c.(Authenticated); ok {
		auth = ac.Authentication()
	}
	routes := c.Routes()
	out := make([]Route, len(routes))
	for i, r := range routes {
		r.Controller = name
		if r.Tags == nil {
			r.Tags = []string{name}
		}
		if r.Authentication == nil && auth != nil {
			r.Authentication = slices.Clone(auth)
		}
		if len(shared) > 0 {
			r.Interceptors = append(slices.Clone(shared), r.Interceptors...)
		}
		out[i] = r
	}
	return out
}

// Func is a controller made of a list of routes, for apps that need no
// controller type.
type Func struct {
	// Label is the controller's name.
	Label string
	// List is its routes.
	List []Route
}

// Routes returns the list.
func (f Func) Routes() []Route { return f.List }

// ControllerName returns the label.
func (f Func) ControllerName() string { return f.Label }
