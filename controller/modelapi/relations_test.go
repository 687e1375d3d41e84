package modelapi_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

func TestHasMany(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		shop := mkShop(t, a, map[string]any{"name": "Reviewed"})
		other := mkShop(t, a, map[string]any{"name": "Other"})
		id := idOf(t, shop)
		base := fmt.Sprintf("/api/CoffeeShops/%d/reviews", id)
		var revs []map[string]any
		t.Run("create takes the shop id from the path", func(t *testing.T) {
			for i, c := range []string{"good", "bad", "fine"} {
				got := object(t, a.Post(base, map[string]any{"comments": c, "rating": i + 1, "coffeeShopId": other["id"]}), 200)
				if got["coffeeShopId"] != shop["id"] || idOf(t, got) < 1 {
					t.Fatalf("got %v", got)
				}
				revs = append(revs, got)
			}
			object(t, a.Post(fmt.Sprintf("/api/CoffeeShops/%d/reviews", idOf(t, other)), map[string]any{"comments": "elsewhere"}), 200)
		})
		t.Run("find lists the shop's reviews only", func(t *testing.T) {
			if got := list(t, a.Get(base)); !reflect.DeepEqual(got, revs) {
				t.Errorf("got %v, want %v", got, revs)
			}
			got := list(t, a.Get(base+"?"+escape(`filter={"where":{"rating":{"gt":1}}}`)))
			if len(got) != 2 {
				t.Errorf("filtered: %v", got)
			}
		})
		t.Run("count, findById", func(t *testing.T) {
			if c := object(t, a.Get(base+"/count"), 200); c["count"] != float64(3) {
				t.Errorf("count %v", c)
			}
			if got := object(t, a.Get(fmt.Sprintf("%s/%d", base, idOf(t, revs[1]))), 200); !reflect.DeepEqual(got, revs[1]) {
				t.Errorf("findById %v", got)
			}
			lb3Error(t, a.Get(fmt.Sprintf("%s/%d", base, bigID)), 404, "Error", fmt.Sprintf("No instance with id %d found for Review", bigID), "")
		})
		t.Run("an unknown shop is the instance-method 404", func(t *testing.T) {
			msg := fmt.Sprintf("could not find a model with id %d", bigID)
			for _, r := range []*resttest.Response{
				a.Get(fmt.Sprintf("/api/CoffeeShops/%d/reviews", bigID)),
				a.Get(fmt.Sprintf("/api/CoffeeShops/%d/reviews/count", bigID)),
				a.Post(fmt.Sprintf("/api/CoffeeShops/%d/reviews", bigID), map[string]any{"comments": "x"}),
			} {
				lb3Error(t, r, 404, "Error", msg, "MODEL_NOT_FOUND")
			}
		})
		t.Run("updateById patches, destroyById and delete answer 204", func(t *testing.T) {
			got := object(t, a.Put(fmt.Sprintf("%s/%d", base, idOf(t, revs[0])), map[string]any{"rating": 5}), 200)
			if got["rating"] != float64(5) || got["comments"] != "good" {
				t.Errorf("updated %v", got)
			}
			if r := a.Delete(fmt.Sprintf("%s/%d", base, idOf(t, revs[0]))); r.Status != 204 {
				t.Errorf("destroyById %d %s", r.Status, r.Body)
			}
			if r := a.Delete(base); r.Status != 204 {
				t.Errorf("delete %d %s", r.Status, r.Body)
			}
			if c := object(t, a.Get(base+"/count"), 200); c["count"] != float64(0) {
				t.Errorf("count after delete %v", c)
			}
			if c := object(t, a.Get("/api/Reviews/count"), 200); c["count"] != float64(1) {
				t.Errorf("the other shop's review is gone too: %v", c)
			}
		})
	})
}

