package authorization

import (
	"errors"
	"fmt"
	"strings"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
)

// AuthorizersGroup is the fx value group authorizers are registered in
// (see [Register]).
const AuthorizersGroup = `group:"loom.authorization.authorizers"`

// Group is the global interceptor group the authorization interceptor
// runs in, LoopBack 4's "authorization": order it among the others with
// rest.WithInterceptorGroups.
const Group = "authorization"

// Module installs authorization: the global interceptor, in [Group], that
// authorizes every route declaring authorization metadata, with the
// [Roles] authorizer and those registered with [Register], configured by
// the [Options] value in the container (see [Configure]; none means
// LoopBack 4's defaults). When the application starts, each route's
// metadata (its own, its controller's or the default) and authorizers are
// resolved once; a request pays for its route's authorizers only.
//
// rest.WithAuthorization installs it. An application whose routes or
// controllers declare authorization without it does not start (see
// actions.Enforces): its declarations would not be enforced.
func Module() fx.Option {
	return fx.Options(
		actions.Enforces(enforcer),
		fx.Provide(newEngine),
		interceptor.Provide(func(e *Engine) interceptor.Global {
			return interceptor.NewGlobal(e.Intercept, Group, interceptor.Named("authorization"),
				interceptor.ForSources(interceptor.FromRoute))
		}),
		fx.Invoke(func(in compileIn) error { return in.Engine.Compile(in.Table, in.Controllers) }),
	)
}

// Configure supplies the [Options] of [Module].
func Configure(o Options) fx.Option { return fx.Supply(o) }

// Register adds authorizers to [AuthorizersGroup]: each is an
// [Authorizer], a func(*Context, *Metadata) (Decision, error), or an fx
// constructor whose parameters are injected and which returns an
// Authorizer (optionally with an error). They vote after the route's
// voters, LoopBack 4's authorizers bound with the AUTHORIZER tag.
//
//	authorization.Register(ownerOnly, NewPolicyAuthorizer)
func Register(authorizers ...any) fx.Option {
	opts := make([]fx.Option, 0, len(authorizers))
	for _, a := range authorizers {
		switch a := a.(type) {
		case Authorizer:
			opts = append(opts, supply(a))
		case func(*Context, *Metadata) (Decision, error):
			opts = append(opts, supply(AuthorizerFunc(a)))
		default:
			opts = append(opts, fx.Provide(fx.Annotate(a, fx.As(new(Authorizer)), fx.ResultTags(AuthorizersGroup))))
		}
	}
	return fx.Options(opts...)
}

func supply(a Authorizer) fx.Option {
	return fx.Provide(fx.Annotate(func() Authorizer { return a }, fx.ResultTags(AuthorizersGroup)))
}

type engineIn struct {
	fx.In

	Options     Options                    `optional:"true"`
	Authorizers []Authorizer               `group:"loom.authorization.authorizers"`
	Strategies  *authentication.Strategies `optional:"true"`
}

type compileIn struct {
	fx.In

	Engine      *Engine
	Table       *actions.RouteTable
	Controllers []controller.Controller `group:"loom.controllers"`
}

func newEngine(in engineIn) (*Engine, error) {
	e, err := NewEngine(in.Options, in.Authorizers...)
	if err != nil {
		return nil, err
	}
	e.strategies = in.Strategies
	return e, nil
}

// Engine is the authorization interceptor and what it resolved for each
// route. [Module] builds one; [NewEngine] is for a pipeline of one's own.
type Engine struct {
	opts        Options
	authorizers []Authorizer // Roles, then the registered ones
	plans       map[*actions.Route]*plan
	strategies  *authentication.Strategies // for the challenges of a 401; may be nil
}

// plan is what a route's authorization needs, resolved at start-up; a nil
// plan lets the route through.
type plan struct {
	md          *Metadata
	authorizers []Authorizer // the route's voters, then the engine's
	challenges  []string     // WWW-Authenticate values of a 401
}

// NewEngine returns the interceptor of o, with the [Roles] authorizer
// and authorizers. An option out of range is an error.
func NewEngine(o Options, authorizers ...Authorizer) (*Engine, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	all := []Authorizer{Roles}
	for _, a := range authorizers {
		if a == nil {
			return nil, errors.New("authorization: a registered authorizer is nil")
		}
		all = append(all, a)
	}
	return &Engine{opts: o, authorizers: all, plans: map[*actions.Route]*plan{}}, nil
}

