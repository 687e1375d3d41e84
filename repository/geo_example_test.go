package repository_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func ExampleNear() {
	type CoffeeShop struct {
		ID       int                  `json:"id,omitempty" loom:"id,generated"`
		Name     string               `json:"name" validate:"required"`
		Location *repository.GeoPoint `json:"location,omitempty"`
	}
	ctx := context.Background()
	shops, err := repository.NewCrudRepository[CoffeeShop, int](memory.New(memory.Options{}))
	if err != nil {
		panic(err)
	}
	for _, s := range []struct{ name, at string }{
		{"Bel Cafe", "49.2838,-123.1173"},
		{"Coffee Bar", "37.7749,-122.4194"},
		{"Three Bees Coffee House", "49.2634,-123.1381"},
	} {
		// A location may be written as "lat,lng"; it is stored as {"lat","lng"}.
		var at repository.GeoPoint
		if err := at.UnmarshalText([]byte(s.at)); err != nil {
			panic(err)
		}
		if _, err := shops.Create(ctx, CoffeeShop{Name: s.name, Location: &at}); err != nil {
			panic(err)
		}
	}

	// The shops within 10 km of Vancouver's center, nearest first.
	here := repository.GeoPoint{Lat: 49.2827, Lng: -123.1207}
	near, err := shops.Find(ctx, &repository.Filter[CoffeeShop]{
		Where: repository.Near("location", here, repository.WithMaxDistance(10), repository.WithUnit(repository.Kilometers)),
	})
	if err != nil {
		panic(err)
	}
	for _, s := range near {
		fmt.Printf("%s: %.2f km\n", s.Name, here.DistanceTo(*s.Location, repository.Kilometers))
	}

	// The same filter, as a request sends it.
	var f repository.Filter[CoffeeShop]
	if err := json.Unmarshal([]byte(`{"where":{"location":{"near":[49.2827,-123.1207],"maxDistance":"2"}}}`), &f); err != nil {
		panic(err)
	}
	fmt.Println(f.Where)
	// Output:
	// Bel Cafe: 0.28 km
	// Three Bees Coffee House: 2.49 km
	// {"location":{"near":{"lat":49.2827,"lng":-123.1207},"maxDistance":2,"unit":"miles"}}
}
