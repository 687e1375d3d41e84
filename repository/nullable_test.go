package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/rules"
)

type cafe struct {
	ID     int                                      `json:"id,omitempty" loom:"id,generated"`
	Name   string                                   `json:"name" validate:"required"`
	City   repository.Nullable[string]              `json:"city,omitzero" validate:"max=9"`
	Opened repository.Nullable[time.Time]           `json:"opened,omitzero"`
	Where  repository.Nullable[repository.GeoPoint] `json:"where,omitzero"`
	Owner  repository.Nullable[cafeOwner]           `json:"owner,omitzero"`
	Rating repository.Nullable[int]                 `json:"rating,omitzero"`
	Code   repository.Nullable[string]              `json:"code,omitzero" validate:"required"`
}

type cafeOwner struct {
	Name string `json:"name" validate:"required"`
}

func (cafe) Validations() []rules.Validation {
	return []rules.Validation{
		rules.InclusionOf("city", []any{"Oslo", "Bergen", "Vancouver"}, rules.AllowNull()),
		rules.NumericalityOf("rating", rules.Int(), rules.AllowBlank()),
	}
}

func TestNullableHoldsThreeStates(t *testing.T) {
	var absent repository.Nullable[string]
	null, value := repository.Null[string](), repository.NullableOf("Oslo")
	for _, c := range []struct {
		name               string
		n                  repository.Nullable[string]
		zero, isNull, isOK bool
		or                 string
	}{
		{"absent", absent, true, false, false, "def"},
		{"null", null, false, true, false, "def"},
		{"value", value, false, false, true, "Oslo"},
	} {
		v, ok := c.n.Get()
		if c.n.IsZero() != c.zero || c.n.IsNull() != c.isNull || ok != c.isOK || c.n.Or("def") != c.or || ok && v != "Oslo" {
			t.Errorf("%s: IsZero %v IsNull %v Get %q %v Or %q", c.name, c.n.IsZero(), c.n.IsNull(), v, ok, c.n.Or("def"))
		}
	}
}

