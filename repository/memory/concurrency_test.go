package memory

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
)

type task struct {
	ID    int    `json:"id,omitempty" loom:"id,generated"`
	Title string `json:"title"`
}

type label struct {
	Key string `json:"key" loom:"id"`
}

func tasks(t *testing.T, c *Connector) *repository.DefaultCrudRepository[task, int] {
	t.Helper()
	repo, err := repository.NewCrudRepository[task, int](c)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// blockFirst returns a hook that, the first time it runs, says so on
// entered and waits for release; later calls, even while the first
// waits, pass.
func blockFirst() (hook func(), entered, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	var ran atomic.Bool
	return func() {
		if ran.CompareAndSwap(false, true) {
			close(entered)
			<-release
		}
	}, entered, release
}

func TestAWriteCompletesWhileAReadIsInProgress(t *testing.T) {
	// given a store with one task and a read stopped in the middle of its scan
	c := New(Options{})
	repo := tasks(t, c)
	if _, err := repo.Create(t.Context(), task{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	hook, entered, release := blockFirst()
	c.onScan = hook
	type result struct {
		got []task
		err error
	}
	read := make(chan result)
	go func() {
		got, err := repo.Find(context.Background(), &repository.Filter[task]{Where: repository.Like("title", "%")})
		read <- result{got, err}
	}()
	<-entered

	// when a task is created and another deleted
	if _, err := repo.Create(t.Context(), task{Title: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := repo.DeleteByID(t.Context(), 1); err != nil {
		t.Fatal(err)
	}

	// then the writes returned while the read was held, and the read
	// sees the rows as they were when it began
	close(release)
	r := <-read
	if r.err != nil || len(r.got) != 1 || r.got[0].Title != "a" {
		t.Fatalf("the read saw %+v, %v; want task a alone", r.got, r.err)
	}
	now, err := repo.Find(t.Context(), nil)
	if err != nil || len(now) != 1 || now[0].Title != "b" {
		t.Fatalf("after the writes: %+v, %v", now, err)
	}
}

func TestReadsProceedWhileAWriteIsBlockedWritingTheJournal(t *testing.T) {
	// given a file-backed store whose next journal write blocks
	c := New(Options{File: filepath.Join(t.TempDir(), "db.json")})
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	repo := tasks(t, c)
	if _, err := repo.Create(t.Context(), task{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	hook, entered, release := blockFirst()
	c.journalWrite = func(j *journal, rec []byte) error {
		hook()
		return j.append(rec)
	}
	written := make(chan error)
	go func() {
		_, err := repo.Create(context.Background(), task{Title: "b"})
		written <- err
	}()
	<-entered

	// when the store is read, through a model it has and one it has not
	n, err := repo.Count(t.Context(), repository.Like("title", "%"))
	got, ferr := repo.Find(t.Context(), nil)
	labels, lerr := repository.NewCrudRepository[label, string](c)
	if lerr != nil {
		t.Fatal(lerr)
	}
	none, nerr := labels.Count(t.Context(), nil)

	// then the reads answer, without the write that is not on disk yet
	if err != nil || ferr != nil || nerr != nil || n.Count != 1 || len(got) != 1 || none.Count != 0 {
		t.Fatalf("count %d (%v), find %+v (%v), labels %d (%v)", n.Count, err, got, ferr, none.Count, nerr)
	}
	close(release)
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	if n, _ := repo.Count(t.Context(), nil); n.Count != 2 {
		t.Fatalf("after the write: %d tasks, want 2", n.Count)
	}
}

func TestAWriteTheJournalRefusesIsUndoneAndNeverSeen(t *testing.T) {
	// given a file-backed store with one task, whose next journal write fails
	c := New(Options{File: filepath.Join(t.TempDir(), "db.json")})
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	repo := tasks(t, c)
	if _, err := repo.Create(t.Context(), task{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	c.journalWrite = func(*journal, []byte) error { return errors.New("disk full") }

	// when a task is created, one updated and one deleted
	_, cerr := repo.Create(t.Context(), task{Title: "b"})
	_, uerr := repo.UpdateAll(t.Context(), repository.PatchOf[task](map[string]any{"title": "z"}), nil)
	derr := repo.DeleteByID(t.Context(), 1)

	// then each fails and the store is as it was, its id sequence too
	if cerr == nil || uerr == nil || derr == nil {
		t.Fatalf("writes passed: %v, %v, %v", cerr, uerr, derr)
	}
	c.journalWrite = (*journal).append
	got, err := repo.Find(t.Context(), nil)
	if err != nil || len(got) != 1 || got[0].Title != "a" {
		t.Fatalf("after failed writes: %+v, %v", got, err)
	}
	if b, err := repo.Create(t.Context(), task{Title: "b"}); err != nil || b.ID != 2 {
		t.Fatalf("next create: %+v, %v; want id 2", b, err)
	}
}

// manyTasks returns a store of n tasks.
func manyTasks(t *testing.T, n int) (*Connector, *repository.DefaultCrudRepository[task, int]) {
	t.Helper()
	c := New(Options{})
	repo := tasks(t, c)
	all := make([]task, n)
	for i := range all {
		all[i].Title = "t"
	}
	if _, err := repo.CreateAll(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	return c, repo
}

// cancelAtSecondCheck makes the scan cancel its own context when it
// reaches its second look at it: the scan is then in progress.
func cancelAtSecondCheck(c *Connector) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	checks := 0
	c.onScan = func() {
		if checks++; checks == 2 {
			cancel()
		}
	}
	return ctx
}

func TestACancelledContextStopsAScanInProgress(t *testing.T) {
	where := repository.Like("title", "t%")
	for name, op := range map[string]func(*repository.DefaultCrudRepository[task, int], context.Context) error{
		"find": func(r *repository.DefaultCrudRepository[task, int], ctx context.Context) error {
			_, err := r.Find(ctx, &repository.Filter[task]{Where: where})
			return err
		},
		"find ordered": func(r *repository.DefaultCrudRepository[task, int], ctx context.Context) error {
			_, err := r.Find(ctx, &repository.Filter[task]{Order: []repository.Order{repository.Desc("title")}})
			return err
		},
		"count": func(r *repository.DefaultCrudRepository[task, int], ctx context.Context) error {
			_, err := r.Count(ctx, where)
			return err
		},
		"update": func(r *repository.DefaultCrudRepository[task, int], ctx context.Context) error {
			_, err := r.UpdateAll(ctx, repository.PatchOf[task](map[string]any{"title": "u"}), where)
			return err
		},
		"delete": func(r *repository.DefaultCrudRepository[task, int], ctx context.Context) error {
			_, err := r.DeleteAll(ctx, where)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			// given 1,000 tasks and a request cancelled during its scan
			c, repo := manyTasks(t, 1000)
			ctx := cancelAtSecondCheck(c)

			// when it runs, then it stops with the context's error, and
			// nothing changed
			if err := op(repo, ctx); err != context.Canceled {
				t.Fatalf("got %v, want context.Canceled itself", err)
			}
			c.onScan = nil
			n, err := repo.Count(t.Context(), repository.Eq("title", "t"))
			if err != nil || n.Count != 1000 {
				t.Fatalf("after the cancelled request: %d tasks titled t (%v), want 1000", n.Count, err)
			}
		})
	}
}

func TestADeadlineStopsAScanWithDeadlineExceeded(t *testing.T) {
	_, repo := manyTasks(t, 10)
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0)) // already past
	defer cancel()
	_, err := repo.Count(ctx, repository.Like("title", "t%"))
	if err != context.DeadlineExceeded {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
}

func TestAPatternPastTheMatchBudgetFailsTheQuery(t *testing.T) {
	// given a stored text of 1 MB
	c := New(Options{})
	repo := tasks(t, c)
	if _, err := repo.Create(t.Context(), task{Title: strings.Repeat("a", 1<<20)}); err != nil {
		t.Fatal(err)
	}

	// when it is matched by a like of 999 _ then z, and a regexp as costly
	for _, where := range []repository.Cond{
		repository.Like("title", strings.Repeat("_", 999)+"z"),
		repository.Match("title", ".{999}z"),
	} {
		_, err := repo.Count(t.Context(), where)

		// then the query fails with the budget's error: 400 QUERY_TOO_COSTLY
		var wl *repository.WorkLimitError
		if !errors.As(err, &wl) || wl.StatusCode() != 400 || wl.ErrorCode() != repository.CodeQueryTooCostly ||
			wl.Limit != repository.DefaultLimits().MaxMatchWork {
			t.Fatalf("%v: got %v", where, err)
		}
	}
}
