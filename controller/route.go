package controller

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/loomhq/loom/interceptor"
)

// Route is one operation a controller declares: a verb, a path template in
// OpenAPI form (/todos/{id}), metadata, and a typed handler. Make one with
// [Get], [Post], [Put], [Patch], [Delete] or [Handle].
type Route struct {
	// Verb is the HTTP method, upper case.
	Verb string
	// Path is the template, in OpenAPI form: /todos/{id}.
	Path string
	// Controller is the name of the controller that declares the route,
	// such as TodoController; set when the controller is registered.
	Controller string
	// Name is the operation's name, such as create; by default the
	// handler method's name with its first letter lower-cased.
	Name string
	// Summary and Description document the operation.
	Summary, Description string
	// Tags group the operation in the API document; by default the
	// controller's name.
	Tags []string
	// Status is the status of a successful answer; 0 means 200, or 204 when
	// the handler returns no value.
	Status int
	// BodyLimit caps the request body in bytes; 0 takes the server's limit.
	BodyLimit int64
	// Timeout is the request's deadline; 0 takes the server's
	// RequestTimeout, a negative value sets none.
	Timeout time.Duration
	// Output says how the result is written: its media types and its
	// write timeout; see [Produces] and [WriteTimeout].
	Output Output
	// Hidden keeps the route out of the API document (LoopBack's
	// x-visibility: undocumented).
	Hidden bool
	// Deprecated marks the operation deprecated in the API document.
	Deprecated bool
	// API is what the API document says of the operation beyond its
	// summary and description; see [RequestModel] and the options after it.
	API APIDoc
	// Interceptors wrap the handler: the controller's (see [Intercepted]),
	// then the route's own (see [Intercept]), after the global ones.
	Interceptors []interceptor.Interceptor
	// Guard, when set, checks every call before any interceptor runs,
	// the global ones (remote hooks) included: an error it returns is
	// the answer, and no interceptor or handler runs. An API's
	// authorization sets it, as the model API's ACLs do, which LoopBack 3
	// checks before its beforeRemote hooks.
	Guard interceptor.BeforeHook
	// Strict, when set, overrides the strict setting of the body's model
	// for this route; see [Strict].
	Strict *bool
	// StrictQuery, when set, says whether the route refuses query
	// parameters it does not declare; see [StrictQuery].
	StrictQuery *bool
	// RemoteArgs reads the route's parameters as LoopBack 3's remote
	// methods do (strong-remoting's coercion); see [RemoteArgs].
	RemoteArgs bool
	// TranslateError, when set, rewrites every error the route answers
	// with (its parameters' and body's, its handler's, its interceptors')
	// before reject writes it: an API that speaks another framework's
	// error texts sets it on its routes; see [TranslateErrors].
	TranslateError func(error) error
	// Authentication names the strategies that may authenticate the
	// route, tried in order; nil takes the controller's (see
	// [Authenticated]). See [Authenticate].
	Authentication []string
	// SkipAuthentication lets the route through unauthenticated, whatever
	// the controller declares; see [SkipAuthentication].
	SkipAuthentication bool
	// AuthenticationOptional lets a request the route's strategies do not
	// authenticate through anonymously, instead of answering 401.
	AuthenticationOptional bool
	// Metadata holds what extensions declare on the route, by key, as
	// LoopBack 4's decorators store metadata for its MetadataInspector:
	// interceptor/authorization keeps its @authorize declaration here. Set
	// it with [WithMetadata]; the controller package never reads it.
	Metadata map[any]any

	handler handler
}

// OperationID is <Controller>.<Name>, such as TodoController.create.
func (r *Route) OperationID() string {
	if r.Controller == "" {
		return r.Name
	}
	return r.Controller + "." + r.Name
}

// InputType is the handler's input type, the struct whose tags say how the
// request is parsed.
func (r *Route) InputType() reflect.Type { return r.handler.inputType() }

// OutputType is the handler's result type.
func (r *Route) OutputType() reflect.Type { return r.handler.outputType() }

// NewInput returns a pointer to a new zero input, for the parser to fill.
func (r *Route) NewInput() any { return r.handler.newInput() }

