package modelapi_test

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to make and drop test schemas

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	loomsql "github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// The coffee-shop models, as LoopBack 3's reference application declares
// them. Kept together so that new properties (a GeoPoint location) and
// validations are added in one place.
type CoffeeShop struct {
	ID          int                                    `json:"id,omitempty" loom:"id,generated"`
	Name        string                                 `json:"name" validate:"required"`
	City        *string                                `json:"city,omitempty"`
	OpeningHour *float64                               `json:"openingHour,omitempty"`
	ClosingHour *float64                               `json:"closingHour,omitempty"`
	Reviews     []Review                               `json:"reviews,omitempty" loom:"hasMany"`
	Tags        repository.Through[Tag, CoffeeShopTag] `json:"tags,omitempty" loom:"hasAndBelongsToMany"`
}

type Review struct {
	ID           int         `json:"id,omitempty" loom:"id,generated"`
	Date         *time.Time  `json:"date,omitempty"`
	Rating       *float64    `json:"rating,omitempty"`
	Comments     string      `json:"comments" validate:"required"`
	CoffeeShopID *int        `json:"coffeeShopId,omitempty"`
	CoffeeShop   *CoffeeShop `json:"coffeeShop,omitempty" loom:"belongsTo"`
}

type Tag struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

// CoffeeShopTag is the join model of CoffeeShop.tags; it has no endpoints.
type CoffeeShopTag struct {
	ID           int `json:"id,omitempty" loom:"id,generated"`
	CoffeeShopID int `json:"coffeeShopId"`
	TagID        int `json:"tagId"`
}

// coffeeShopAPI exposes the three models, one line each.
func coffeeShopAPI() []rest.Option {
	return []rest.Option{
		rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops")),
		rest.WithModelAPI[Review, int](modelapi.Path("/api/Reviews")),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags")),
	}
}

// store is one of the stores the API is tested on.
type store struct {
	name string
	// url is the store's URL for the SQL connectors; "" is the memory one.
	url func(t testing.TB) string
}

var stores = []store{
	{name: "memory", url: func(testing.TB) string { return "" }},
	{name: "sqlite", url: func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "coffee.db") }},
	{name: "postgres", url: postgresURL},
}

// start starts the coffee-shop API on the store, with opts after it.
func (s store) start(t *testing.T, opts ...rest.Option) *resttest.App {
	t.Helper()
	url := s.url(t)
	var ds rest.Option
	if url == "" {
		ds = rest.WithDataSource("db", func() repository.Connector { return memory.New(memory.Options{}) })
	} else {
		migrate(t, url)
		ds = rest.WithDataSource("db", func() (repository.Connector, error) { return loomsql.Open(url, loomsql.Options{}) })
	}
	return resttest.Start(t, append(append([]rest.Option{ds}, coffeeShopAPI()...), opts...)...)
}

// migrate creates the tables of the models (and of the join model).
func migrate(t *testing.T, url string) {
	t.Helper()
	c, err := loomsql.Open(url, loomsql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := lifecycle.Starter(c).Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer lifecycle.Stopper(c).Stop(ctx)
	var models []*repository.Model
	for _, m := range []func() (*repository.Model, error){repository.ModelOf[CoffeeShop], repository.ModelOf[Review], repository.ModelOf[Tag]} {
		mm, err := m()
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, mm)
	}
	if err := c.Migrate(ctx, models...); err != nil {
		t.Fatal(err)
	}
}

// postgresURL is a URL on the server of LOOM_TEST_POSTGRES_URL, in a
// schema of the test's own, dropped when the test ends.
func postgresURL(t testing.TB) string {
	t.Helper()
	return sqltest.PostgresURL(t, "modelapitest")
}

// forEachStore runs test on every store, each with an app of its own.
func forEachStore(t *testing.T, test func(t *testing.T, a *resttest.App)) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { test(t, s.start(t)) })
	}
}

// object decodes a JSON object answer with status want.
func object(t *testing.T, r *resttest.Response, want int) map[string]any {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// list decodes a JSON array answer with status 200.
func list(t *testing.T, r *resttest.Response) []map[string]any {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("status %d, want 200: %s", r.Status, r.Body)
	}
	var l []map[string]any
	if err := json.Unmarshal(r.Body, &l); err != nil {
		t.Fatalf("not a JSON array: %v: %s", err, r.Body)
	}
	return l
}

// lb3Error checks LoopBack 3's production envelope: exactly statusCode,
// name, message and code (when want has one), plus details when asked.
func lb3Error(t *testing.T, r *resttest.Response, status int, name, message, code string) map[string]any {
	t.Helper()
	body := object(t, r, status)
	e, ok := body["error"].(map[string]any)
	if !ok || len(body) != 1 {
		t.Fatalf("not an error envelope: %s", r.Body)
	}
	if e["statusCode"] != float64(status) || e["name"] != name {
		t.Errorf("statusCode/name = %v/%v, want %d/%s: %s", e["statusCode"], e["name"], status, name, r.Body)
	}
	if message != "" && e["message"] != message {
		t.Errorf("message = %q, want %q", e["message"], message)
	}
	if got, _ := e["code"].(string); got != code {
		t.Errorf("code = %q, want %q: %s", got, code, r.Body)
	}
	for k := range e {
		switch k {
		case "statusCode", "name", "message", "code", "details":
		default:
			t.Errorf("unexpected key %q in %s", k, r.Body)
		}
	}
	return e
}

// escape percent-encodes the values of a query string written plainly:
// filter={"where":{"name":"a b"}}.
func escape(query string) string {
	var parts []string
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		parts = append(parts, k+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

// mkShop creates a shop and answers it.
func mkShop(t *testing.T, a *resttest.App, body map[string]any) map[string]any {
	t.Helper()
	return object(t, a.Post("/api/CoffeeShops", body), 200)
}

// idOf is an answer's id as an int.
func idOf(t *testing.T, m map[string]any) int {
	t.Helper()
	id, ok := m["id"].(float64)
	if !ok {
		t.Fatalf("no numeric id in %v", m)
	}
	return int(id)
}

// startApp starts an app on the memory store with opts.
func startApp(t *testing.T, opts ...rest.Option) *resttest.App {
	t.Helper()
	return startAppOn(t, memory.New(memory.Options{}), opts...)
}

// startAppOn starts an app whose db data source is conn, with opts.
func startAppOn(t *testing.T, conn repository.Connector, opts ...rest.Option) *resttest.App {
	t.Helper()
	return resttest.Start(t, append([]rest.Option{
		rest.WithDataSource("db", func() repository.Connector { return conn }),
	}, opts...)...)
}
