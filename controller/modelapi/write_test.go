package modelapi_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/loomhq/loom/rest/resttest"
)

func TestWriteEndpoints(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		t.Run("PUT / without an id creates", func(t *testing.T) {
			got := object(t, a.Put("/api/CoffeeShops", map[string]any{"name": "PutNew", "city": "Seattle"}), 200)
			if idOf(t, got) < 1 || got["city"] != "Seattle" {
				t.Errorf("got %v", got)
			}
		})
		t.Run("PUT / and POST /replaceOrCreate with an unknown id are 404", func(t *testing.T) {
			msg := fmt.Sprintf("Could not replace. Object with id %d does not exist!", bigID)
			lb3Error(t, a.Put("/api/CoffeeShops", map[string]any{"id": bigID, "name": "x"}), 404, "Error", msg, "")
			lb3Error(t, a.Post("/api/CoffeeShops/replaceOrCreate", map[string]any{"id": bigID, "name": "x"}), 404, "Error", msg, "")
		})
		t.Run("POST /replaceOrCreate with an id replaces, dropping unsent properties", func(t *testing.T) {
			shop := mkShop(t, a, map[string]any{"name": "Roc", "city": "Portland", "closingHour": 18})
			got := object(t, a.Post("/api/CoffeeShops/replaceOrCreate", map[string]any{"id": shop["id"], "name": "Roc2", "openingHour": 9}), 200)
			want := map[string]any{"id": shop["id"], "name": "Roc2", "openingHour": float64(9)}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if stored := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d", idOf(t, shop))), 200); !reflect.DeepEqual(stored, want) {
				t.Errorf("stored %v", stored)
			}
		})
		t.Run("PATCH / creates without an id, 404s an unknown one, merges a known one", func(t *testing.T) {
			got := object(t, a.Patch("/api/CoffeeShops", map[string]any{"name": "PatchNew"}), 200)
			lb3Error(t, a.Patch("/api/CoffeeShops", map[string]any{"id": bigID, "name": "x"}), 404, "Error",
				fmt.Sprintf("Could not update attributes. Object with id %d does not exist!", bigID), "")
			merged := object(t, a.Patch("/api/CoffeeShops", map[string]any{"id": got["id"], "city": "Seattle"}), 200)
			if merged["name"] != "PatchNew" || merged["city"] != "Seattle" {
				t.Errorf("merged %v", merged)
			}
		})
		t.Run("upsertWithWhere updates the single match", func(t *testing.T) {
			shop := mkShop(t, a, map[string]any{"name": "Uww", "city": "Portland"})
			got := object(t, a.Post("/api/CoffeeShops/upsertWithWhere?"+escape(`where={"name":"Uww"}`), map[string]any{"name": "Uww2", "openingHour": 9}), 200)
			want := map[string]any{"id": shop["id"], "name": "Uww2", "city": "Portland", "openingHour": float64(9)}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
		t.Run("upsertWithWhere without a where is a 400; an exploded where is one", func(t *testing.T) {
			lb3Error(t, a.Post("/api/CoffeeShops/upsertWithWhere", map[string]any{"name": "NoWhere"}), 400, "Error", "where is a required argument", "")
			shop := mkShop(t, a, map[string]any{"name": "Exploded"})
			got := object(t, a.Post("/api/CoffeeShops/upsertWithWhere?where[name]=Exploded", map[string]any{"city": "Seattle"}), 200)
			if got["id"] != shop["id"] || got["city"] != "Seattle" {
				t.Errorf("got %v", got)
			}
		})
		t.Run("upsertWithWhere with several matches is a 400", func(t *testing.T) {
			mkShop(t, a, map[string]any{"name": "Multi a"})
			mkShop(t, a, map[string]any{"name": "Multi b"})
			lb3Error(t, a.Post("/api/CoffeeShops/upsertWithWhere?"+escape(`where={"name":{"like":"Multi%"}}`), map[string]any{"city": "Seattle"}),
				400, "Error", "There are multiple instances found.Upsert Operation will not be performed!", "")
		})
		t.Run("replaceById: PUT /{id} and POST /{id}/replace", func(t *testing.T) {
			shop := mkShop(t, a, map[string]any{"name": "Repl", "city": "Seattle"})
			id := idOf(t, shop)
			got := object(t, a.Post(fmt.Sprintf("/api/CoffeeShops/%d/replace", id), map[string]any{"name": "Repl2"}), 200)
			if !reflect.DeepEqual(got, map[string]any{"id": shop["id"], "name": "Repl2"}) {
				t.Errorf("got %v", got)
			}
			lb3Error(t, a.Put(fmt.Sprintf("/api/CoffeeShops/%d", bigID), map[string]any{"name": "x"}), 404, "Error",
				fmt.Sprintf("Could not replace. Object with id %d does not exist!", bigID), "")
			lb3Error(t, a.Put(fmt.Sprintf("/api/CoffeeShops/%d", id), map[string]any{"id": id + 1000000, "name": "x"}), 400, "Error",
				fmt.Sprintf("id property (id) cannot be updated from %d to %d", id, id+1000000), "")
		})
		t.Run("patchAttributes merges; 404 and 400 as LoopBack 3", func(t *testing.T) {
			shop := mkShop(t, a, map[string]any{"name": "Pa", "city": "Seattle", "openingHour": 7})
			id := idOf(t, shop)
			got := object(t, a.Patch(fmt.Sprintf("/api/CoffeeShops/%d", id), map[string]any{"openingHour": 8, "closingHour": 16}), 200)
			want := map[string]any{"id": shop["id"], "name": "Pa", "city": "Seattle", "openingHour": float64(8), "closingHour": float64(16)}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			lb3Error(t, a.Patch(fmt.Sprintf("/api/CoffeeShops/%d", bigID), map[string]any{"openingHour": 8}), 404, "Error",
				fmt.Sprintf("could not find a model with id %d", bigID), "MODEL_NOT_FOUND")
			lb3Error(t, a.Patch(fmt.Sprintf("/api/CoffeeShops/%d", id), map[string]any{"id": id + 1000000}), 400, "Error",
				fmt.Sprintf("id cannot be updated from %d to %d when forceId is set to true", id, id+1000000), "")
		})
		t.Run("deleteById answers the count, 0 for an unknown id", func(t *testing.T) {
			shop := mkShop(t, a, map[string]any{"name": "Del"})
			if got := object(t, a.Delete(fmt.Sprintf("/api/CoffeeShops/%d", idOf(t, shop))), 200); got["count"] != float64(1) {
				t.Errorf("got %v", got)
			}
			if got := object(t, a.Delete(fmt.Sprintf("/api/CoffeeShops/%d", bigID)), 200); got["count"] != float64(0) {
				t.Errorf("unknown: got %v", got)
			}
		})
		t.Run("POST /update changes the where's matches and answers the count", func(t *testing.T) {
			mkShop(t, a, map[string]any{"name": "Upd a", "city": "Vancouver"})
			mkShop(t, a, map[string]any{"name": "Upd b", "city": "Vancouver"})
			got := object(t, a.Post("/api/CoffeeShops/update?"+escape(`where={"city":"Vancouver"}`), map[string]any{"openingHour": "6"}), 200)
			if got["count"] != float64(2) {
				t.Errorf("got %v", got)
			}
			if c := object(t, a.Get("/api/CoffeeShops/count?where[openingHour]=6"), 200); c["count"] != float64(2) {
				t.Errorf("count %v", c)
			}
		})
	})
}
