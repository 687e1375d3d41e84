package rest

import (
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"strconv"
	"sync/atomic"

	"go.uber.org/fx"
	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
)

// The built-in request-scoped bindings, LoopBack's RestBindings.Http.REQUEST
// and friends. A handler's input receives one with an inject tag naming
// its key (inject:"rest.logger"); any code holding the request's context
// with loomctx.Resolve.
var (
	// RequestKey is the request being answered, as middleware passed it
	// on ("rest.http.request").
	RequestKey = loomctx.NewKey[*http.Request]("rest.http.request")
	// RequestIDKey is the request's id ("rest.http.request.id"): the
	// client's X-Request-Id header when it is a plausible id (1 to
	// [MaxRequestIDLength] letters, digits and -._~:+/=), else one made
	// up, unique to the request. [WithRequestID] sends it back.
	RequestIDKey = loomctx.NewKey[string]("rest.http.request.id")
	// LoggerKey is the request's logger ("rest.logger"): the
	// application's, with the fields requestId, method and route (the
	// matched route's template; path when the request matched none yet).
	// It is made when first asked for.
	LoggerKey = loomctx.NewKey[*zap.Logger]("rest.logger")
)

// RequestIDHeader is the header a request id is read from and, with
// [WithRequestID], written to.
const RequestIDHeader = "X-Request-Id"

// MaxRequestIDLength is the longest X-Request-Id taken from a client;
// a longer one is replaced with one of ours.
const MaxRequestIDLength = 128

// WithRequestBinding registers a request-scoped binding of key, whose
// value is computed when a request first asks for it and kept for the
// rest of the request (LoopBack's BindingScope.REQUEST). constructor is a
// loomctx.Provider[T] or an fx constructor returning one (optionally with
// an error), whose parameters are injected once, at start-up:
//
//	var TenantKey = loomctx.NewKey[*Tenant]("app.tenant")
//
//	rest.WithRequestBinding(TenantKey, func(repo *TenantRepository) loomctx.Provider[*Tenant] {
//		return func(rc *loomctx.RequestContext) (*Tenant, error) {
//			return repo.FindByHost(rc, rc.Request.Host)
//		}
//	})
//
// A handler's input then takes it as a field tagged inject:"app.tenant";
// an interceptor or any code holding the request's context with
// loomctx.Resolve(ctx, TenantKey). A request that never asks does not run
// the provider. A provider's error answers the request, with its status
// (httperr) or 500. Two bindings of one key fail at start-up.
func WithRequestBinding[T any](key loomctx.Key[T], constructor any) Option {
	return withUntagged("a request binding", constructor, func(c any) fx.Option {
		return loomctx.BindRequest(key, c)
	})
}

// WithRequestID sends every response the request's id (see [RequestIDKey])
// in an X-Request-Id header. It is the middleware named "requestId", in
// the server chain's GroupMiddleware: the id is settled before the
// sequence runs, so every log line of the request carries it.
func WithRequestID() Option {
	return WithMiddleware("requestId", Middleware(echoRequestID))
}

func echoRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rc, ok := loomctx.FromContext(r.Context()); ok {
			if id, err := RequestIDKey.Resolve(rc); err == nil {
				w.Header().Set(RequestIDHeader, id)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requestBindings gathers the request-scoped bindings and binds the
// built-in ones.
func requestBindings() fx.Option {
	return fx.Options(
		fx.Provide(fx.Annotate(loomctx.NewRequestBindings, fx.ParamTags(loomctx.RequestBindingsGroup))),
		fx.Provide(fx.Annotate(func() *loomctx.RequestBinding {
			return loomctx.NewRequestBinding(RequestKey, func(rc *loomctx.RequestContext) (*http.Request, error) {
				return rc.Request, nil
			}).Transient()
		}, fx.ResultTags(loomctx.RequestBindingsGroup))),
		loomctx.BindRequest(RequestIDKey, loomctx.Provider[string](requestID)),
		loomctx.BindRequest(LoggerKey, requestLogger),
	)
}

// requestID is the client's id when it looks like one, else a new one.
func requestID(rc *loomctx.RequestContext) (string, error) {
	if id := rc.Request.Header.Get(RequestIDHeader); validRequestID(id) {
		return id, nil
	}
	return newRequestID(), nil
}

func validRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '+' || c == '/' || c == '=':
		default:
			return false
		}
	}
	return true
}

// An id is the process's random prefix and a counter: unique across the
// instances behind one load balancer, and no system call per request.
var (
	idPrefix  = newIDPrefix()
	idCounter atomic.Uint64
)

func newIDPrefix() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

func newRequestID() string {
	var buf [48]byte
	b := append(buf[:0], idPrefix...)
	b = append(b, '-')
	b = strconv.AppendUint(b, idCounter.Add(1), 36)
	return string(b)
}

// requestLogger derives each request's logger from the application's.
func requestLogger(log *zap.Logger) loomctx.Provider[*zap.Logger] {
	return func(rc *loomctx.RequestContext) (*zap.Logger, error) {
		id, err := RequestIDKey.Resolve(rc)
		if err != nil {
			return nil, err
		}
		where := zap.String("path", rc.Request.URL.Path)
		if rc.Route != nil {
			where = zap.String("route", rc.Route.Template())
		}
		return log.With(zap.String("requestId", id), zap.String("method", rc.Request.Method), where), nil
	}
}