// Call runs the handler with in, a pointer returned by [Route.NewInput]. A
// nil pointer, map, slice or interface result, and a [NoContent] result,
// come back as nil, which send answers with 204.
func (r *Route) Call(ctx context.Context, in any) (any, error) {
	return r.handler.call(ctx, in)
}

// Handler is the shape of every operation: a context (the request's
// RequestContext) and the parsed input in, a result or an error out.
type Handler[In, Out any] func(ctx context.Context, in In) (Out, error)

// NoContent is the result type of an operation that answers 204 with an
// empty body.
type NoContent struct{}

// Option sets a route's metadata.
type Option interface{ apply(*Route) }

type optionFunc func(*Route)

func (f optionFunc) apply(r *Route) { f(r) }

// Name sets the operation's name (the method part of its operation id).
func Name(name string) Option { return optionFunc(func(r *Route) { r.Name = name }) }

// Summary sets the operation's one-line summary.
func Summary(s string) Option { return optionFunc(func(r *Route) { r.Summary = s }) }

// Description sets the operation's description.
func Description(s string) Option { return optionFunc(func(r *Route) { r.Description = s }) }

// Tags sets the operation's tags.
func Tags(tags ...string) Option { return optionFunc(func(r *Route) { r.Tags = tags }) }

// Status sets the status of a successful answer, such as 201.
func Status(code int) Option { return optionFunc(func(r *Route) { r.Status = code }) }

// BodyLimit caps this route's request body at n bytes.
func BodyLimit(n int64) Option { return optionFunc(func(r *Route) { r.BodyLimit = n }) }

// Timeout sets this route's deadline in place of the server's
// RequestTimeout: a long export may need more, a lookup less. A negative
// d sets none.
func Timeout(d time.Duration) Option { return optionFunc(func(r *Route) { r.Timeout = d }) }

// Hidden keeps the route out of the API document.
func Hidden() Option { return optionFunc(func(r *Route) { r.Hidden = true }) }

// Intercept adds route-level interceptors, LoopBack's @intercept on a
// method. They run after the global and the controller's interceptors, in
// the order given.
func Intercept(interceptors ...interceptor.Interceptor) Option {
	return optionFunc(func(r *Route) { r.Interceptors = append(r.Interceptors, interceptors...) })
}

// RemoteArgs reads the route's parameters as LoopBack 3's remote methods
// read their arguments: an empty value (?hour=) is an absent argument, a
// struct argument whose type reads itself from text or JSON (a GeoPoint)
// is also read from deep-object keys (?here[lat]=1&here[lng]=2), and a
// parameter error's details name the parameter and the type it expects.
// modelapi.Remote sets it.
func RemoteArgs() Option { return optionFunc(func(r *Route) { r.RemoteArgs = true }) }

// ModelVariant is a schema LoopBack derives from a model for a body, as
// getModelSchemaRef's options do. The API document names it after the
// model's component: for Todo, NewTodo, TodoPartial, TodoWithRelations.
type ModelVariant uint8

// The model variants.
const (
	// ModelAsIs is the model's own schema, Todo.
	ModelAsIs ModelVariant = iota
	// ModelNew is the body of a create, NewTodo: the model without its
	// generated ids (properties tagged loom:"id,generated").
	ModelNew
	// ModelPartial is the body of a partial update, TodoPartial: the
	// model with nothing required.
	ModelPartial
	// ModelWithRelations is the model with its relations,
	// TodoWithRelations, LoopBack's response of find and findById.
	ModelWithRelations
)

// APIDoc is what the API document says of an operation beyond its
// summary and description. The parser never reads it: it documents what
// the handler's types already do.
type APIDoc struct {
	// OperationID, when set, is the operation id in the document in place
	// of the route's <Controller>.<Name>; see [OperationID].
	OperationID string
	// RequestModel is the variant the request body is documented as.
	RequestModel ModelVariant
	// RequestModelType, when set, is the model the request body is
	// documented as, in place of the body's own Go type (a map, a patch
	// type).
	RequestModelType reflect.Type
	// ResponseModel is the variant the success response's body (or its
	// items, for a slice) is documented as.
	ResponseModel ModelVariant
	// ResponseType, when set, is the type the success response's body is
	// documented as, in place of the handler's result type: the answer of
	// a handler whose result is wrapped on the way out.
	ResponseType reflect.Type
	// ResponseDescription describes the success response; empty means
	// "Return value of <operation id>".
	ResponseDescription string
	// RequestExample and ResponseExample are example bodies, written as
	// JSON in the document.
	RequestExample, ResponseExample any
	// ErrorResponses are error statuses the operation answers with,
	// beside those the document infers (400 for parameters and bodies, 404
	// for path parameters, 422 for bodies), with their descriptions.
	ErrorResponses map[int]string
}

