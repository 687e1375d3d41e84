package params

import (
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

type shopOwner struct {
	Name string `json:"name" validate:"required,max=4"`
}

type shopIn struct {
	Name  string                         `json:"name"`
	City  repository.Nullable[string]    `json:"city,omitzero" validate:"max=5"`
	Hours repository.Nullable[int]       `json:"hours,omitzero" validate:"lte=24"`
	Since repository.Nullable[time.Time] `json:"since,omitzero"`
	Owner repository.Nullable[shopOwner] `json:"owner,omitzero"`
	Tags  repository.Nullable[[]string]  `json:"tags,omitzero" validate:"dive,min=2"`
	Desc  *string                        `json:"desc,omitempty"`
}

func TestBodyTakesNullForANullableProperty(t *testing.T) {
	d := mustCompile[shopIn](t, Options{})
	v, err := decode[shopIn](t, d, req("POST", "/shops", "", `{"name":"a","city":null,"hours":null,"since":null,"owner":null,"tags":null}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.City.IsNull() && v.Hours.IsNull() && v.Since.IsNull() && v.Owner.IsNull() && v.Tags.IsNull(), true)
	v, err = decode[shopIn](t, d, req("POST", "/shops", "", `{"name":"a"}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.City.IsZero() && v.Owner.IsZero(), true)
	v, err = decode[shopIn](t, d, req("POST", "/shops", "", `{"name":"a","city":"Oslo","hours":8,"owner":{"name":"Ann"},"tags":["ab"]}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	city, _ := v.City.Get()
	owner, _ := v.Owner.Get()
	eq(t, city, "Oslo")
	eq(t, v.Hours.Or(0), 8)
	eq(t, owner.Name, "Ann")
}

func TestBodyChecksANullableValueAsItsType(t *testing.T) {
	d := mustCompile[shopIn](t, Options{})
	_, err := decode[shopIn](t, d, req("POST", "/shops", "", `{"name":"a","city":5,"hours":"8","since":"monday","desc":null}`), nil)
	got := codesOf(t, err)
	want := "/city type must be string; /desc type must be string; /hours type must be integer; /since format must match format \"date-time\""
	if got != want {
		t.Fatalf("details %s\nwant    %s", got, want)
	}
	_, err = decode[shopIn](t, d, req("POST", "/shops", "", `{"name":"a","city":"Bergen","hours":25,"owner":{"name":"Annabel"},"tags":["x"]}`), nil)
	got = codesOf(t, err)
	want = "/city maxLength must NOT have more than 5 characters; /hours maximum must be <= 24; /owner/name maxLength must NOT have more than 4 characters; /tags/0 minLength must NOT have fewer than 2 characters"
	if got != want {
		t.Fatalf("details %s\nwant    %s", got, want)
	}
}

func TestCompileRefusesANullableParameter(t *testing.T) {
	type in struct {
		City repository.Nullable[string] `query:"city"`
	}
	_, err := Compile(reflect.TypeFor[in](), Options{})
	if err == nil || !strings.Contains(err.Error(), "never null") {
		t.Fatalf("err %v", err)
	}
}

// codesOf lists err's details as "path code message", sorted by path.
func codesOf(t *testing.T, err error) string {
	t.Helper()
	ds, _ := httperr.DetailsOf(err).([]httperr.Detail)
	if len(ds) == 0 {
		t.Fatalf("error %v, want details", err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Path+" "+d.Code+" "+d.Message)
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

type benchPointerBody struct {
	Title string  `json:"title" validate:"required,max=80"`
	City  *string `json:"city,omitempty" validate:"max=40"`
}

type benchNullableBody struct {
	Title string                      `json:"title" validate:"required,max=80"`
	City  repository.Nullable[string] `json:"city,omitzero" validate:"max=40"`
}

// BenchmarkDecode_nullable compares a Nullable property with the pointer
// it stands in for, on a body that sends it.
func BenchmarkDecode_nullable(b *testing.B) {
	const body = `{"title":"buy milk","city":"Vancouver"}`
	run := func(b *testing.B, d *Decoder, v any) {
		rd := strings.NewReader(body)
		r := httptest.NewRequest("POST", "/shops", rd)
		r.Header.Set("Content-Type", "application/json")
		b.ReportAllocs()
		for b.Loop() {
			rd.Reset(body)
			r.Body, r.ContentLength = readCloser{rd}, int64(len(body))
			if err := d.Decode(r, nil, v); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("pointer", func(b *testing.B) {
		run(b, mustCompile[benchPointerBody](b, Options{}), &benchPointerBody{})
	})
	b.Run("Nullable", func(b *testing.B) {
		run(b, mustCompile[benchNullableBody](b, Options{}), &benchNullableBody{})
	})
}
