package repotest

import (
	"context"
	"testing"

	"github.com/loomhq/loom/repository"
)

// NewConnector returns a fresh, empty connector for one test; register
// its cleanup with t.Cleanup.
type NewConnector func(t *testing.T) repository.Connector

// Run runs the connector suite: every method of [repository.CrudRepository],
// every feature of the filter language, the bounds on one query's work
// (caps, match budget, cancellation) and, for a connector that is a
// [repository.Watcher], its change feed, and [repository.Nullable]
// properties (null stored, read back and filtered), each as a subtest over a fresh
// connector from newConn. A connector passes when every subtest does:
//
//	func TestSuite(t *testing.T) {
//		repotest.Run(t, func(t *testing.T) repository.Connector { return memory.New(memory.Options{}) })
//	}
//
// Each case is a subtest named as [Cases] lists it.
func Run(t *testing.T, newConn NewConnector) {
	t.Helper()
	t.Run("crud", func(t *testing.T) { runEach(t, newConn, crudCases()) })
	t.Run("filter", func(t *testing.T) { runFilters(t, newConn) })
	t.Run("limits", func(t *testing.T) { runEach(t, newConn, limitCases()) })
	t.Run("geo", func(t *testing.T) { runGeo(t, newConn) })
	t.Run("relations", func(t *testing.T) {
		for _, c := range relationCases() {
			t.Run(c.name, func(t *testing.T) { c.run(t, newRelFixture(t, newConn)) })
		}
	})
	t.Run("unique", func(t *testing.T) {
		for _, c := range uniqueCases() {
			t.Run(c.name, func(t *testing.T) { c.run(t, newUniqueFixture(t, newConn)) })
		}
	})
	t.Run("changes", func(t *testing.T) { runChanges(t, newConn) })
	t.Run("nullable", func(t *testing.T) {
		for _, c := range nullableCases() {
			t.Run(c.name, func(t *testing.T) { c.run(t, newNullFixture(t, newConn)) })
		}
	})
}

// Cases lists the suite's cases, in the order [Run] runs them, as
// "group/case": "crud/create assigns sequential ids per model". The
// groups are crud, filter, limits, geo, relations, unique, changes and nullable. go test names a subtest with its
// spaces as underscores, so TestSuite/crud/create_assigns_sequential_ids
// is the -run pattern of that case in a test TestSuite that calls Run.
func Cases() []string {
	var out []string
	for _, c := range crudCases() {
		out = append(out, "crud/"+c.name)
	}
	for _, c := range filterCases {
		out = append(out, "filter/"+c.name)
	}
	for _, c := range filterChecks() {
		out = append(out, "filter/"+c.name)
	}
	for _, c := range limitCases() {
		out = append(out, "limits/"+c.name)
	}
	for _, c := range geoCaseList {
		out = append(out, "geo/"+c.name)
	}
	for _, c := range relationCases() {
		out = append(out, "relations/"+c.name)
	}
	for _, c := range uniqueCases() {
		out = append(out, "unique/"+c.name)
	}
	for _, c := range changeCases() {
		out = append(out, "changes/"+c.name)
	}
	for _, c := range nullableCases() {
		out = append(out, "nullable/"+c.name)
	}
	return out
}

// suiteCase is one case of the suite: a subtest over a fixture.
type suiteCase struct {
	name string
	run  func(t *testing.T, f *fixture)
}

// runEach runs each case as a subtest over its own fresh fixture.
func runEach(t *testing.T, newConn NewConnector, cases []suiteCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newFixture(t, newConn)) })
	}
}

// fixture is a repository of Todos and of Notes over one fresh connector.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	conn  repository.Connector
	todos *repository.DefaultCrudRepository[Todo, int]
	notes *repository.DefaultCrudRepository[Note, string]
}

func newFixture(t *testing.T, newConn NewConnector) *fixture {
	t.Helper()
	conn := newConn(t)
	todos, err := repository.NewCrudRepository[Todo, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	notes, err := repository.NewCrudRepository[Note, string](conn)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: context.Background(), conn: conn, todos: todos, notes: notes}
}

func (f *fixture) create(todo Todo) *Todo {
	f.t.Helper()
	got, err := f.todos.Create(f.ctx, todo)
	if err != nil {
		f.t.Fatalf("Create(%+v): %v", todo, err)
	}
	return got
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}
