package rest

import (
	"github.com/loomhq/loom/controller/modelapi"
)

// WithModelAPI serves LoopBack 3's REST API of model T (id type ID) from
// its repository: create, find, findById, upserts, updateAll, the
// relation endpoints and the change stream, through the sequence, the
// interceptors and the API document like a hand-written controller's.
// The repository is the container's *repository.DefaultCrudRepository[T,
// ID] when it has one, else one over the data source modelapi.DataSource
// names ("db" by default).
//
//	rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops"))
//
// Every model a relation targets must be registered too (with
// modelapi.Private() to give it no endpoints of its own).
func WithModelAPI[T any, ID comparable](opts ...modelapi.Option) Option {
	return optionFunc(func(s *settings) { s.fx = append(s.fx, modelapi.Provide[T, ID](opts...)) })
}
