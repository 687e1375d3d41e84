package memory

import "github.com/loomhq/loom/repository"

// nearMatcher matches the entities whose GeoPoint property lies within
// the near's bounds: one distance per entity, by the repository's
// formula, so that every connector keeps the same ones.
func nearMatcher(c repository.Cond) (matcher, error) {
	n, ok := c.Value.(repository.GeoNear)
	if !ok {
		return nil, &repository.FilterError{Path: c.Prop + ".near", Message: "near needs a repository.GeoNear"}
	}
	prop := c.Prop
	return func(vals map[string]any) bool {
		p, ok := repository.StoredGeoPoint(vals[prop])
		return ok && n.Within(n.Distance(p))
	}, nil
}

// distanceValue is a row's sort value for a distance key: the angle, in
// radians, between the key's point and the row's, as the SQL connectors
// compute it; ok is false without a point.
func distanceValue(r *row, k orderKey) (any, bool) {
	p, ok := repository.StoredGeoPoint(r.vals[k.prop])
	if !ok {
		return nil, false
	}
	return repository.Haversine(k.near.Lat, k.near.Lng, p.Lat, p.Lng), true
}
