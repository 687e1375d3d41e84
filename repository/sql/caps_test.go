package sql

import (
	"fmt"
	"os"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// The repository's checker refuses filters past its caps with a 400
// (repository.Limits); at the caps, both databases must run them, or the
// client would get a 500 for a filter the checker let through. These
// tests build filters at every cap in code and run them on the connector
// directly, past the checker.

// caps are the built-in caps the filters below reach.
var caps = repository.Limits{MaxDepth: 12, MaxConds: 1000, MaxInq: 1000, MaxValues: 10_000, MaxOrder: 32, MaxFields: 256}

// capConnectors are the stores the cap tests run on: SQLite, and
// PostgreSQL when a server is given.
func capConnectors(t *testing.T) map[string]*Connector {
	t.Helper()
	cs := map[string]*Connector{"sqlite": migrated(t, sqliteMemory(t, Options{}))}
	if os.Getenv(postgresEnv) != "" {
		cs["postgres"] = migrated(t, postgres(t, Options{}))
	}
	model, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if _, err := c.Create(t.Context(), model, []repository.Data{
			{"title": []byte(`"t1"`), "priority": []byte(`7`), "address": []byte(`{"city":"t2","zip":"12"}`)},
			{"title": []byte(`"t_2x"`), "address": []byte(`{"zip":12,"k3":[1,"a"]}`), "tags": []byte(`["a"]`)},
		}); err != nil {
			t.Fatal(err)
		}
	}
	return cs
}

// flatConds is n conditions on prop, each with its own value.
func flatConds(n int, prop string, value func(i int) any) []repository.Cond {
	conds := make([]repository.Cond, n)
	for i := range conds {
		conds[i] = repository.Eq(prop, value(i))
	}
	return conds
}

// nestedConds is and/or alternating depth levels deep, each level holding a
// condition and the next level.
func nestedConds(depth int, leaf func(i int) repository.Cond) repository.Cond {
	c := leaf(depth)
	for i := depth - 1; i >= 0; i-- {
		op := repository.OpAnd
		if i%2 == 1 {
			op = repository.OpOr
		}
		c = repository.Cond{Op: op, Conds: []repository.Cond{leaf(i), c}}
	}
	return c
}

// inqLists spreads n values over inq lists of at most MaxInq values each.
func inqLists(n int, prop string) []repository.Cond {
	var conds []repository.Cond
	for start := 0; start < n; start += caps.MaxInq {
		vs := make([]any, min(caps.MaxInq, n-start))
		for j := range vs {
			vs[j] = int64(start + j)
		}
		conds = append(conds, repository.Inq(prop, vs...))
	}
	return conds
}

func text(i int) any { return fmt.Sprint("t", i) }

var capFilters = map[string]repository.Query{
	"1000 conditions in one or": {
		Where: repository.Or(flatConds(caps.MaxConds, "title", text)...),
	},
	"1000 conditions in one and": {
		Where: repository.Cond{Op: repository.OpAnd, Conds: flatConds(caps.MaxConds, "title", text)},
	},
	"1000 JSON conditions in one or": {
		Where: repository.Or(flatConds(caps.MaxConds, "address.city", text)...),
	},
	"1000 likes in one or": {
		Where: func() repository.Cond {
			conds := make([]repository.Cond, caps.MaxConds)
			for i := range conds {
				conds[i] = repository.Like("title", fmt.Sprint("t_", i, "%x"))
			}
			return repository.Or(conds...)
		}(),
	},
	"and/or nested 12 deep": {
		Where: nestedConds(caps.MaxDepth, func(i int) repository.Cond { return repository.Eq("title", text(i)) }),
	},
	"10,000 values over inq lists": {
		Where: repository.Or(inqLists(caps.MaxValues, "priority")...),
	},
	"10,000 values over JSON inq lists": {
		Where: repository.Or(inqLists(caps.MaxValues, "address.zip")...),
	},
	"32 order keys on JSON paths": {
		Order: func() []repository.Order {
			os := make([]repository.Order, caps.MaxOrder)
			for i := range os {
				os[i] = repository.Asc(fmt.Sprint("address.k", i))
			}
			return os
		}(),
	},
	"256 fields": {
		Select: func() []string {
			sel := make([]string, caps.MaxFields)
			for i := range sel {
				sel[i] = []string{"title", "priority", "address", "tags"}[i%4]
			}
			return sel
		}(),
	},
}

