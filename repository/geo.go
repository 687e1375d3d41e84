package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// GeoPoint is a point on the earth, LoopBack's GeoPoint: a latitude and a
// longitude in degrees. It is answered as {"lat": 49.28, "lng": -123.12}
// and read from that object, from the text "lat,lng" and from the list
// [lat, lng] (numbers, or text that is a number, in every form). A model
// property of type GeoPoint or *GeoPoint is stored in that object form on
// every connector, and a where clause finds entities near a point with
// [Near] (or {"location": {"near": "49.28,-123.12", "maxDistance": 5}}).
//
// The zero GeoPoint is a valid point (0, 0): an optional location is a
// *GeoPoint with omitempty, absent until set.
type GeoPoint struct {
	// Lat is the latitude, from -90 to 90.
	Lat float64 `json:"lat"`
	// Lng is the longitude, from -180 to 180.
	Lng float64 `json:"lng"`
}

// NewGeoPoint returns the point (lat, lng), or a [*GeoPointError] when a
// coordinate is out of range or not a number.
func NewGeoPoint(lat, lng float64) (GeoPoint, error) {
	p := GeoPoint{Lat: lat, Lng: lng}
	return p, p.Validate()
}

// GeoPointError is a value that is not a point. Its message is LoopBack's
// assertion text, such as "lat must be <= 90". It answers 400; a point in
// a request body is reported in the body's 422 details instead.
type GeoPointError struct {
	// Message says what is wrong, in LoopBack's words.
	Message string
}

func (e *GeoPointError) Error() string { return e.Message }

// StatusCode is 400.
func (e *GeoPointError) StatusCode() int { return 400 }

// ErrorName is BadRequestError.
func (e *GeoPointError) ErrorName() string { return "BadRequestError" }

func geoErr(msg string) error { return &GeoPointError{Message: msg} }

// Validate checks p's range in LoopBack's order: each coordinate a number,
// then lng, then lat within bounds.
func (p GeoPoint) Validate() error {
	switch {
	case math.IsNaN(p.Lat):
		return geoErr("lat must be a number when creating a GeoPoint")
	case math.IsNaN(p.Lng):
		return geoErr("lng must be a number when creating a GeoPoint")
	case p.Lng > 180:
		return geoErr("lng must be <= 180")
	case p.Lng < -180:
		return geoErr("lng must be >= -180")
	case p.Lat > 90:
		return geoErr("lat must be <= 90")
	case p.Lat < -90:
		return geoErr("lat must be >= -90")
	}
	return nil
}

// String writes p as "lat,lng", the text form UnmarshalText reads.
func (p GeoPoint) String() string {
	return strconv.FormatFloat(p.Lat, 'g', -1, 64) + "," + strconv.FormatFloat(p.Lng, 'g', -1, 64)
}

// UnmarshalJSON reads {"lat": .., "lng": ..}, "lat,lng" or [lat, lng] and
// checks the range; JSON null leaves p as it is, as encoding/json's
// convention is. Errors are [*GeoPointError]s.
func (p *GeoPoint) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), nullJSON) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return geoErr("must provide valid geo-coordinates array [lat, lng] or object or a \"lat, lng\" string")
	}
	q, err := ParseGeoPoint(v)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// UnmarshalText reads "lat,lng", as a query argument gives it
