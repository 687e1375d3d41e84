package modelapi_test

import (
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/rest"
)

func TestPlural(t *testing.T) {
	for name, want := range map[string]string{
		"CoffeeShop": "CoffeeShops", "Category": "Categories", "Day": "Days", "Box": "Boxes",
		"Address": "Addresses", "Match": "Matches", "Wish": "Wishes", "Tag": "Tags",
	} {
		if got := modelapi.Plural(name); got != want {
			t.Errorf("Plural(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestDefaultPaths(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Tag, int](), rest.WithModelAPI[Memo, int](modelapi.Conventions(modelapi.LoopBack4)))
	list(t, a.Get("/Tags"))
	list(t, a.Get("/memos"))
}
