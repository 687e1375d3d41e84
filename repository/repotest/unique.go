package repotest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/rules"
)

// Store is the suite's model with uniqueness validations: its name is
// unique, and its code is unique within its city.
type Store struct {
	ID   int     `json:"id,omitempty" loom:"id,generated"`
	Name string  `json:"name" validate:"required"`
	City *string `json:"city,omitempty"`
	Code *string `json:"code,omitempty"`
}

// Validations declares Store's validations.
func (Store) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name"),
		rules.UniquenessOf("code", rules.ScopedTo("city")),
	}
}

// uniqueFixture is a repository of Shops over one fresh connector.
type uniqueFixture struct {
	ctx   context.Context
	conn  repository.Connector
	shops *repository.DefaultCrudRepository[Store, int]
}

func newUniqueFixture(t *testing.T, newConn NewConnector) *uniqueFixture {
	t.Helper()
	conn := newConn(t)
	shops, err := repository.NewCrudRepository[Store, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := conn.(migrator); ok { // the unique indexes are made here
		if err := m.Migrate(context.Background(), shops.Model()); err != nil {
			t.Fatal(err)
		}
	}
	return &uniqueFixture{ctx: context.Background(), conn: conn, shops: shops}
}

func (f *uniqueFixture) create(t *testing.T, s Store) *Store {
	t.Helper()
	got, err := f.shops.Create(f.ctx, s)
	if err != nil {
		t.Fatalf("Create(%+v): %v", s, err)
	}
	return got
}

// expectNotUnique checks that err is a 422 ValidationError whose one
// failure is prop's uniqueness, with juggler's details.
func expectNotUnique(t *testing.T, err error, prop string) {
	t.Helper()
	expectStatus(t, err, 422, repository.CodeValidationFailed)
	var ve *repository.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %v, want a *repository.ValidationError", err, err)
	}
	want := fmt.Sprintf(`{"context":"Store","codes":{%q:["uniqueness"]},"messages":{%q:["is not unique"]}}`, prop, prop)
	if got := jsonOf(t, ve.ErrorDetails()); got != want {
		t.Fatalf("details %s\nwant %s", got, want)
	}
}