func TestBelongsTo(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		shop := mkShop(t, a, map[string]any{"name": "Owner"})
		rev := object(t, a.Post(fmt.Sprintf("/api/CoffeeShops/%d/reviews", idOf(t, shop)), map[string]any{"comments": "ok"}), 200)
		if got := object(t, a.Get(fmt.Sprintf("/api/Reviews/%d/coffeeShop", idOf(t, rev))), 200); !reflect.DeepEqual(got, shop) {
			t.Errorf("got %v, want %v", got, shop)
		}
		lb3Error(t, a.Get(fmt.Sprintf("/api/Reviews/%d/coffeeShop", bigID)), 404, "Error",
			fmt.Sprintf("could not find a model with id %d", bigID), "MODEL_NOT_FOUND")
	})
}

func TestHasAndBelongsToMany(t *testing.T) {
	forEachStore(t, func(t *testing.T, a *resttest.App) {
		shop := mkShop(t, a, map[string]any{"name": "Tagged"})
		id := idOf(t, shop)
		wifi := object(t, a.Post("/api/Tags", map[string]any{"name": "wifi"}), 200)
		espresso := object(t, a.Post("/api/Tags", map[string]any{"name": "espresso"}), 200)
		rel := func(tag map[string]any) string {
			return fmt.Sprintf("/api/CoffeeShops/%d/tags/rel/%d", id, idOf(t, tag))
		}
		t.Run("link answers the join record, and again the same one", func(t *testing.T) {
			first := object(t, a.Put(rel(wifi), nil), 200)
			if first["coffeeShopId"] != shop["id"] || first["tagId"] != wifi["id"] || idOf(t, first) < 1 {
				t.Errorf("link %v", first)
			}
			if second := object(t, a.Put(rel(wifi), nil), 200); !reflect.DeepEqual(second, first) {
				t.Errorf("second link %v, first %v", second, first)
			}
			if got := list(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags", id))); !reflect.DeepEqual(got, []map[string]any{wifi}) {
				t.Errorf("tags %v", got)
			}
		})
		t.Run("HEAD rel is 200 when linked, 404 when not", func(t *testing.T) {
			if r := a.Do("HEAD", rel(wifi), nil); r.Status != 200 || len(r.Body) != 0 {
				t.Errorf("linked: %d %q", r.Status, r.Body)
			}
			if r := a.Do("HEAD", rel(espresso), nil); r.Status != 404 || len(r.Body) != 0 {
				t.Errorf("unlinked: %d %q", r.Status, r.Body)
			}
		})
		t.Run("findById of a linked tag, 404 for an unlinked one", func(t *testing.T) {
			if got := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags/%d", id, idOf(t, wifi))), 200); !reflect.DeepEqual(got, wifi) {
				t.Errorf("got %v", got)
			}
			lb3Error(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags/%d", id, idOf(t, espresso))), 404, "Error",
				fmt.Sprintf("No relation found in CoffeeShopTag for (CoffeeShop.%d,Tag.%d)", id, idOf(t, espresso)), "")
		})
		t.Run("create through the relation creates and links", func(t *testing.T) {
			got := object(t, a.Post(fmt.Sprintf("/api/CoffeeShops/%d/tags", id), map[string]any{"name": "outdoor"}), 200)
			if got["name"] != "outdoor" || len(got) != 2 {
				t.Errorf("got %v", got)
			}
			if c := object(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags/count", id)), 200); c["count"] != float64(2) {
				t.Errorf("count %v", c)
			}
			if r := a.Delete(fmt.Sprintf("/api/CoffeeShops/%d/tags/%d", id, idOf(t, got))); r.Status != 204 {
				t.Errorf("destroyById %d %s", r.Status, r.Body)
			}
			lb3Error(t, a.Get(fmt.Sprintf("/api/Tags/%d", idOf(t, got))), 404, "Error", "", "MODEL_NOT_FOUND")
		})
		t.Run("unlink answers 204 and keeps the tag", func(t *testing.T) {
			if r := a.Delete(rel(wifi)); r.Status != 204 || len(r.Body) != 0 {
				t.Errorf("unlink %d %q", r.Status, r.Body)
			}
			if got := list(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags", id))); len(got) != 0 {
				t.Errorf("tags after unlink %v", got)
			}
			object(t, a.Get(fmt.Sprintf("/api/Tags/%d", idOf(t, wifi))), 200)
		})
	})
}

