package sql

import (
	"slices"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// cachedStatements returns the statement cache's entries and bytes.
func cachedStatements(c *Connector) (texts []string, bytes int) {
	c.stmts.mu.Lock()
	defer c.stmts.mu.Unlock()
	for text := range c.stmts.m {
		texts = append(texts, text)
	}
	return texts, c.stmts.bytes
}

func TestSQLiteStatementCacheStaysWithinItsBytes(t *testing.T) {
	c := migrated(t, sqliteFile(t, Options{}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	runShapes(t, repo, 300) // 300 distinct texts, about 175 KB in all
	texts, bytes := cachedStatements(c)
	if len(texts) == 0 {
		t.Fatal("no statement was cached")
	}
	t.Logf("%d statements, %d bytes cached", len(texts), bytes)
	sum := 0
	for _, text := range texts {
		if len(text) > maxStatementSQL {
			t.Errorf("a statement of %d bytes was cached, past %d", len(text), maxStatementSQL)
		}
		sum += len(text)
	}
	if sum != bytes || bytes > maxStatementBytes || len(texts) > maxStatements {
		t.Fatalf("%d statements, %d bytes (counted %d); want at most %d statements, %d bytes",
			len(texts), sum, bytes, maxStatements, maxStatementBytes)
	}
}

func TestSQLiteLongStatementsRunWithoutBeingCached(t *testing.T) {
	c := migrated(t, sqliteFile(t, Options{}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	long := &repository.Filter[repotest.Todo]{Where: repository.Or(inqLists(2000, "priority")...)}
	if _, err := repo.Find(t.Context(), long); err != nil {
		t.Fatal(err)
	}
	if texts, _ := cachedStatements(c); len(texts) != 0 {
		t.Fatalf("the long statement was cached (%d bytes)", len(texts[0]))
	}
	if _, err := repo.Find(t.Context(), shapeFilter(1)); err != nil {
		t.Fatal(err)
	}
	if texts, _ := cachedStatements(c); len(texts) != 1 {
		t.Fatalf("%d statements cached, want the short one", len(texts))
	}
}

func TestSQLiteStatementCacheKeepsTheStatementsInUse(t *testing.T) {
	c := migrated(t, sqliteFile(t, Options{}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	created, err := repo.Create(t.Context(), repotest.Todo{Title: "hot"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // new shapes churn the cache; one lookup stays hot
		if _, err := repo.Find(t.Context(), shapeFilter(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.FindByID(t.Context(), created.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	texts, _ := cachedStatements(c)
	hot := false
	for _, text := range texts {
		hot = hot || strings.Contains(text, `WHERE ("id" = ?)`)
	}
	if !hot {
		t.Fatalf("the lookup by id was evicted by colder statements: %d cached", len(texts))
	}
}

func TestSQLiteEvictedStatementStaysOpenUntilItsUserIsDone(t *testing.T) {
	c := migrated(t, sqliteFile(t, Options{}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := c.Querier(t.Context())
	held := c.prepared(t.Context(), db, "SELECT 1")
	runShapes(t, repo, 300) // evicts it
	if texts, _ := cachedStatements(c); slices.Contains(texts, "SELECT 1") {
		t.Fatal("the held statement was not evicted")
	}
	var one int
	if err := held.st.QueryRowContext(t.Context()).Scan(&one); err != nil {
		t.Fatalf("the evicted statement was closed under its user: %v", err)
	}
	c.release(held)
	if err := held.st.QueryRowContext(t.Context()).Scan(&one); err == nil {
		t.Fatal("the evicted statement is still open after its user released it")
	}
}
