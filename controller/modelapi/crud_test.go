package modelapi_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

const bigID = 999999

func TestCreate(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		t.Run("answers 200 with only the sent properties and the id", func(t *testing.T) {
			got := mkShop(t, a, map[string]any{"name": "Bel Cafe"})
			if idOf(t, got) < 1 || len(got) != 2 || got["name"] != "Bel Cafe" {
				t.Errorf("got %v", got)
			}
		})
		t.Run("an array creates each element, in order", func(t *testing.T) {
			r := a.Post("/api/CoffeeShops", []map[string]any{{"name": "A1"}, {"name": "A2", "city": "Portland"}})
			l := list(t, r)
			if len(l) != 2 || l[0]["name"] != "A1" || l[1]["city"] != "Portland" || l[0]["id"] == l[1]["id"] {
				t.Errorf("got %s", r.Body)
			}
		})
		t.Run("an empty array answers []", func(t *testing.T) {
			r := a.Post("/api/CoffeeShops", []any{})
			if r.Status != 200 || string(r.Body) != "[]" {
				t.Errorf("%d %s", r.Status, r.Body)
			}
		})
		t.Run("a numeric string for a number is the number", func(t *testing.T) {
			got := mkShop(t, a, map[string]any{"name": "Coerced", "openingHour": "8"})
			if got["openingHour"] != float64(8) {
				t.Errorf("openingHour = %#v", got["openingHour"])
			}
		})
		t.Run("malformed JSON is a 400 SyntaxError", func(t *testing.T) {
			lb3Error(t, a.Post("/api/CoffeeShops", "{bad"), 400, "SyntaxError", "", "")
		})
		t.Run("a JSON number body is 400 Value is not an object.", func(t *testing.T) {
			lb3Error(t, a.Post("/api/CoffeeShops", "12"), 400, "Error", "Value is not an object.", "")
		})
		t.Run("an id is a 422 absence (forceId)", func(t *testing.T) {
			e := lb3Error(t, a.Post("/api/CoffeeShops", map[string]any{"id": 77, "name": "WithID"}), 422, "ValidationError", "", "")
			want := map[string]any{"context": "CoffeeShop", "codes": map[string]any{"id": []any{"absence"}},
				"messages": map[string]any{"id": []any{"can't be set"}}}
			if !reflect.DeepEqual(e["details"], want) {
				t.Errorf("details = %v", e["details"])
			}
		})
		t.Run("a missing required property is a 422 presence", func(t *testing.T) {
			e := lb3Error(t, a.Post("/api/Tags", map[string]any{}), 422, "ValidationError", "", "")
			if d, _ := e["details"].(map[string]any); d == nil || !reflect.DeepEqual(d["codes"], map[string]any{"name": []any{"presence"}}) {
				t.Errorf("details = %v", e["details"])
			}
		})
	})
}

func TestReadEndpoints(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		shop := mkShop(t, a, map[string]any{"name": "Read Cafe", "city": "Portland", "openingHour": 7})
		id := idOf(t, shop)
		t.Run("findById answers the instance", func(t *testing.T) {
			if got := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d", id)), 200); !reflect.DeepEqual(got, shop) {
				t.Errorf("got %v, want %v", got, shop)
			}
		})
		t.Run("findById of an unknown id is LoopBack 3's 404", func(t *testing.T) {
			lb3Error(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d", bigID)), 404, "Error",
				fmt.Sprintf(`Unknown "CoffeeShop" id "%d".`, bigID), "MODEL_NOT_FOUND")
		})
		t.Run("HEAD is 200 or 404 without a body", func(t *testing.T) {
			if r := a.Do("HEAD", fmt.Sprintf("/api/CoffeeShops/%d", id), nil); r.Status != 200 || len(r.Body) != 0 {
				t.Errorf("existing: %d %q", r.Status, r.Body)
			}
			if r := a.Do("HEAD", fmt.Sprintf("/api/CoffeeShops/%d", bigID), nil); r.Status != 404 || len(r.Body) != 0 {
				t.Errorf("missing: %d %q", r.Status, r.Body)
			}
		})
		t.Run("exists answers true or false", func(t *testing.T) {
			if got := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/exists", id)), 200); got["exists"] != true {
				t.Errorf("existing: %v", got)
			}
			if got := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/exists", bigID)), 200); got["exists"] != false {
				t.Errorf("missing: %v", got)
			}
		})
		t.Run("find filters, orders, limits and selects fields", func(t *testing.T) {
			mkShop(t, a, map[string]any{"name": "Read Bar", "city": "Portland", "openingHour": 9})
			l := list(t, a.Get("/api/CoffeeShops?"+escape(`filter={"where":{"city":"Portland"},"order":"openingHour DESC","fields":["name"]}`)))
			if len(l) != 2 || l[0]["name"] != "Read Bar" || len(l[0]) != 1 {
				t.Errorf("got %v", l)
			}
			l = list(t, a.Get(`/api/CoffeeShops?filter[where][openingHour]=7&filter[limit]=1`))
			if len(l) != 1 || l[0]["name"] != "Read Cafe" {
				t.Errorf("exploded: got %v", l)
			}
		})
		t.Run("findOne answers the first match, or 404", func(t *testing.T) {
			got := object(t, a.Get("/api/CoffeeShops/findOne?"+escape(`filter={"where":{"name":"Read Cafe"}}`)), 200)
			if got["name"] != "Read Cafe" {
				t.Errorf("got %v", got)
			}
			lb3Error(t, a.Get("/api/CoffeeShops/findOne?"+escape(`filter={"where":{"name":"nobody"}}`)), 404, "Error", "", "MODEL_NOT_FOUND")
		})
		t.Run("count counts the where's matches", func(t *testing.T) {
			if got := object(t, a.Get("/api/CoffeeShops/count?"+escape(`where={"city":"Portland"}`)), 200); got["count"] != float64(2) {
				t.Errorf("got %v", got)
			}
			if got := object(t, a.Get(`/api/CoffeeShops/count?where[openingHour]=9`), 200); got["count"] != float64(1) {
				t.Errorf("exploded: got %v", got)
			}
		})
	})
}

