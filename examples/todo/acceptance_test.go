package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// fakeGeocoder answers like the US Census geocoder: one match for the
// addresses it knows, none for the others.
func fakeGeocoder(t testing.TB) (string, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var asked []string
	known := map[string]GeoPoint{"1 New Orchard Road, Armonk, 10504": {X: -73.7215, Y: 41.1101}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := r.URL.Query().Get("address")
		mu.Lock()
		asked = append(asked, addr)
		mu.Unlock()
		matches := []any{}
		if p, ok := known[addr]; ok {
			matches = append(matches, map[string]any{"coordinates": p, "matchedAddress": addr})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"addressMatches": matches}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &asked
}

// store is where a run of the acceptance tests keeps the todos.
type store struct {
	name string
	// url is the DATABASE_URL for a test; "" means the data file.
	url func(t testing.TB) string
	// opts come before a test's own options to start.
	opts []rest.Option
}

// stores are the memory connector, SQLite and, when LOOM_TEST_POSTGRES_URL
// names a server, PostgreSQL: the acceptance tests run on each.
var stores = []store{
	{name: "memory", url: func(t testing.TB) string { return "" }},
	{name: "sqlite", url: func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "todo.db") }},
	{name: "postgres", url: postgresURL},
}

// start starts the application on a free port with a store of its own
// holding LoopBack's four seed todos, the fake geocoder and the access log
// in logs. opts come after the test's own, so a benchmark may replace the
// logger.
func (s store) start(t testing.TB, opts ...rest.Option) (*resttest.App, *observer.ObservedLogs) {
	t.Helper()
	geo, _ := fakeGeocoder(t)
	core, logs := observer.New(zapcore.InfoLevel)
	cfg := Config{Host: "127.0.0.1", DataFile: filepath.Join(t.TempDir(), "db.json"),
		GeocoderURL: geo, DatabaseURL: s.url(t)}
	if cfg.DatabaseURL != "" {
		if err := Migrate(t.Context(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	app, err := NewApplication(cfg, slices.Concat([]rest.Option{rest.WithLogger(zap.New(core))}, s.opts, opts)...)
	if err != nil {
		t.Fatal(err)
	}
	a := resttest.Adopt(t, app)
	if cfg.DatabaseURL != "" {
		// A database starts empty; the data file starts with the seed.
		for _, todo := range seedTodos {
			expectStatus(t, a.Post("/todos", todo), 200)
		}
		logs.TakeAll()
	}
	return a, logs
}

// seedTodos are LoopBack's four seed todos, as data/db.json holds them.
var seedTodos = []map[string]any{
	{"title": "Take over the galaxy", "desc": "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
	{"title": "destroy alderaan", "desc": "Make sure there are no survivors left!"},
	{"title": "play space invaders", "desc": "Become the very best!"},
	{"title": "crush rebels", "desc": "Every.Last.One."},
}

// TestTodo runs the acceptance tests, LoopBack's todo.acceptance.ts, on
// every store.
func TestTodo(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, store)
	}{
		{"ServesTheSeedTodos", todoServesTheSeedTodos},
		{"CreatesATodo", todoCreatesATodo},
		{"CreatesATodoWithArbitraryTag", todoCreatesATodoWithArbitraryTag},
		{"RejectsACreateWithoutTitle", todoRejectsACreateWithoutTitle},
		{"RejectsACreateWithAnID", todoRejectsACreateWithAnID},
		{"GeocodesTheReminderAddress", todoGeocodesTheReminderAddress},
		{"FindsReplacesUpdatesAndDeletesByID", todoFindsReplacesUpdatesAndDeletesByID},
		{"AnswersMissingIDsWith404", todoAnswersMissingIDsWith404},
		{"RejectsPrototypePollutingFilters", todoRejectsPrototypePollutingFilters},
		{"QueriesWithJSONAndExplodedFilters", todoQueriesWithJSONAndExplodedFilters},
		{"OrdersByStringAndArray", todoOrdersByStringAndArray},
		{"SelectsExplodedFields", todoSelectsExplodedFields},
		{"LogsEveryRequestToTheInjectedLogger", todoLogsEveryRequestToTheInjectedLogger},
		{"ServesTheHomePageTheDocumentAndTheExplorer", todoServesTheHomePageTheDocumentAndTheExplorer},
		{"AnswersHealthReadinessAndMetrics", todoAnswersHealthReadinessAndMetrics},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, s) })
			}
		})
	}
}

