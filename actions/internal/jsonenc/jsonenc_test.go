package jsonenc

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// stdJSON is encoding/json's answer, as the send action writes it.
func stdJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type item struct {
	ID    int     `json:"id"`
	Title string  `json:"title"`
	Desc  *string `json:"desc,omitempty"`
	Done  bool    `json:"isComplete"`
}

type scalars struct {
	B   bool
	I   int
	I8  int8
	I16 int16 `json:"i16,omitempty"`
	I32 int32
	I64 int64 `json:",omitempty"`
	U   uint
	U8  uint8
	U16 uint16
	U32 uint32 `json:"u32,omitempty"`
	U64 uint64
	F32 float32
	F64 float64 `json:"f64,omitempty"`
	S   string  `json:"s,omitempty"`
	T   time.Time
	PT  *time.Time `json:"pt,omitempty"`
	Raw json.RawMessage
	RO  json.RawMessage `json:"ro,omitempty"`

	Bad   string `json:"a\\b"` // not a valid tag name: the Go name is used
	Dash  string `json:"-,"`   // named "-"
	Skip  string `json:"-"`
	lower string
}

type Base struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	Shadow  string
	Twice   string
	Tagged  string `json:"tagged"`
	private string
}

type Other struct {
	Twice  string
	Tagged string // loses to Base's tagged field of the name
	Deep   string
}

type inner struct {
	Exported string
}

type embedding struct {
	Base
	Other
	inner
	Shadow string // shallower: wins over Base.Shadow
	Items  []item `json:"items"`
	Ptrs   []*item
	Nested struct {
		A []string `json:"a,omitempty"`
		B *int
	} `json:"nested"`
}

type tree struct {
	Name     string  `json:"name"`
	Children []*tree `json:"children,omitempty"`
	Next     *tree   `json:"next"`
}

// fill sets v (addressable) to random values of its type.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		sec := r.Int64N(400_000_000_000) - 200_000_000_000
		if r.IntN(4) > 0 {
			sec = r.Int64N(4_000_000_000)
		}
		loc := time.UTC
		if r.IntN(2) == 0 {
			loc = time.FixedZone("", (r.IntN(48)-24)*1800)
		}
		v.Set(reflect.ValueOf(time.Unix(sec, r.Int64N(1e9)).In(loc)))
		return
	case reflect.TypeFor[json.RawMessage]():
		raws := []string{"", "null", ` { "a" : [1, 2 ,"x y"] } `, `"s"`, `{bad`, `12`}
		if n := r.IntN(len(raws) + 1); n < len(raws) {
			v.Set(reflect.ValueOf(json.RawMessage(raws[n])))
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if r.IntN(3) > 0 {
			v.SetInt(int64(r.Uint64()))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if r.IntN(3) > 0 {
			v.SetUint(r.Uint64())
		}
	case reflect.Float32, reflect.Float64:
		specials := []float64{0, math.Copysign(0, -1), 1e-7, 1e21, 1e20, 123.456, 5e-324, math.MaxFloat64, math.Inf(1), math.NaN(), 1e-6, 0.000001234}
		if r.IntN(2) == 0 {
			v.SetFloat(specials[r.IntN(len(specials))])
		} else {
			v.SetFloat(math.Float64frombits(r.Uint64()))
		}
	case reflect.String:
		var sb strings.Builder
		for range r.IntN(12) {
			switch r.IntN(5) {
			case 0:
				sb.WriteByte(byte(r.IntN(256)))
			case 1:
				sb.WriteRune([]rune{'\u2028', '\u2029', 'é', '😀', '<', '&', '"', '\\', '\n', '\x7f', '\x00'}[r.IntN(11)])
			default:
				sb.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		v.SetString(sb.String())
	case reflect.Pointer:
		if depth < 4 && r.IntN(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(r, v.Elem(), depth+1)
		}
	case reflect.Slice:
		if depth < 4 && r.IntN(4) > 0 {
			n := r.IntN(4)
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				fill(r, v.Index(i), depth+1)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth)
			}
		}
	}
}

