package repotest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/loomhq/loom/repository"
)

// Shop is the suite's model with a GeoPoint property, LoopBack's
// CoffeeShop: the near cases find shops by their distance.
type Shop struct {
	ID       int                  `json:"id,omitempty" loom:"id,generated"`
	Name     string               `json:"name" validate:"required"`
	City     *string              `json:"city,omitempty"`
	Location *repository.GeoPoint `json:"location,omitempty"`
}

// geoFixture is a repository of Shops over a fresh connector.
type geoFixture struct {
	t     *testing.T
	ctx   context.Context
	shops *repository.DefaultCrudRepository[Shop, int]
}

func newGeoFixture(t *testing.T, newConn NewConnector) *geoFixture {
	t.Helper()
	shops, err := repository.NewCrudRepository[Shop, int](newConn(t))
	if err != nil {
		t.Fatal(err)
	}
	return &geoFixture{t: t, ctx: context.Background(), shops: shops}
}

// place is a shop to create: its name, city and point (nil: none).
type place struct {
	name string
	city string
	at   *repository.GeoPoint
}

func pt(lat, lng float64) *repository.GeoPoint { return &repository.GeoPoint{Lat: lat, Lng: lng} }

// seed creates the places in the order given, which is their id order.
func (f *geoFixture) seed(places ...place) {
	f.t.Helper()
	for _, p := range places {
		s := Shop{Name: p.name, Location: p.at}
		if p.city != "" {
			s.City = Ptr(p.city)
		}
		if _, err := f.shops.Create(f.ctx, s); err != nil {
			f.t.Fatalf("Create(%s): %v", p.name, err)
		}
	}
}

// find runs a filter given as JSON, as a request sends it, and returns
// the names in the order answered.
func (f *geoFixture) find(filter string) []string {
	f.t.Helper()
	var flt repository.Filter[Shop]
	if err := json.Unmarshal([]byte(filter), &flt); err != nil {
		f.t.Fatalf("filter %s: %v", filter, err)
	}
	return f.findFilter(&flt)
}

func (f *geoFixture) findFilter(flt *repository.Filter[Shop]) []string {
	f.t.Helper()
	got, err := f.shops.Find(f.ctx, flt)
	if err != nil {
		f.t.Fatalf("Find: %v", err)
	}
	names := make([]string, len(got))
	for i, s := range got {
		names[i] = s.Name
	}
	return names
}

