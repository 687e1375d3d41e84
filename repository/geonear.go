package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// GeoNear is the operand of a near condition (a [Cond] with [OpNear]):
// the entities whose GeoPoint property lies within MinDistance and
// MaxDistance of Point, in Unit. Entities without the property never
// match. A query whose where clause holds a near is sorted nearest first
// (see [Near]).
type GeoNear struct {
	// Point is where distances are measured from.
	Point GeoPoint
	// MaxDistance is the greatest distance kept; nil: no bound.
	MaxDistance *float64
	// MinDistance is the least distance kept; nil: no bound.
	MinDistance *float64
	// Unit is the distances' unit; "" is miles, LoopBack's default.
	Unit Unit
}

// Distance is the distance from n's point to p, in n's unit.
func (n GeoNear) Distance(p GeoPoint) float64 { return n.Point.DistanceTo(p, n.Unit) }

// Within reports whether distance d, in n's unit, is within n's bounds.
func (n GeoNear) Within(d float64) bool {
	return (n.MaxDistance == nil || d <= *n.MaxDistance) && (n.MinDistance == nil || d >= *n.MinDistance)
}

// NearOption refines a [Near] condition: its bounds and unit.
type NearOption interface{ apply(*GeoNear) }

type nearOption func(*GeoNear)

func (f nearOption) apply(n *GeoNear) { f(n) }

// WithMaxDistance keeps the entities at most d away (LoopBack's
// maxDistance).
func WithMaxDistance(d float64) NearOption {
	return nearOption(func(n *GeoNear) { n.MaxDistance = &d })
}

// WithMinDistance keeps the entities at least d away (LoopBack's
// minDistance).
func WithMinDistance(d float64) NearOption {
	return nearOption(func(n *GeoNear) { n.MinDistance = &d })
}

// WithUnit measures the distances in u instead of miles.
func WithUnit(u Unit) NearOption { return nearOption(func(n *GeoNear) { n.Unit = u }) }

// Near is the condition that GeoPoint property prop lies near point,
// LoopBack's {"location": {"near": point, "maxDistance": 5, "unit":
// "kilometers"}}:
//
//	repository.Near("location", here, repository.WithMaxDistance(5), repository.WithUnit(repository.Kilometers))
//
// Without options every entity with a location matches. A find whose
// where clause holds a near answers nearest first: the distance is an
// order key after the filter's own order (which LoopBack ignores with
// near) and before the id, so skip and limit page through the distance
// order. A where clause holds at most one near, at its top or in an and;
// never in an or.
func Near(prop string, point GeoPoint, opts ...NearOption) Cond {
	n := GeoNear{Point: point}
	for _, o := range opts {
		o.apply(&n)
	}
	return Cond{Op: OpNear, Prop: prop, Value: n}
}

// nearKeys are the properties of a near object in a where clause.
var nearKeys = []string{"near", "maxDistance", "minDistance", "unit"}

// isNearObject reports whether ops, the operators of one property, is a
// near object: it has near, or one of near's companions.
func isNearObject(ops map[string]any) bool {
	for _, k := range nearKeys {
		if _, ok := ops[k]; ok {
			return true
		}
	}
	return false
}

// parseNear reads {near, maxDistance, minDistance, unit}, the exploded
// query's text leaves coerced to numbers, into a near condition.
func (c *checker) parseNear(prop string, ops map[string]any, path string) (Cond, error) {
	for _, k := range sortedKeys(ops) {
		if !slices.Contains(nearKeys, k) {
			return Cond{}, c.fail(join(path, k), "additionalProperties", map[string]any{"additionalProperty": k},
				"a near condition takes near, maxDistance, minDistance and unit, not %q: put other operators in an and", k)
		}
	}
	v, ok := ops["near"]
	if !ok {
		return Cond{}, c.fail(join(path, "near"), "required", map[string]any{"missingProperty": "near"},
			"maxDistance, minDistance and unit go with near: the point to measure from")
	}
	n := GeoNear{}
	p, err := ParseGeoPoint(v)
	if err != nil {
		return Cond{}, c.fail(join(path, "near"), "format", nil, "%v", err)
	}
	n.Point = p
	for _, k := range []string{"maxDistance", "minDistance"} {
		raw, ok := ops[k]
		if !ok || raw == nil {
			continue
		}
		f, err := coerce(raw, KindFloat)
		if err != nil {
			return Cond{}, c.fail(join(path, k), "type", map[string]any{"type": "number"}, "must be a number, not %s", valueText(raw))
		}
		d := f.(float64)
		if k == "maxDistance" {
			n.MaxDistance = &d
		} else {
			n.MinDistance = &d
		}
	}
	if raw, ok := ops["unit"]; ok && raw != nil {
		s, isText := raw.(string)
		if !isText {
			return Cond{}, c.fail(join(path, "unit"), "type", map[string]any{"type": "string"}, "must be a unit's name, not %s", valueText(raw))
		}
		n.Unit = Unit(s)
	}
	return c.leaf(Cond{Op: OpNear, Prop: prop, Value: n}, path)
}

