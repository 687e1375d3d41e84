package main

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
)

// SeedParams asks for what seeding writes through.
type SeedParams struct {
	fx.In
	DB    repository.Connector `name:"datasources.db"`
	Shops *Shops
}

// NewSeed is the observer that seeds an empty store with LoopBack 3's
// seed data (server/boot/seed.js): three tags and five coffee shops, with
// their links. On a database that was never migrated it refuses to start,
// saying to migrate.
func NewSeed(p SeedParams) (lifecycle.Hooks, error) {
	tags, err := repository.NewCrudRepository[Tag, int](p.DB)
	if err != nil {
		return lifecycle.Hooks{}, err
	}
	links, err := repository.NewCrudRepository[CoffeeShopTag, int](p.DB)
	if err != nil {
		return lifecycle.Hooks{}, err
	}
	return lifecycle.Hooks{Name: "seed", OnStart: func(ctx context.Context) error {
		n, err := tags.Count(ctx, nil)
		if err != nil || n.Count > 0 {
			return notMigrated(err)
		}
		return seed(ctx, p.Shops, tags, links)
	}}, nil
}

type seedShop struct {
	name, city    string
	lat, lng      float64
	opens, closes float64
	tags          []string
}

var seedShops = []seedShop{
	{"Bel Cafe", "Vancouver", 49.2838, -123.1123, 7, 19, []string{"espresso", "wifi"}},
	{"Caffe Artigiano", "Vancouver", 49.2856, -123.1209, 6, 21, []string{"espresso"}},
	{"Three Bees Coffee House", "San Mateo", 37.5630, -122.3255, 7, 17, []string{"wifi", "outdoor-seating"}},
	{"Blue Bottle Coffee", "San Francisco", 37.7764, -122.4232, 7, 18, []string{"espresso", "outdoor-seating"}},
	{"Victrola Coffee Roasters", "Seattle", 47.6145, -122.3278, 6, 20, nil},
}

func seed(ctx context.Context, shops *Shops, tags *repository.DefaultCrudRepository[Tag, int], links *repository.DefaultCrudRepository[CoffeeShopTag, int]) error {
	created, err := tags.CreateAll(ctx, []Tag{{Name: "espresso"}, {Name: "wifi"}, {Name: "outdoor-seating"}})
	if err != nil {
		return fmt.Errorf("seed tags: %w", err)
	}
	tagID := map[string]int{}
	for _, t := range created {
		tagID[t.Name] = t.ID
	}
	for _, s := range seedShops {
		shop, err := shops.Create(ctx, CoffeeShop{
			Name: s.name, City: repository.NullableOf(s.city), Location: &repository.GeoPoint{Lat: s.lat, Lng: s.lng},
			OpeningHour: &s.opens, ClosingHour: &s.closes,
		})
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.name, err)
		}
		for _, name := range s.tags {
			if _, err := links.Create(ctx, CoffeeShopTag{CoffeeShopID: shop.ID, TagID: tagID[name]}); err != nil {
				return fmt.Errorf("seed %s's tag %s: %w", s.name, name, err)
			}
		}
	}
	return nil
}
