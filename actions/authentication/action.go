package authentication

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// Action is the authenticate action, LoopBack 4's
// AuthenticationBindings.AUTH_ACTION: a sequence calls it after findRoute.
// It runs the strategies the matched route declares, in order, and
// leaves the first profile one returns on the request, where
// [ProfileFrom] finds it. A route that declares no strategy, or skips
// authentication, passes with no profile: (nil, nil). Otherwise the
// answer is a 401 error, which the sequence rejects: the first error a
// strategy returned or, when every strategy said "not mine",
// USER_PROFILE_NOT_FOUND. A route whose authentication is optional
// (controller.Route's AuthenticationOptional) passes with no profile
// instead, (nil, nil), when the answer would be a 401; a strategy's
// other errors (a 403, a 503 from a store that is down) still fail it.
type Action func(rc *loomctx.RequestContext) (*Profile, error)

// StrategiesGroup is the fx value group strategies are registered in
// (see [Register]).
const StrategiesGroup = `group:"loom.authentication.strategies"`

// ProfileKey is the request-scoped binding of the authenticated profile,
// LoopBack 4's SecurityBindings.USER. [Module] binds it, so a handler's
// input takes the profile as a field tagged inject:"security.user" (nil
// when the route authenticated nobody).
var ProfileKey = loomctx.NewKey[*Profile]("security.user")

// Codes of the errors the action answers with, LoopBack 4's.
const (
	// CodeUserProfileNotFound: every strategy of the route said "not
	// mine".
	CodeUserProfileNotFound = "USER_PROFILE_NOT_FOUND"
)

// Module provides the registered strategies ([StrategiesGroup]) as
// *[Strategies] and binds the authenticate action under its type, built
// by [NewActionOf] for the route table. rest.WithAuthentication installs it; an application that
// calls the action from its own sequence installs it with [Register].
func Module() fx.Option {
	return fx.Options(
		fx.Provide(func(in registered) (*Strategies, error) { return NewStrategies(in.Strategies) }),
		loomctx.Bind(loomctx.KeyOf[Action](), NewActionOf),
		// Injectable by name; nil on a request no strategy authenticated.
		loomctx.BindRequest(ProfileKey, loomctx.Provider[*Profile](func(*loomctx.RequestContext) (*Profile, error) { return nil, nil })),
	)
}

// registered are the strategies of [StrategiesGroup].
type registered struct {
	fx.In

	Strategies []Strategy `group:"loom.authentication.strategies"`
}

// Register adds strategies to [StrategiesGroup]: each is a [Strategy]
// value, or an fx constructor whose parameters are injected and which
// returns one (optionally with an error).
//
//	authentication.Register(authentication.Basic(verify), NewJWTStrategy)
func Register(strategies ...any) fx.Option {
	opts := make([]fx.Option, 0, len(strategies))
	for _, s := range strategies {
		if st, ok := s.(Strategy); ok {
			opts = append(opts, fx.Supply(fx.Annotate(st, fx.As(new(Strategy)), fx.ResultTags(StrategiesGroup))))
			continue
		}
		opts = append(opts, fx.Provide(fx.Annotate(s, fx.As(new(Strategy)), fx.ResultTags(StrategiesGroup))))
	}
	return fx.Options(opts...)
}

// Strategies are the registered strategies by name.
type Strategies struct {
	byName map[string]Strategy
	order  []string
}

// NewStrategies indexes strategies by name; two strategies of one name,
// or a strategy without a name, are an error.
func NewStrategies(strategies []Strategy) (*Strategies, error) {
	s := &Strategies{byName: make(map[string]Strategy, len(strategies))}
	for _, st := range strategies {
		if st == nil {
			return nil, errors.New("authentication: a registered strategy is nil")
		}
		name := st.Name()
		if name == "" {
			return nil, fmt.Errorf("authentication: strategy %T has no name", st)
		}
		if _, dup := s.byName[name]; dup {
			return nil, fmt.Errorf("authentication: two strategies are named %q", name)
		}
		s.byName[name] = st
		s.order = append(s.order, name)
	}
	slices.Sort(s.order)
	return s, nil
}

// Get returns the strategy called name.
func (s *Strategies) Get(name string) (Strategy, bool) {
	st, ok := s.byName[name]
	return st, ok
}

// Names lists the strategies' names, sorted.
func (s *Strategies) Names() []string { return slices.Clone(s.order) }

