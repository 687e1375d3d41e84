package sql

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// watchTodos starts a watcher of c's todos that ends with the test.
func watchTodos(t *testing.T, c *Connector) <-chan repository.Change {
	t.Helper()
	m, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Watch(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// nextChange is ch's next change as "type target title".
func nextChange(t *testing.T, ch <-chan repository.Change) string {
	t.Helper()
	c, ok := <-ch
	if !ok {
		t.Fatal("the watcher's channel closed")
	}
	return string(c.Type) + " " + string(c.Target) + " " + string(c.Data["title"])
}

func todosOf(t *testing.T, c *Connector) *repository.DefaultCrudRepository[repotest.Todo, int] {
	t.Helper()
	r, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWatchSQLite_ReportsATransactionAtCommitAndNothingOfARollback(t *testing.T) {
	// Given a watched SQLite connector,
	c := migrated(t, sqliteMemory(t, Options{}))
	ch := watchTodos(t, c)
	todos := todosOf(t, c)
	ctx := t.Context()
	// when a transaction creates a, a savepoint inside it creates b and
	// fails, and it creates c and commits,
	err := c.Transaction(ctx, func(ctx context.Context) error {
		if _, err := todos.Create(ctx, repotest.Todo{Title: "a"}); err != nil {
			return err
		}
		failed := errors.New("undo b")
		if err := c.Transaction(ctx, func(ctx context.Context) error {
			if _, err := todos.Create(ctx, repotest.Todo{Title: "b"}); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			return err
		}
		_, err := todos.Create(ctx, repotest.Todo{Title: "c"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// and a second transaction creates d and rolls back,
	_ = c.Transaction(ctx, func(ctx context.Context) error {
		if _, err := todos.Create(ctx, repotest.Todo{Title: "d"}); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if _, err := todos.Create(ctx, repotest.Todo{Title: "e"}); err != nil {
		t.Fatal(err)
	}
	// then the watcher sees a and c, then e: neither b nor d (whose ids
	// SQLite gives again).
	for _, want := range []string{`"a"`, `"c"`, `"e"`} {
		if got := <-ch; got.Type != repository.ChangeCreate || string(got.Data["title"]) != want {
			t.Fatalf("got %s %s; want the create of %s", got.Type, got.Data["title"], want)
		}
	}
}

func TestWatchSQLite_ConcurrentWritesArriveInCommitOrder(t *testing.T) {
	// Given a SQLite file (a pool of connections) watched,
	c := migrated(t, sqliteFile(t, Options{}))
	ch := watchTodos(t, c)
	todos := todosOf(t, c)
	// when 40 goroutines create a todo each,
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := todos.Create(t.Context(), repotest.Todo{Title: strconv.Itoa(i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// then the watcher gets the creates in id order, the order SQLite
	// committed them (AUTOINCREMENT numbers them under the write lock).
	for want := 1; want <= n; want++ {
		c := <-ch
		if string(c.Target) != strconv.Itoa(want) {
			t.Fatalf("change %d has target %s; want %d", want, c.Target, want)
		}
	}
}

func TestWatchPostgres_TwoInstancesSeeEachOthersWritesOnce(t *testing.T) {
	requirePostgres(t)
	// Given two connectors over one schema, as two instances of an
	// application, each watching the todos,
	a := migrated(t, postgres(t, Options{}))
	b := startConnector(t, os.Getenv(postgresEnv), Options{Schema: a.opts.Schema})
	watchA, watchB := watchTodos(t, a), watchTodos(t, b)
	ctx := t.Context()
	todosA, todosB := todosOf(t, a), todosOf(t, b)
	// when A creates x, B renames it and A deletes it, then B creates y,
	x, err := todosA.Create(ctx, repotest.Todo{Title: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := todosB.UpdateByID(ctx, x.ID, repository.PatchOf[repotest.Todo](map[string]any{"title": "x2"})); err != nil {
		t.Fatal(err)
	}
	if err := todosA.DeleteByID(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := todosB.Create(ctx, repotest.Todo{Title: "y"}); err != nil {
		t.Fatal(err)
	}
	// then both watchers see the four writes, each once, in order, with
	// the data as each write left it.
	want := []string{`create 1 "x"`, `update 1 "x2"`, `remove 1 `, `create 2 "y"`}
	for name, ch := range map[string]<-chan repository.Change{"A": watchA, "B": watchB} {
		for _, w := range want {
			if got := nextChange(t, ch); got != w {
				t.Fatalf("%s's watcher got %s; want %s", name, got, w)
			}
		}
	}
}

func TestWatchPostgres_ReportsAWriteOfAnotherProcess(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector,
	c := migrated(t, postgres(t, Options{}))
	ch := watchTodos(t, c)
	// when a statement of the connector's own (as another program's)
	// inserts a row with a time and a JSON value,
	_, err := c.DB().ExecContext(t.Context(), `INSERT INTO `+quote(c.opts.Schema)+`.todo (title, due, tags, address)
		VALUES ('sql', '2026-01-02T03:04:05+02:00', '["a"]', '{"city":"Oslo"}')`)
	if err != nil {
		t.Fatal(err)
	}
	// then the change carries them as the connector reads them.
	got := <-ch
	if b, _ := got.Data.MarshalJSON(); string(b) != `{"address":{"city":"Oslo"},"due":"2026-01-02T01:04:05Z","id":1,"tags":["a"],"title":"sql"}` {
		t.Fatalf("data %s", b)
	}
}

func TestWatchPostgres_ReportsARowTooBigForANotificationByReadingIt(t *testing.T) {
	requirePostgres(t)
	c := migrated(t, postgres(t, Options{}))
	ch := watchTodos(t, c)
	big := make([]byte, 9000)
	for i := range big {
		big[i] = 'x'
	}
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "big", Desc: repotest.Ptr(string(big))}); err != nil {
		t.Fatal(err)
	}
	got := <-ch
	if got.Type != repository.ChangeCreate || len(got.Data["desc"]) != len(big)+2 {
		t.Fatalf("change %s with a desc of %d bytes", got.Type, len(got.Data["desc"]))
	}
}

func TestWatchPostgres_TheListenerReconnects(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector,
	c := migrated(t, postgres(t, Options{}))
	ch := watchTodos(t, c)
	// when the server ends its listening connection (waiting until the
	// backend is gone, so that nothing more arrives through it),
	c.watch.feedMu.Lock()
	pid := c.watch.feed.pid.Load()
	c.watch.feedMu.Unlock()
	var gone bool
	if err := c.DB().QueryRowContext(t.Context(), "SELECT pg_terminate_backend($1, 60000)", int64(pid)).Scan(&gone); err != nil || !gone {
		t.Fatalf("terminate the listener's backend: %v (gone: %v)", err, gone)
	}
	// then a new watcher (which returns once the listener is back) and
	// the first one both see the next write.
	again := watchTodos(t, c)
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "after"}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []<-chan repository.Change{ch, again} {
		if got := nextChange(t, w); got != `create 1 "after"` {
			t.Fatalf("got %s", got)
		}
	}
	if c.watch.feed.pid.Load() == pid {
		t.Fatal("the listener kept the connection the server ended")
	}
}

func TestWatchPostgres_StopEndsTheWatchersAndTheListener(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector (the goroutines of the one that makes its
	// schema, stopped after the test, not counted),
	url := os.Getenv(postgresEnv)
	setup := migrated(t, postgres(t, Options{}))
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	c, err := Open(url, Options{Schema: setup.opts.Schema})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	ch := watchTodos(t, c)
	// when it stops,
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	// then the watcher's channel is closed, and no goroutine is left.
	for range ch {
	}
}

func TestWatchPostgres_AWatchAfterRebuildInstallsTheTriggerAgain(t *testing.T) {
	requirePostgres(t)
	// Given a connector whose todos were watched, then rebuilt (the table
	// dropped with its trigger),
	c := migrated(t, postgres(t, Options{}))
	watchTodos(t, c)
	if err := c.Rebuild(t.Context(), suiteModels(t)...); err != nil {
		t.Fatal(err)
	}
	// when a new watcher starts and a todo is created,
	ch := watchTodos(t, c)
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	// then the watcher sees it.
	if got := nextChange(t, ch); got != `create 1 "a"` {
		t.Fatalf("got %s", got)
	}
}

func TestInstallChangeTrigger_IsIdempotentAndNothingOnSQLite(t *testing.T) {
	todo := suiteModels(t)[0]
	if err := migrated(t, sqliteMemory(t, Options{})).InstallChangeTrigger(t.Context(), todo); err != nil {
		t.Fatalf("SQLite: %v", err)
	}
	requirePostgres(t)
	c := migrated(t, postgres(t, Options{}))
	for range 2 {
		if err := c.InstallChangeTrigger(t.Context(), todo); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := c.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2`,
		quote(c.opts.Schema)+".todo", changeTrigger).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d triggers, %v; want 1", n, err)
	}
}

func TestWatchSQLite_StopClosesTheWatchersAndLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// Given a watched SQLite connector that wrote once (stopped by hand:
	// goleak looks before the test's cleanups),
	c, err := Open("sqlite:"+t.TempDir()+"/watch.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Migrate(t.Context(), suiteModels(t)...); err != nil {
		t.Fatal(err)
	}
	ch := watchTodos(t, c)
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	// when it stops,
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	// then the watcher gets the write, then its channel closes.
	if got := nextChange(t, ch); got != `create 1 "a"` {
		t.Fatalf("got %s", got)
	}
	for range ch {
		t.Fatal("a change after the write")
	}
}

func TestWatchPostgres_ReportsRowsAroundTheNotificationLimit(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector,
	c := migrated(t, postgres(t, Options{}))
	ch := watchTodos(t, c)
	todos := todosOf(t, c)
	// when todos are created whose notification, row included, is just
	// under, at and just over PostgreSQL's limit,
	var sizes []int
	for n := maxPayload - 150; n <= maxPayload+50; n += 10 {
		sizes = append(sizes, n)
		desc := strings.Repeat("x", n)
		if _, err := todos.Create(t.Context(), repotest.Todo{Title: "t", Desc: &desc}); err != nil {
			t.Fatal(err)
		}
	}
	// then each is reported, with its whole data.
	for _, n := range sizes {
		got := <-ch
		if got.Type != repository.ChangeCreate || len(got.Data["desc"]) != n+2 {
			t.Fatalf("a desc of %d bytes: change %s with %d bytes", n, got.Type, len(got.Data["desc"]))
		}
	}
}

func TestWatchPostgres_WorksAgainAfterARestartAndNotWhileStopped(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector that stops,
	c := migrated(t, postgres(t, Options{}))
	todo := suiteModels(t)[0]
	first := watchTodos(t, c)
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	for range first {
	}
	// then Watch fails while it is stopped,
	if _, err := c.Watch(t.Context(), todo); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("Watch of a stopped connector: %v", err)
	}
	// and once started again a watcher sees its writes.
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	ch := watchTodos(t, c)
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "again"}); err != nil {
		t.Fatal(err)
	}
	if got := nextChange(t, ch); got != `create 1 "again"` {
		t.Fatalf("got %s", got)
	}
}

func TestWatchPostgres_NotificationsNeverCarryHiddenProperties(t *testing.T) {
	requirePostgres(t)
	// Given a watched connector and a session of the database's own
	// listening on the channel (any session may),
	c := migrated(t, postgres(t, Options{}))
	ch := watchTodos(t, c)
	spy, err := pgx.Connect(t.Context(), os.Getenv(postgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer spy.Close(context.Background())
	if _, err := spy.Exec(t.Context(), "LISTEN "+ChangeChannel); err != nil {
		t.Fatal(err)
	}
	// when a todo with a hidden property is created,
	if _, err := todosOf(t, c).Create(t.Context(), repotest.Todo{Title: "a", Secret: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	// then its notification has the row without it, and so has the change.
	for {
		n, err := spy.WaitForNotification(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(n.Payload, `"`+c.opts.Schema+`"`) {
			continue // another test's, or a Watch's barrier
		}
		if strings.Contains(n.Payload, "s3cret") || !strings.Contains(n.Payload, `"row"`) {
			t.Fatalf("payload %s", n.Payload)
		}
		break
	}
	if got := <-ch; got.Data["secret"] != nil || got.Data["Secret"] != nil || string(got.Data["title"]) != `"a"` {
		t.Fatalf("change data %v", got.Data)
	}
}
