package rest

import (
	"strings"
	"time"

	"github.com/loomhq/loom/actions"
)

// Config is the REST server's configuration. Its zero value is safe: a
// free port on every interface, no base path, 16 KiB of request line and
// headers, a 1 MiB body limit, timeouts that keep slow clients from
// holding connections, CORS as LoopBack's default, and errors that hide
// their internals.
type Config struct {
	// Host is the interface to listen on; empty means every interface.
	Host string
	// Port is the TCP port; 0 picks a free one (see [Application.URL]).
	Port int
	// BasePath serves every route under a prefix, such as /api.
	BasePath string
	// StrictTrailingSlash makes /todos/ and /todos different paths.
	StrictTrailingSlash bool
	// BodyLimit caps request bodies in bytes; 0 means 1 MiB (1,048,576
	// bytes). A route may set its own with controller.BodyLimit.
	BodyLimit int64
	// ProhibitedKeys are JSON keys refused in bodies and JSON parameters,
	// beside __proto__ and constructor.prototype.
	ProhibitedKeys []string
	// MaxQueryParams caps the name=value pairs of a query string; 0 means
	// 1000, Express's parameterLimit. Past it the request answers 400
	// TOO_MANY_QUERY_PARAMETERS, on every route.
	MaxQueryParams int
	// MaxQueryArrayItems caps the items of one array read from a query
	// string: a name repeated (?id=1&id=2), the [] and [n] keys of a deep
	// object, the parts of a comma list; 0 means 1000. Past it the request
	// answers 400 INVALID_PARAMETER_VALUE with a maxItems detail.
	MaxQueryArrayItems int
	// RequestTimeout is each request's deadline: the handler's context is
	// cancelled when it passes, the repositories stop their work, and a
	// request that has not answered yet gets 503. 0 means 30s; a negative
	// value sets none. A route may set its own with controller.Timeout.
	RequestTimeout time.Duration

	// ReadHeaderTimeout bounds reading a request's headers; 0 means 10s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request; 0 means 60s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; 0 means 60s.
	WriteTimeout time.Duration
	// IdleTimeout bounds a keep-alive connection's wait for its next
	// request; 0 means 120s.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a request's head, its request line (so its URL)
	// and its headers together, in bytes as sent; 0 means 16 KiB (16,384
	// bytes), Node's and so LoopBack's default. Past it the request is
	// answered 431 REQUEST_HEADER_FIELDS_TOO_LARGE in the error envelope,
	// and its connection closed. Exactly the limit passes: net/http's 4 KiB
	// of slack is not added.
	MaxHeaderBytes int
	// GracePeriod is how long a stopping server waits for requests in
	// flight before it closes their connections; 0 means 10s.
	GracePeriod time.Duration
	// StartTimeout bounds the application's start: every observer's Init
	// and Start, data sources connecting included; 0 means 30s.
	StartTimeout time.Duration
	// StopTimeout bounds the application's stop, the server's drain
	// included; 0 means GracePeriod plus 5s.
	StopTimeout time.Duration

	// Debug puts the real message and the stack of 5xx errors in responses.
	// Never in production.
	Debug bool

	// CORS is the cross-origin policy.
	CORS CORSConfig

	// Middleware orders and removes the registered middleware (see
	// [WithMiddleware]).
	Middleware MiddlewareConfig

	// OpenAPI is the API document, served at /openapi.json and
	// /openapi.yaml by default.
	OpenAPI OpenAPIConfig
	// Explorer is the API Explorer, served at /explorer/ by default.
	Explorer ExplorerConfig

	// Health serves /health, /live and /ready; off by default.
	Health HealthConfig
	// Metrics serves Prometheus metrics at /metrics; off by default.
	Metrics MetricsConfig
}

// CORSConfig is the cross-origin policy. Its zero value is LoopBack's
// default: any origin, credentials allowed, preflights answered 204 with a
// max-age of a day.
type CORSConfig struct {
	// Disabled turns CORS handling off: no headers, OPTIONS is routed.
	Disabled bool
	// Origin is the Access-Control-Allow-Origin value; empty means "*".
	Origin string
	// Methods are allowed in preflights; empty means GET, HEAD, PUT,
	// PATCH, POST, DELETE.
	Methods []string
	// MaxAge is how long a preflight may be cached; 0 means 86400s.
	MaxAge time.Duration
	// NoCredentials leaves out Access-Control-Allow-Credentials: true.
	NoCredentials bool
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.ReadHeaderTimeout, 10*time.Second)
	def(&c.ReadTimeout, 60*time.Second)
	def(&c.WriteTimeout, 60*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.GracePeriod, 10*time.Second)
	def(&c.StartTimeout, 30*time.Second)
	def(&c.StopTimeout, c.GracePeriod+5*time.Second)
	c.BasePath = normalizeBasePath(c.BasePath)
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = defaultMaxHeaderBytes
	}
	if c.BodyLimit == 0 {
		c.BodyLimit = 1 << 20
	}
	if c.MaxQueryParams <= 0 {
		c.MaxQueryParams = 1000
	}
	if c.MaxQueryArrayItems <= 0 {
		c.MaxQueryArrayItems = 1000
	}
	if c.CORS.Origin == "" {
		c.CORS.Origin = "*"
	}
	if len(c.CORS.Methods) == 0 {
		c.CORS.Methods = []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"}
	}
	def(&c.CORS.MaxAge, 86400*time.Second)
	c.Health = c.Health.withDefaults()
	c.Metrics = c.Metrics.withDefaults()
	return c
}

// normalizeBasePath gives a base path its leading slash and no trailing
// one: "api/" is /api, and "/" is no base path at all.
func normalizeBasePath(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	return "/" + p
}

// actionOptions are the settings the default actions read.
func (c Config) actionOptions() actions.Options {
	return actions.Options{
		BasePath:            c.BasePath,
		StrictTrailingSlash: c.StrictTrailingSlash,
		BodyLimit:           c.BodyLimit,
		ProhibitedKeys:      c.ProhibitedKeys,
		MaxQueryParams:      c.MaxQueryParams,
		MaxQueryArrayItems:  c.MaxQueryArrayItems,
		Debug:               c.Debug,
	}
}