// check compares Append with encoding/json on many random values of T,
// *T and []T.
func check[T any](t *testing.T) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	encs := map[string]*Encoder{
		"T":   For(reflect.TypeFor[T]()),
		"*T":  For(reflect.TypeFor[*T]()),
		"[]T": For(reflect.TypeFor[[]T]()),
	}
	for name, e := range encs {
		if e == nil {
			t.Fatalf("%s of %T is not compiled", name, *new(T))
		}
	}
	for i := range 3000 {
		var v T
		fill(r, reflect.ValueOf(&v).Elem(), 0)
		var vs []T
		if i%3 > 0 {
			vs = []T{v, v}
		}
		var p *T
		if i%5 > 0 {
			p = &v
		}
		for name, val := range map[string]any{"T": v, "*T": p, "[]T": vs} {
			want, err := stdJSON(val)
			got, ok := encs[name].Append([]byte("prefix"), val)
			if err != nil {
				if ok {
					t.Fatalf("%s %#v: encoding/json fails (%v), Append wrote %s", name, val, err, got)
				}
				continue
			}
			if !ok {
				t.Fatalf("%s %#v: Append failed, encoding/json wrote %s", name, val, want)
			}
			if !bytes.Equal(got[len("prefix"):], want) {
				t.Fatalf("%s:\n got %s\nwant %s", name, got[len("prefix"):], want)
			}
		}
	}
}

func TestAppend_WritesWhatEncodingJSONWrites(t *testing.T) {
	t.Run("item", check[item])
	t.Run("scalars", check[scalars])
	t.Run("embedding", check[embedding])
	t.Run("tree", check[tree])
}

func TestAppend_RefusesAValueOfAnotherType(t *testing.T) {
	e := For(reflect.TypeFor[*item]())
	if _, ok := e.Append(nil, item{}); ok {
		t.Fatal("an item value went through the *item encoder")
	}
	if got, ok := e.Append(nil, (*item)(nil)); !ok || string(got) != "null" {
		t.Fatalf("nil *item = %q %v", got, ok)
	}
}

func TestAppend_GivesUpOnACycle(t *testing.T) {
	n := &tree{Name: "loop"}
	n.Next = n
	if _, ok := For(reflect.TypeFor[*tree]()).Append(nil, n); ok {
		t.Fatal("a cycle was written")
	}
	if _, err := stdJSON(n); err == nil {
		t.Fatal("encoding/json wrote a cycle")
	}
}

type selfMarshal struct{ A int }

func (selfMarshal) MarshalJSON() ([]byte, error) { return []byte(`"x"`), nil }

type textMarshal struct{ A int }

func (*textMarshal) MarshalText() ([]byte, error) { return []byte("x"), nil }

func TestFor_LeavesToEncodingJSONWhatItDoesNotCover(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[*struct{ M map[string]int }](),
		reflect.TypeFor[*struct{ A any }](),
		reflect.TypeFor[*struct{ B []byte }](),
		reflect.TypeFor[*struct{ N json.Number }](),
		reflect.TypeFor[*struct{ N *json.Number }](),
		reflect.TypeFor[*struct{ A [2]int }](),
		reflect.TypeFor[*struct {
			N int `json:",string"`
		}](),
		reflect.TypeFor[*struct {
			N int `json:",omitzero"`
		}](),
		reflect.TypeFor[*struct{ *item }](),
		reflect.TypeFor[*selfMarshal](),
		reflect.TypeFor[[]struct{ S selfMarshal }](),
		reflect.TypeFor[*struct{ T textMarshal }](),
		reflect.TypeFor[string](),
		reflect.TypeFor[struct{ P *int }](),
		reflect.TypeFor[map[string]int](),
	} {
		if For(typ) != nil {
			t.Errorf("%v compiled", typ)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	v := &item{ID: 42, Title: "an item"}
	b.Run("jsonenc", func(b *testing.B) {
		e := For(reflect.TypeFor[*item]())
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = e.Append(buf[:0], v)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(v)
		}
	})
}

func TestAppend_DropsTwoTaggedFieldsOfOneNameAtOneDepth(t *testing.T) {
	// Built at run time: vet refuses the repeated tag in source.
	tagged := func(name string) reflect.Type {
		return reflect.StructOf([]reflect.StructField{
			{Name: "X", Type: reflect.TypeFor[string](), Tag: `json:"x"`},
			{Name: name, Type: reflect.TypeFor[int]()},
		})
	}
	outer := reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: tagged("A1"), Anonymous: true},
		{Name: "B", Type: tagged("B1"), Anonymous: true},
		{Name: "C", Type: reflect.TypeFor[string]()},
	})
	v := reflect.New(outer)
	v.Elem().Field(0).Field(0).SetString("a")
	v.Elem().Field(1).Field(0).SetString("b")
	want, err := stdJSON(v.Interface())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := For(v.Type()).Append(nil, v.Interface())
	if !ok || !bytes.Equal(got, want) {
		t.Fatalf("got %s %v, want %s", got, ok, want)
	}
}
