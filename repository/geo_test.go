package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func TestGeoPointReadsEveryForm(t *testing.T) {
	want := repository.GeoPoint{Lat: 11.5, Lng: -32.25}
	for _, in := range []string{
		`{"lat": 11.5, "lng": -32.25}`,
		`{"lat": "11.5", "lng": "-32.25"}`, // exploded query arguments are text
		`"11.5,-32.25"`,
		`" 11.5 , -32.25 "`,
		`[11.5, -32.25]`,
		`["11.5", "-32.25"]`,
	} {
		var p repository.GeoPoint
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if p != want {
			t.Errorf("%s: got %+v, want %+v", in, p, want)
		}
	}
	var p repository.GeoPoint
	if err := p.UnmarshalText([]byte("11.5,-32.25")); err != nil || p != want {
		t.Errorf("UnmarshalText: %+v, %v", p, err)
	}
}

func TestGeoPointAnswersLatLngObject(t *testing.T) {
	b, err := json.Marshal(repository.GeoPoint{Lat: 11.5, Lng: -32.25})
	if err != nil || string(b) != `{"lat":11.5,"lng":-32.25}` {
		t.Fatalf("got %s, %v", b, err)
	}
	if s := (repository.GeoPoint{Lat: 11.5, Lng: -32.25}).String(); s != "11.5,-32.25" {
		t.Errorf("String: %q", s)
	}
}

func TestGeoPointErrorsAreLoopBacksAssertions(t *testing.T) {
	for in, msg := range map[string]string{
		`{"lat": 100, "lng": 1}`:      "lat must be <= 90",
		`{"lat": -91, "lng": 1}`:      "lat must be >= -90",
		`{"lat": 1, "lng": 181}`:      "lng must be <= 180",
		`{"lat": 1, "lng": -181}`:     "lng must be >= -180",
		`{"lat": "abc", "lng": 1}`:    "lat must be a number when creating a GeoPoint",
		`{"lat": 1, "lng": true}`:     "lng must be a number when creating a GeoPoint",
		`{"lat": 1}`:                  "must provide a lat and lng object when creating a GeoPoint",
		`{"lat": 1, "lng": 2, "x":3}`: `a GeoPoint has lat and lng only, not "x"`,
		`"abc"`:                       `must provide a "lat,lng" string when creating a GeoPoint with string`,
		`"1,"`:                        "lat & lng must be numbers when creating GeoPoint",
		`"1,2,3"`:                     `must provide a "lat,lng" string when creating a GeoPoint with string`,
		`[1, 2, 3]`:                   "must provide valid geo-cordinates array [lat, lng]",
		`12`:                          `must provide valid geo-coordinates array [lat, lng] or object or a "lat, lng" string`,
		`"NaN,1"`:                     "lat must be a number when creating a GeoPoint",
		`"1e999,1"`:                   "lat must be <= 90",
	} {
		var p repository.GeoPoint
		err := json.Unmarshal([]byte(in), &p)
		var ge *repository.GeoPointError
		if !errors.As(err, &ge) || ge.Message != msg {
			t.Errorf("%s: got %v, want %q", in, err, msg)
			continue
		}
		if ge.StatusCode() != 400 {
			t.Errorf("%s: status %d", in, ge.StatusCode())
		}
	}
}

func TestGeoPointNullLeavesValue(t *testing.T) {
	p := repository.GeoPoint{Lat: 1, Lng: 2}
	if err := json.Unmarshal([]byte("null"), &p); err != nil || p.Lat != 1 {
		t.Fatalf("got %+v, %v", p, err)
	}
}

// The expected distances are LoopBack's own: loopback-datatype-geopoint
// 1.0.0's GeoPoint.distanceBetween, run in Node.
func TestDistanceToMatchesLoopBack(t *testing.T) {
	type pair struct{ a, b repository.GeoPoint }
	pt := func(lat, lng float64) repository.GeoPoint { return repository.GeoPoint{Lat: lat, Lng: lng} }
	cases := []struct {
		p    pair
		unit repository.Unit
		want float64
	}{
		{pair{pt(10, 10), pt(5, 5)}, "", 486.3956513042483},
		{pair{pt(10, 10), pt(5, 5)}, repository.Miles, 486.3956513042483},
		{pair{pt(10, 10), pt(5, 5)}, repository.Kilometers, 782.7779230525841},
		{pair{pt(10, 10), pt(5, 5)}, repository.Meters, 782777.923052584},
		{pair{pt(10, 10), pt(5, 5)}, repository.Feet, 2568169.038886431},
		{pair{pt(10, 10), pt(5, 5)}, repository.Radians, 0.12286596812232353},
		{pair{pt(10, 10), pt(5, 5)}, repository.Degrees, 7.0397014191977645},
		{pair{pt(49.28, -123.12), pt(47.61, -122.33)}, repository.Kilometers, 194.6200359208734},
		{pair{pt(49.28, -123.12), pt(47.61, -122.33)}, repository.Feet, 638517.1782180886},
		{pair{pt(0, 179.9), pt(0, -179.9)}, repository.Kilometers, 22.23895224711249}, // across the antimeridian
		{pair{pt(0, 179.9), pt(0, -179.9)}, repository.Degrees, 0.19999999883102515},
		{pair{pt(89.9, 0), pt(89.9, 180)}, repository.Kilometers, 22.238952312140068}, // over the pole
		{pair{pt(-33.86, 151.21), pt(51.5, -0.12)}, repository.Miles, 10559.0487388523},
		{pair{pt(-33.86, 151.21), pt(51.5, -0.12)}, repository.Radians, 2.6672683899847933},
	}
	for _, c := range cases {
		got := c.p.a.DistanceTo(c.p.b, c.unit)
		if math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("%v → %v in %q: got %v, want %v", c.p.a, c.p.b, c.unit, got, c.want)
		}
		if back := c.p.b.DistanceTo(c.p.a, c.unit); back != got {
			t.Errorf("%v → %v: not symmetric: %v and %v", c.p.a, c.p.b, got, back)
		}
	}
}