// SecuritySchemes are the schemes of the [Documented] strategies, by
// name, as the API document's components.securitySchemes writes them.
func (s *Strategies) SecuritySchemes() map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, st := range s.byName {
		d, ok := st.(Documented)
		if !ok {
			continue
		}
		out[name] = d.SecurityScheme().object()
	}
	return out
}

// NewAction builds the authenticate action for the routes of table. A
// route that names a strategy no registered one answers to fails here,
// naming the route and the strategy, so the application does not start.
func NewAction(strategies []Strategy, table *actions.RouteTable) (Action, error) {
	reg, err := NewStrategies(strategies)
	if err != nil {
		return nil, err
	}
	return NewActionOf(reg, table)
}

// NewActionOf is [NewAction] for strategies already indexed.
func NewActionOf(reg *Strategies, table *actions.RouteTable) (Action, error) {
	if err := Check(reg, table); err != nil {
		return nil, err
	}
	return func(rc *loomctx.RequestContext) (*Profile, error) {
		route, ok := rc.Route.(*actions.Route)
		if !ok || route.SkipAuthentication || len(route.Authentication) == 0 {
			return nil, nil
		}
		p, err := authenticate(rc, reg, route.Authentication)
		switch {
		case err == nil:
			return p, nil
		case route.AuthenticationOptional && httperr.StatusOf(err) == http.StatusUnauthorized:
			// The request goes on anonymously: the route serves anyone,
			// and a dead or unknown credential is ignored. Any other
			// failure (a store that is down: 503) is still the answer,
			// whichever strategy failed with it.
			return nil, nil
		}
		if httperr.StatusOf(err) == http.StatusUnauthorized {
			challenge(rc.Response.Header(), reg, route.Authentication)
		}
		return nil, err
	}, nil
}

// Check reports the first route of table that names a strategy reg does
// not hold.
func Check(reg *Strategies, table *actions.RouteTable) error {
	for _, r := range table.Routes() {
		if r.SkipAuthentication {
			continue
		}
		for _, name := range r.Authentication {
			if _, ok := reg.Get(name); !ok {
				return fmt.Errorf("authentication: route %s %s (%s) declares strategy %q, which is not registered (registered: %s)",
					r.Verb, r.Path, r.OperationID(), name, orNone(reg.Names()))
			}
		}
	}
	return nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// authenticate runs the named strategies in order: the first profile,
// or the error to refuse the request with. That error is the first
// strategy's failure that is not a 401 (a store that is down, a locked
// account), else the first 401: a failure a wrong credential of another
// strategy would hide could otherwise let an optional route serve the
// request as anonymous.
func authenticate(rc *loomctx.RequestContext, reg *Strategies, names []string) (*Profile, error) {
	var chosen error
	for _, name := range names {
		st, _ := reg.Get(name)
		p, err := st.Authenticate(rc, rc.Request)
		if err != nil {
			err = unauthorized(err)
			if chosen == nil || (httperr.StatusOf(chosen) == http.StatusUnauthorized && httperr.StatusOf(err) != http.StatusUnauthorized) {
				chosen = err
			}
			continue
		}
		if p == nil {
			continue
		}
		// A copy: a strategy may hand out one profile to many requests.
		own := *p
		if own.Strategy == "" {
			own.Strategy = name
		}
		ProfileKey.Set(rc, &own)
		return &own, nil
	}
	var err error = httperr.Unauthorized("User profile not returned from strategy's authenticate function").
		WithCode(CodeUserProfileNotFound)
	if chosen != nil {
		err = chosen
	}
	return nil, err
}

// unauthorized is err as a 401, unless it already says what status it
// is (a strategy's 403 or 503 stays so).
func unauthorized(err error) error {
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		return err
	}
	return httperr.Unauthorized(err.Error()).WithCause(err)
}

// challenge sets WWW-Authenticate for every strategy of the route that
// sends its credentials in an HTTP scheme (RFC 9110, section 11.6.1).
func challenge(h http.Header, reg *Strategies, names []string) {
	for _, name := range names {
		st, _ := reg.Get(name)
		d, ok := st.(Documented)
		if !ok {
			continue
		}
		sc := d.SecurityScheme()
		if !strings.EqualFold(sc.Type, "http") || sc.Scheme == "" {
			continue
		}
		h.Add("WWW-Authenticate", challengeOf(sc.Scheme))
	}
}

// challengeOf is the challenge of an HTTP scheme, with the realm Basic
// requires.
func challengeOf(scheme string) string {
	switch strings.ToLower(scheme) {
	case "basic":
		return `Basic realm="loom", charset="UTF-8"`
	case "bearer":
		return "Bearer"
	}
	return scheme
}