// Compile resolves the metadata and the authorizers of every route of
// table, once, before the application serves: a route's own metadata,
// else its controller's ([Authorized]), else the default. controllers
// are the table's, to find the controllers' declarations. A nil voter
// fails here, naming the route.
func (e *Engine) Compile(table *actions.RouteTable, controllers []controller.Controller) error {
	byName := map[string]*Metadata{}
	for _, c := range controllers {
		a, ok := c.(Authorized)
		if !ok {
			continue
		}
		name := controller.NameOf(c)
		if _, dup := byName[name]; dup {
			return fmt.Errorf("authorization: two controllers are named %s; authorization finds a controller's declaration by its name", name)
		}
		md := Metadata{}.merge(a.Authorization())
		byName[name] = &md
	}
	plans := make(map[*actions.Route]*plan, len(table.Routes()))
	for _, r := range table.Routes() {
		p, err := e.plan(&r.Route, byName[r.Controller])
		if err != nil {
			return fmt.Errorf("authorization: route %s %s (%s): %w", r.Verb, r.Path, r.OperationID(), err)
		}
		plans[r] = p
	}
	e.plans = plans
	return nil
}

// plan resolves route r's metadata, its controller's being ctrl.
func (e *Engine) plan(r *controller.Route, ctrl *Metadata) (*plan, error) {
	md := ctrl
	if own, ok := MetadataOf(r); ok {
		md = &own
	}
	if md == nil {
		md = e.opts.DefaultMetadata
	}
	if md == nil || md.Skip {
		return nil, nil
	}
	for _, v := range md.Voters {
		if v == nil {
			return nil, errors.New("a voter is nil")
		}
	}
	authorizers := make([]Authorizer, 0, len(md.Voters)+len(e.authorizers))
	authorizers = append(append(authorizers, md.Voters...), e.authorizers...)
	return &plan{md: md, authorizers: authorizers, challenges: e.challenges(r)}, nil
}

// challenges are the WWW-Authenticate values that tell an anonymous
// caller of r how to authenticate (RFC 9110, section 11.6.1): those of the
// strategies r names (it may name some and skip them), else of every
// registered one, for the strategies that send credentials in an HTTP
// scheme.
func (e *Engine) challenges(r *controller.Route) []string {
	if e.strategies == nil {
		return nil
	}
	names := r.Authentication
	if len(names) == 0 {
		names = e.strategies.Names()
	}
	var out []string
	for _, name := range names {
		st, ok := e.strategies.Get(name)
		if !ok {
			continue
		}
		d, ok := st.(authentication.Documented)
		if !ok {
			continue
		}
		sc := d.SecurityScheme()
		if !strings.EqualFold(sc.Type, "http") || sc.Scheme == "" {
			continue
		}
		switch c := strings.ToLower(sc.Scheme); c {
		case "basic":
			out = append(out, `Basic realm="loom", charset="UTF-8"`)
		case "bearer":
			out = append(out, "Bearer")
		default:
			out = append(out, sc.Scheme)
		}
	}
	return out
}

// Intercept is the authorization interceptor, LoopBack 4's
// AuthorizationInterceptor: a route without metadata, or one that skips
// authorization, goes through; otherwise its voters and the authorizers
// vote (see [Decide]) and a denial ends the invocation with LoopBack 4's
// error, "Access denied": 401 to an anonymous caller, who has to
// authenticate first, [Options.DefaultStatusCodeForDeny] (403) to an
// authenticated one.
func (e *Engine) Intercept(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	r, isRoute := ic.Route.(*actions.Route)
	if !isRoute {
		// Not a route of the table: nothing declares its authorization.
		return next()
	}
	p, ok := e.plans[r]
	if !ok {
		// A route the engine did not compile, such as one of a table of
		// one's own: resolved now, without its controller's declaration,
		// which only the compiled controllers give.
		var err error
		if p, err = e.plan(&r.Route, nil); err != nil {
			return nil, fmt.Errorf("authorization: route %s: %w", r.OperationID(), err)
		}
	}
	if p == nil {
		return next()
	}
	actx := &Context{Resource: ic.TargetName(), Invocation: ic}
	profile, authenticated := authentication.ProfileFrom(ic)
	if authenticated {
		actx.Principals = []*authentication.Profile{profile}
		actx.Roles = profile.Roles
	}
	d, err := decide(e.opts, p.authorizers, actx, p.md)
	if err != nil {
		return nil, err
	}
	if d == Deny {
		if !authenticated && ic.Request != nil {
			for _, c := range p.challenges {
				ic.Request.Response.Header().Add("WWW-Authenticate", c)
			}
		}
		return nil, denied(e.opts, !authenticated)
	}
	return next()
}
