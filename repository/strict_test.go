package repository_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/sql"
)

// looseNote is LoopBack's strict: false model.
type looseNote struct {
	ID    int             `json:"id,omitempty" loom:"id,generated"`
	Title string          `json:"title"`
	Extra repository.Data `json:"-" loom:"extra"`
}

func (looseNote) ModelStrict() bool { return false }

type looseWithoutExtra struct {
	ID int `json:"id" loom:"id"`
}

func (looseWithoutExtra) ModelStrict() bool { return false }

type extraOfWrongType struct {
	ID    int            `json:"id" loom:"id"`
	Extra map[string]any `json:"-" loom:"extra"`
}

type extraNotHidden struct {
	ID    int             `json:"id" loom:"id"`
	Extra repository.Data `json:"extra" loom:"extra"`
}

type twoExtras struct {
	ID int             `json:"id" loom:"id"`
	A  repository.Data `json:"-" loom:"extra"`
	B  repository.Data `json:"-" loom:"extra"`
}

// looseBody is a body type without an id, as NewTodo is: its strictness
// and catch-all are found through embedding.
type looseBody struct {
	looseNote
}

func TestStrictIsTheDefaultAndModelStrictTurnsItOff(t *testing.T) {
	m, err := repository.ModelOf[modelTodo]()
	if err != nil || !m.Strict {
		t.Fatalf("modelTodo: strict %v, %v", m != nil && m.Strict, err)
	}
	m, err = repository.ModelOf[looseNote]()
	if err != nil || m.Strict {
		t.Fatalf("looseNote: strict %v, %v", m != nil && m.Strict, err)
	}
	strict, extra, err := repository.UnknownProperties(reflect.TypeFor[looseBody]())
	if err != nil || strict || !reflect.DeepEqual(extra, []int{0, 2}) {
		t.Fatalf("looseBody: strict %v extra %v, %v", strict, extra, err)
	}
}

func TestAMalformedCatchAllFailsNamingTheProblem(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{errOf[looseWithoutExtra](), "would be lost"},
		{errOf[extraOfWrongType](), "must be a repository.Data"},
		{errOf[extraNotHidden](), `must be tagged json:"-"`},
		{errOf[twoExtras](), `a second loom:"extra" field`},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", c.err, c.want)
		}
	}
}

func errOf[T any]() error {
	_, err := repository.ModelOf[T]()
	return err
}

// The repository stores the catch-all's properties beside the declared
// ones and reads them back; a patch may set them; an exclusion keeps them.
func TestANonStrictModelStoresItsUnknownProperties(t *testing.T) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[looseNote, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	created, err := repo.Create(ctx, looseNote{Title: "a", Extra: repository.Data{"color": json.RawMessage(`"red"`), "title": json.RawMessage(`"ignored"`)}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Title != "a" || string(created.Extra["color"]) != `"red"` || created.Extra["title"] != nil {
		t.Fatalf("created %+v", created)
	}
	if err := repo.UpdateByID(ctx, created.ID, repository.PatchOf[looseNote](map[string]any{"size": 3})); err != nil {
		t.Fatal(err)
	}
	got, err := repo.FindByID(ctx, created.ID, &repository.FilterExcludingWhere[looseNote]{Fields: repository.Fields{"title": false}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "" || string(got.Extra["color"]) != `"red"` || string(got.Extra["size"]) != "3" {
		t.Fatalf("found %+v", got)
	}
	body, err := json.Marshal(repository.Project(got, nil))
	if err != nil || string(body) != `{"id":1,"title":"","color":"red","size":3}` {
		t.Fatalf("projected %s, %v", body, err)
	}
}

// A strict model still refuses a patch of an unknown property.
func TestAStrictModelRefusesAnUnknownPatchProperty(t *testing.T) {
	repo, err := repository.NewCrudRepository[modelTodo, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.UpdateAll(context.Background(), repository.PatchOf[modelTodo](map[string]any{"color": "red"}), nil)
	if err == nil || !strings.Contains(err.Error(), "additional") {
		t.Fatalf("got %v, want a validation error", err)
	}
}

// A SQL table has no column for unknown properties: rather than lose
// them, the connector refuses the model.
func TestSQLRefusesANonStrictModel(t *testing.T) {
	conn, err := sql.Open("sqlite:"+t.TempDir()+"/db.sqlite", sql.Options{AutoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer conn.Stop(context.Background())
	repo, err := repository.NewCrudRepository[looseNote, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Create(context.Background(), looseNote{Title: "a"})
	if err == nil || !strings.Contains(err.Error(), "not strict") {
		t.Fatalf("got %v, want the model refused", err)
	}
}
