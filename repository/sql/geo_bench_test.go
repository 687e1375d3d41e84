package sql

import (
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// geoShops is 10,000 shops on a 100 × 100 grid 0.05° apart around (10, 20).
func geoShops() []repotest.Shop {
	shops := make([]repotest.Shop, 0, 10_000)
	for i := range 100 {
		for j := range 100 {
			at := repository.GeoPoint{Lat: 7.5 + 0.05*float64(i), Lng: 17.5 + 0.05*float64(j)}
			shops = append(shops, repotest.Shop{Name: fmt.Sprintf("shop %d-%d", i, j), Location: &at})
		}
	}
	return shops
}

// nearFilter is the benchmarks' query: the 10 nearest of the shops within
// 50 km of (10, 20), about 300 of the 10,000.
var nearFilter = &repository.Filter[repotest.Shop]{
	Where: repository.Near("location", repository.GeoPoint{Lat: 10, Lng: 20},
		repository.WithMaxDistance(50), repository.WithUnit(repository.Kilometers)),
	Limit: 10,
}

func benchNear(b *testing.B, c *Connector) {
	migrated(b, c)
	repo, err := repository.NewCrudRepository[repotest.Shop, int](c)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := repo.CreateAll(b.Context(), geoShops()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := repo.Find(b.Context(), nearFilter)
		if err != nil || len(got) != 10 || got[0].Name != "shop 50-50" {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
}

func BenchmarkNearSQLiteMemory(b *testing.B) { benchNear(b, sqliteMemory(b, Options{})) }

func BenchmarkNearPostgres(b *testing.B) { benchNear(b, postgres(b, Options{})) }
