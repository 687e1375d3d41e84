package rest

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
)

// MetricsConfig serves Prometheus metrics, as LoopBack 4's
// @loopback/metrics. Its zero value serves none; with Enabled, GET
// /metrics (under the base path, left out of the API document) answers in
// Prometheus' text format, and every request is counted:
//
//   - loom_http_requests_total{method,route,status}, a counter;
//   - loom_http_request_duration_seconds{method,route}, a histogram;
//   - loom_http_requests_in_flight, a gauge;
//
// plus the Go runtime's and the process's collectors when the registry is
// the server's own. route is the matched route's template, such as
// /todos/{id} (without the base path), "(none)" when no route matched:
// never the request's path, so that unknown paths cannot grow the series.
// method is the request's, or OTHER for a method HTTP does not define.
type MetricsConfig struct {
	// Enabled serves the metrics and counts the requests.
	Enabled bool
	// Path is where the metrics are served; empty means /metrics.
	Path string
	// Registerer registers the metrics; nil means a registry of the
	// server's own, with the Go and process collectors. Set
	// prometheus.DefaultRegisterer to share the process-wide one.
	Registerer prometheus.Registerer
	// Gatherer is what Path serves; nil means Registerer when it is a
	// prometheus.Gatherer (a *prometheus.Registry is), else the server's
	// own registry.
	Gatherer prometheus.Gatherer
	// Buckets are the duration histogram's upper bounds in seconds; empty
	// means prometheus.DefBuckets (5ms to 10s).
	Buckets []float64
}

func (c MetricsConfig) withDefaults() MetricsConfig {
	if c.Path == "" {
		c.Path = "/metrics"
	}
	if len(c.Buckets) == 0 {
		c.Buckets = prometheus.DefBuckets
	}
	return c
}

// noRoute is the route label of a request no route matched.
const noRoute = "(none)"

// metricsParams are the metrics middleware's dependencies.
type metricsParams struct {
	fx.In

	Config Config
	Routes *actions.RouteTable `optional:"true"`
}

// httpMetrics holds the request metrics and, built at start-up, the
// series of every route, so that a request looks its series up in a map.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	// routes are the series of each route for its own method; heads of
	// the GET routes for HEAD.
	routes, heads map[*actions.Route]*routeSeries
	// unmatched are the series of route "(none)" by method.
	unmatched map[string]*routeSeries
	// others are the series of routes not in the route table (health
	// endpoints, static files), by seriesKey, made as they come.
	others sync.Map
}

type seriesKey struct{ method, route string }

// routeSeries is the series of one method and route: its histogram, and
// its counters by status, added as statuses are first seen.
type routeSeries struct {
	method, route string
	vec           *httpMetrics
	// duration is made on first use, so that routes never asked for
	// have no series.
	once     sync.Once
	duration prometheus.Observer
	mu       sync.Mutex // serializes additions to counters
	counters atomic.Pointer[[]statusCounter]
}

// observe records one request of this method and route, answered with
// status in d.
func (s *routeSeries) observe(status int, d time.Duration) {
	s.once.Do(func() { s.duration = s.vec.duration.WithLabelValues(s.method, s.route) })
	s.duration.Observe(d.Seconds())
	s.counter(status).Inc()
}

type statusCounter struct {
	status  int
	counter prometheus.Counter
}

