package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func parseShopFilter(t *testing.T, s string) (repository.Filter[geoShop], error) {
	t.Helper()
	var f repository.Filter[geoShop]
	err := json.Unmarshal([]byte(s), &f)
	return f, err
}

func TestNearParsesEveryPointFormAndCoercesText(t *testing.T) {
	for _, near := range []string{`"1.5,2"`, `[1.5,2]`, `{"lat":1.5,"lng":2}`, `{"lat":"1.5","lng":"2"}`} {
		f, err := parseShopFilter(t, `{"where":{"location":{"near":`+near+`,"maxDistance":"20","minDistance":1,"unit":"kilometers"}}}`)
		if err != nil {
			t.Fatalf("%s: %v", near, err)
		}
		n, ok := f.Where.Value.(repository.GeoNear)
		if f.Where.Op != repository.OpNear || f.Where.Prop != "location" || !ok {
			t.Fatalf("%s: got %v", near, f.Where)
		}
		if n.Point != (repository.GeoPoint{Lat: 1.5, Lng: 2}) || *n.MaxDistance != 20 || *n.MinDistance != 1 || n.Unit != repository.Kilometers {
			t.Errorf("%s: got %+v", near, n)
		}
	}
}

func TestNearWithoutUnitIsMiles(t *testing.T) {
	f, err := parseShopFilter(t, `{"where":{"location":{"near":"1,2"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Where.Value.(repository.GeoNear); n.Unit != repository.Miles || n.MaxDistance != nil || n.MinDistance != nil {
		t.Errorf("got %+v", n)
	}
}

func TestNearMistakesAre400sNamingThePlace(t *testing.T) {
	for _, c := range []struct{ filter, path, msg string }{
		{`{"where":{"or":[{"location":{"near":"1,2"}},{"name":"x"}]}}`, "where.or[0].location.near", "inside an or"},
		{`{"where":{"and":[{"location":{"near":"1,2"}},{"location":{"near":"3,4"}}]}}`, "where.and[1].location.near", "one near"},
		{`{"where":{"location":{"near":"1,2","unit":"furlongs"}}}`, "where.location.unit", `unknown unit "furlongs"`},
		{`{"where":{"location":{"near":"1,2","maxDistance":-1}}}`, "where.location.maxDistance", "must be >= 0"},
		{`{"where":{"location":{"near":"1,2","minDistance":"abc"}}}`, "where.location.minDistance", "must be a number"},
		{`{"where":{"location":{"near":"1,2","minDistance":9,"maxDistance":3}}}`, "where.location.minDistance", "more than maxDistance"},
		{`{"where":{"location":{"near":"abc"}}}`, "where.location.near", `must provide a "lat,lng" string`},
		{`{"where":{"location":{"near":{"lat":100,"lng":1}}}}`, "where.location.near", "lat must be <= 90"},
		{`{"where":{"location":{"near":"1,2","gt":3}}}`, "where.location.gt", "put other operators in an and"},
		{`{"where":{"location":{"maxDistance":3}}}`, "where.location.near", "go with near"},
		{`{"where":{"name":{"near":"1,2"}}}`, "where.name.near", "needs a GeoPoint property"},
		{`{"where":{"location":{"gt":3}}}`, "where.location.gt", "is a GeoPoint"},
		{`{"where":{"location":"1,2"}}`, "where.location", "is a GeoPoint"},
		{`{"order":"location ASC"}`, "order[0]", "sorted by distance"},
	} {
		_, err := parseShopFilter(t, c.filter)
		var fe *repository.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a FilterError", c.filter, err)
			continue
		}
		if fe.Path != c.path || !strings.Contains(fe.Message, c.msg) || fe.StatusCode() != 400 {
			t.Errorf("%s: got %s: %s (%d), want %s: …%s…", c.filter, fe.Path, fe.Message, fe.StatusCode(), c.path, c.msg)
		}
	}
}

func TestNearInCodeIsCheckedAsInJSON(t *testing.T) {
	shops, err := repository.NewCrudRepository[geoShop, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	here := repository.GeoPoint{Lat: 1, Lng: 2}
	for _, where := range []repository.Cond{
		repository.Or(repository.Near("location", here), repository.Eq("name", "x")),
		repository.And(repository.Near("location", here), repository.Near("location", here)),
		repository.Near("location", here, repository.WithUnit("furlongs")),
		repository.Near("location", here, repository.WithMaxDistance(-1)),
		repository.Near("location", repository.GeoPoint{Lat: 91}),
		repository.Near("name", here),
	} {
		if _, err := shops.Count(ctx, where); err == nil {
			t.Errorf("%v: no error", where)
		}
	}
}

func TestNearConditionWritesLoopBacksSyntax(t *testing.T) {
	c := repository.Near("location", repository.GeoPoint{Lat: 1.5, Lng: 2}, repository.WithMaxDistance(20), repository.WithUnit(repository.Kilometers))
	want := `{"location":{"near":{"lat":1.5,"lng":2},"maxDistance":20,"unit":"kilometers"}}`
	if got := c.String(); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	// and it reads back as the same condition
	f, err := parseShopFilter(t, `{"where":`+want+`}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Where.String(); got != want {
		t.Errorf("read back as %s", got)
	}
}

func TestNearAddsTheDistanceOrderKeyAfterTheGivenOnes(t *testing.T) {
	m, err := repository.ModelOf[geoShop]()
	if err != nil {
		t.Fatal(err)
	}
	here := repository.GeoPoint{Lat: 1, Lng: 2}
	q, err := repository.CheckQuery(m, repository.Query{
		Where: repository.Near("location", here),
		Order: []repository.Order{repository.Desc("name")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Order) != 2 || q.Order[0] != repository.Desc("name") || q.Order[1].Near == nil || *q.Order[1].Near != here {
		t.Fatalf("order %v", q.Order)
	}
	// Checking again adds nothing.
	if q2, err := repository.CheckQuery(m, q); err != nil || len(q2.Order) != 2 {
		t.Fatalf("again: %v, %v", q2.Order, err)
	}
	if s := q.Order[1].String(); s != "location NEAR 1,2 ASC" {
		t.Errorf("String: %q", s)
	}
}

func TestAPointAsAnObjectInAWhereIsAGeoPointError(t *testing.T) {
	_, err := parseShopFilter(t, `{"where":{"location":{"lat":1,"lng":2}}}`)
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.Path != "where.location" || !strings.Contains(fe.Message, "is a GeoPoint: query it with near") {
		t.Fatalf("got %v", err)
	}
	_, err = parseShopFilter(t, `{"where":{"name":{"nope":1}}}`)
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "regexp, near)") {
		t.Fatalf("unknown operator: got %v", err)
	}
}

type geoCity struct {
	ID    int          `json:"id,omitempty" loom:"id,generated"`
	Name  string       `json:"name"`
	Shops []geoCityBar `json:"shops,omitempty" loom:"hasMany"`
}

type geoCityBar struct {
	ID        int                  `json:"id,omitempty" loom:"id,generated"`
	Name      string               `json:"name"`
	GeoCityID int                  `json:"geoCityId"`
	Location  *repository.GeoPoint `json:"location,omitempty"`
}

func TestNearInAnIncludeScopeOrdersEachParentsEntities(t *testing.T) {
	conn := memory.New(memory.Options{})
	cities, err := repository.NewCrudRepository[geoCity, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	bars, err := repository.NewCrudRepository[geoCityBar, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"x", "y"} {
		if _, err := cities.Create(ctx, geoCity{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []geoCityBar{
		{Name: "x far", GeoCityID: 1, Location: &repository.GeoPoint{Lat: 1}},
		{Name: "y near", GeoCityID: 2, Location: &repository.GeoPoint{Lat: 0.1}},
		{Name: "x near", GeoCityID: 1, Location: &repository.GeoPoint{Lat: 0.1}},
		{Name: "x nowhere", GeoCityID: 1},
		{Name: "y too far", GeoCityID: 2, Location: &repository.GeoPoint{Lat: 10}},
	} {
		if _, err := bars.Create(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	var f repository.Filter[geoCity]
	if err := json.Unmarshal([]byte(`{"include":{"relation":"shops","scope":{"where":{"location":{"near":"0,0","maxDistance":200,"unit":"kilometers"}}}}}`), &f); err != nil {
		t.Fatal(err)
	}
	got, err := cities.Find(ctx, &f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range got {
		for _, s := range c.Shops {
			names = append(names, c.Name+": "+s.Name)
		}
	}
	if want := "x: x near,x: x far,y: y near"; strings.Join(names, ",") != want {
		t.Fatalf("got %q, want %q", names, want)
	}
}

// FuzzParseNear feeds arbitrary JSON to the filter parser over a model
// with a GeoPoint: it must never panic, only answer FilterErrors, and a
// filter it accepts must write JSON that parses back to the same filter.
func FuzzParseNear(f *testing.F) {
	for _, seed := range []string{
		`{"where":{"location":{"near":"1,2"}}}`,
		`{"where":{"location":{"near":[1,"2"],"maxDistance":"3","minDistance":0,"unit":"feet"}},"order":"name DESC"}`,
		`{"where":{"and":[{"location":{"near":{"lat":-89.9,"lng":179.9}}},{"name":{"neq":"x"}}]}}`,
		`{"where":{"or":[{"location":{"near":"1,2"}}]}}`,
		`{"where":{"location":{"near":"1e999,2","unit":7}}}`,
		`{"where":{"location":{"exists":true}},"order":["location ASC"]}`,
	} {
		f.Add([]byte(seed))
	}
	m, err := repository.ModelOf[geoShop]()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := repository.ParseFilter(m, data)
		if err != nil {
			if _, ok := err.(*repository.FilterError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		out, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("accepted %s but cannot write it: %v", data, err)
		}
		again, err := repository.ParseFilter(m, out)
		if err != nil {
			t.Fatalf("accepted %s, wrote %s, which fails: %v", data, out, err)
		}
		if out2, _ := json.Marshal(again); string(out2) != string(out) {
			t.Fatalf("round trip changed the filter:\n%s\n%s", out, out2)
		}
	})
}
