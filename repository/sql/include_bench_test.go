package sql

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// countingConn counts the queries (Find calls) that reach a connector.
type countingConn struct {
	repository.Connector
	finds atomic.Int64
}

func (c *countingConn) Find(ctx context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	c.finds.Add(1)
	return c.Connector.Find(ctx, m, q)
}

// BenchmarkInclude finds 1,000 lists, alone and with their 10,000 items
// (10 each) included, on SQLite and, when LOOM_TEST_POSTGRES_URL is set,
// PostgreSQL. It reports the queries per find: 1 alone, 2 with the items
// (one per relation level, the lists' keys in one inq).
func BenchmarkInclude(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchInclude(b, sqliteMemory(b, Options{})) })
	b.Run("postgres", func(b *testing.B) {
		requirePostgres(b)
		benchInclude(b, postgres(b, Options{}))
	})
}

func benchInclude(b *testing.B, c *Connector) {
	ctx := b.Context()
	lm, _ := repository.ModelOf[repotest.List]()
	im, _ := repository.ModelOf[repotest.Item]()
	cm, _ := repository.ModelOf[repotest.Cover]()
	if err := c.Migrate(ctx, lm, im, cm); err != nil {
		b.Fatal(err)
	}
	conn := &countingConn{Connector: c}
	lists, err := repository.NewCrudRepository[repotest.List, int](conn)
	if err != nil {
		b.Fatal(err)
	}
	items, err := repository.NewCrudRepository[repotest.Item, int](conn)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := repository.NewHasMany(lists, items, "items"); err != nil {
		b.Fatal(err)
	}
	const parents, children = 1000, 10
	ls := make([]repotest.List, parents)
	for i := range ls {
		ls[i] = repotest.List{Title: "list"}
	}
	created, err := lists.CreateAll(ctx, ls)
	if err != nil {
		b.Fatal(err)
	}
	is := make([]repotest.Item, 0, parents*children)
	for _, l := range created {
		for range children {
			is = append(is, repotest.Item{Title: "item", ListID: l.ID})
		}
	}
	if _, err := items.CreateAll(ctx, is); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name   string
		filter *repository.Filter[repotest.List]
		want   int
	}{
		{"find", nil, 0},
		{"include", &repository.Filter[repotest.List]{Include: []repository.Inclusion{{Relation: "items"}}}, children},
	} {
		b.Run(bc.name, func(b *testing.B) {
			before := conn.finds.Load()
			for b.Loop() {
				got, err := lists.Find(ctx, bc.filter)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != parents || len(got[0].Items) != bc.want {
					b.Fatalf("%d lists, %d items in the first", len(got), len(got[0].Items))
				}
			}
			b.ReportMetric(float64(conn.finds.Load()-before)/float64(b.N), "queries/op")
		})
	}
}