// uniqueCases check the uniqueness validations through the repository
// and the connector's own enforcement of [repository.Model.Unique].
func uniqueCases() []uniqueCase {
	return []uniqueCase{
		{"create of a taken value is a 422 uniqueness failure", func(t *testing.T, f *uniqueFixture) {
			f.create(t, Store{Name: "Bean"})
			_, err := f.shops.Create(f.ctx, Store{Name: "Bean"})
			expectNotUnique(t, err, "name")
			if n, _ := f.shops.Count(f.ctx, nil); n.Count != 1 {
				t.Fatalf("%d shops stored", n.Count)
			}
		}},
		{"update to another entity's value is a 422", func(t *testing.T, f *uniqueFixture) {
			f.create(t, Store{Name: "Bean"})
			b := f.create(t, Store{Name: "Brew"})
			err := f.shops.UpdateByID(f.ctx, b.ID, repository.Patch[Store]{}.Set("name", "Bean"))
			expectNotUnique(t, err, "name")
			err = f.shops.ReplaceByID(f.ctx, b.ID, Store{Name: "Bean"})
			expectNotUnique(t, err, "name")
			got, err := f.shops.FindByID(f.ctx, b.ID, nil)
			if err != nil || got.Name != "Brew" {
				t.Fatalf("after the refused updates: %+v, %v", got, err)
			}
		}},
		{"re-sending an entity's own value is no conflict", func(t *testing.T, f *uniqueFixture) {
			a := f.create(t, Store{Name: "Bean", City: Ptr("Oslo"), Code: Ptr("b1")})
			if err := f.shops.UpdateByID(f.ctx, a.ID, repository.Patch[Store]{}.Set("name", "Bean")); err != nil {
				t.Fatal(err)
			}
			if err := f.shops.ReplaceByID(f.ctx, a.ID, Store{Name: "Bean", City: Ptr("Oslo"), Code: Ptr("b1")}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.shops.Save(f.ctx, *a); err != nil {
				t.Fatal(err)
			}
		}},
		{"a scoped uniqueness compares within the scope", func(t *testing.T, f *uniqueFixture) {
			f.create(t, Store{Name: "A", City: Ptr("Oslo"), Code: Ptr("x")})
			f.create(t, Store{Name: "B", City: Ptr("Rome"), Code: Ptr("x")})
			_, err := f.shops.Create(f.ctx, Store{Name: "C", City: Ptr("Oslo"), Code: Ptr("x")})
			expectNotUnique(t, err, "code")
			// and so does a batch, whose values are looked up together
			_, err = f.shops.CreateAll(f.ctx, []Store{{Name: "D", City: Ptr("Paris"), Code: Ptr("x")}, {Name: "E", City: Ptr("Oslo"), Code: Ptr("x")}})
			expectNotUnique(t, err, "code")
			if _, err := f.shops.CreateAll(f.ctx, []Store{{Name: "D", City: Ptr("Paris"), Code: Ptr("x")}, {Name: "E", City: Ptr("Oslo"), Code: Ptr("y")}}); err != nil {
				t.Fatal(err)
			}
		}},
		{"blank values are not checked", func(t *testing.T, f *uniqueFixture) {
			f.create(t, Store{Name: "A", City: Ptr("Oslo"), Code: Ptr("")})
			f.create(t, Store{Name: "B", City: Ptr("Oslo"), Code: Ptr("")})
			f.create(t, Store{Name: "C", City: Ptr("Oslo")})
			f.create(t, Store{Name: "D", City: Ptr("Oslo")})
		}},
		{"a batch holding one value twice stores nothing", func(t *testing.T, f *uniqueFixture) {
			_, err := f.shops.CreateAll(f.ctx, []Store{{Name: "Twin"}, {Name: "Solo"}, {Name: "Twin"}})
			expectNotUnique(t, err, "name")
			if n, _ := f.shops.Count(f.ctx, nil); n.Count != 0 {
				t.Fatalf("%d shops stored", n.Count)
			}
			// and the refused batch left no trace: its values are free
			f.create(t, Store{Name: "Twin"})
			f.create(t, Store{Name: "Solo"})
		}},
		{"a value freed by a delete or an update can be taken", func(t *testing.T, f *uniqueFixture) {
			a := f.create(t, Store{Name: "Bean"})
			b := f.create(t, Store{Name: "Brew"})
			f.must(t, f.shops.UpdateByID(f.ctx, b.ID, repository.Patch[Store]{}.Set("name", "Brewed")))
			f.create(t, Store{Name: "Brew"})
			f.must(t, f.shops.DeleteByID(f.ctx, a.ID))
			f.create(t, Store{Name: "Bean"})
		}},
		{"updateAll giving two entities one value is a 422", func(t *testing.T, f *uniqueFixture) {
			f.create(t, Store{Name: "A"})
			f.create(t, Store{Name: "B"})
			_, err := f.shops.UpdateAll(f.ctx, repository.Patch[Store]{}.Set("name", "Same"), nil)
			expectNotUnique(t, err, "name")
			if n, _ := f.shops.Count(f.ctx, repository.Eq("name", "Same")); n.Count != 0 {
				t.Fatalf("%d shops renamed", n.Count)
			}
		}},
		{"the connector refuses a duplicate the repository did not see", func(t *testing.T, f *uniqueFixture) {
			// Straight to the connector, as a concurrent write the
			// repository's check could not see.
			m := f.shops.Model()
			if _, err := f.conn.Create(f.ctx, m, []repository.Data{{"name": []byte(`"Bean"`)}}); err != nil {
				t.Fatal(err)
			}
			_, err := f.conn.Create(f.ctx, m, []repository.Data{{"name": []byte(`"Bean"`)}})
			expectNotUnique(t, err, "name")
			brew, err := f.conn.Create(f.ctx, m, []repository.Data{{"name": []byte(`"Brew"`)}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.conn.Update(f.ctx, m, repository.Data{"name": []byte(`"Bean"`)}, repository.Cond{Op: repository.OpEq, Prop: "name", Value: "Brew"})
			expectNotUnique(t, err, "name")
			_, err = f.conn.Replace(f.ctx, m, repository.Data{"id": brew[0]["id"], "name": []byte(`"Bean"`)})
			expectNotUnique(t, err, "name")
		}},
		{"of concurrent creates of one value one wins", func(t *testing.T, f *uniqueFixture) {
			const n = 8
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = f.shops.Create(f.ctx, Store{Name: "Race"})
				})
			}
			close(start)
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
					continue
				}
				expectNotUnique(t, err, "name")
			}
			if won != 1 {
				t.Fatalf("%d creates won", won)
			}
			if c, _ := f.shops.Count(f.ctx, nil); c.Count != 1 {
				t.Fatalf("%d shops stored", c.Count)
			}
		}},
	}
}

func (f *uniqueFixture) must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// uniqueCase is one case of the unique group.
type uniqueCase struct {
	name string
	run  func(t *testing.T, f *uniqueFixture)
}