// RequestModel documents the request body as variant v of its model: the
// body:"json" field's type (or the input's json fields).
//
//	controller.Post("/todos", c.Create, controller.RequestModel(controller.ModelNew))
func RequestModel(v ModelVariant) Option {
	return optionFunc(func(r *Route) { r.API.RequestModel = v })
}

// RequestModelOf documents the request body as variant v of model M, for a
// body whose Go type is not M, such as a map of the properties to patch.
//
//	controller.Patch("/todos/{id}", c.UpdateByID, controller.RequestModelOf[Todo](controller.ModelPartial))
func RequestModelOf[M any](v ModelVariant) Option {
	return optionFunc(func(r *Route) { r.API.RequestModel, r.API.RequestModelType = v, reflect.TypeFor[M]() })
}

// ResponseModel documents the success response's body, or its items when
// the handler returns a slice, as variant v of its model.
func ResponseModel(v ModelVariant) Option {
	return optionFunc(func(r *Route) { r.API.ResponseModel = v })
}

// ResponseType documents the success response's body as type t in place
// of the handler's result type.
func ResponseType(t reflect.Type) Option {
	return optionFunc(func(r *Route) { r.API.ResponseType = t })
}

// ResponseDescription describes the success response in the API document.
func ResponseDescription(s string) Option {
	return optionFunc(func(r *Route) { r.API.ResponseDescription = s })
}

// RequestExample shows v, as JSON, as the example request body.
func RequestExample(v any) Option { return optionFunc(func(r *Route) { r.API.RequestExample = v }) }

// ResponseExample shows v, as JSON, as the example success response body.
func ResponseExample(v any) Option { return optionFunc(func(r *Route) { r.API.ResponseExample = v }) }

// ErrorResponse documents an error status the operation answers with, in
// the error envelope; an empty description is the status text.
func ErrorResponse(status int, description string) Option {
	return optionFunc(func(r *Route) {
		if r.API.ErrorResponses == nil {
			r.API.ErrorResponses = map[int]string{}
		}
		r.API.ErrorResponses[status] = description
	})
}

// TranslateErrors sets the route's error translator: reject answers with
// fn(err) in place of err, whichever step of the request failed.
func TranslateErrors(fn func(error) error) Option {
	return optionFunc(func(r *Route) { r.TranslateError = fn })
}

// OperationID sets the operation id the API document gives the route, in
// place of [Route.OperationID]. The route's name, which interceptor
// patterns and remote hooks match, is unchanged: two routes serving one
// method (LoopBack 3's PUT / and POST /replaceOrCreate) share a name and
// need distinct ids.
func OperationID(id string) Option {
	return optionFunc(func(r *Route) { r.API.OperationID = id })
}

// Authenticate declares the strategies that authenticate the route,
// LoopBack 4's @authenticate('jwt', 'basic'): the authenticate action tries
// them in order and the first profile wins. It replaces the controller's
// declaration (see [Authenticated]); with no names the route skips
// authentication, as with [SkipAuthentication]. The names are the
// strategies' (see authentication.Strategy); one no strategy answers to
// fails the application's start.
//
//	controller.Get("/whoAmI", c.WhoAmI, controller.Authenticate("jwt"))
func Authenticate(strategies ...string) Option {
	return optionFunc(func(r *Route) {
		r.Authentication = append([]string{}, strategies...)
		// No names declares no authentication: the route skips it.
		r.SkipAuthentication = len(strategies) == 0
	})
}

// SkipAuthentication lets the route through without authentication even
// when its controller declares strategies, LoopBack 4's
// @authenticate.skip().
func SkipAuthentication() Option {
	return optionFunc(func(r *Route) { r.SkipAuthentication = true })
}