// nearLeaf checks a near condition at path (which names its property):
// the property a GeoPoint, one near per where clause and never under an
// or, the point in range, the bounds finite and not negative, the unit
// known.
func (c *checker) nearLeaf(x Cond, p *Property, path string) (Cond, error) {
	at := path + ".near"
	if p != nil && p.Kind != KindGeoPoint {
		return Cond{}, c.fail(at, "type", nil, "near needs a GeoPoint property; %s is %s", x.Prop, kindPhrase(p.Kind))
	}
	var n GeoNear
	switch v := x.Value.(type) {
	case GeoNear:
		n = v
	case *GeoNear:
		if v == nil {
			return Cond{}, c.fail(at, "type", nil, "near needs a point")
		}
		n = *v
	default:
		return Cond{}, c.fail(at, "type", nil, "near needs a repository.GeoNear, not %T", x.Value)
	}
	if c.inOr > 0 {
		return Cond{}, c.fail(at, "not", nil, "near cannot be inside an or: it orders the whole result; put it at the top of the where clause or in an and")
	}
	if c.nearAt != "" {
		return Cond{}, c.fail(at, "maxProperties", nil, "a where clause may hold one near, and one is at %s already", c.nearAt)
	}
	if err := n.Point.Validate(); err != nil {
		return Cond{}, c.fail(at, "format", nil, "%v", err)
	}
	for _, b := range []struct {
		name string
		d    *float64
	}{{"maxDistance", n.MaxDistance}, {"minDistance", n.MinDistance}} {
		if b.d == nil {
			continue
		}
		if math.IsNaN(*b.d) || math.IsInf(*b.d, 0) {
			return Cond{}, c.fail(path+"."+b.name, "type", map[string]any{"type": "number"}, "must be a finite number")
		}
		if *b.d < 0 {
			return Cond{}, c.fail(path+"."+b.name, "minimum", map[string]any{"comparison": ">=", "limit": 0}, "must be >= 0, not %v", *b.d)
		}
	}
	if n.MaxDistance != nil && n.MinDistance != nil && *n.MinDistance > *n.MaxDistance {
		return Cond{}, c.fail(path+".minDistance", "maximum", map[string]any{"comparison": "<=", "limit": *n.MaxDistance},
			"minDistance %v is more than maxDistance %v: nothing could match", *n.MinDistance, *n.MaxDistance)
	}
	u, err := ParseUnit(string(n.Unit))
	if err != nil {
		return Cond{}, c.fail(path+".unit", "enum", map[string]any{"allowedValues": units}, "%v", err)
	}
	n.Unit = u
	c.nearAt = at
	c.nearCond = &Cond{Op: OpNear, Prop: x.Prop, Value: n}
	return *c.nearCond, nil
}

// geoLeaf checks a comparison other than near on a GeoPoint property:
// only exists and equality with null mean something for a point.
func (c *checker) geoLeaf(x Cond, path string) error {
	if x.Op == OpExists || (x.Op == OpEq || x.Op == OpNeq) && x.Value == nil {
		return nil
	}
	return c.fail(path, "type", nil, "%s is a GeoPoint: query it with near (and maxDistance, minDistance, unit), exists, or eq/neq null", x.Prop)
}

// withDistanceOrder adds to order the distance from the where clause's
// near point, after the keys given and before the id the repository adds
// last, unless it is there already.
func withDistanceOrder(order []Order, near *Cond) []Order {
	if near == nil {
		return order
	}
	n := near.Value.(GeoNear)
	if slices.ContainsFunc(order, func(o Order) bool { return o.Near != nil && o.Prop == near.Prop }) {
		return order
	}
	p := n.Point
	return append(slices.Clip(order), Order{Prop: near.Prop, Near: &p})
}

// checkNearOrder checks an order key: a GeoPoint property sorts by its
// distance from a point (Near set) only, any other property never does.
func (c *checker) checkNearOrder(o Order, p *Property, at string) error {
	geo := p != nil && p.Kind == KindGeoPoint
	switch {
	case o.Near != nil && p != nil && !geo:
		return c.fail(at, "type", nil, "only a GeoPoint property sorts by distance; %s is %s", o.Prop, kindPhrase(p.Kind))
	case o.Near != nil:
		if err := o.Near.Validate(); err != nil {
			return c.fail(at, "format", nil, "%v", err)
		}
	case geo:
		return c.fail(at, "type", nil, "%s is a GeoPoint: results are sorted by distance when the where clause holds a near on it", o.Prop)
	}
	return nil
}

// nearString writes a distance order key, for messages and logs.
func nearString(o Order) string {
	dir := " ASC"
	if o.Desc {
		dir = " DESC"
	}
	return fmt.Sprintf("%s NEAR %s%s", o.Prop, o.Near, dir)
}

// nearJSON is a near condition in LoopBack's where syntax.
type nearJSON struct {
	Near        GeoPoint `json:"near"`
	MaxDistance *float64 `json:"maxDistance,omitempty"`
	MinDistance *float64 `json:"minDistance,omitempty"`
	Unit        Unit     `json:"unit,omitempty"`
}

// writeNear writes {key: {"near": {"lat", "lng"}, "maxDistance": ..,
// "minDistance": .., "unit": ..}}.
func writeNear(b *bytes.Buffer, key []byte, v any) error {
	var n GeoNear
	switch t := v.(type) {
	case GeoNear:
		n = t
	case *GeoNear:
		if t != nil {
			n = *t
		}
	default:
		return fmt.Errorf("repository: near needs a GeoNear, not %T", v)
	}
	val, err := json.Marshal(nearJSON{Near: n.Point, MaxDistance: n.MaxDistance, MinDistance: n.MinDistance, Unit: n.Unit})
	if err != nil {
		return err
	}
	b.WriteByte('{')
	b.Write(key)
	b.WriteByte(':')
	b.Write(val)
	b.WriteByte('}')
	return nil
}
