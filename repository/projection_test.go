package repository_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestFieldsKeeps(t *testing.T) {
	cases := []struct {
		f    repository.Fields
		name string
		want bool
	}{
		{nil, "title", true},
		{repository.Fields{"desc": true}, "desc", true},
		{repository.Fields{"desc": true}, "title", false},
		{repository.Fields{"desc": true, "title": false}, "title", false},
		{repository.Fields{"desc": true, "title": false}, "id", false},
		{repository.Fields{"title": false}, "title", false},
		{repository.Fields{"title": false}, "desc", true},
	}
	for _, c := range cases {
		if got := c.f.Keeps(c.name); got != c.want {
			t.Errorf("%v.Keeps(%q) = %v, want %v", c.f, c.name, got, c.want)
		}
	}
}

type projected struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Desc  string `json:"desc,omitempty"`
}

// byPointer has its MarshalJSON on the pointer: a projection of a value
// still uses it, as the response of a *T would.
type byPointer struct{ N int }

func (b *byPointer) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"n": b.N, "twice": 2 * b.N})
}

func TestProjectionWritesOnlyTheKeptProperties(t *testing.T) {
	todo := projected{ID: 5, Desc: "<b>&</b>"}
	cases := []struct {
		v    any
		f    repository.Fields
		want string
	}{
		{todo, repository.Fields{"desc": true}, `{"desc":"<b>&</b>"}`},
		{&todo, repository.Fields{"title": true}, `{"title":""}`},
		{[]projected{todo, {ID: 6, Title: "t"}}, repository.Fields{"title": false, "desc": false}, `[{"id":5},{"id":6}]`},
		{[]*projected{&todo, nil}, repository.Fields{"id": true}, `[{"id":5},null]`},
		{todo, nil, `{"id":5,"title":"","desc":"<b>&</b>"}`},
		{(*projected)(nil), repository.Fields{"id": true}, `null`},
		{[]projected(nil), repository.Fields{"id": true}, `null`},
		{[]projected{}, repository.Fields{"id": true}, `[]`},
		{byPointer{N: 2}, repository.Fields{"twice": true}, `{"twice":4}`},
		{"text", repository.Fields{"id": true}, `"text"`},
	}
	for _, c := range cases {
		// As responses are written: without HTML escaping.
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		err := enc.Encode(repository.Project(c.v, c.f))
		got := strings.TrimSuffix(b.String(), "\n")
		if err != nil || got != c.want {
			t.Errorf("Project(%#v, %v) = %s, %v; want %s", c.v, c.f, got, err, c.want)
		}
	}
}