// (?here=49.28,-123.12).
func (p *GeoPoint) UnmarshalText(b []byte) error {
	q, err := ParseGeoPoint(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParseGeoPoint reads a point from a decoded JSON value: an object with
// lat and lng, the text "lat,lng", a list [lat, lng], or a GeoPoint.
// Coordinates may be numbers or text holding a number (exploded query
// arguments are text). Errors are [*GeoPointError]s with LoopBack's
// assertion texts.
func ParseGeoPoint(v any) (GeoPoint, error) {
	var p GeoPoint
	switch t := v.(type) {
	case GeoPoint:
		p = t
	case *GeoPoint:
		if t == nil {
			return p, geoErr("must provide a lat and lng object when creating a GeoPoint")
		}
		p = *t
	case string:
		parts := strings.Split(t, ",")
		if len(parts) != 2 {
			return p, geoErr(`must provide a "lat,lng" string when creating a GeoPoint with string`)
		}
		if strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
			return p, geoErr("lat & lng must be numbers when creating GeoPoint")
		}
		p.Lat, p.Lng = geoNumber(parts[0]), geoNumber(parts[1])
	case []any:
		if len(t) != 2 {
			return p, geoErr("must provide valid geo-cordinates array [lat, lng]")
		}
		p.Lat, p.Lng = geoNumber(t[0]), geoNumber(t[1])
	case map[string]any:
		lat, hasLat := t["lat"]
		lng, hasLng := t["lng"]
		if !hasLat || !hasLng {
			return p, geoErr("must provide a lat and lng object when creating a GeoPoint")
		}
		for k := range t {
			if k != "lat" && k != "lng" {
				return p, geoErr(fmt.Sprintf("a GeoPoint has lat and lng only, not %q", k))
			}
		}
		p.Lat, p.Lng = geoNumber(lat), geoNumber(lng)
	default:
		return p, geoErr(`must provide valid geo-coordinates array [lat, lng] or object or a "lat, lng" string`)
	}
	return p, p.Validate()
}

// geoNumber reads a coordinate: a number, or text holding one; anything
// else is NaN, which Validate reports as "must be a number".
func geoNumber(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case int64:
		return float64(t)
	case int:
		return float64(t)
	case json.Number:
		return geoNumber(string(t))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil && !math.IsInf(f, 0) { // 1e999 is Infinity, as in JavaScript
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}

// geoPointOf reads a stored point (an object of lat and lng numbers);
// ok is false for anything else.
func geoPointOf(v any) (GeoPoint, bool) {
	m, isObj := v.(map[string]any)
	if !isObj {
		return GeoPoint{}, false
	}
	lat, ok1 := NumberOf(m["lat"])
	lng, ok2 := NumberOf(m["lng"])
	return GeoPoint{Lat: lat, Lng: lng}, ok1 && ok2
}

// StoredGeoPoint reads the value a connector stores for a GeoPoint
// property, the object {"lat", "lng"} decoded by [DecodeValue]; ok is
// false for an absent, null or malformed value.
func StoredGeoPoint(v any) (GeoPoint, bool) { return geoPointOf(v) }

// Unit is a unit of distance on the earth, as LoopBack names them. The
// empty Unit is miles, LoopBack's default.
type Unit string

// The units of distance, each with LoopBack's earth radius (see
// [Unit.EarthRadius]).
const (
	Miles      Unit = "miles"
	Kilometers Unit = "kilometers"
	Meters     Unit = "meters"
	Feet       Unit = "feet"
	Radians    Unit = "radians" // the angle at the earth's center
	Degrees    Unit = "degrees" // the same angle in degrees
)

// DegToRad is the factor LoopBack's haversine turns degrees into radians
// with (0.01745329252, not π/180): every connector uses it, so that all
// compute the same distances as LoopBack.
const DegToRad = 0.01745329252

// earthRadius is LoopBack's radius of the earth per unit.
var earthRadius = map[Unit]float64{
	Kilometers: 6370.99056,
	Meters:     6370990.56,
	Miles:      3958.75,
	Feet:       20902200,
	Radians:    1,
	Degrees:    57.29577951308,
}

// units lists the units' names, for messages.
var units = []string{string(Miles), string(Kilometers), string(Meters), string(Feet), string(Radians), string(Degrees)}

// ParseUnit reads a unit's name; "" is miles.
func ParseUnit(s string) (Unit, error) {
	if s == "" {
		return Miles, nil
	}
	if _, ok := earthRadius[Unit(s)]; !ok {
		return "", fmt.Errorf("unknown unit %q (%s)", s, strings.Join(units, ", "))
	}
	return Unit(s), nil
}

// EarthRadius is the earth's radius in u, LoopBack's value: 3958.75 miles,
// 6370.99056 kilometers, 1 radian, ...; 0 for an unknown unit. The empty
// Unit is miles.
func (u Unit) EarthRadius() float64 {
	if u == "" {
		u = Miles
	}
	return earthRadius[u]
}

// DistanceTo is the distance from p to q along the earth's surface, in
// unit ("" is miles), by LoopBack's haversine formula and radius per unit,
// so that it agrees with LoopBack to the last bits: from Vancouver
// (49.28, -123.12) to Seattle (47.61, -122.33) it is 194.62 kilometers.
// An unknown unit gives 0.
func (p GeoPoint) DistanceTo(q GeoPoint, unit Unit) float64 {
	return Haversine(p.Lat, p.Lng, q.Lat, q.Lng) * unit.EarthRadius()
}

// Haversine is the angle, in radians, between two points given in
// degrees, by LoopBack's formula: SQL connectors that compute distances in
// the database use the same steps (see the sql connector), and scale it by
// [Unit.EarthRadius]. Rounding cannot make it NaN: the haversine is capped
// at 1 for points at opposite ends of the earth.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	x1, y1 := lat1*DegToRad, lng1*DegToRad
	x2, y2 := lat2*DegToRad, lng2*DegToRad
	hx, hy := math.Sin((x2-x1)/2.0), math.Sin((y2-y1)/2.0)
	f := math.Sqrt(hx*hx + math.Cos(x2)*math.Cos(x1)*(hy*hy))
	return 2 * math.Asin(min(f, 1))
}

// geoData checks the GeoPoint properties of d, the Data of an entity or a
// patch, and writes each in its stored form {"lat", "lng"}: a patch may
// hold "lat,lng" or [lat, lng], and a point built in code may be out of
// range. A bad point is a [*ValidationError] (422) naming the property.
func geoData(m *Model, d Data) error {
	var details []Detail
	for _, p := range m.Properties {
		raw, ok := d[p.Name]
		if p.Kind != KindGeoPoint || !ok || len(raw) == 0 || bytes.Equal(raw, nullJSON) {
			continue
		}
		var g GeoPoint
		err := g.UnmarshalJSON(raw)
		if err == nil {
			raw, err = json.Marshal(g)
		}
		if err != nil {
			details = append(details, Detail{Path: "/" + p.Name, Code: CodeFormat, Message: err.Error(),
				Info: map[string]any{"value": json.RawMessage(raw)}})
			continue
		}
		d[p.Name] = raw
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// geoPointSchema is the JSON schema of a GeoPoint: answered as the
// object, read in LoopBack's three forms.
const geoPointSchema = `{"title":"GeoPoint","description":"A point: {\"lat\", \"lng\"} in degrees; also read as \"lat,lng\" or [lat, lng].",` +
	`"oneOf":[{"type":"object","properties":{"lat":{"type":"number","minimum":-90,"maximum":90},` +
	`"lng":{"type":"number","minimum":-180,"maximum":180}},"required":["lat","lng"],"additionalProperties":false},` +
	`{"type":"string","pattern":"^[^,]+,[^,]+$"},` +
	`{"type":"array","items":{"type":"number"},"minItems":2,"maxItems":2}]}`

// JSONSchemaBytes is the JSON schema API documents show for a GeoPoint
// (github.com/swaggest/jsonschema-go's RawExposer): the object it is
// answered as, or the text and list forms it is also read from.
func (GeoPoint) JSONSchemaBytes() ([]byte, error) { return []byte(geoPointSchema), nil }
