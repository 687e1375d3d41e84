package rest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// scrape gets /metrics over HTTP and parses it with Prometheus' own
// parser.
func scrape(t *testing.T, app *resttest.App) map[string]*dto.MetricFamily {
	t.Helper()
	res := app.Get("/metrics")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s", res.Status, res.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, res.Body)
	}
	return fams
}

// series finds the metric of fam whose labels are labels.
func series(fam *dto.MetricFamily, labels map[string]string) *dto.Metric {
	if fam == nil {
		return nil
	}
next:
	for _, m := range fam.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		for _, l := range m.Label {
			if labels[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		return m
	}
	return nil
}

func counterOf(fams map[string]*dto.MetricFamily, method, route, status string) float64 {
	m := series(fams["loom_http_requests_total"], map[string]string{"method": method, "route": route, "status": status})
	if m == nil {
		return 0
	}
	return m.GetCounter().GetValue()
}

func TestMetrics_CountRequestsByRouteTemplateAndStatus(t *testing.T) {
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{BasePath: "/api", Metrics: rest.MetricsConfig{Enabled: true}, Health: rest.HealthConfig{Enabled: true}}),
		rest.WithController(newTodoController),
	)
	for _, id := range []int{1, 2, 7} { // 7 is not found
		app.Get(fmt.Sprintf("/todos/%d", id))
	}
	app.Get("/todos/count")
	app.Get("/todos/7/exists")
	app.Do(http.MethodHead, "/todos/1", nil)
	app.Get("/fail")
	app.Get("/nowhere")
	app.Do("BREW", "/todos", nil)
	app.Get("/health")

	fams := scrape(t, app)
	for _, c := range []struct {
		method, route, status string
		want                  float64
	}{
		{"GET", "/todos/{id}", "200", 2},
		{"GET", "/todos/{id}", "404", 1},
		{"GET", "/todos/count", "200", 1},
		{"HEAD", "/todos/{id}", "200", 1},
		{"GET", "(none)", "404", 1},
		{"OTHER", "(none)", "405", 1}, // POST /todos exists
		{"GET", "/health", "200", 1},
	} {
		if got := counterOf(fams, c.method, c.route, c.status); got != c.want {
			t.Errorf("loom_http_requests_total{method=%q,route=%q,status=%q} = %v, want %v", c.method, c.route, c.status, got, c.want)
		}
	}
	h := series(fams["loom_http_request_duration_seconds"], map[string]string{"method": "GET", "route": "/todos/{id}"})
	if h == nil || h.GetHistogram().GetSampleCount() != 3 || len(h.GetHistogram().GetBucket()) != len(prometheus.DefBuckets)+1 { // and +Inf
		t.Errorf("loom_http_request_duration_seconds{GET,/todos/{id}} = %v, want 3 samples in the default buckets", h)
	}
	if g := fams["loom_http_requests_in_flight"]; g == nil || g.Metric[0].GetGauge().GetValue() != 0 {
		t.Errorf("loom_http_requests_in_flight = %v, want 0 between requests", g)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("%s is missing: the server's own registry has the Go and process collectors", name)
		}
	}
}

func TestMetrics_UnknownPathsMakeNoNewSeries(t *testing.T) {
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{Metrics: rest.MetricsConfig{Enabled: true}}),
		rest.WithController(newTodoController),
	)
	app.Get("/unknown/0")
	before := len(scrape(t, app)["loom_http_requests_total"].Metric)
	for i := range 1000 {
		app.Get(fmt.Sprintf("/unknown/%d", i))
	}
	fams := scrape(t, app)
	if after := len(fams["loom_http_requests_total"].Metric); after != before {
		t.Errorf("1000 unknown paths made %d new series", after-before)
	}
	if got := counterOf(fams, "GET", "(none)", "404"); got != 1001 {
		t.Errorf("requests to unknown paths = %v, want 1001", got)
	}
}

func TestMetrics_AnApplicationRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{Metrics: rest.MetricsConfig{Enabled: true, Path: "/prom", Registerer: reg, Buckets: []float64{0.1, 1}}}),
		rest.WithController(newTodoController),
	)
	app.Get("/todos/count")
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range fams {
		if f.GetName() == "loom_http_request_duration_seconds" {
			m := series(f, map[string]string{"method": "GET", "route": "/todos/count"})
			found = m != nil && len(m.GetHistogram().GetBucket()) == 2
		}
		if f.GetName() == "go_goroutines" {
			t.Errorf("the server added the Go collector to the application's registry")
		}
	}
	if !found {
		t.Errorf("the application's registry lacks the duration histogram with its buckets: %v", fams)
	}
	if res := app.Get("/prom"); res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte("loom_http_requests_total")) {
		t.Errorf("GET /prom = %d, want the metrics", res.Status)
	}
}

func TestMetrics_AreOffByDefault(t *testing.T) {
	app := resttest.Start(t, rest.WithController(newTodoController))
	if res := app.Get("/metrics"); res.Status != http.StatusNotFound {
		t.Errorf("GET /metrics without config = %d, want 404", res.Status)
	}
}

// BenchmarkMetrics is the cost of counting a request, against the same
// request without metrics.
func BenchmarkMetrics(b *testing.B) {
	for _, enabled := range []bool{false, true} {
		b.Run(fmt.Sprintf("enabled=%v", enabled), func(b *testing.B) {
			app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(newTodoController),
				rest.WithConfig(rest.Config{Metrics: rest.MetricsConfig{Enabled: enabled}}))
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/todos/1", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				app.ServeHTTP(w, req)
			}
		})
	}
}