func TestDistanceOfAntipodesIsNotNaN(t *testing.T) {
	d := repository.GeoPoint{Lat: 0, Lng: 0}.DistanceTo(repository.GeoPoint{Lat: 0, Lng: 180}, repository.Radians)
	if math.IsNaN(d) || math.Abs(d-math.Pi) > 1e-9 {
		t.Fatalf("got %v", d)
	}
}

func TestParseUnit(t *testing.T) {
	if u, err := repository.ParseUnit(""); err != nil || u != repository.Miles {
		t.Errorf("empty: %q, %v", u, err)
	}
	if u, err := repository.ParseUnit("kilometers"); err != nil || u != repository.Kilometers {
		t.Errorf("kilometers: %q, %v", u, err)
	}
	if _, err := repository.ParseUnit("furlongs"); err == nil {
		t.Error("furlongs: no error")
	}
	if r := repository.Unit("furlongs").EarthRadius(); r != 0 {
		t.Errorf("unknown unit radius %v", r)
	}
}

type geoShop struct {
	ID       int                  `json:"id,omitempty" loom:"id,generated"`
	Name     string               `json:"name"`
	Location *repository.GeoPoint `json:"location,omitempty"`
}

func TestGeoPointPropertyIsStoredAsObject(t *testing.T) {
	m, err := repository.ModelOf[geoShop]()
	if err != nil {
		t.Fatal(err)
	}
	if k := m.Property("location").Kind; k != repository.KindGeoPoint {
		t.Fatalf("kind %v", k)
	}
	ctx := context.Background()
	conn := memory.New(memory.Options{})
	shops, err := repository.NewCrudRepository[geoShop, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	s, err := shops.Create(ctx, geoShop{Name: "a", Location: &repository.GeoPoint{Lat: 1, Lng: 2}})
	if err != nil {
		t.Fatal(err)
	}
	// A patch may give the point in any form; it is stored as the object.
	if err := shops.UpdateByID(ctx, s.ID, repository.PatchOf[geoShop](map[string]any{"location": "11.5,-32.25"})); err != nil {
		t.Fatal(err)
	}
	ds, err := conn.Find(ctx, m, repository.Query{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("%v %v", ds, err)
	}
	if got := string(ds[0]["location"]); got != `{"lat":11.5,"lng":-32.25}` {
		t.Errorf("stored %s", got)
	}
}

func TestGeoPointOutOfRangeIsAValidationError(t *testing.T) {
	shops, err := repository.NewCrudRepository[geoShop, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = shops.Create(context.Background(), geoShop{Name: "a", Location: &repository.GeoPoint{Lat: 100}})
	var ve *repository.ValidationError
	if !errors.As(err, &ve) || len(ve.Details) != 1 || ve.Details[0].Path != "/location" || ve.Details[0].Message != "lat must be <= 90" {
		t.Fatalf("got %v", err)
	}
	_, err = shops.UpdateAll(context.Background(), repository.PatchOf[geoShop](map[string]any{"location": []any{1, 2, 3}}), nil)
	if err == nil {
		t.Fatal("a bad point in a patch: no error")
	}
}

func TestGeoPointSchemaDescribesTheObjectFirst(t *testing.T) {
	b, err := repository.GeoPoint{}.JSONSchemaBytes()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		OneOf []struct {
			Type     string   `json:"type"`
			Required []string `json:"required"`
		} `json:"oneOf"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if len(s.OneOf) != 3 || s.OneOf[0].Type != "object" || len(s.OneOf[0].Required) != 2 || s.OneOf[1].Type != "string" || s.OneOf[2].Type != "array" {
		t.Errorf("schema %s", b)
	}
}