// counter is the counter of status, made on its first use.
func (s *routeSeries) counter(status int) prometheus.Counter {
	if cs := s.counters.Load(); cs != nil {
		for _, c := range *cs {
			if c.status == status {
				return c.counter
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cs []statusCounter
	if p := s.counters.Load(); p != nil {
		for _, c := range *p {
			if c.status == status {
				return c.counter
			}
		}
		cs = append(cs, *p...)
	}
	c := s.vec.requests.WithLabelValues(s.method, s.route, strconv.Itoa(status))
	cs = append(cs, statusCounter{status, c})
	s.counters.Store(&cs)
	return c
}

// httpMethods are the methods HTTP defines; any other is counted as
// OTHER, so that a client cannot grow the series with made-up methods.
var httpMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace,
}

func newMetricsMiddleware(p metricsParams) (Middleware, error) {
	c := p.Config.Metrics
	if err := shadowed(p.Routes, c.Path, "metrics endpoint", "MetricsConfig.Path"); err != nil {
		return nil, err
	}
	reg, gath := c.Registerer, c.Gatherer
	if reg == nil {
		own := prometheus.NewRegistry()
		own.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		reg = own
		if gath == nil {
			gath = own
		}
	}
	if gath == nil {
		g, ok := reg.(prometheus.Gatherer)
		if !ok {
			return nil, errors.New("rest: MetricsConfig.Registerer is not a prometheus.Gatherer: set MetricsConfig.Gatherer too")
		}
		gath = g
	}
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loom_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "loom_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route template.",
			Buckets: c.Buckets,
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "loom_http_requests_in_flight",
			Help: "HTTP requests being answered.",
		}),
	}
	var err error
	if m.requests, err = registerCollector(reg, m.requests); err != nil {
		return nil, err
	}
	if m.duration, err = registerCollector(reg, m.duration); err != nil {
		return nil, err
	}
	if m.inFlight, err = registerCollector(reg, m.inFlight); err != nil {
		return nil, err
	}
	m.routes = map[*actions.Route]*routeSeries{}
	m.heads = map[*actions.Route]*routeSeries{}
	if p.Routes != nil {
		for _, r := range p.Routes.Routes() {
			m.routes[r] = m.series(r.Method(), r.Template())
			if r.Method() == http.MethodGet {
				m.heads[r] = m.series(http.MethodHead, r.Template())
			}
		}
	}
	m.unmatched = map[string]*routeSeries{}
	for _, method := range append(httpMethods, "OTHER") {
		m.unmatched[method] = m.series(method, noRoute)
	}
	path := p.Config.BasePath + c.Path
	serve := promhttp.HandlerFor(gath, promhttp.HandlerOpts{})
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				serve.ServeHTTP(w, r)
				return
			}
			m.measure(next, w, r)
		})
	}, nil
}

// registerCollector registers c, or returns the collector of its name already
// registered, so that two servers can share one registry.
func registerCollector[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

func (m *httpMetrics) series(method, route string) *routeSeries {
	return &routeSeries{method: method, route: route, vec: m}
}

// measure runs next, then counts the request under its route. A request
// whose handler panicked is counted as a 500, the status it gets.
func (m *httpMetrics) measure(next http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	m.inFlight.Inc()
	completed := false
	defer func() {
		m.inFlight.Dec()
		status := http.StatusInternalServerError
		rc, ok := loomctx.FromContext(r.Context())
		var route loomctx.RouteInfo
		if ok {
			route = rc.Route
			if s := rc.Response.Status(); s != 0 {
				status = s
			} else if completed {
				status = http.StatusOK
			}
		}
		m.seriesOf(r.Method, route).observe(status, time.Since(start))
	}()
	next.ServeHTTP(w, r)
	completed = true
}

// seriesOf finds the series of a request: those made at start-up for the
// routes of the route table, others (a static file's, a route of a
// custom findRoute) made as they come.
func (m *httpMetrics) seriesOf(method string, route loomctx.RouteInfo) *routeSeries {
	if route == nil {
		if s, ok := m.unmatched[method]; ok {
			return s
		}
		return m.unmatched["OTHER"]
	}
	if ar, ok := route.(*actions.Route); ok {
		if s, ok := m.routes[ar]; ok && s.method == method {
			return s
		}
		if s, ok := m.heads[ar]; ok && method == http.MethodHead {
			return s
		}
	}
	if _, known := m.unmatched[method]; !known {
		method = "OTHER"
	}
	key := seriesKey{method, route.Template()}
	if s, ok := m.others.Load(key); ok {
		return s.(*routeSeries)
	}
	s, _ := m.others.LoadOrStore(key, m.series(key.method, key.route))
	return s.(*routeSeries)
}
