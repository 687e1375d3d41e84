package modelapi

import (
	"context"
	"net/http"
	"reflect"
	"strings"

	"github.com/loomhq/loom/controller"
)

// Remote declares a remote method, LoopBack 3's Model.remoteMethod(name,
// {accepts, returns, http}), as a typed Go handler: a [controller.Route]
// for a model API (see Methods) or any controller.
//
//	func (m *CoffeeShopMethods) Routes() []controller.Route {
//		return []controller.Route{
//			modelapi.Remote("status", m.Status, modelapi.HTTP("GET", "/status"), modelapi.Returns("status")),
//			modelapi.Remote("nearby", m.Nearby, modelapi.HTTP("GET", "/nearby"), modelapi.ReturnsRoot()),
//		}
//	}
//
// name is the method's name, its Route.Name: hooks match it as
// <Model>.<name> (interceptor.Before("CoffeeShop.status", ...)). A name
// prototype.<x> is an instance method, LoopBack 3's isStatic: false: its
// path is under /{id} (HTTP("POST", "/verify") serves /{id}/verify), and
// its input reads the id with a `path:"id"` field.
//
// The handler's input struct holds the accepts: each field is one
// argument, its tag its http.source (query, path, header, form, body,
// context:"req"); see actions/params. Arguments are read as strong-remoting
// reads them ([controller.RemoteArgs]): an empty value is absent, a
// struct type that reads itself (a geographic point) is also read from
// deep-object keys and plain text.
//
// Without [HTTP] the method answers POST /<x> (x the name without its
// prototype. prefix), as LoopBack 3 does. Without [Returns] the
// handler's result is the body, as [ReturnsRoot]; a method LoopBack 3
// declares without returns, answered 204, returns [controller.NoContent]
// (which Returns leaves unwrapped).
func Remote[In, Out any](name string, h controller.Handler[In, Out], opts ...RemoteOption) controller.Route {
	short, instance := strings.CutPrefix(name, "prototype.")
	rm := remoteMethod{verb: http.MethodPost, path: "/" + short}
	for _, o := range opts {
		o.applyRemote(&rm)
	}
	path := expressPath(rm.path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if instance && path != "/{id}" && !strings.HasPrefix(path, "/{id}/") {
		path = strings.TrimSuffix("/{id}"+path, "/")
	}
	copts := make([]controller.Option, 0, len(rm.opts)+3)
	copts = append(copts, controller.Name(name), controller.RemoteArgs())
	var route controller.Route
	if rm.returns == "" || reflect.TypeFor[Out]() == reflect.TypeFor[controller.NoContent]() {
		copts = append(copts, rm.opts...)
		route = controller.Handle(rm.verb, path, h, copts...)
	} else {
		key := rm.returns
		wrapped := func(ctx context.Context, in In) (any, error) {
			out, err := h(ctx, in)
			if err != nil {
				return nil, err
			}
			return map[string]any{key: out}, nil
		}
		copts = append(copts, controller.ResponseType(namedResult(key, reflect.TypeFor[Out]())))
		copts = append(copts, rm.opts...)
		route = controller.Handle(rm.verb, path, controller.Handler[In, any](wrapped), copts...)
	}
	return route
}

// expressPath turns LoopBack 3's Express path parameters (/:id/verify)
// into OpenAPI's (/{id}/verify).
func expressPath(p string) string {
	if !strings.Contains(p, ":") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok && name != "" {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

// namedResult is the type an answer {"<name>": out} is documented as: a
// struct of one field of out's type, named name in JSON.
func namedResult(name string, out reflect.Type) reflect.Type {
	tag := `json:"` + strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(name) + `"`
	return reflect.StructOf([]reflect.StructField{{Name: "Result", Type: out, Tag: reflect.StructTag(tag)}})
}

// remoteMethod is what the options of [Remote] set.
type remoteMethod struct {
	verb, path string
	returns    string // "": the result is the body
	opts       []controller.Option
}

// RemoteOption configures a remote method declared with [Remote].
type RemoteOption interface{ applyRemote(*remoteMethod) }

type remoteOptionFunc func(*remoteMethod)

func (f remoteOptionFunc) applyRemote(m *remoteMethod) { f(m) }

// HTTP sets the method's verb and path, LoopBack 3's http: {verb, path}:
// the path is relative to the model's base path (/status,
// /{id}/verify), in OpenAPI form or in Express's (/:id/verify). Verbs are GET, POST, PUT, PATCH, DELETE
// and HEAD, in any case (LoopBack 3's del is DELETE).
func HTTP(verb, path string) RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) {
		m.verb = strings.ToUpper(verb)
		if m.verb == "DEL" {
			m.verb = http.MethodDelete
		}
		m.path = path
	})
}

// Returns answers the handler's result as the property name of an
// object, LoopBack 3's returns: {arg: name}: a result "open" is answered
// {"status": "open"} by Returns("status"). The API document shows that
// object. An empty name is [ReturnsRoot].
func Returns(name string) RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) { m.returns = name })
}

// ReturnsRoot answers the handler's result as the body itself, LoopBack
// 3's returns: {root: true}; it is the default.
func ReturnsRoot() RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) { m.returns = "" })
}

// Description is LoopBack 3's description of a remote method: the
// operation's summary in the API document, as loopback-swagger writes it.
func Description(s string) RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) { m.opts = append(m.opts, controller.Summary(s)) })
}

// Notes is LoopBack 3's notes of a remote method: the operation's
// description in the API document, as loopback-swagger writes it.
func Notes(s string) RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) { m.opts = append(m.opts, controller.Description(s)) })
}

// RouteOptions passes controller options through to the method's route: a
// status, a body limit, a timeout, route interceptors, error responses
// to document, Hidden (LoopBack 3's shared: false keeps a method off the
// API; a hidden one is still served but left out of the document).
func RouteOptions(opts ...controller.Option) RemoteOption {
	return remoteOptionFunc(func(m *remoteMethod) { m.opts = append(m.opts, opts...) })
}
