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
	DB repository.Connector `name:"datasources.db"`
}

// NewSeed is the observer that seeds an empty store with LoopBack 3's
// seed data (server/boot/seed.js): five coffee shops. On a database that
// was never migrated it refuses to start, saying to migrate.
func NewSeed(p SeedParams) (lifecycle.Hooks, error) {
	shops, err := repository.NewCrudRepository[CoffeeShop, int](p.DB)
	if err != nil {
		return lifecycle.Hooks{}, err
	}
	return lifecycle.Hooks{Name: "seed", OnStart: func(ctx context.Context) error {
		n, err := shops.Count(ctx, nil)
		if err != nil || n.Count > 0 {
			return notMigrated(err)
		}
		for _, s := range seedShops {
			_, err := shops.Create(ctx, CoffeeShop{
				Name: s.name, City: repository.NullableOf(s.city), Location: &repository.GeoPoint{Lat: s.lat, Lng: s.lng},
				OpeningHour: &s.opens, ClosingHour: &s.closes,
			})
			if err != nil {
				return fmt.Errorf("seed %s: %w", s.name, err)
			}
		}
		return nil
	}}, nil
}

type seedShop struct {
	name, city    string
	lat, lng      float64
	opens, closes float64
}

var seedShops = []seedShop{
	{"Bel Cafe", "Vancouver", 49.2838, -123.1123, 7, 19},
	{"Caffe Artigiano", "Vancouver", 49.2856, -123.1209, 6, 21},
	{"Three Bees Coffee House", "San Mateo", 37.5630, -122.3255, 7, 17},
	{"Blue Bottle Coffee", "San Francisco", 37.7764, -122.4232, 7, 18},
	{"Victrola Coffee Roasters", "Seattle", 47.6145, -122.3278, 6, 20},
}
