package sql

import (
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestStoredPointReadsTheCanonicalFormAsAFullDecodeWould(t *testing.T) {
	for _, p := range []repository.GeoPoint{{Lat: 10, Lng: 20}, {Lat: -89.99999999999999, Lng: 179.9}, {Lat: 0.1 + 0.2, Lng: -1e-300}} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := canonicalPoint(string(b)); !ok {
			t.Errorf("%s: not read as canonical", b)
		}
		got, ok, err := storedPoint(string(b))
		if err != nil || !ok || got != p {
			t.Errorf("%s: got %v, %v, %v", b, got, ok, err)
		}
	}
	// Other spellings take the full decode; what is not a point is none.
	for text, want := range map[string]bool{`{ "lng": 2, "lat": 1 }`: true, `{"lat":1}`: false, `null`: false, `"1,2"`: false} {
		p, ok, err := storedPoint(text)
		if err != nil || ok != want || ok && p != (repository.GeoPoint{Lat: 1, Lng: 2}) {
			t.Errorf("%s: got %v, %v, %v", text, p, ok, err)
		}
	}
	if _, ok, err := storedPoint(nil); ok || err != nil {
		t.Errorf("NULL: %v, %v", ok, err)
	}
}
