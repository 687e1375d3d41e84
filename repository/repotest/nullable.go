package repotest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
)

// CoffeeShop is the model of the nullable cases: LoopBack's CoffeeShop, whose
// city and rating a client may set to null and read back as null.
type CoffeeShop struct {
	ID     int                          `json:"id,omitempty" loom:"id,generated"`
	Name   string                       `json:"name"`
	City   repository.Nullable[string]  `json:"city,omitzero"`
	Rating repository.Nullable[float64] `json:"rating,omitzero"`
}

// Roaster has a Nullable property of each kind a store keeps in its own
// way: a boolean, a date-time, an object and a list.
type Roaster struct {
	ID       int                                      `json:"id,omitempty" loom:"id,generated"`
	Name     string                                   `json:"name"`
	Open     repository.Nullable[bool]                `json:"open,omitzero"`
	Since    repository.Nullable[time.Time]           `json:"since,omitzero"`
	Address  repository.Nullable[Address]             `json:"address,omitzero"`
	Tags     repository.Nullable[[]string]            `json:"tags,omitzero"`
	Location repository.Nullable[repository.GeoPoint] `json:"location,omitzero"`
}

// nullFixture is a repository of CoffeeShops and one of Roasters over one
// fresh connector.
type nullFixture struct {
	*fixture
	shops    *repository.DefaultCrudRepository[CoffeeShop, int]
	roasters *repository.DefaultCrudRepository[Roaster, int]
}

func newNullFixture(t *testing.T, newConn NewConnector) *nullFixture {
	t.Helper()
	f := newFixture(t, newConn)
	shops, err := repository.NewCrudRepository[CoffeeShop, int](f.conn)
	if err != nil {
		t.Fatal(err)
	}
	roasters, err := repository.NewCrudRepository[Roaster, int](f.conn)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := f.conn.(migrator); ok {
		if err := m.Migrate(f.ctx, shops.Model(), roasters.Model()); err != nil {
			t.Fatal(err)
		}
	}
	return &nullFixture{fixture: f, shops: shops, roasters: roasters}
}

func (f *nullFixture) shop(s CoffeeShop) *CoffeeShop {
	f.t.Helper()
	got, err := f.shops.Create(f.ctx, s)
	if err != nil {
		f.t.Fatalf("Create(%+v): %v", s, err)
	}
	return got
}

// expect reads entity id back and compares it with want (JSON), where
// a null of want may read back absent: SQL has one NULL for a property
// set to null and one never set, and reads it back absent, while the
// memory store keeps the null. The properties never set (unset) are
// absent on every store.
func (f *nullFixture) expect(id int, want string, unset ...string) {
	f.t.Helper()
	got, err := f.shops.FindByID(f.ctx, id, nil)
	f.must(err)
	var m map[string]any
	f.must(json.Unmarshal([]byte(jsonOf(f.t, got)), &m))
	var w map[string]any
	f.must(json.Unmarshal([]byte(want), &w))
	for k, v := range w {
		if _, ok := m[k]; !ok && v == nil {
			m[k] = nil
		}
	}
	if jsonOf(f.t, m) != jsonOf(f.t, w) {
		f.t.Fatalf("found %s, want %s (%v absent or null)", jsonOf(f.t, got), want, unset)
	}
}

// names runs filter (JSON) and lists the names found, in order.
func (f *nullFixture) names(filter string) []string {
	f.t.Helper()
	var flt repository.Filter[CoffeeShop]
	if err := json.Unmarshal([]byte(filter), &flt); err != nil {
		f.t.Fatalf("given %s: %v", filter, err)
	}
	got, err := f.shops.Find(f.ctx, &flt)
	if err != nil {
		f.t.Fatalf("find %s: %v", filter, err)
	}
	var out []string
	for _, s := range got {
		out = append(out, s.Name)
	}
	return out
}

func sameNames(t *testing.T, filter string, got []string, want ...string) {
	t.Helper()
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Fatalf("%s found %v, want %v", filter, got, want)
	}
}

