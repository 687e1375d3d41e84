package sql

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// What one FindByID costs on PostgreSQL, beside what it cannot cost less
// than: a bare SELECT 1 through the same pool (database/sql over pgx).
// Each reports, beside
// the wall time, the CPU this process spent per operation (cpu-ns/op)
// and, when the server runs on this machine and its backend's /proc entry
// is readable, the CPU the backend spent (server-cpu-ns/op): the rest of
// the wall time is the round trip itself, two processes waking each other.

// statementLog counts what a connection sends: the statements pgx runs,
// the statements it prepares, and the writes to the socket (one per round
// trip, since pgx writes a request whole and then waits for the answer).
type statementLog struct {
	mu       sync.Mutex
	sql      []string
	prepares int
	writes   atomic.Int64
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	l.sql = append(l.sql, d.SQL)
	l.mu.Unlock()
	return ctx
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (l *statementLog) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	l.mu.Lock()
	l.prepares++
	l.mu.Unlock()
	return ctx
}

func (l *statementLog) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// reset forgets what was logged.
func (l *statementLog) reset() {
	l.mu.Lock()
	l.sql, l.prepares = nil, 0
	l.mu.Unlock()
	l.writes.Store(0)
}

// writeCounter counts the writes to a socket.
type writeCounter struct {
	net.Conn
	writes *atomic.Int64
}

func (c writeCounter) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// loggedPostgres is [postgres] with every connection logged in l.
func loggedPostgres(tb testing.TB, l *statementLog, opts Options) *Connector {
	tb.Helper()
	c := postgres(tb, opts)
	if err := c.Stop(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	c.pgConfig.Tracer = l
	var d net.Dialer
	c.pgConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return writeCounter{conn, &l.writes}, nil
	}
	if err := c.Start(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestPostgresFindByIDIsOneStatement checks what a FindByID sends outside a
// transaction: its SELECT and nothing else (no BEGIN, SET or Describe),
// prepared once per connection and then run by name.
func TestPostgresFindByIDIsOneStatement(t *testing.T) {
	var l statementLog
	c := migrated(t, loggedPostgres(t, &l, Options{MaxOpenConns: 1}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := repo.Create(t.Context(), repotest.Todo{Title: "todo " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	l.reset()
	const n = 50
	for i := range n {
		if _, err := repo.FindByID(t.Context(), i%3+1, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(l.sql) != n {
		t.Fatalf("%d FindByIDs ran %d statements, want one each: %q", n, len(l.sql), l.sql)
	}
	for _, s := range l.sql {
		if s != l.sql[0] || !strings.HasPrefix(s, "SELECT ") {
			t.Fatalf("FindByID ran %q, want the same SELECT every time (%q)", s, l.sql[0])
		}
	}
	if l.prepares != 1 {
		t.Errorf("%d FindByIDs on one connection prepared %d statements, want 1", n, l.prepares)
	}
	// A connection idle for over a second is pinged before its next use
	// (pgx's stdlib), so a slow machine may add a round trip or two.
	t.Logf("%d FindByIDs: %d statements, %d prepared, %d round trips", n, len(l.sql), l.prepares, l.writes.Load())
}

// cpuMeter reads the CPU time of this process and, when it can, of the
// server's backend process behind a pool of one connection.
type cpuMeter struct {
	backend string // /proc/<pid>/stat of the backend, "" when unreadable
}

func newCPUMeter(backendPID func() (int, error)) *cpuMeter {
	m := &cpuMeter{}
	if pid, err := backendPID(); err == nil {
		path := "/proc/" + strconv.Itoa(pid) + "/stat"
		if _, ok := readTicks(path); ok {
			m.backend = path
		}
	}
	return m
}

// readTicks is the user and system CPU time of a process in clock ticks
// (1/100 s on Linux).
func readTicks(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command may hold spaces
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	return u + st, err1 == nil && err2 == nil
}

func selfCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// measure runs op in b's loop and reports the CPU spent per operation.
func (m *cpuMeter) measure(b *testing.B, op func(i int) error) {
	b.ReportAllocs()
	ticks, _ := readTicks(m.backend)
	self := selfCPU()
	i := 0
	for b.Loop() {
		i = i%10_000 + 1
		if err := op(i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(selfCPU()-self)/float64(b.N), "cpu-ns/op")
	if end, ok := readTicks(m.backend); ok && m.backend != "" {
		b.ReportMetric(float64(end-ticks)*1e7/float64(b.N), "server-cpu-ns/op")
	}
}

// poolBackend is the backend of c's one connection, for newCPUMeter.
func poolBackend(ctx context.Context, c *Connector) func() (int, error) {
	return func() (pid int, err error) {
		return pid, c.DB().QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid)
	}
}

// BenchmarkFindByIDPostgresFloor is a bare SELECT 1 through the
// connector's pool, run as the connector runs a short statement (a named
// prepared statement): the cost of one round trip through database/sql.
func BenchmarkFindByIDPostgresFloor(b *testing.B) {
	c := postgres(b, Options{MaxOpenConns: 1})
	db, ctx := c.DB(), b.Context()
	newCPUMeter(poolBackend(ctx, c)).measure(b, func(int) error {
		var n int
		return db.QueryRowContext(ctx, "SELECT 1", pgx.QueryExecModeCacheStatement).Scan(&n)
	})
}