func decode[T any](t *testing.T, r *resttest.Response) T {
	t.Helper()
	var v T
	r.JSON(t, &v)
	return v
}

func expectStatus(t testing.TB, r *resttest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

type envelope struct {
	Error struct {
		StatusCode int             `json:"statusCode"`
		Name       string          `json:"name"`
		Message    string          `json:"message"`
		Code       string          `json:"code"`
		Details    json.RawMessage `json:"details"`
	} `json:"error"`
}

func expectError(t *testing.T, r *resttest.Response, status int, code string) envelope {
	t.Helper()
	expectStatus(t, r, status)
	env := decode[envelope](t, r)
	if env.Error.StatusCode != status || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("error envelope %s, want status %d code %q", r.Body, status, code)
	}
	return env
}

func create(t *testing.T, app *resttest.App, todo map[string]any) map[string]any {
	t.Helper()
	r := app.Post("/todos", todo)
	expectStatus(t, r, 200)
	return decode[map[string]any](t, r)
}

func titles(t *testing.T, r *resttest.Response) []string {
	t.Helper()
	expectStatus(t, r, 200)
	var out []string
	for _, todo := range decode[[]map[string]any](t, r) {
		out = append(out, todo["title"].(string))
	}
	return out
}

func todoServesTheSeedTodos(t *testing.T, s store) {
	app, _ := s.start(t)
	got := titles(t, app.Get("/todos"))
	want := []string{"Take over the galaxy", "destroy alderaan", "play space invaders", "crush rebels"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("seed titles %q, want %q", got, want)
	}
	if next := create(t, app, map[string]any{"title": "fifth"}); next["id"] != float64(5) {
		t.Errorf("the next id is %v, want 5", next["id"])
	}
}

func todoCreatesATodo(t *testing.T, s store) {
	app, _ := s.start(t)
	todo := map[string]any{"title": "start a new project", "desc": "with Loom", "isComplete": false}
	got := create(t, app, todo)
	id, ok := got["id"].(float64)
	if !ok {
		t.Fatalf("no id: %v", got)
	}
	delete(got, "id")
	if fmt.Sprint(got) != fmt.Sprint(todo) {
		t.Errorf("created %v, want %v", got, todo)
	}
	stored := decode[map[string]any](t, app.Get(fmt.Sprintf("/todos/%d", int(id))))
	if stored["title"] != "start a new project" || stored["isComplete"] != false {
		t.Errorf("stored %v", stored)
	}
}

func todoCreatesATodoWithArbitraryTag(t *testing.T, s store) {
	app, _ := s.start(t)
	tag := map[string]any{"random": "random", "nested": []any{1.0, "two", map[string]any{"three": true}}}
	got := create(t, app, map[string]any{"title": "tagged", "tag": tag})
	stored := decode[map[string]any](t, app.Get(fmt.Sprintf("/todos/%v", got["id"])))
	if fmt.Sprint(stored["tag"]) != fmt.Sprint(tag) {
		t.Errorf("tag %v, want %v", stored["tag"], tag)
	}
}

func todoRejectsACreateWithoutTitle(t *testing.T, s store) {
	app, _ := s.start(t)
	env := expectError(t, app.Post("/todos", map[string]any{"desc": "no title"}), 422, "VALIDATION_FAILED")
	if !strings.Contains(string(env.Error.Details), `"missingProperty":"title"`) {
		t.Errorf("details %s", env.Error.Details)
	}
}

