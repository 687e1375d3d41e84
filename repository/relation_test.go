package repository_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

type relList struct {
	ID    int       `json:"id,omitempty" loom:"id,generated"`
	Title string    `json:"title" validate:"required"`
	Todos []relTodo `json:"todos,omitempty" loom:"hasMany"`
	Image *relImage `json:"image,omitempty" loom:"hasOne"`
}

func (relList) ModelName() string { return "TodoList" }

type relTodo struct {
	ID         int      `json:"id,omitempty" loom:"id,generated"`
	Title      string   `json:"title"`
	TodoListID int      `json:"todoListId,omitempty"`
	TodoList   *relList `json:"todoList,omitempty" loom:"belongsTo"`
}

type relImage struct {
	ID         int      `json:"id,omitempty" loom:"id,generated"`
	Value      string   `json:"value"`
	TodoListID int      `json:"todoListId,omitempty"`
	Owner      *relList `json:"owner,omitempty" loom:"belongsTo,keyFrom=todoListId"`
}

func TestRelationsTakeLoopBacksDefaultKeys(t *testing.T) {
	m, err := repository.ModelOf[relList]()
	if err != nil {
		t.Fatal(err)
	}
	rels, err := m.Relations()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rels {
		got[r.Name] = string(r.Kind) + " " + r.Target().Name + " " + r.KeyFrom + "→" + r.KeyTo
	}
	want := map[string]string{"todos": "hasMany relTodo id→todoListId", "image": "hasOne relImage id→todoListId"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if m.Property("todos") != nil {
		t.Error("a navigational field is a property")
	}

	todo, _ := repository.ModelOf[relTodo]()
	if r := todo.Relation("todoList"); r == nil || r.KeyFrom != "todoListId" || r.KeyTo != "id" || r.Target() != m || r.Many() {
		t.Errorf("belongsTo: %+v", r)
	}
	img, _ := repository.ModelOf[relImage]()
	if r := img.Relation("owner"); r == nil || r.KeyFrom != "todoListId" || r.KeyTo != "id" {
		t.Errorf("belongsTo with keyFrom: %+v", r)
	}
}

type badKeyList struct {
	ID    int          `json:"id,omitempty" loom:"id"`
	Todos []badKeyTodo `json:"todos,omitempty" loom:"hasMany"`
}

type badKeyTodo struct {
	ID     int `json:"id,omitempty" loom:"id"`
	ListID int `json:"listId"`
}

type mismatchList struct {
	ID    int            `json:"id,omitempty" loom:"id"`
	Todos []mismatchTodo `json:"todos,omitempty" loom:"hasMany"`
}

type mismatchTodo struct {
	ID             int    `json:"id,omitempty" loom:"id"`
	MismatchListID string `json:"mismatchListId"`
}

type notAModel struct{ Name string }

type noModelList struct {
	ID    int         `json:"id,omitempty" loom:"id"`
	Items []notAModel `json:"items,omitempty" loom:"hasMany"`
}

func TestAWrongRelationFailsTheRepositoryNamingModelAndRelation(t *testing.T) {
	conn := memory.New(memory.Options{})
	for _, tc := range []struct {
		name string
		new  func() error
		want []string
	}{
		{"missing key", func() error {
			_, err := repository.NewCrudRepository[badKeyList, int](conn)
			return err
		}, []string{"badKeyList", "relation todos", `no property "badKeyListId"`}},
		{"type mismatch", func() error {
			_, err := repository.NewCrudRepository[mismatchList, int](conn)
			return err
		}, []string{"mismatchList", "relation todos", "one type"}},
		{"no model", func() error {
			_, err := repository.NewCrudRepository[noModelList, int](conn)
			return err
		}, []string{"noModelList", "relation items", "no model"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.new()
			if err == nil {
				t.Fatal("the repository was built")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
}

type badFieldType struct {
	ID    int      `json:"id,omitempty" loom:"id"`
	Todos *relTodo `json:"todos,omitempty" loom:"hasMany"`
}

type noOmitEmpty struct {
	ID   int      `json:"id,omitempty" loom:"id"`
	List *relList `json:"list" loom:"belongsTo"`
}

type badOption struct {
	ID   int      `json:"id,omitempty" loom:"id"`
	List *relList `json:"list,omitempty" loom:"belongsTo,foreignKey=x"`
}

func TestAMalformedNavigationalFieldFailsTheModel(t *testing.T) {
	for name, err := range map[string]error{
		"a hasMany field is a slice":    modelErr[badFieldType](),
		"must be omitempty":             modelErr[noOmitEmpty](),
		`unknown option "foreignKey=x"`: modelErr[badOption](),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("got %v, want an error saying %q", err, name)
		}
	}
}

func modelErr[T any]() error {
	_, err := repository.ModelOf[T]()
	return err
}

func TestAnUnknownInclusionIsLoopBacksInvalidInclusionFilter(t *testing.T) {
	lists, err := repository.NewCrudRepository[relList, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var f repository.Filter[relList]
	if err := f.UnmarshalJSON([]byte(`{"include":["todos","nope",{"relation":"gone","scope":{"limit":1}}]}`)); err != nil {
		t.Fatal(err)
	}
	_, err = lists.Find(t.Context(), &f)
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.StatusCode() != 400 || fe.ErrorCode() != repository.CodeInvalidInclusion {
		t.Fatalf("got %v", err)
	}
	if want := `Invalid "filter.include" entries: "nope"; {"relation":"gone","scope":{"limit":1}}`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestAScopeIsCheckedAgainstTheRelationsTarget(t *testing.T) {
	// given a request's scope naming a property the target lacks
	var f repository.Filter[relList]
	err := f.UnmarshalJSON([]byte(`{"include":[{"relation":"todos","scope":{"where":{"nope":1}}}]}`))
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.Path != "include[0].scope.where.nope" || fe.ErrorCode() != repository.CodeInvalidParameterValue {
		t.Fatalf("decoded: %v", err)
	}
	// and the same built in code
	lists, _ := repository.NewCrudRepository[relList, int](memory.New(memory.Options{}))
	_, err = lists.Find(t.Context(), &repository.Filter[relList]{Include: []repository.Inclusion{
		{Relation: "todos", Scope: &repository.Query{Order: []repository.Order{repository.Asc("nope")}}}}})
	if !errors.As(err, &fe) || fe.Path != "include[0].scope.order[0]" || fe.ErrorCode() != repository.CodeInvalidFilter {
		t.Fatalf("in code: %v", err)
	}
}

func TestIncludesPastMaxIncludesAreRefused(t *testing.T) {
	lists, _ := repository.NewCrudRepository[relList, int](memory.New(memory.Options{}))
	incs := make([]repository.Inclusion, repository.DefaultLimits().MaxIncludes+1)
	for i := range incs {
		incs[i] = repository.Inclusion{Relation: "image"}
	}
	_, err := lists.Find(t.Context(), &repository.Filter[relList]{Include: incs})
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.Keyword != "maxItems" {
		t.Fatalf("got %v", err)
	}
	if _, err := lists.Find(t.Context(), &repository.Filter[relList]{Include: incs[1:]}); err != nil {
		t.Fatal(err)
	}
}
