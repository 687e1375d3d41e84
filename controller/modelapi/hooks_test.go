package modelapi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
)

// hookOptions are the reference app's hooks: X-Hook on CoffeeShop's
// instance methods, X-Result-Count on every model's find.
func hookOptions() rest.Option {
	return rest.WithInterceptors(
		interceptor.After("CoffeeShop.prototype.*", func(ic *interceptor.InvocationContext, result any) (any, error) {
			ic.Request.Response.Header().Set("X-Hook", "after")
			return result, nil
		}),
		interceptor.After("*.find", func(ic *interceptor.InvocationContext, result any) (any, error) {
			n := reflect.ValueOf(result)
			if n.Kind() == reflect.Slice {
				ic.Request.Response.Header().Set("X-Result-Count", strconv.Itoa(n.Len()))
			}
			return result, nil
		}),
	)
}

func TestHooksMatchLoopBack3Names(t *testing.T) {
	a := stores[0].start(t, hookOptions())
	shop := mkShop(t, a, map[string]any{"name": "Hooked"})
	id := idOf(t, shop)
	tag := object(t, a.Post("/api/Tags", map[string]any{"name": "wifi"}), 200)

	t.Run("instance methods run CoffeeShop.prototype.* hooks", func(t *testing.T) {
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{"PATCH", fmt.Sprintf("/api/CoffeeShops/%d", id), map[string]any{"city": "Seattle"}},
			{"GET", fmt.Sprintf("/api/CoffeeShops/%d/reviews", id), nil},
			{"PUT", fmt.Sprintf("/api/CoffeeShops/%d/tags/rel/%d", id, idOf(t, tag)), nil},
			{"DELETE", fmt.Sprintf("/api/CoffeeShops/%d/tags/rel/%d", id, idOf(t, tag)), nil},
		} {
			res := a.Do(r.method, r.path, r.body)
			if res.Status >= 300 && res.Status != 204 || res.Header.Get("X-Hook") != "after" {
				t.Errorf("%s %s: %d, X-Hook %q", r.method, r.path, res.Status, res.Header.Get("X-Hook"))
			}
		}
	})
	t.Run("static methods and errors do not", func(t *testing.T) {
		for _, path := range []string{"/api/CoffeeShops", fmt.Sprintf("/api/CoffeeShops/%d", id), "/api/CoffeeShops/count"} {
			if h := a.Get(path).Header.Get("X-Hook"); h != "" {
				t.Errorf("GET %s: X-Hook %q", path, h)
			}
		}
		if h := a.Patch(fmt.Sprintf("/api/CoffeeShops/%d", bigID), map[string]any{}).Header.Get("X-Hook"); h != "" {
			t.Errorf("error: X-Hook %q", h)
		}
	})
	t.Run("*.find runs on every model's find, and only there", func(t *testing.T) {
		if n := a.Get("/api/Tags").Header.Get("X-Result-Count"); n != "1" {
			t.Errorf("Tags: X-Result-Count %q", n)
		}
		if n := a.Get("/api/CoffeeShops").Header.Get("X-Result-Count"); n != "1" {
			t.Errorf("CoffeeShops: X-Result-Count %q", n)
		}
		if n := a.Get("/api/CoffeeShops/findOne").Header.Get("X-Result-Count"); n != "" {
			t.Errorf("findOne: X-Result-Count %q", n)
		}
	})
}

func TestHookPatternsMatchEveryRoute(t *testing.T) {
	var mu sync.Mutex
	var before, after []string
	a := stores[0].start(t, rest.WithInterceptors(
		interceptor.Before("**", func(ic *interceptor.InvocationContext) error {
			mu.Lock()
			defer mu.Unlock()
			before = append(before, ic.Target+"."+ic.Method)
			return nil
		}),
		interceptor.After("Review.*", func(ic *interceptor.InvocationContext, result any) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			after = append(after, ic.Target+"."+ic.Method)
			return result, nil
		}),
	))
	shop := mkShop(t, a, map[string]any{"name": "Patterns"})
	object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/reviews/count", idOf(t, shop))), 200)
	list(t, a.Get("/api/Reviews"))
	mu.Lock()
	defer mu.Unlock()
	want := []string{"CoffeeShop.create", "CoffeeShop.prototype.__count__reviews", "Review.find"}
	if !reflect.DeepEqual(before, want) {
		t.Errorf("** saw %v, want %v", before, want)
	}
	if !reflect.DeepEqual(after, []string{"Review.find"}) {
		t.Errorf("Review.* saw %v", after)
	}
}

func TestOperationIDs(t *testing.T) {
	a := stores[0].start(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	r := a.Get("/openapi.json")
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("%d %v: %.300s", r.Status, err, r.Body)
	}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for verb, op := range ops {
			where := verb + " " + path
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operation id %q on %s and %s", op.OperationID, prev, where)
			}
			ids[op.OperationID] = where
		}
	}
	for id, where := range map[string]string{
		"CoffeeShop.find":                                                  "get /api/CoffeeShops",
		"CoffeeShop.prototype.patchAttributes":                             "patch /api/CoffeeShops/{id}",
		"CoffeeShop.prototype.__get__reviews":                              "get /api/CoffeeShops/{id}/reviews",
		"CoffeeShop.prototype.__link__tags":                                "put /api/CoffeeShops/{id}/tags/rel/{fk}",
		"Review.prototype.__get__coffeeShop":                               "get /api/Reviews/{id}/coffeeShop",
		"CoffeeShop.replaceOrCreate":                                       "put /api/CoffeeShops",
		"CoffeeShop.replaceOrCreate__post_api_CoffeeShops_replaceOrCreate": "post /api/CoffeeShops/replaceOrCreate",
	} {
		if ids[id] != where {
			t.Errorf("operation %s is on %q, want %q", id, ids[id], where)
		}
	}
	if _, ok := doc.Paths["/api/CoffeeShopTags"]; ok {
		t.Error("the join model has endpoints")
	}
}

// TestWriteDocuments writes the coffee-shop API's document into the
// directory named by LOOM_OPENAPI_OUT, for independent tools (.ci/run
// validates such documents with @apidevtools/swagger-parser and lints them
// with @redocly/cli's recommended rules):
//
//	LOOM_OPENAPI_OUT=/tmp/docs go test ./controller/modelapi -run TestWriteDocuments
func TestWriteDocuments(t *testing.T) {
	dir := os.Getenv("LOOM_OPENAPI_OUT")
	if dir == "" {
		t.Skip("LOOM_OPENAPI_OUT is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	a := stores[0].start(t)
	r := a.Get("/openapi.json")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if err := os.WriteFile(filepath.Join(dir, "coffee-shop.json"), r.Body, 0o644); err != nil {
		t.Fatal(err)
	}
}