func todoRejectsACreateWithAnID(t *testing.T, s store) {
	app, _ := s.start(t)
	env := expectError(t, app.Post("/todos", map[string]any{"id": 1, "title": "has id"}), 422, "VALIDATION_FAILED")
	if !strings.Contains(string(env.Error.Details), `"additionalProperty":"id"`) {
		t.Errorf("details %s", env.Error.Details)
	}
}

func todoGeocodesTheReminderAddress(t *testing.T, s store) {
	app, _ := s.start(t)
	got := create(t, app, map[string]any{"title": "visit IBM", "remindAtAddress": "1 New Orchard Road, Armonk, 10504"})
	if got["remindAtGeo"] != "41.1101,-73.7215" {
		t.Errorf("remindAtGeo = %v", got["remindAtGeo"])
	}
	r := app.Post("/todos", map[string]any{"title": "nowhere", "remindAtAddress": "123 Nowhere Lane"})
	env := expectError(t, r, 400, "")
	if env.Error.Message != "Address not found: 123 Nowhere Lane" {
		t.Errorf("message %q", env.Error.Message)
	}
	if n := decode[map[string]int](t, app.Get("/todos/count"))["count"]; n != 5 {
		t.Errorf("count %d after a refused create, want 5", n)
	}
}

func todoFindsReplacesUpdatesAndDeletesByID(t *testing.T, s store) {
	app, _ := s.start(t)
	todo := create(t, app, map[string]any{"title": "original", "desc": "d", "isComplete": true})
	path := fmt.Sprintf("/todos/%v", todo["id"])

	if got := decode[map[string]any](t, app.Get(path)); fmt.Sprint(got) != fmt.Sprint(todo) {
		t.Errorf("GET %s = %v, want %v", path, got, todo)
	}

	expectStatus(t, app.Put(path, map[string]any{"title": "replaced"}), 204)
	got := decode[map[string]any](t, app.Get(path))
	if got["title"] != "replaced" || got["desc"] != nil || got["isComplete"] != nil {
		t.Errorf("after PUT: %v (unsent properties must be gone)", got)
	}

	expectStatus(t, app.Patch(path, map[string]any{"isComplete": false}), 204)
	got = decode[map[string]any](t, app.Get(path))
	if got["title"] != "replaced" || got["isComplete"] != false {
		t.Errorf("after PATCH: %v", got)
	}

	expectStatus(t, app.Delete(path), 204)
	expectError(t, app.Get(path), 404, "ENTITY_NOT_FOUND")
}

func todoAnswersMissingIDsWith404(t *testing.T, s store) {
	app, _ := s.start(t)
	for _, r := range []*resttest.Response{
		app.Get("/todos/9999"),
		app.Put("/todos/9999", map[string]any{"title": "x"}),
		app.Patch("/todos/9999", map[string]any{"title": "x"}),
		app.Delete("/todos/9999"),
	} {
		expectError(t, r, 404, "ENTITY_NOT_FOUND")
	}
}

func todoRejectsPrototypePollutingFilters(t *testing.T, s store) {
	app, _ := s.start(t)
	for _, f := range []string{
		`{"where":{"__proto__":{"isAdmin":true}}}`,
		`{"where":{"constructor":{"prototype":{"isAdmin":true}}}}`,
	} {
		expectError(t, app.Get("/todos?filter="+url.QueryEscape(f)), 400, "INVALID_PARAMETER_VALUE")
	}
}

func todoQueriesWithJSONAndExplodedFilters(t *testing.T, s store) {
	app, _ := s.start(t)
	create(t, app, map[string]any{"title": "done one", "isComplete": true})
	create(t, app, map[string]any{"title": "done two", "isComplete": true})
	for _, q := range []string{
		"filter=" + url.QueryEscape(`{"where":{"isComplete":true}}`),
		"filter[where][isComplete]=true",
	} {
		if got := titles(t, app.Get("/todos?"+q)); fmt.Sprint(got) != "[done one done two]" {
			t.Errorf("%s: %q", q, got)
		}
	}
	count := decode[map[string]int](t, app.Get("/todos/count?where[isComplete]=true"))
	if count["count"] != 2 {
		t.Errorf("count %v", count)
	}
}

