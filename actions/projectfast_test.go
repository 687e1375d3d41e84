package actions

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loomhq/loom/actions/internal/jsonenc"
	"github.com/loomhq/loom/repository"
)

type projected struct {
	ID    int     `json:"id" loom:"id"`
	Title string  `json:"title"`
	Desc  *string `json:"desc,omitempty"`
	Done  bool    `json:"isComplete"`
	Tags  []string
}

// TestAppendFields_WritesWhatAProjectionWrites checks the compiled
// encoder's fields selection, which the send action uses for a filter's
// fields, against repository.Projection, which the send action used
// before.
func TestAppendFields_WritesWhatAProjectionWrites(t *testing.T) {
	desc := "two litres"
	one := projected{ID: 1, Title: "milk", Desc: &desc, Done: true, Tags: []string{"a"}}
	two := projected{ID: 2, Title: "bread"}
	values := []any{
		&one, (*projected)(nil), one,
		[]projected{one, two}, []projected{}, []projected(nil),
		[]*projected{&one, nil, &two},
	}
	fields := []repository.Fields{
		nil, {}, {"title": true}, {"id": true, "desc": true}, {"title": false},
		{"title": false, "isComplete": false}, {"nope": true}, {"Tags": true, "id": false},
	}
	for _, v := range values {
		enc := jsonenc.For(reflect.TypeOf(v))
		if enc == nil {
			t.Fatalf("%T is not compiled", v)
		}
		for _, f := range fields {
			want, err := json.Marshal(repository.Projection{Value: v, Fields: f})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := enc.AppendFields(nil, v, f.Keeps)
			if !ok || string(got) != string(want) {
				t.Errorf("%T %v fields %v:\n got %s (%v)\nwant %s", v, v, f, got, ok, want)
			}
		}
	}
}
