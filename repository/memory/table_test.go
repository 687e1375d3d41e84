package memory

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestAPatchedRowIsTheRowNewRowMakesOfThePatchedData(t *testing.T) {
	// given a row, and a patch that sets, adds, removes and leaves its id
	old, err := newRow("1", repository.Data{
		"id": json.RawMessage(`1`), "title": json.RawMessage(`"a"`),
		"tags": json.RawMessage(`["x",{"n":2}]`), "gone": json.RawMessage(`3.5`),
	})
	if err != nil {
		t.Fatal(err)
	}
	patch := repository.Data{
		"id": json.RawMessage(`9`), "title": json.RawMessage(`"b"`),
		"n": json.RawMessage(`12345678901234567890`), "gone": nil,
	}

	// when it is patched
	got, err := patchedRow(old, patch, "id")
	if err != nil {
		t.Fatal(err)
	}

	// then the row is what newRow makes of the patched properties
	want, err := newRow("1", repository.Data{
		"id": json.RawMessage(`1`), "title": json.RawMessage(`"b"`),
		"tags": json.RawMessage(`["x",{"n":2}]`), "n": json.RawMessage(`12345678901234567890`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.text) != string(want.text) || !reflect.DeepEqual(got.vals, want.vals) || !reflect.DeepEqual(got.data, want.data) {
		t.Fatalf("patched:\n%s %v\nwant:\n%s %v", got.text, got.vals, want.text, want.vals)
	}
	// and the old row is unchanged
	if _, ok := old.vals["gone"]; !ok || old.vals["title"] != "a" {
		t.Fatalf("old row changed: %v", old.vals)
	}
}
