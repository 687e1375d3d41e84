package repository_test

import (
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

type modelTodo struct {
	ID       int     `json:"id,omitempty" loom:"id,generated"`
	Title    string  `json:"title" validate:"required,max=80"`
	Desc     *string `json:"desc,omitempty"`
	Password string  `json:"-" loom:"hidden"`
	Internal string  `json:"-"`
}

type named struct {
	Key string `json:"key" loom:"id"`
}

func (named) ModelName() string { return "Note" }

func TestModelOfReadsTags(t *testing.T) {
	// given a tagged entity; when its model is read
	m, err := repository.ModelOf[modelTodo]()
	if err != nil {
		t.Fatal(err)
	}

	// then names, id, required, rules and hidden come from the tags
	if m.Name != "modelTodo" || m.ID.Name != "id" || !m.ID.Generated {
		t.Fatalf("model %s, id %+v", m.Name, m.ID)
	}
	title := m.Property("title")
	if title == nil || !title.Required || title.Rules != "max=80" || title.Kind != repository.KindString {
		t.Fatalf("title %+v", title)
	}
	if p := m.Property("password"); p == nil || !p.Hidden {
		t.Fatalf("password %+v", p)
	}
	if m.Property("Internal") != nil || m.Property("-") != nil || len(m.Properties) != 4 {
		t.Fatalf("json:\"-\" field became a property: %d properties", len(m.Properties))
	}
}

func TestModelOfIsCachedPerType(t *testing.T) {
	a, _ := repository.ModelOf[modelTodo]()
	b, _ := repository.ModelOf[modelTodo]()
	if a != b {
		t.Fatal("the model was computed twice")
	}
}

func TestModelNameMethodNamesTheModel(t *testing.T) {
	m, err := repository.ModelOf[named]()
	if err != nil || m.Name != "Note" {
		t.Fatalf("got %v, %v", m, err)
	}
}

func TestModelOfRejectsBadTags(t *testing.T) {
	type noID struct {
		Title string `json:"title"`
	}
	type visibleHidden struct {
		ID     int    `json:"id" loom:"id"`
		Secret string `json:"secret" loom:"hidden"`
	}
	type typo struct {
		ID int `json:"id" loom:"id,generatd"`
	}
	type twoIDs struct {
		A int `json:"a" loom:"id"`
		B int `json:"b" loom:"id"`
	}
	for _, c := range []struct {
		err  func() error
		want string
	}{
		{func() error { _, err := repository.ModelOf[noID](); return err }, "no id property"},
		{func() error { _, err := repository.ModelOf[visibleHidden](); return err }, `must be tagged json:"-"`},
		{func() error { _, err := repository.ModelOf[typo](); return err }, `unknown loom tag option "generatd"`},
		{func() error { _, err := repository.ModelOf[twoIDs](); return err }, "a second id property"},
		{func() error { _, err := repository.ModelOf[int](); return err }, "must be a struct"},
	} {
		if err := c.err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}
