package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

// BenchmarkNear finds the 10 nearest of the shops within 50 km of a point,
// about 300 of 10,000 on a 100 × 100 grid 0.05° apart.
func BenchmarkNear(b *testing.B) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[repotest.Shop, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	shops := make([]repotest.Shop, 0, 10_000)
	for i := range 100 {
		for j := range 100 {
			at := repository.GeoPoint{Lat: 7.5 + 0.05*float64(i), Lng: 17.5 + 0.05*float64(j)}
			shops = append(shops, repotest.Shop{Name: fmt.Sprintf("shop %d-%d", i, j), Location: &at})
		}
	}
	if _, err := repo.CreateAll(ctx, shops); err != nil {
		b.Fatal(err)
	}
	filter := &repository.Filter[repotest.Shop]{
		Where: repository.Near("location", repository.GeoPoint{Lat: 10, Lng: 20},
			repository.WithMaxDistance(50), repository.WithUnit(repository.Kilometers)),
		Limit: 10,
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := repo.Find(ctx, filter)
		if err != nil || len(got) != 10 || got[0].Name != "shop 50-50" {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
}
