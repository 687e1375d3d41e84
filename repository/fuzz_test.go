package repository_test

import (
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/repository"
)

// FuzzParseFilter feeds arbitrary JSON to the filter parser: it must never
// panic, and a filter it accepts must write JSON that parses back to the
// same filter.
func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"where":{"title":"x"}}`,
		`{"where":{"isComplete":"false","id":{"inq":["1","2"]}}}`,
		`{"where":{"and":[{"or":[{"title":{"like":"%a_"}},{"desc":null}]},{"priority":{"between":[1,"3"]}}]}}`,
		`{"where":{"title":{"regexp":"/^a.*b$/im"}},"order":"title DESC,id","limit":3,"skip":"2"}`,
		`{"where":{"title":{"$gt":"a"}}}`,
		`{"where":{"id":{"gte":1,"lte":2,"neq":3,"nin":[]}}}`,
		`{"fields":{"title":true,"desc":"false"},"order":["title ASC","priority desc"],"offset":1}`,
		`{"fields":["title","id"],"include":["owner",{"relation":"tags","scope":{"where":{"x":1},"totalLimit":2}}]}`,
		`{"where":{"desc":{"exists":"true"},"title":{"nilike":"A%"}}}`,
		`[1,2]`, `"x"`, `null`, `{"limit":0}`, `{"order":5}`,
	} {
		f.Add([]byte(seed))
	}
	m, err := repository.ModelOf[Todo]()
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