// Box has many Items through BoxItem; an item's filters take at most two
// values in an inq.
type Box struct {
	ID    int                               `json:"id,omitempty" loom:"id,generated"`
	Items repository.Through[Item, BoxItem] `json:"items,omitempty" loom:"hasAndBelongsToMany"`
}

type Item struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
}

func (Item) FilterLimits() repository.Limits { return repository.Limits{MaxInq: 2} }

type BoxItem struct {
	ID     int `json:"id,omitempty" loom:"id,generated"`
	BoxID  int `json:"boxId"`
	ItemID int `json:"itemId"`
}

func TestThroughLinksAreCapped(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Box, int](), rest.WithModelAPI[Item, int]())
	box := object(t, a.Post("/Boxes", map[string]any{}), 200)
	for i := 0; i < 3; i++ {
		item := object(t, a.Post("/Items", map[string]any{}), 200)
		object(t, a.Put(fmt.Sprintf("/Boxes/%d/items/rel/%d", idOf(t, box), idOf(t, item)), nil), 200)
		if i == 1 {
			if got := list(t, a.Get(fmt.Sprintf("/Boxes/%d/items", idOf(t, box)))); len(got) != 2 {
				t.Fatalf("at the cap: %v", got)
			}
		}
	}
	lb3Error(t, a.Get(fmt.Sprintf("/Boxes/%d/items", idOf(t, box))), 400, "Error",
		fmt.Sprintf("Box %d has more than 2 items; the relation's methods read at most 2 (the target's MaxInq)", idOf(t, box)), "")
}

// Stall has one Sign, which belongs to it.
type Stall struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name"`
	Sign *Sign  `json:"sign,omitempty" loom:"hasOne"`
}

type Sign struct {
	ID      int    `json:"id,omitempty" loom:"id,generated"`
	Text    string `json:"text" validate:"required"`
	StallID int    `json:"stallId,omitempty"`
}

func TestHasOne(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Stall, int](), rest.WithModelAPI[Sign, int](modelapi.Private()))
	stall := object(t, a.Post("/Stalls", map[string]any{"name": "corner"}), 200)
	at := fmt.Sprintf("/Stalls/%d/sign", idOf(t, stall))
	lb3Error(t, a.Get(at), 404, "Error", fmt.Sprintf("Stall %d has no sign", idOf(t, stall)), "")
	sign := object(t, a.Post(at, map[string]any{"text": "Open", "stallId": 999}), 200)
	if sign["stallId"] != stall["id"] || sign["text"] != "Open" {
		t.Errorf("created %v", sign)
	}
	lb3Error(t, a.Post(at, map[string]any{"text": "Again"}), 409, "Error", "HasOne relation cannot create more than one instance of Sign", "")
	if got := object(t, a.Get(at), 200); !reflect.DeepEqual(got, sign) {
		t.Errorf("get %v, want %v", got, sign)
	}
	for _, verb := range []string{"PUT", "PATCH"} {
		got := object(t, a.Do(verb, at, map[string]any{"text": verb}), 200)
		if got["text"] != verb || got["stallId"] != stall["id"] {
			t.Errorf("%s: %v", verb, got)
		}
	}
	if r := a.Delete(at); r.Status != 204 {
		t.Errorf("delete %d %s", r.Status, r.Body)
	}
	lb3Error(t, a.Get(at), 404, "Error", "", "")
	if r := a.Get("/Signs"); r.Status == 200 {
		t.Errorf("a private model answered %s", r.Body)
	}
}
