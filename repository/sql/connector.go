package sql

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"go.uber.org/fx"
	"modernc.org/sqlite"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// Options configure a [Connector]. The zero value is ready to use.
type Options struct {
	// Schema is the PostgreSQL schema that holds the tables; "" means the
	// connection's search_path (public, by default). Migrate creates it
	// when it is missing. SQLite has no schemas and ignores it.
	Schema string
	// MaxOpenConns caps the pool's open connections; 0 means 10 for
	// PostgreSQL and 4 for a SQLite file. A SQLite :memory: database
	// always has exactly one, which holds the database.
	MaxOpenConns int
	// MaxIdleConns caps the idle connections kept; 0 means MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than it, so that what a
	// server keeps per session does not grow for ever; 0 means 30 minutes,
	// a negative value keeps them. A SQLite :memory: database keeps its
	// one connection whatever it says.
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime closes connections idle longer than it; 0 keeps
	// them.
	ConnMaxIdleTime time.Duration
	// StatementTimeout is the longest one PostgreSQL statement may run
	// before the server cancels it (the session's statement_timeout): 0
	// means 30 seconds, a negative value none. A statement_timeout in the
	// URL wins. A statement it cancels fails with a [*QueryTimeoutError]
	// (503 QUERY_TIMEOUT). SQLite ignores it: there the request's context
	// is the only deadline.
	StatementTimeout time.Duration
	// BusyTimeout is how long a SQLite write waits for another one's lock
	// before it fails; 0 means 5 seconds.
	BusyTimeout time.Duration
	// AutoMigrate migrates each model (see [Connector.Migrate]) the first
	// time the connector serves it, so that an application needs no
	// migration step. Off, a missing table is an error that says to
	// migrate.
	AutoMigrate bool
	// Memory configures the memory connector that [FromURL] returns for an
	// empty URL.
	Memory memory.Options
}

// Connector is the SQL connector: a [repository.Connector] over
// database/sql, speaking SQLite (modernc.org/sqlite, pure Go) or PostgreSQL
// (pgx). It holds no rows and no ids: every instance of an application can
// share one PostgreSQL database. It is safe for concurrent use.
//
// It opens its pool at Start and closes it at Stop; registered with
// [repository.DataSource] (or [DataSource]) it does both as a life-cycle
// observer in the datasource group.
type Connector struct {
	d        dialect
	opts     Options
	dsn      string          // SQLite: the driver's name for the database
	file     string          // SQLite: the file; "" for :memory:
	pgConfig *pgx.ConnConfig // PostgreSQL
	// stmtTimeout is PostgreSQL's statement_timeout, for messages.
	stmtTimeout string
	// pgModes: the connector chooses how each statement runs (execArgs).
	pgModes bool

	db       atomic.Pointer[stdsql.DB]
	startMu  sync.Mutex
	tables   sync.Map // *repository.Model → *table
	migrated sync.Map // *repository.Model → *autoMigration
	stmts    statements
	watch    watchState
}

var _ repository.Connector = (*Connector)(nil)

// ErrNotStarted is returned by the operations of a connector that is not
// started, or was stopped.
var ErrNotStarted = errors.New("sql: connector not started: call Start, or register it with repository.DataSource")

// Open returns a connector for the database that url names; it connects
// at Start. The URL chooses the dialect:
//
//	sqlite:data/todo.db                   a file, relative to the working directory
//	sqlite:///var/lib/todo/todo.db        an absolute path
//	sqlite::memory:                       a private in-memory database
//	postgres://user:pass@host:5432/db?sslmode=disable
//	postgresql://…                        the same
//
// A SQLite URL may end in ?_pragma=…&… (the modernc driver's
// parameters); a PostgreSQL URL takes pgx's parameters.
func Open(url string, opts Options) (*Connector, error) {
	scheme, rest, found := strings.Cut(url, ":")
	if !found || len(scheme) > 20 {
		return nil, errors.New("sql: not a database URL: want sqlite:<file>, sqlite::memory: or postgres://…")
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		return openSQLite(rest, opts)
	case "postgres", "postgresql":
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return nil, fmt.Errorf("sql: bad PostgreSQL URL: %w", err)
		}
		timeout, modes := configurePostgres(cfg, opts)
		return &Connector{d: postgresDialect{}, opts: opts, pgConfig: cfg, stmtTimeout: timeout, pgModes: modes}, nil
	}
	return nil, fmt.Errorf("sql: unsupported database URL scheme %q: want sqlite:<file>, sqlite::memory: or postgres://…", scheme)
}

func openSQLite(rest string, opts Options) (*Connector, error) {
	rest = strings.TrimPrefix(rest, "//") // sqlite:///abs/path, sqlite://rel/path
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return nil, errors.New("sql: a SQLite URL needs a file or :memory:, as in sqlite:data/todo.db or sqlite::memory:")
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	params := []string{"_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")",
		"_pragma=foreign_keys(1)", "_txlock=immediate"}
	c := &Connector{d: sqliteDialect{}, opts: opts}
	if path != ":memory:" {
		c.file = path
		params = append(params, "_pragma=journal_mode(WAL)")
	}
	if query != "" {
		params = append(params, query)
	}
	c.dsn = path + "?" + strings.Join(params, "&")
	return c, nil
}