// everyCap is one filter at every cap at once: the where clause holds
// close to 1000 conditions, nested 12 deep, with 10,000 values, and the
// query has 32 JSON order keys and 256 fields (on PostgreSQL, 384 of the
// 1664 entries a target list may have: each JSON order key is four).
func everyCap() repository.Query {
	deep := nestedConds(caps.MaxDepth-1, func(i int) repository.Cond { return repository.Eq("address.city", text(i)) })
	lists := inqLists(caps.MaxValues-caps.MaxConds, "priority") // 9 lists, 9,000 values
	rest := caps.MaxConds - 2*caps.MaxDepth - len(lists)
	conds := append(lists, flatConds(rest, "title", text)...)
	conds = append(conds, deep)
	q := capFilters["32 order keys on JSON paths"]
	q.Where = repository.Or(conds...)
	q.Select = capFilters["256 fields"].Select
	q.Limit, q.Skip = 10, 1
	return q
}

func TestFiltersAtEveryCapRunOnBothDatabases(t *testing.T) {
	model, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		t.Fatal(err)
	}
	filters := map[string]repository.Query{"every cap at once": everyCap()}
	for name, q := range capFilters {
		filters[name] = q
	}
	for store, c := range capConnectors(t) {
		for name, q := range filters {
			t.Run(store+"/"+name, func(t *testing.T) {
				if _, err := c.Find(t.Context(), model, q); err != nil {
					t.Fatalf("find: %v", err)
				}
				if q.Order == nil && q.Select == nil {
					if _, err := c.Count(t.Context(), model, q.Where); err != nil {
						t.Fatalf("count: %v", err)
					}
				}
			})
		}
	}
}

// TestFiltersAtTheCapsStayWithinTheDatabasesParameters counts the
// parameters of the statements above against SQLite's 32,766 and
// PostgreSQL's 65,535.
func TestFiltersAtTheCapsStayWithinTheDatabasesParameters(t *testing.T) {
	model, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		t.Fatal(err)
	}
	filters := map[string]repository.Query{"every cap at once": everyCap()}
	for name, q := range capFilters {
		filters[name] = q
	}
	for _, d := range []struct {
		dialect dialect
		limit   int
	}{{sqliteDialect{}, 32_766}, {postgresDialect{}, 65_535}} {
		tbl, err := newTable(d.dialect, "", model)
		if err != nil {
			t.Fatal(err)
		}
		most := 0
		for name, q := range filters {
			s := newStmt(d.dialect)
			if err := s.where(tbl, q.Where); err != nil {
				t.Fatal(err)
			}
			if err := s.order(tbl, q.Order); err != nil {
				t.Fatal(err)
			}
			s.limit(q.Limit, q.Skip)
			if len(s.args) > d.limit {
				t.Errorf("%s: %s has %d parameters, past %d", d.dialect.name(), name, len(s.args), d.limit)
			}
			most = max(most, len(s.args))
		}
		t.Logf("%s: at most %d parameters of %d", d.dialect.name(), most, d.limit)
	}
}

// benchEveryCap runs the filter at every cap on c: the most work a
// filter the checker accepts can ask of the database's compiler.
func benchEveryCap(b *testing.B, c *Connector) {
	model, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		b.Fatal(err)
	}
	migrated(b, c)
	q := everyCap()
	for b.Loop() {
		if _, err := c.Find(b.Context(), model, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilterAtEveryCapSQLite(b *testing.B) { benchEveryCap(b, sqliteFile(b, Options{})) }

func BenchmarkFilterAtEveryCapPostgres(b *testing.B) { benchEveryCap(b, postgres(b, Options{})) }