// nullableCases check repository.Nullable properties: a null is stored,
// answered as null and read back as null (or absent, on a store that
// cannot tell them apart: SQL's NULL), and filters take it as they take
// an absent value.
func nullableCases() []struct {
	name string
	run  func(t *testing.T, f *nullFixture)
} {
	type c = struct {
		name string
		run  func(t *testing.T, f *nullFixture)
	}
	return []c{
		{"create with null answers null and reads it back", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.Null[string]()})
			if s := jsonOf(t, got); s != `{"id":1,"name":"a","city":null}` {
				t.Fatalf("created %s", s)
			}
			f.expect(got.ID, `{"id":1,"name":"a","city":null}`, "rating")
		}},
		{"create with a value reads the value back", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.NullableOf("Oslo"), Rating: repository.NullableOf(4.5)})
			f.expect(got.ID, `{"id":1,"name":"a","city":"Oslo","rating":4.5}`)
		}},
		{"create without it reads back no value: absent, or null where the store cannot tell", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a"})
			found, err := f.shops.FindByID(f.ctx, got.ID, nil)
			f.must(err)
			if _, ok := found.City.Get(); ok || !found.City.IsZero() && !found.City.IsNull() {
				t.Fatalf("found city %+v, want absent or null", found.City)
			}
			if s := jsonOf(t, found); s != `{"id":1,"name":"a"}` && s != `{"id":1,"name":"a","city":null,"rating":null}` {
				t.Fatalf("found %s", s)
			}
		}},
		{"a patch sets null, which reads back null", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.NullableOf("Oslo")})
			f.must(f.shops.UpdateByID(f.ctx, got.ID, repository.PatchOf[CoffeeShop](map[string]any{"city": repository.Null[string]()})))
			f.expect(got.ID, `{"id":1,"name":"a","city":null}`, "rating")
		}},
		{"a patch decoded from JSON null sets null", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.NullableOf("Oslo"), Rating: repository.NullableOf(3.0)})
			var p repository.Patch[CoffeeShop]
			f.must(json.Unmarshal([]byte(`{"city":null,"rating":2}`), &p))
			f.must(f.shops.UpdateByID(f.ctx, got.ID, p))
			f.expect(got.ID, `{"id":1,"name":"a","city":null,"rating":2}`)
		}},
		{"a patch sets a value over null", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.Null[string]()})
			f.must(f.shops.UpdateByID(f.ctx, got.ID, repository.PatchOf[CoffeeShop](map[string]any{"city": "Rome"})))
			f.expect(got.ID, `{"id":1,"name":"a","city":"Rome"}`, "rating")
		}},
		{"replace keeps a null", func(t *testing.T, f *nullFixture) {
			got := f.shop(CoffeeShop{Name: "a", City: repository.NullableOf("Oslo")})
			f.must(f.shops.ReplaceByID(f.ctx, got.ID, CoffeeShop{Name: "b", City: repository.Null[string]()}))
			f.expect(got.ID, `{"id":1,"name":"b","city":null}`, "rating")
		}},
		{"where eq null matches null and absent, neq null the values", func(t *testing.T, f *nullFixture) {
			f.shop(CoffeeShop{Name: "null", City: repository.Null[string]()})
			f.shop(CoffeeShop{Name: "oslo", City: repository.NullableOf("Oslo")})
			f.shop(CoffeeShop{Name: "absent"})
			sameNames(t, "eq null", f.names(`{"where":{"city":null},"order":"id"}`), "null", "absent")
			sameNames(t, "neq null", f.names(`{"where":{"city":{"neq":null}}}`), "oslo")
			sameNames(t, "exists", f.names(`{"where":{"city":{"exists":true}}}`), "oslo")
			sameNames(t, "exists false", f.names(`{"where":{"city":{"exists":false}},"order":"id"}`), "null", "absent")
			sameNames(t, "eq value", f.names(`{"where":{"city":"Oslo"}}`), "oslo")
		}},
		{"where values are coerced to the value's kind", func(t *testing.T, f *nullFixture) {
			f.shop(CoffeeShop{Name: "low", Rating: repository.NullableOf(2.0)})
			f.shop(CoffeeShop{Name: "high", Rating: repository.NullableOf(4.5)})
			f.shop(CoffeeShop{Name: "null", Rating: repository.Null[float64]()})
			sameNames(t, "eq text", f.names(`{"where":{"rating":"4.5"}}`), "high")
			sameNames(t, "gt", f.names(`{"where":{"rating":{"gt":1}},"order":"id"}`), "low", "high")
			var flt repository.Filter[CoffeeShop]
			err := json.Unmarshal([]byte(`{"where":{"rating":"high"}}`), &flt)
			if err == nil {
				_, err = f.shops.Find(f.ctx, &flt)
			}
			expectStatus(t, err, 400, "")
		}},
		{"every kind stores null and a value", func(t *testing.T, f *nullFixture) {
			day := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
			nulls, err := f.roasters.Create(f.ctx, Roaster{Name: "nulls", Open: repository.Null[bool](), Since: repository.Null[time.Time](),
				Address: repository.Null[Address](), Tags: repository.Null[[]string](), Location: repository.Null[repository.GeoPoint]()})
			f.must(err)
			values, err := f.roasters.Create(f.ctx, Roaster{Name: "values", Open: repository.NullableOf(false), Since: repository.NullableOf(day),
				Address: repository.NullableOf(Address{City: "Oslo"}), Tags: repository.NullableOf([]string{"a"}),
				Location: repository.NullableOf(repository.GeoPoint{Lat: 59.9, Lng: 10.7})})
			f.must(err)
			for id, want := range map[int][]string{
				// The nulls read back null, or absent where the store
				// cannot tell them apart (SQL).
				nulls.ID:  {`{"id":1,"name":"nulls","open":null,"since":null,"address":null,"tags":null,"location":null}`, `{"id":1,"name":"nulls"}`},
				values.ID: {`{"id":2,"name":"values","open":false,"since":"2024-01-02T03:04:05Z","address":{"city":"Oslo"},"tags":["a"],"location":{"lat":59.9,"lng":10.7}}`},
			} {
				got, err := f.roasters.FindByID(f.ctx, id, nil)
				f.must(err)
				if s := jsonOf(t, got); !slices.Contains(want, s) {
					t.Errorf("found %s\nwant  %s", s, want[0])
				}
			}
			var flt repository.Filter[Roaster]
			f.must(json.Unmarshal([]byte(`{"where":{"and":[{"open":null},{"since":null},{"address":null},{"tags":null},{"location":null}]}}`), &flt))
			got, err := f.roasters.Find(f.ctx, &flt)
			f.must(err)
			if len(got) != 1 || got[0].Name != "nulls" {
				t.Fatalf("eq null found %s", jsonOf(t, got))
			}
			f.must(json.Unmarshal([]byte(`{"where":{"open":false,"since":{"gt":"2024-01-01T00:00:00Z"}}}`), &flt))
			got, err = f.roasters.Find(f.ctx, &flt)
			f.must(err)
			if len(got) != 1 || got[0].Name != "values" {
				t.Fatalf("eq value found %s", jsonOf(t, got))
			}
			// near leaves a null location out, as an absent one.
			flt = repository.Filter[Roaster]{}
			f.must(json.Unmarshal([]byte(`{"where":{"location":{"near":"59.9,10.7","maxDistance":10}}}`), &flt))
			got, err = f.roasters.Find(f.ctx, &flt)
			f.must(err)
			if len(got) != 1 || got[0].Name != "values" {
				t.Fatalf("near found %s", jsonOf(t, got))
			}
		}},
		{"order puts null and absent first ascending, last descending", func(t *testing.T, f *nullFixture) {
			f.shop(CoffeeShop{Name: "b", City: repository.NullableOf("Bergen")})
			f.shop(CoffeeShop{Name: "null", City: repository.Null[string]()})
			f.shop(CoffeeShop{Name: "a", City: repository.NullableOf("Aarhus")})
			sameNames(t, "asc", f.names(`{"order":"city ASC"}`), "null", "a", "b")
			sameNames(t, "desc", f.names(`{"order":"city DESC"}`), "b", "a", "null")
		}},
	}
}