func TestFilterErrors(t *testing.T) {
	a := stores[0].start(t)
	for _, c := range []struct{ query, message string }{
		{"filter=%7Bbad", "Value is not an object."},
		{"filter=123", "Value is not an object."},
		{"filter=%5B1%5D", "Value is not an object."},
		{`filter={"order":"name%20SIDEWAYS"}`, `The order "name SIDEWAYS" has invalid direction`},
		{"filter[limit]=-1", `The limit parameter "-1" is not valid`},
		{"filter[skip]=-1", `The offset/skip parameter "-1" is not valid`},
		{"filter[skip]=abc", `The offset/skip parameter "abc" is not valid`},
		{`filter={"where":{"openingHour":{"between":[7]}}}`, `The openingHour property has invalid clause {"between":[7]}: Expected precisely 2 values, received 1`},
	} {
		t.Run(c.query, func(t *testing.T) {
			lb3Error(t, a.Get("/api/CoffeeShops?"+escape(c.query)), 400, "Error", c.message, "")
		})
	}
	t.Run("a malformed where of count", func(t *testing.T) {
		lb3Error(t, a.Get("/api/CoffeeShops/count?where=%7Bbad"), 400, "Error", "Value is not an object.", "")
	})
	t.Run("a malformed filter of findById", func(t *testing.T) {
		lb3Error(t, a.Get("/api/CoffeeShops/1?filter=%7Bbad"), 400, "Error", "Value is not an object.", "")
	})
}

func TestUnknownPropertiesRefused(t *testing.T) {
	a := stores[0].start(t)
	e := lb3Error(t, a.Post("/api/Tags", map[string]any{"name": "x", "colour": "red"}), 422, "ValidationError", "", "")
	if !strings.Contains(e["message"].(string), "`colour` is not defined in the model") {
		t.Errorf("message %q", e["message"])
	}
	if c := object(t, a.Get("/api/Tags/count"), 200); c["count"] != float64(0) {
		t.Errorf("stored: %v", c)
	}
}

// brokenStore is a store whose reads fail, as a database that went away.
type brokenStore struct{ *memory.Connector }

func (brokenStore) Find(context.Context, *repository.Model, repository.Query) ([]repository.Data, error) {
	return nil, errors.New("connection refused")
}

func TestInternalErrorsSayNothing(t *testing.T) {
	a := startAppOn(t, brokenStore{memory.New(memory.Options{})}, rest.WithModelAPI[Tag, int]())
	r := a.Get("/Tags")
	if r.Status != 500 || string(r.Body) != `{"error":{"statusCode":500,"message":"Internal Server Error"}}` {
		t.Errorf("%d %s", r.Status, r.Body)
	}
}

// Memo keeps the properties it does not declare (LoopBack 3's strict:
// false).
type Memo struct {
	ID    int             `json:"id,omitempty" loom:"id,generated"`
	Text  string          `json:"text"`
	Extra repository.Data `json:"-" loom:"extra"`
}

func (Memo) ModelStrict() bool { return false }

func TestUnknownPropertiesKeptByANonStrictModel(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Memo, int]())
	got := object(t, a.Post("/Memos", map[string]any{"text": "hi", "mood": "good"}), 200)
	if got["mood"] != "good" {
		t.Errorf("created %v", got)
	}
	stored := object(t, a.Get(fmt.Sprintf("/Memos/%d", idOf(t, got))), 200)
	if stored["mood"] != "good" || stored["text"] != "hi" {
		t.Errorf("stored %v", stored)
	}
	patched := object(t, a.Patch(fmt.Sprintf("/Memos/%d", idOf(t, got)), map[string]any{"mood": "better"}), 200)
	if patched["mood"] != "better" {
		t.Errorf("patched %v", patched)
	}
}

func TestANonStrictModelMatchesNamesExactly(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Memo, int]())
	got := object(t, a.Post("/Memos", map[string]any{"TEXT": "shout"}), 200)
	if got["text"] == "shout" || got["TEXT"] != "shout" {
		t.Errorf("created %v: TEXT is another property than text", got)
	}
}

// Locker has a property clients never see nor set.
type Locker struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Label  string `json:"label"`
	Secret string `json:"-" loom:"hidden"`
	Size   *int   `json:"size,omitempty"`
}

func TestAHiddenPropertyIsNotTheClientsToSet(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Locker, int]())
	got := object(t, a.Post("/Lockers", map[string]any{"label": "a", "secret": "sent"}), 200)
	if _, ok := got["secret"]; ok {
		t.Fatalf("created %v: a hidden property answered", got)
	}
}

func TestAValueOfTheWrongTypeNamesTheJSONType(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Locker, int]())
	r := a.Post("/Lockers", map[string]any{"label": "a", "size": []int{1}})
	e := lb3Error(t, r, 422, "ValidationError", "", "")
	if msgs, _ := e["details"].(map[string]any)["messages"].(map[string]any); fmt.Sprint(msgs["size"]) != "[is not a valid integer]" {
		t.Errorf("details %v", e["details"])
	}
}
