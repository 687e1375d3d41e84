package sql

import (
	"database/sql/driver"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/loomhq/loom/repository"
)

// GeoPoint properties are JSON columns holding {"lat", "lng"}. Near and
// the distance order compute LoopBack's haversine once per row: on SQLite
// in Go functions, the very code the memory connector runs, so both keep
// and order the same rows; on PostgreSQL in SQL, step for step the same
// formula in float8, which can differ from Go's only in the last bits of
// a sine.

// nearCond is the test that GeoPoint column col lies within c's bounds;
// rows without a point never match.
func (s *stmt) nearCond(t *table, c repository.Cond) (string, error) {
	col := t.byProp[c.Prop]
	if col == nil {
		return "", filterErr(c.Prop, "%s has no property %q", t.model.Name, c.Prop)
	}
	n, ok := c.Value.(repository.GeoNear)
	if !ok {
		return "", filterErr(c.Prop+".near", "near needs a repository.GeoNear, not %T", c.Value)
	}
	if n.Unit.EarthRadius() == 0 {
		return "", filterErr(c.Prop+".unit", "unknown unit %q", n.Unit)
	}
	return s.d.nearExpr(s, col.q, n), nil
}

// optFloat is a bound as a parameter: NULL when there is none.
func optFloat(d *float64) any {
	if d == nil {
		return nil
	}
	return *d
}

func (sqliteDialect) nearExpr(s *stmt, col string, n repository.GeoNear) string {
	return "(loom_geo_near(" + col + ", " + s.param(n.Point.Lat) + ", " + s.param(n.Point.Lng) + ", " +
		s.param(n.Unit.EarthRadius()) + ", " + s.param(optFloat(n.MinDistance)) + ", " + s.param(optFloat(n.MaxDistance)) + ") = 1)"
}

func (sqliteDialect) distanceExpr(s *stmt, col string, p repository.GeoPoint) string {
	return "loom_geo_distance(" + col + ", " + s.param(p.Lat) + ", " + s.param(p.Lng) + ")"
}

// pgAngle is the haversine angle, in radians, from p to the point in
// JSONB column col, as [repository.Haversine] computes it; NULL without a
// point.
func pgAngle(s *stmt, col string, p repository.GeoPoint) string {
	deg := strconv.FormatFloat(repository.DegToRad, 'g', -1, 64) + "::float8"
	lat := "((" + col + "->>'lat')::float8 * " + deg + ")"
	lng := "((" + col + "->>'lng')::float8 * " + deg + ")"
	x1 := s.param(p.Lat*repository.DegToRad) + "::float8"
	y1 := s.param(p.Lng*repository.DegToRad) + "::float8"
	// The origin's latitude is used twice; PostgreSQL's numbered
	// parameters may repeat.
	f := "sqrt(power(sin((" + lat + " - " + x1 + ") / 2), 2) + cos(" + lat + ") * cos(" + x1 + ") * power(sin((" + lng + " - " + y1 + ") / 2), 2))"
	// LEAST ignores NULLs: without the guard a row without a point would
	// be π away.
	return "(CASE WHEN " + col + "->>'lat' IS NOT NULL AND " + col + "->>'lng' IS NOT NULL THEN 2 * asin(LEAST(1::float8, " + f + ")) END)"
}

func (postgresDialect) nearExpr(s *stmt, col string, n repository.GeoNear) string {
	d := "(" + pgAngle(s, col, n.Point) + " * " + s.param(n.Unit.EarthRadius()) + "::float8)"
	switch {
	case n.MinDistance != nil && n.MaxDistance != nil:
		return "(" + d + " BETWEEN " + s.param(*n.MinDistance) + "::float8 AND " + s.param(*n.MaxDistance) + "::float8)"
	case n.MaxDistance != nil:
		return "(" + d + " <= " + s.param(*n.MaxDistance) + "::float8)"
	case n.MinDistance != nil:
		return "(" + d + " >= " + s.param(*n.MinDistance) + "::float8)"
	}
	return "(" + d + " IS NOT NULL)"
}

func (postgresDialect) distanceExpr(s *stmt, col string, p repository.GeoPoint) string {
	return pgAngle(s, col, p)
}

// storedPoint reads the point a GeoPoint column holds; ok is false for
// NULL and anything that is not a point.
func storedPoint(v driver.Value) (repository.GeoPoint, bool, error) {
	var text string
	switch t := v.(type) {
	case string:
		text = t
	case []byte:
		text = string(t)
	default:
		return repository.GeoPoint{}, false, nil
	}
	if p, ok := canonicalPoint(text); ok {
		return p, true, nil
	}
	d, err := repository.DecodeValue([]byte(text))
	if err != nil {
		return repository.GeoPoint{}, false, err
	}
	p, ok := repository.StoredGeoPoint(d)
	return p, ok, nil
}

// canonicalPoint reads {"lat":x,"lng":y}, the form the repository
// writes every point in, without decoding JSON: one near reads every
// row's point. strconv.ParseFloat is what encoding/json reads numbers
// with, so the point is the one a full decode gives.
func canonicalPoint(text string) (repository.GeoPoint, bool) {
	rest, ok := strings.CutPrefix(text, `{"lat":`)
	if !ok {
		return repository.GeoPoint{}, false
	}
	lat, rest, ok := strings.Cut(rest, `,"lng":`)
	if !ok {
		return repository.GeoPoint{}, false
	}
	lng, ok := strings.CutSuffix(rest, "}")
	if !ok {
		return repository.GeoPoint{}, false
	}
	x, err1 := strconv.ParseFloat(lat, 64)
	y, err2 := strconv.ParseFloat(lng, 64)
	return repository.GeoPoint{Lat: x, Lng: y}, err1 == nil && err2 == nil
}

// float reads a float parameter, which SQLite may hand over as an integer.
func float(v driver.Value) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// fnGeoNear is loom_geo_near(col, lat, lng, radius, min, max): 1 when the
// column's point lies within min and max (NULL: no bound) of (lat, lng),
// in the unit of the earth's radius.
func fnGeoNear(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	p, ok, err := storedPoint(args[0])
	if err != nil || !ok {
		return int64(0), err
	}
	lat, _ := float(args[1])
	lng, _ := float(args[2])
	radius, _ := float(args[3])
	n := repository.GeoNear{Point: repository.GeoPoint{Lat: lat, Lng: lng}}
	if f, ok := float(args[4]); ok {
		n.MinDistance = &f
	}
	if f, ok := float(args[5]); ok {
		n.MaxDistance = &f
	}
	d := repository.Haversine(lat, lng, p.Lat, p.Lng) * radius
	return boolInt(n.Within(d)), nil
}

// fnGeoDistance is loom_geo_distance(col, lat, lng): the haversine angle
// from (lat, lng) to the column's point, NULL without one.
func fnGeoDistance(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	p, ok, err := storedPoint(args[0])
	if err != nil || !ok {
		return nil, err
	}
	lat, _ := float(args[1])
	lng, _ := float(args[2])
	return repository.Haversine(lat, lng, p.Lat, p.Lng), nil
}