// Dialect is "sqlite" or "postgres".
func (c *Connector) Dialect() string { return c.d.name() }

// DB returns the connector's pool, nil before Start: for queries of your
// own. Use the context of [Connector.Transaction] with [Connector.Querier]
// to run them in the transaction.
func (c *Connector) DB() *stdsql.DB { return c.db.Load() }

// Start opens the pool and checks that the database answers.
func (c *Connector) Start(ctx context.Context) error {
	c.startMu.Lock()
	defer c.startMu.Unlock()
	if c.db.Load() != nil {
		return nil
	}
	var db *stdsql.DB
	maxOpen := c.opts.MaxOpenConns
	switch c.d.(type) {
	case sqliteDialect:
		if err := registerOnce(); err != nil {
			return err
		}
		if c.file != "" {
			if dir := filepath.Dir(c.file); dir != "." {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return fmt.Errorf("sql: creating the directory of %s: %w", c.file, err)
				}
			}
		}
		conn, err := sqlite.NewConnector(c.dsn)
		if err != nil {
			return fmt.Errorf("sql: SQLite %s: %w", c.where(), err)
		}
		db = stdsql.OpenDB(conn)
		if maxOpen <= 0 {
			maxOpen = 4
		}
	default:
		db = stdlib.OpenDB(*c.pgConfig)
		if maxOpen <= 0 {
			maxOpen = 10
		}
	}
	maxIdle := c.opts.MaxIdleConns
	if maxIdle <= 0 || maxIdle > maxOpen {
		maxIdle = maxOpen
	}
	lifetime, idle := connLifetime(c.opts), c.opts.ConnMaxIdleTime
	if c.d.name() == "sqlite" && c.file == "" {
		// The database lives in its one connection: never close it.
		maxOpen, maxIdle, lifetime, idle = 1, 1, 0, 0
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxIdle)
	db.SetConnMaxLifetime(lifetime)
	db.SetConnMaxIdleTime(idle)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("sql: connecting to %s: %w", c.where(), err)
	}
	c.db.Store(db)
	return nil
}

// connLifetime is the pool's ConnMaxLifetime for opts: 0 means the
// default, a negative value database/sql's "for ever" (0).
func connLifetime(opts Options) time.Duration {
	switch {
	case opts.ConnMaxLifetime == 0:
		return defaultConnMaxLifetime
	case opts.ConnMaxLifetime < 0:
		return 0
	}
	return opts.ConnMaxLifetime
}

// Stop closes the pool, after the queries under way have finished.
func (c *Connector) Stop(context.Context) error {
	c.startMu.Lock()
	defer c.startMu.Unlock()
	db := c.db.Swap(nil)
	c.stopWatching() // after the swap: a Watch from now on cannot start a listener
	c.migrated.Clear()
	c.closeStatements()
	if db == nil {
		return nil
	}
	return db.Close()
}

// where names the database for messages, without credentials.
func (c *Connector) where() string {
	switch {
	case c.pgConfig != nil:
		return fmt.Sprintf("PostgreSQL at %s:%d/%s", c.pgConfig.Host, c.pgConfig.Port, c.pgConfig.Database)
	case c.file != "":
		return c.file
	}
	return ":memory:"
}

// table returns the mapping of m, computed once.
func (c *Connector) table(m *repository.Model) (*table, error) {
	if t, ok := c.tables.Load(m); ok {
		return t.(*table), nil
	}
	t, err := newTable(c.d, c.opts.Schema, m)
	if err != nil {
		return nil, err
	}
	got, _ := c.tables.LoadOrStore(m, t)
	return got.(*table), nil
}

// FromURL returns the connector a URL names: the memory connector (with
// opts.Memory) for "" or "memory:", the memory connector over a file for
// "memory:data/db.json", and otherwise [Open]'s SQL connector. It is the
// constructor of an application that reads its store from configuration:
//
//	conn, err := sql.FromURL(os.Getenv("DATABASE_URL"), sql.Options{
//		Memory: memory.Options{File: "data/db.json"},
//	})
func FromURL(url string, opts Options) (repository.Connector, error) {
	if url == "" || url == "memory:" {
		return memory.New(opts.Memory), nil
	}
	if file, ok := strings.CutPrefix(url, "memory:"); ok {
		return memory.New(memory.Options{File: file}), nil
	}
	return Open(url, opts)
}

// DataSource registers the connector url names (see [FromURL]) as the data
// source called name: [repository.DataSource] with FromURL as constructor.
// Repositories ask for it with the tag name:"datasources.<name>".
func DataSource(name, url string, opts Options) fx.Option {
	return repository.DataSource(name, func() (repository.Connector, error) { return FromURL(url, opts) })
}

// Migrator is a connector that can create its tables: the SQL connector.
type Migrator interface {
	Migrate(ctx context.Context, models ...*repository.Model) error
}

// Migrate migrates models on conn when it is a [Migrator] and does nothing
// otherwise (the memory connector needs no tables): the step behind an
// application's "migrate" command, whatever its store.
func Migrate(ctx context.Context, conn repository.Connector, models ...*repository.Model) error {
	if m, ok := conn.(Migrator); ok {
		return m.Migrate(ctx, models...)
	}
	return nil
}