func (f *geoFixture) expect(what string, got []string, want ...string) {
	f.t.Helper()
	if !slices.Equal(got, want) {
		f.t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// ladder is five shops due north of (10, 20), created out of distance
// order, and one without a location: a 0 km, b 1.11 km, c 11.1 km,
// d 55.6 km, e 111.2 km.
func (f *geoFixture) ladder() {
	f.seed(
		place{name: "d", city: "Oslo", at: pt(10.5, 20)},
		place{name: "a", city: "Rome", at: pt(10, 20)},
		place{name: "nowhere", city: "Oslo"},
		place{name: "e", city: "Oslo", at: pt(11, 20)},
		place{name: "c", city: "Rome", at: pt(10.1, 20)},
		place{name: "b", city: "Oslo", at: pt(10.01, 20)},
	)
}

// geoCase is one near case over its own fresh connector.
type geoCase struct {
	name string
	run  func(f *geoFixture)
}

var geoCaseList = []geoCase{
	{"near answers nearest first and leaves out shops without a location", func(f *geoFixture) {
		f.ladder()
		f.expect("near", f.find(`{"where":{"location":{"near":"10,20"}}}`), "a", "b", "c", "d", "e")
	}},
	{"near reads the point as an object, a list or text", func(f *geoFixture) {
		f.ladder()
		for _, near := range []string{`{"lat":10,"lng":20}`, `[10,20]`, `"10,20"`, `["10","20"]`} {
			f.expect(near, f.find(`{"where":{"location":{"near":`+near+`,"maxDistance":20,"unit":"kilometers"}}}`), "a", "b", "c")
		}
	}},
	{"maxDistance is in miles by default", func(f *geoFixture) {
		f.ladder()
		f.expect("10 miles", f.find(`{"where":{"location":{"near":"10,20","maxDistance":10}}}`), "a", "b", "c")
		f.expect("10 km", f.find(`{"where":{"location":{"near":"10,20","maxDistance":10,"unit":"kilometers"}}}`), "a", "b")
	}},
	{"every unit of LoopBack measures the same ground", func(f *geoFixture) {
		f.ladder()
		for _, c := range []struct {
			unit string
			max  string
			want []string
		}{
			{"kilometers", "20", []string{"a", "b", "c"}},
			{"meters", "20000", []string{"a", "b", "c"}},
			{"miles", "40", []string{"a", "b", "c", "d"}},
			{"feet", "5000", []string{"a", "b"}},
			{"degrees", "0.3", []string{"a", "b", "c"}},
			{"radians", "0.002", []string{"a", "b", "c"}},
		} {
			f.expect(c.unit, f.find(`{"where":{"location":{"near":"10,20","maxDistance":`+c.max+`,"unit":"`+c.unit+`"}}}`), c.want...)
		}
	}},
	{"minDistance and maxDistance keep a ring", func(f *geoFixture) {
		f.ladder()
		f.expect("5..80 km", f.find(`{"where":{"location":{"near":"10,20","minDistance":5,"maxDistance":80,"unit":"kilometers"}}}`), "c", "d")
		f.expect("from 50 km", f.find(`{"where":{"location":{"near":"10,20","minDistance":50,"unit":"kilometers"}}}`), "d", "e")
	}},
	{"text distances are coerced, as the exploded query sends them", func(f *geoFixture) {
		f.ladder()
		f.expect("exploded", f.find(`{"where":{"location":{"near":"10,20","maxDistance":"20","unit":"kilometers"}},"fields":{"name":"true"}}`), "a", "b", "c")
	}},
	{"skip and limit page through the distance order", func(f *geoFixture) {
		f.ladder()
		f.expect("page", f.find(`{"where":{"location":{"near":"10,20","maxDistance":200,"unit":"kilometers"}},"skip":1,"limit":2}`), "b", "c")
		f.expect("last page", f.find(`{"where":{"location":{"near":"10,20"}},"skip":4,"limit":2}`), "e")
	}},
	{"near combines with other conditions in and", func(f *geoFixture) {
		f.ladder()
		f.expect("and", f.find(`{"where":{"and":[{"location":{"near":"10,20","maxDistance":100,"unit":"kilometers"}},{"city":"Oslo"}]}}`), "b", "d")
		f.expect("beside", f.find(`{"where":{"location":{"near":"10,20"},"name":{"nin":["a","d"]}}}`), "b", "c", "e")
	}},
	{"an explicit order comes first and the distance breaks its ties", func(f *geoFixture) {
		f.ladder()
		f.expect("city then distance", f.find(`{"where":{"location":{"near":"10,20"}},"order":"city DESC"}`), "a", "c", "b", "d", "e")
	}},
	{"equal distances are in id order", func(f *geoFixture) {
		f.seed(place{name: "far", at: pt(1, 1)}, place{name: "twin1", at: pt(0, 1)}, place{name: "twin2", at: pt(0, 1)})
		f.expect("twins", f.find(`{"where":{"location":{"near":"0,0"}}}`), "twin1", "twin2", "far")
		f.expect("twins desc", f.findFilter(&repository.Filter[Shop]{
			Order: []repository.Order{{Prop: "location", Near: pt(0, 0), Desc: true}}}), "far", "twin1", "twin2")
	}},
	{"a distance order without near sorts shops without a location first", func(f *geoFixture) {
		f.ladder()
		f.expect("asc", f.findFilter(&repository.Filter[Shop]{
			Order: []repository.Order{{Prop: "location", Near: pt(10, 20)}}}), "nowhere", "a", "b", "c", "d", "e")
		f.expect("desc", f.findFilter(&repository.Filter[Shop]{
			Order: []repository.Order{{Prop: "location", Near: pt(10, 20), Desc: true}}}), "e", "d", "c", "b", "a", "nowhere")
	}},
	{"near across the antimeridian", func(f *geoFixture) {
		f.seed(
			place{name: "66km", at: pt(0, -179.5)},
			place{name: "far", at: pt(0, 0)},
			place{name: "22km", at: pt(0, 179.7)},
			place{name: "17km", at: pt(0, -179.95)},
			place{name: "6km", at: pt(0.05, 179.9)},
		)
		f.expect("antimeridian", f.find(`{"where":{"location":{"near":"0,179.9","maxDistance":100,"unit":"kilometers"}}}`), "6km", "17km", "22km", "66km")
	}},
	{"near around the poles", func(f *geoFixture) {
		f.seed(
			place{name: "south", at: pt(-89.9, 0)},
			place{name: "25km", at: pt(89.8, -90)},
			place{name: "100km", at: pt(89, 0)},
			place{name: "22km", at: pt(89.9, 180)},
			place{name: "12km", at: pt(89.95, 90)},
			place{name: "10km", at: pt(89.99, 45)},
		)
		f.expect("north", f.find(`{"where":{"location":{"near":"89.9,0","maxDistance":50,"unit":"kilometers"}}}`), "10km", "12km", "22km", "25km")
		f.expect("south", f.find(`{"where":{"location":{"near":"-89.9,180","maxDistance":50,"unit":"kilometers"}}}`), "south")
	}},
	{"count, updateAll and deleteAll keep the shops within the distance", func(f *geoFixture) {
		f.ladder()
		near := repository.Near("location", *pt(10, 20), repository.WithMaxDistance(20), repository.WithUnit(repository.Kilometers))
		n, err := f.shops.Count(f.ctx, near)
		if err != nil || n.Count != 3 {
			f.t.Fatalf("Count: %v, %v", n, err)
		}
		n, err = f.shops.UpdateAll(f.ctx, repository.PatchOf[Shop](map[string]any{"city": "Near"}), near)
		if err != nil || n.Count != 3 {
			f.t.Fatalf("UpdateAll: %v, %v", n, err)
		}
		f.expect("updated", f.find(`{"where":{"city":"Near"}}`), "a", "c", "b")
		n, err = f.shops.DeleteAll(f.ctx, repository.Near("location", *pt(10, 20), repository.WithMinDistance(50), repository.WithUnit(repository.Kilometers)))
		if err != nil || n.Count != 2 {
			f.t.Fatalf("DeleteAll: %v, %v", n, err)
		}
		f.expect("left", f.find(`{}`), "a", "nowhere", "c", "b")
	}},
	{"a point is answered as an object whatever form it was written in", func(f *geoFixture) {
		f.seed(place{name: "x", at: pt(1, 2)})
		for _, form := range []any{"11.5,-32.25", []any{11.5, -32.25}, map[string]any{"lat": 11.5, "lng": -32.25}} {
			if err := f.shops.UpdateByID(f.ctx, 1, repository.PatchOf[Shop](map[string]any{"location": form})); err != nil {
				f.t.Fatalf("%v: %v", form, err)
			}
			got, err := f.shops.FindByID(f.ctx, 1, nil)
			if err != nil {
				f.t.Fatal(err)
			}
			if got.Location == nil || *got.Location != *pt(11.5, -32.25) {
				f.t.Errorf("%v: answered %v", form, got.Location)
			}
		}
		if err := f.shops.UpdateByID(f.ctx, 1, repository.PatchOf[Shop](nil).Unset("location")); err != nil {
			f.t.Fatal(err)
		}
		f.expect("unset", f.find(`{"where":{"location":{"exists":false}}}`), "x")
		f.expect("unset near", f.find(`{"where":{"location":{"near":"0,0"}}}`))
	}},
}

// runGeo runs each near case over its own fresh connector.
func runGeo(t *testing.T, newConn NewConnector) {
	for _, c := range geoCaseList {
		t.Run(c.name, func(t *testing.T) { c.run(newGeoFixture(t, newConn)) })
	}
}
