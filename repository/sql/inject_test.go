package sql

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// findTodos is the input of GET /todos, as a controller declares it.
type findTodos struct {
	Filter controller.Filter[repotest.Todo] `query:"filter"`
}

// hostileQueries are filters an attacker sends in the query string (a
// key=value, encoded before sending), in both forms the request parser reads. Each must either be refused with a
// 400 or run as a harmless filter: never change the SQL.
var hostileQueries = []string{
	`filter={"where":{"title":"x' OR '1'='1"}}`,
	`filter={"where":{"title":"x\"; DROP TABLE todo; --"}}`,
	`filter={"where":{"title OR 1=1 --":"x"}}`,
	`filter={"where":{"\"title\"":"x"}}`,
	`filter={"where":{"title":{"$ne":"x"}}}`,
	`filter={"where":{"title":{"like":"%' OR 1=1 --"}}}`,
	`filter={"where":{"title":{"ilike":"'); DELETE FROM todo; --%"}}}`,
	`filter={"where":{"title":{"regexp":"/') OR TRUE; --/i"}}}`,
	`filter={"where":{"title":{"inq":["a","b') OR ('1'='1"]}}}`,
	`filter={"where":{"priority":"1 OR 1=1"}}`,
	`filter={"where":{"priority":{"between":["1","2; DROP TABLE todo"]}}}`,
	`filter={"where":{"address.city') OR 1=1 --":"Oslo"}}`,
	`filter={"where":{"address.\" ? (@ == @) || \"":"x"}}`,
	`filter={"where":{"tags":"work' || (SELECT 1) || '"}}`,
	`filter={"order":"title; DROP TABLE todo"}`,
	`filter={"order":"title DESC, (SELECT 1)"}`,
	`filter={"order":"address.city') DESC --"}`,
	`filter={"fields":{"title; DROP TABLE todo":true}}`,
	`filter={"limit":"1; DROP TABLE todo"}`,
	`filter={"skip":"1 OR 1=1"}`,
	`filter[where][title]=x' OR '1'='1`,
	`filter[where][title][like]=%' --`,
	`filter[where][title OR 1=1]=x`,
	`filter[where][or][0][title]=a') OR ('1'='1`,
	`filter[order]=title DESC; DELETE FROM todo`,
	`filter[where][secret]=s3cret`,
}

func TestInjection_hostileQueriesNeverChangeTheSQLOnSQLite(t *testing.T) {
	runInjection(t, sqliteMemory(t, Options{AutoMigrate: true}))
}

func TestInjection_hostileQueriesNeverChangeTheSQLOnPostgres(t *testing.T) {
	requirePostgres(t)
	runInjection(t, migrated(t, postgres(t, Options{})))
}

// runInjection: given six todos, when each hostile query goes through the
// request parser and the repository, then it is a 400 or finds a subset of
// the todos, and afterwards the six todos are all still there, unchanged.
func runInjection(t *testing.T, c *Connector) {
	ctx := t.Context()
	todos, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	seed := []repotest.Todo{{Title: "alpha", Secret: "s3cret"}, {Title: "bravo", Tags: []string{"work"}},
		{Title: "charlie", Address: &repotest.Address{City: "Oslo"}}, {Title: "delta"}, {Title: "echo"}, {Title: "foxtrot"}}
	if _, err := todos.CreateAll(ctx, seed); err != nil {
		t.Fatal(err)
	}
	before, err := todos.Find(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := params.Compile(reflect.TypeFor[findTodos](), params.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range hostileQueries {
		t.Run(raw, func(t *testing.T) {
			key, value, _ := strings.Cut(raw, "=")
			r := httptest.NewRequest("GET", "/todos", nil)
			r.URL.RawQuery = url.Values{key: {value}}.Encode()
			var in findTodos
			if err := dec.Decode(r, nil, &in); err != nil {
				expectBadRequest(t, err)
				return
			}
			m := todos.Model()
			if q, err := repository.CheckQuery(m, repository.Query{Where: in.Filter.Where, Order: in.Filter.Order,
				Limit: in.Filter.Limit, Skip: in.Filter.Skip}); err == nil {
				tbl, _ := c.table(m)
				s, err := compileFind(c.d, tbl, q)
				if err != nil {
					t.Fatal(err)
				}
				if err := onlyPlaceholders(s.String(), len(s.args), tbl, c.opts.Schema); err != nil {
					t.Fatal(err)
				}
			}
			got, err := todos.Find(ctx, &in.Filter)
			if err != nil {
				expectBadRequest(t, err)
				return
			}
			if len(got) > 1 && in.Filter.Where.Op != repository.OpAll && in.Filter.Limit == 0 {
				t.Fatalf("a hostile where matched %d todos: %+v", len(got), got)
			}
		})
	}
	after, err := todos.Find(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the todos changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

func expectBadRequest(t *testing.T, err error) {
	t.Helper()
	var sc interface{ StatusCode() int }
	if !asStatus(err, &sc) || sc.StatusCode() != 400 {
		t.Fatalf("want a 400, got %v", err)
	}
}
