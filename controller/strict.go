package controller

// Strict sets, for this route's body, LoopBack's strict setting of the
// model the body is decoded into, in place of the model's own (see
// repository.StrictModel).
//
// Strict(false) accepts properties the body's type does not declare and
// keeps them in its catch-all field (a repository.Data tagged json:"-"
// and loom:"extra"), which the repository stores and answers carry inline:
// nothing sent is lost. A body type without a catch-all field fails at
// start-up, since its unknown properties would be dropped. Strict(true)
// refuses them (422 additionalProperties) on a route of a non-strict
// model, such as a replace that must not grow new properties.
func Strict(strict bool) Option {
	return optionFunc(func(r *Route) { r.Strict = &strict })
}

// StrictQuery sets whether the route refuses query parameters it does not
// declare, answering 400 UNKNOWN_QUERY_PARAMETER. By default a route that
// writes every row a where parameter selects (a verb other than GET and
// HEAD, with a Where[T] query parameter: updateAll, deleteAll) refuses
// them, as ?id=5 would otherwise change every row; other routes ignore
// them, as LoopBack does. StrictQuery(true) makes a hand-written bulk
// operation refuse them too; StrictQuery(false) lets a bulk route ignore
// them.
func StrictQuery(strict bool) Option {
	return optionFunc(func(r *Route) { r.StrictQuery = &strict })
}