// WithMetadata sets the route's metadata under key (see [Route.Metadata])
// to update(prev), prev being the value already there or nil, so that an
// extension's options add up: key is the extension's own unexported type.
// The route gets a map of its own; routes declared alike share none.
//
//	controller.WithMetadata(cacheKey{}, func(any) any { return time.Minute })
func WithMetadata(key any, update func(prev any) any) Option {
	return optionFunc(func(r *Route) {
		m := make(map[any]any, len(r.Metadata)+1)
		maps.Copy(m, r.Metadata)
		m[key] = update(r.Metadata[key])
		r.Metadata = m
	})
}

// Deprecated marks the operation deprecated in the API document.
func Deprecated() Option { return optionFunc(func(r *Route) { r.Deprecated = true }) }

// Handle declares an operation on any verb.
func Handle[In, Out any](verb, path string, h Handler[In, Out], opts ...Option) Route {
	r := Route{
		Verb:    strings.ToUpper(verb),
		Path:    path,
		Name:    handlerName(h),
		handler: newTypedHandler(h),
	}
	for _, o := range opts {
		o.apply(&r)
	}
	return r
}

// Get declares a GET operation.
func Get[In, Out any](path string, h Handler[In, Out], opts ...Option) Route {
	return Handle(http.MethodGet, path, h, opts...)
}

// Post declares a POST operation.
func Post[In, Out any](path string, h Handler[In, Out], opts ...Option) Route {
	return Handle(http.MethodPost, path, h, opts...)
}

// Put declares a PUT operation.
func Put[In, Out any](path string, h Handler[In, Out], opts ...Option) Route {
	return Handle(http.MethodPut, path, h, opts...)
}

// Patch declares a PATCH operation.
func Patch[In, Out any](path string, h Handler[In, Out], opts ...Option) Route {
	return Handle(http.MethodPatch, path, h, opts...)
}

// Delete declares a DELETE operation.
func Delete[In, Out any](path string, h Handler[In, Out], opts ...Option) Route {
	return Handle(http.MethodDelete, path, h, opts...)
}

// handler is a typed handler with its types erased, so routes of different
// types share one table; the generic implementation does no reflection
// per call.
type handler interface {
	inputType() reflect.Type
	outputType() reflect.Type
	newInput() any
	call(ctx context.Context, in any) (any, error)
}

type typedHandler[In, Out any] struct {
	fn Handler[In, Out]
	// nilable is computed once: whether a nil Out means "no content".
	nilable bool
}

func newTypedHandler[In, Out any](fn Handler[In, Out]) typedHandler[In, Out] {
	switch reflect.TypeFor[Out]().Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
		return typedHandler[In, Out]{fn: fn, nilable: true}
	}
	return typedHandler[In, Out]{fn: fn}
}

func (h typedHandler[In, Out]) inputType() reflect.Type  { return reflect.TypeFor[In]() }
func (h typedHandler[In, Out]) outputType() reflect.Type { return reflect.TypeFor[Out]() }
func (h typedHandler[In, Out]) newInput() any            { return new(In) }

func (h typedHandler[In, Out]) call(ctx context.Context, in any) (any, error) {
	p, ok := in.(*In)
	if !ok {
		return nil, fmt.Errorf("controller: handler takes %T, called with %T", p, in)
	}
	out, err := h.fn(ctx, *p)
	if err != nil {
		return nil, err
	}
	res := any(out)
	switch res.(type) {
	case nil, NoContent, *NoContent:
		return nil, nil
	}
	if h.nilable {
		// Out may be an interface holding a value of any kind: only the
		// kinds that can be nil are asked.
		switch v := reflect.ValueOf(res); v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
			if v.IsNil() {
				return nil, nil
			}
		}
	}
	return res, nil
}

// handlerName is a method value's name with its first letter lower-cased:
// (*TodoController).FindByID gives findByID.
func handlerName(h any) string {
	fn := runtime.FuncForPC(reflect.ValueOf(h).Pointer())
	if fn == nil {
		return "handler"
	}
	name := strings.TrimSuffix(fn.Name(), "-fm")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}
