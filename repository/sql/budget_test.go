package sql

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

// note is an entity with a long text and a JSON property, for the tests of
// the matching budget.
type note struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Body string `json:"body"`
	Meta any    `json:"meta,omitempty"`
}

// tightNote is note with a budget of 1,000 units of matching work.
type tightNote note

func (tightNote) FilterLimits() repository.Limits { return repository.Limits{MaxMatchWork: 1000} }

// likeAttack is the pattern of the measured attack: 999 single-character
// wildcards and a z, about a thousand instructions per byte of text.
var likeAttack = strings.Repeat("_", 999) + "z"

// repoWithText is a repository of T over c holding one entity whose body
// and meta.text are 1 MB of "a".
func repoWithText[T any](tb testing.TB, c *Connector) *repository.DefaultCrudRepository[T, int] {
	tb.Helper()
	m, err := repository.ModelOf[T]()
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Migrate(tb.Context(), m); err != nil {
		tb.Fatal(err)
	}
	repo, err := repository.NewCrudRepository[T, int](c)
	if err != nil {
		tb.Fatal(err)
	}
	big := strings.Repeat("a", 1<<20)
	if _, err := c.Create(tb.Context(), m, []repository.Data{{
		"body": []byte(`"` + big + `"`), "meta": []byte(`{"text":"` + big + `"}`),
	}}); err != nil {
		tb.Fatal(err)
	}
	return repo
}

// wantWorkLimit fails unless err is the budget's 400 QUERY_TOO_COSTLY.
func wantWorkLimit(t *testing.T, err error) {
	t.Helper()
	var wl *repository.WorkLimitError
	if !errors.As(err, &wl) {
		t.Fatalf("got %v (%T), want a *repository.WorkLimitError", err, err)
	}
	if wl.StatusCode() != 400 || wl.ErrorCode() != repository.CodeQueryTooCostly {
		t.Fatalf("got %d %s, want 400 %s", wl.StatusCode(), wl.ErrorCode(), repository.CodeQueryTooCostly)
	}
}

func TestSQLiteLikeOverBudgetIsRefusedWithQueryTooCostly(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	_, err := repo.Count(t.Context(), repository.Like("body", likeAttack))
	wantWorkLimit(t, err)
}

func TestSQLiteIlikeOverBudgetIsRefusedWithQueryTooCostly(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	_, err := repo.Count(t.Context(), repository.Ilike("body", likeAttack))
	wantWorkLimit(t, err)
}

func TestSQLiteRegexpOverBudgetIsRefusedWithQueryTooCostly(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	_, err := repo.Find(t.Context(), &repository.Filter[note]{Where: repository.Match("body", "/"+likeAttack+"/")})
	wantWorkLimit(t, err)
}

func TestSQLiteLikeOnJSONValuesOverBudgetIsRefusedWithQueryTooCostly(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	_, err := repo.Count(t.Context(), repository.Like("meta.text", likeAttack))
	wantWorkLimit(t, err)
}

func TestSQLiteUpdateAndDeleteOverBudgetAreRefusedWithQueryTooCostly(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	_, err := repo.UpdateAll(t.Context(), repository.PatchOf[note](map[string]any{"body": "b"}), repository.Like("body", likeAttack))
	wantWorkLimit(t, err)
	_, err = repo.DeleteAll(t.Context(), repository.Like("body", likeAttack))
	wantWorkLimit(t, err)
	if n, err := repo.Count(t.Context(), nil); err != nil || n.Count != 1 {
		t.Fatalf("after refused writes: %v entities, %v; want the one untouched", n, err)
	}
}

func TestSQLiteLikeWithinBudgetMatches(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	n, err := repo.Count(t.Context(), repository.Like("body", "a_a%aaa"))
	if err != nil || n.Count != 1 {
		t.Fatalf("got %v, %v; want 1 match", n, err)
	}
}

func TestSQLiteShortLiteralLikeUsesInstrUncharged(t *testing.T) {
	repo := repoWithText[tightNote](t, sqliteMemory(t, Options{}))
	n, err := repo.Count(t.Context(), repository.Like("body", "%"+strings.Repeat("a", maxInstrPiece)+"%"))
	if err != nil || n.Count != 1 {
		t.Fatalf("got %v, %v; want 1 match without charging the budget", n, err)
	}
}

func TestSQLiteLongLiteralLikeIsCharged(t *testing.T) {
	repo := repoWithText[tightNote](t, sqliteMemory(t, Options{}))
	_, err := repo.Count(t.Context(), repository.Like("body", strings.Repeat("a", maxInstrPiece+1)))
	wantWorkLimit(t, err)
}

func TestSQLiteQueryStateLastsAsLongAsItsQuery(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	if _, err := repo.Find(t.Context(), &repository.Filter[note]{Where: repository.Like("body", "a_a")}); err != nil {
		t.Fatal(err)
	}
	_, _ = repo.Count(t.Context(), repository.Like("body", likeAttack))
	n := 0
	runningQueries.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Fatalf("%d query states remain after their queries ended", n)
	}
}

func TestSQLiteFunctionsWithoutAQueryRunUnbudgeted(t *testing.T) {
	c := sqliteMemory(t, Options{})
	var got int
	err := c.DB().QueryRowContext(t.Context(), "SELECT loom_like('abc', 'a_c', 0, NULL)").Scan(&got)
	if err != nil || got != 1 {
		t.Fatalf("got %d, %v; want 1", got, err)
	}
}

// BenchmarkSQLiteLikeAttack is the measured attack, a 1,000-wildcard like
// over a 1 MB text, which cost 9.5 s: the budget refuses it before
// matching.
func BenchmarkSQLiteLikeAttack(b *testing.B) {
	repo := repoWithText[note](b, sqliteFile(b, Options{}))
	where := repository.Like("body", likeAttack)
	for b.Loop() {
		if _, err := repo.Count(b.Context(), where); err == nil {
			b.Fatal("the attack was not refused")
		}
	}
}

// TestSQLiteLargeFiltersLeaveNothingBehind runs 40 distinct filters, each
// a JSON inq of 1000 values of 200 bytes (200 KB of argument, 8 MB in
// all), and measures the Go heap in use after a GC before and after: the
// compiled tests live as long as their query. A cache keyed on the
// argument kept them all (872 MB after 250 larger ones).
func TestSQLiteLargeFiltersLeaveNothingBehind(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	run := func(i int) {
		vs := make([]any, 1000)
		for j := range vs {
			vs[j] = fmt.Sprintf("%d-%d-%s", i, j, strings.Repeat("v", 200))
		}
		if _, err := repo.Count(t.Context(), repository.Inq("meta.tag", vs...)); err != nil {
			t.Fatal(err)
		}
	}
	run(-1)
	before := heapInUse()
	for i := range 40 {
		run(i)
	}
	grown := int64(heapInUse()) - int64(before)
	t.Logf("the Go heap grew %.1f MB over 40 filters of 200 KB", float64(grown)/(1<<20))
	if grown > 4<<20 {
		t.Fatalf("the Go heap grew %.1f MB over 40 filters of 200 KB, want under 4 MB", float64(grown)/(1<<20))
	}
}
