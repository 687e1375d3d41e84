package sql

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// doc has a property of every kind a column stores.
type doc struct {
	ID     string          `json:"id" loom:"id"`
	Text   string          `json:"text,omitempty"`
	N      *int64          `json:"n,omitempty"`
	F      *float64        `json:"f,omitempty"`
	B      *bool           `json:"b,omitempty"`
	At     *time.Time      `json:"at,omitempty"`
	Bytes  []byte          `json:"bytes,omitempty"`
	Any    any             `json:"any,omitempty"`
	Meta   map[string]any  `json:"meta,omitempty"`
	List   []int           `json:"list,omitempty"`
	Nested *nested         `json:"nested,omitempty"`
	Raw    json.RawMessage `json:"raw,omitempty"`
}

type nested struct {
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Inner *nested  `json:"inner,omitempty"`
}

func TestRoundTripSQLite(t *testing.T) {
	runRoundTrip(t, sqliteMemory(t, Options{AutoMigrate: true}))
}

func TestRoundTripPostgres(t *testing.T) {
	requirePostgres(t)
	runRoundTrip(t, postgres(t, Options{AutoMigrate: true}))
}

// The memory connector is the reference: the same cases pass on it.
func TestRoundTripMemory(t *testing.T) {
	runRoundTrip(t, memory.New(memory.Options{}))
}

func runRoundTrip(t *testing.T, c repository.Connector) {
	ctx := t.Context()
	docs, err := repository.NewCrudRepository[doc, string](c)
	if err != nil {
		t.Fatal(err)
	}
	n, f, b := int64(-1<<53), 0.1, false
	at := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
	full := doc{ID: "full", Text: "héllo \"quoted\" <tag> \u2028", N: &n, F: &f, B: &b, At: &at, Bytes: []byte{0, 1, 255},
		Any: map[string]any{"k": []any{1.5, "x", nil, true}}, Meta: map[string]any{"z": 1.0, "a": map[string]any{}},
		List: []int{3, 1, 2}, Nested: &nested{Name: "n", Tags: []string{}, Inner: &nested{Name: "in", Tags: []string{"t"}}},
		Raw: json.RawMessage(`{"b":[1,2],"a":null}`)}
	t.Run("given a value of every kind, when stored and found, then it comes back unchanged", func(t *testing.T) {
		if _, err := docs.Create(ctx, full); err != nil {
			t.Fatal(err)
		}
		got, err := docs.FindByID(ctx, "full", nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(full)
		have, _ := json.Marshal(got)
		if !jsonEqual(t, want, have) {
			t.Fatalf("round trip\n got %s\nwant %s", have, want)
		}
	})
	t.Run("given properties never set, when found, then they are absent, never null", func(t *testing.T) {
		if _, err := docs.Create(ctx, doc{ID: "bare"}); err != nil {
			t.Fatal(err)
		}
		got, err := docs.FindByID(ctx, "bare", nil)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := json.Marshal(got); string(s) != `{"id":"bare"}` {
			t.Fatalf("got %s", s)
		}
	})
	t.Run("given JSON values, when filtered by nested paths, then they match as in memory", func(t *testing.T) {
		for where, want := range map[string]int{
			`{"nested.inner.tags":"t"}`:         1,
			`{"any.k":{"gt":1}}`:                1,
			`{"any.k":"x"}`:                     1,
			`{"list":{"inq":[2,9]}}`:            1,
			`{"list":{"gt":5}}`:                 0,
			`{"meta.z":{"exists":true}}`:        1,
			`{"meta.z":{"exists":false}}`:       1,
			`{"nested.name":{"ilike":"N"}}`:     1,
			`{"nested.name":{"nlike":"x"}}`:     2,
			`{"raw.b":{"between":[2,3]}}`:       1,
			`{"at":{"lt":"2024-03-01"}}`:        1,
			`{"text":{"regexp":"/HÉLLO/i"}}`:    1,
			`{"bytes":{"like":"AAH%"}}`:         1,
			`{"n":{"lt":-9007199254740991}}`:    1,
			`{"nested.inner.name":{"neq":"x"}}`: 2,
		} {
			var w repository.Where[doc]
			if err := json.Unmarshal([]byte(where), &w); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			n, err := docs.Count(ctx, w)
			if err != nil || n.Count != want {
				t.Errorf("count %s = %d, %v; want %d", where, n.Count, err, want)
			}
		}
	})
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}
