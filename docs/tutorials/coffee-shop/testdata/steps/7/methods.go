package main

import (
	"context"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
)

// Shops is the CoffeeShop repository.
type Shops = repository.DefaultCrudRepository[CoffeeShop, int]

// ShopsParams asks for the db data source.
type ShopsParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// NewShops is the CoffeeShop repository over the db data source.
func NewShops(p ShopsParams) (*Shops, error) {
	return repository.NewCrudRepository[CoffeeShop, int](p.DB)
}

// StatusArgs are the arguments of CoffeeShop.status.
type StatusArgs struct {
	// Hour is the hour asked about; absent, the server's current hour.
	Hour *float64 `query:"hour"`
}

// NearbyArgs are the arguments of CoffeeShop.nearby.
type NearbyArgs struct {
	// Here is where the shops are looked for.
	Here repository.GeoPoint `query:"here" validate:"required"`
	// Max is the greatest distance in kilometers, more than 0; 50 by
	// default.
	Max *float64 `query:"max"`
}

// Methods are CoffeeShop's remote methods, status and nearby.
type Methods struct {
	shops *Shops
	now   func() time.Time
}

// NewMethods returns CoffeeShop's remote methods over its repository.
func NewMethods(shops *Shops) []controller.Route {
	m := &Methods{shops: shops, now: time.Now}
	return []controller.Route{
		modelapi.Remote("status", m.Status, modelapi.HTTP("GET", "/status"), modelapi.Returns("status"),
			modelapi.Description("Whether the coffee shops are open at the given hour (default: now).")),
		modelapi.Remote("nearby", m.Nearby, modelapi.HTTP("GET", "/nearby"), modelapi.ReturnsRoot(),
			modelapi.Description("Coffee shops near a GeoPoint, nearest first.")),
	}
}

// Status says whether the shops are open at args.Hour: from 6 to 20.
func (m *Methods) Status(_ context.Context, args StatusArgs) (string, error) {
	h := float64(m.now().Hour())
	if args.Hour != nil {
		h = *args.Hour
	}
	if h != float64(int(h)) || h < 0 || h > 23 {
		return "", httperr.BadRequest("hour must be an integer between 0 and 23").WithCode("INVALID_HOUR")
	}
	if h >= 6 && h < 20 {
		return "We are open for business.", nil
	}
	return "Sorry, we are closed. Open daily from 6am to 8pm.", nil
}

// Nearby answers the shops within args.Max kilometers of args.Here,
// nearest first.
func (m *Methods) Nearby(ctx context.Context, args NearbyArgs) ([]CoffeeShop, error) {
	max := 50.0
	if args.Max != nil {
		// LoopBack 3 takes max=0 as no limit at all; a distance of zero
		// or less is a client mistake.
		if *args.Max <= 0 {
			return nil, httperr.BadRequest("max must be a positive number of kilometers").WithCode("INVALID_MAX")
		}
		max = *args.Max
	}
	where := repository.Near("location", args.Here, repository.WithMaxDistance(max), repository.WithUnit(repository.Kilometers))
	return m.shops.Find(ctx, &repository.Filter[CoffeeShop]{Where: where})
}