func TestNullableJSONLeavesAbsentOutAndKeepsNull(t *testing.T) {
	type doc struct {
		A repository.Nullable[string] `json:"a,omitzero"`
		B repository.Nullable[string] `json:"b,omitzero"`
		C repository.Nullable[int]    `json:"c,omitzero"`
		D repository.Nullable[int]    `json:"d"`
	}
	b, err := json.Marshal(doc{B: repository.Null[string](), C: repository.NullableOf(3)})
	if err != nil || string(b) != `{"b":null,"c":3,"d":null}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
	var got doc
	if err := json.Unmarshal([]byte(`{"a":"x","b":null,"c":3}`), &got); err != nil {
		t.Fatal(err)
	}
	if a, _ := got.A.Get(); a != "x" || !got.B.IsNull() || got.C.Or(0) != 3 || !got.D.IsZero() {
		t.Fatalf("unmarshal: %+v", got)
	}
	// T's own JSON rules apply to the value.
	if err := json.Unmarshal([]byte(`{"c":"three"}`), &got); err == nil {
		t.Fatal("a string read into Nullable[int]")
	}
}

func TestModelOfNullableTakesTheValueKind(t *testing.T) {
	m, err := repository.ModelOf[cafe]()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]repository.Kind{
		"city": repository.KindString, "opened": repository.KindTime, "where": repository.KindGeoPoint,
		"owner": repository.KindObject, "rating": repository.KindInt,
	} {
		if p := m.Property(name); p.Kind != want || !p.Nullable {
			t.Errorf("%s: kind %v nullable %v, want %v nullable", name, p.Kind, p.Nullable, want)
		}
	}
	if m.Property("name").Nullable {
		t.Error("a string property is nullable")
	}
}

func TestModelOfRefusesANullableID(t *testing.T) {
	type bad struct {
		ID repository.Nullable[int] `json:"id" loom:"id"`
	}
	if _, err := repository.ModelOf[bad](); err == nil {
		t.Fatal("a Nullable id was accepted")
	}
}

func newCafes(t *testing.T) *repository.DefaultCrudRepository[cafe, int] {
	t.Helper()
	r, err := repository.NewCrudRepository[cafe, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// details returns the codes of err's validation details, by path.
func details(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *repository.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a ValidationError", err)
	}
	out := map[string]string{}
	for _, d := range ve.Details {
		out[d.Path] = d.Code
	}
	return out
}

func TestNullableValidatesTheValueAndAllowsNullAsDeclared(t *testing.T) {
	ctx := context.Background()
	cafes := newCafes(t)
	// given null where the validation allows null, it is stored as null
	got, err := cafes.Create(ctx, cafe{Name: "a", Code: repository.NullableOf("c"), City: repository.Null[string]()})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(got); string(b) != `{"id":1,"name":"a","city":null,"code":"c"}` {
		t.Fatalf("created %s", b)
	}
	// a value is checked by the validations
	_, err = cafes.Create(ctx, cafe{Name: "b", Code: repository.NullableOf("c"), City: repository.NullableOf("Stavanger")})
	if d := details(t, err); d["/city"] != "inclusion" {
		t.Fatalf("not in the list: details %v", d)
	}
	// required refuses null and absent alike, as LoopBack's presence does
	_, err = cafes.Create(ctx, cafe{Name: "c", Code: repository.Null[string]()})
	if d := details(t, err); d["/code"] != "presence" {
		t.Fatalf("null required: details %v", d)
	}
}

func TestPatchTakesNullForANullablePropertyAlone(t *testing.T) {
	var p repository.Patch[cafe]
	if err := json.Unmarshal([]byte(`{"city":null,"rating":null,"owner":null}`), &p); err != nil {
		t.Fatalf("null refused for Nullable properties: %v", err)
	}
	// a value is checked as T, with T's validate rules; null stays a type
	// error for a property that is not Nullable
	err := json.Unmarshal([]byte(`{"city":5,"name":null,"owner":{}}`), &p)
	d := details(t, err)
	if d["/city"] != "type" || d["/name"] != "type" || d["/owner"] != "required" {
		t.Fatalf("details %v", d)
	}
	err = json.Unmarshal([]byte(`{"city":"Vancouver!"}`), &p)
	if d := details(t, err); d["/city"] != "maxLength" {
		t.Fatalf("too long: details %v", d)
	}
	ctx := context.Background()
	cafes := newCafes(t)
	c, err := cafes.Create(ctx, cafe{Name: "a", Code: repository.NullableOf("x"), City: repository.NullableOf("Oslo")})
	if err != nil {
		t.Fatal(err)
	}
	err = cafes.UpdateByID(ctx, c.ID, repository.PatchOf[cafe](map[string]any{"code": repository.Null[string]()}))
	if d := details(t, err); d["/code"] != "presence" {
		t.Fatalf("details %v", d)
	}
}

func TestPatchSetOfAnAbsentNullableUnsets(t *testing.T) {
	p := repository.PatchOf[cafe](map[string]any{"city": repository.Nullable[string]{}, "rating": repository.Null[int]()})
	if !reflect.DeepEqual(p.Unsets(), []string{"city"}) {
		t.Fatalf("unsets %v", p.Unsets())
	}
	if b, _ := json.Marshal(p); string(b) != `{"city":null,"rating":null}` {
		t.Fatalf("patch %s", b)
	}
}

type nullOwner struct {
	ID    int        `json:"id,omitempty" loom:"id,generated"`
	Name  string     `json:"name"`
	Cafes []nullCafe `json:"cafes,omitempty" loom:"hasMany,keyTo=ownerId"`
}

type nullCafe struct {
	ID      int                      `json:"id,omitempty" loom:"id,generated"`
	OwnerID repository.Nullable[int] `json:"ownerId,omitzero"`
	Owner   *nullOwner               `json:"owner,omitempty" loom:"belongsTo,keyFrom=ownerId"`
}

func TestRelationsJoinOnANullableKey(t *testing.T) {
	ctx := context.Background()
	conn := memory.New(memory.Options{})
	owners, err := repository.NewCrudRepository[nullOwner, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	cafes, err := repository.NewCrudRepository[nullCafe, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owners.Create(ctx, nullOwner{Name: "a"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []nullCafe{{OwnerID: repository.NullableOf(1)}, {OwnerID: repository.Null[int]()}, {}} {
		if _, err := cafes.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// A null or absent key has no owner; a value joins the owner's id.
	var f repository.Filter[nullCafe]
	if err := json.Unmarshal([]byte(`{"include":["owner"]}`), &f); err != nil {
		t.Fatal(err)
	}
	got, err := cafes.Find(ctx, &f)
	if b, _ := json.Marshal(got); err != nil || string(b) != `[{"id":1,"ownerId":1,"owner":{"id":1,"name":"a"}},{"id":2,"ownerId":null},{"id":3}]` {
		t.Fatalf("cafes %s, %v", b, err)
	}
	var g repository.Filter[nullOwner]
	if err := json.Unmarshal([]byte(`{"include":["cafes"]}`), &g); err != nil {
		t.Fatal(err)
	}
	owned, err := owners.Find(ctx, &g)
	if b, _ := json.Marshal(owned); err != nil || string(b) != `[{"id":1,"name":"a","cafes":[{"id":1,"ownerId":1}]}]` {
		t.Fatalf("owners %s, %v", b, err)
	}
}