func todoOrdersByStringAndArray(t *testing.T, s store) {
	app, _ := s.start(t)
	cases := []struct{ query, want string }{
		{"filter[order]=title%20DESC", "[play space invaders destroy alderaan crush rebels Take over the galaxy]"},
		{"filter[order][0]=title%20ASC", "[Take over the galaxy crush rebels destroy alderaan play space invaders]"},
		{"filter=" + url.QueryEscape(`{"order":["desc ASC","title DESC"]}`),
			"[play space invaders crush rebels Take over the galaxy destroy alderaan]"},
	}
	for _, c := range cases {
		if got := titles(t, app.Get("/todos?"+c.query)); fmt.Sprint(got) != c.want {
			t.Errorf("%s: %q, want %s", c.query, got, c.want)
		}
	}
}

func todoSelectsExplodedFields(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Get("/todos/1?filter[fields][title]=true")
	expectStatus(t, r, 200)
	if r.Text() != `{"title":"Take over the galaxy"}` {
		t.Errorf("got %s", r.Body)
	}
}

func todoLogsEveryRequestToTheInjectedLogger(t *testing.T, s store) {
	app, logs := s.start(t)
	app.Get("/todos/1")
	app.Get("/todos/abc")
	var lines []string
	for _, e := range logs.FilterLoggerName("access").All() {
		f := e.ContextMap()
		lines = append(lines, fmt.Sprintf("%s %s %d", f["method"], f["url"], f["status"]))
	}
	if fmt.Sprint(lines) != "[GET /todos/1 200 GET /todos/abc 400]" {
		t.Errorf("access log %q", lines)
	}
}

func todoAnswersHealthReadinessAndMetrics(t *testing.T, s store) {
	app, _ := s.start(t)
	for _, path := range []string{"/health", "/live", "/ready"} {
		r := app.Get(path)
		if body := decode[map[string]any](t, r); r.Status != 200 || body["status"] != "UP" {
			t.Errorf("GET %s = %d %s, want 200 UP", path, r.Status, r.Body)
		}
	}
	app.Get("/todos/1")
	app.Get("/todos/1")
	r := app.Get("/metrics")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("GET /metrics = %d: %v", r.Status, err)
	}
	var count float64
	for _, m := range fams["loom_http_requests_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["method"] == "GET" && labels["route"] == "/todos/{id}" && labels["status"] == "200" {
			count = m.GetCounter().GetValue()
		}
	}
	if count != 2 {
		t.Errorf("loom_http_requests_total{GET /todos/{id} 200} = %v, want 2:\n%s", count, r.Body)
	}
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	app.Get("/openapi.json").JSON(t, &doc)
	for _, p := range []string{"/", "/health", "/ready", "/metrics"} {
		if _, ok := doc.Paths[p]; ok {
			t.Errorf("the API document lists %s", p)
		}
	}
}

func todoServesTheHomePageTheDocumentAndTheExplorer(t *testing.T, s store) {
	app, _ := s.start(t)
	home := app.Get("/")
	if home.Status != 200 || !strings.HasPrefix(home.Header.Get("Content-Type"), "text/html") || !strings.Contains(home.Text(), `href="./explorer/"`) {
		t.Errorf("home %d %s", home.Status, home.Header.Get("Content-Type"))
	}
	if etag := home.Header.Get("ETag"); etag == "" || app.Get("/", "If-None-Match", etag).Status != http.StatusNotModified {
		t.Errorf("home: ETag %q does not answer 304", etag)
	}
	doc := decode[map[string]any](t, app.Get("/openapi.json"))
	if servers := doc["servers"].([]any); servers[0].(map[string]any)["url"] != app.URL() {
		t.Errorf("servers %v, want %s", servers, app.URL())
	}
	if r := app.Get("/explorer/"); r.Status != 200 || !strings.Contains(r.Text(), "<html") {
		t.Errorf("explorer %d", r.Status)
	}
	if r := app.Get("/todos/1"); r.Header.Get("X-Response-Time") == "" {
		t.Error("no X-Response-Time from the timing interceptor")
	}
}
