package sql

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/loomhq/loom/repository"
)

// ChangeChannel is the PostgreSQL notification channel the change
// triggers notify and the connectors listen on.
const ChangeChannel = "loom_changes"

// maxPayload bounds a notification's text: PostgreSQL refuses one of 8000
// bytes or more. A row that does not fit is left out (the listener reads
// it from the table); an id that does not fit alone is not reported.
const maxPayload = 7900

// Reconnection waits: the first retry after a lost listener connection
// waits minBackoff, each next one twice as long, up to maxBackoff.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// changeFunction is the trigger function: it notifies ChangeChannel with
// {"s": schema, "t": table, "op": INSERT|UPDATE|DELETE, "id": id, "row":
// the row as JSON}, the row only when it fits and never for a DELETE. Its
// arguments are the id column's name, then the columns of hidden
// properties, left out of the row: any session of the database may LISTEN.
const changeFunction = `CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $loom$
DECLARE
	r jsonb;
	p text;
BEGIN
	IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
	IF TG_OP <> 'DELETE' THEN
		p := jsonb_build_object('s', TG_TABLE_SCHEMA, 't', TG_TABLE_NAME, 'op', TG_OP, 'id', r -> TG_ARGV[0], 'row', r - TG_ARGV[1:])::text;
	END IF;
	IF p IS NULL OR octet_length(p) > %d THEN
		p := jsonb_build_object('s', TG_TABLE_SCHEMA, 't', TG_TABLE_NAME, 'op', TG_OP, 'id', r -> TG_ARGV[0])::text;
	END IF;
	IF octet_length(p) <= %d THEN
		PERFORM pg_notify('%s', p);
	END IF;
	RETURN NULL;
END
$loom$`

// changeTrigger is the trigger's name on every table.
const changeTrigger = "loom_changes"

// changeFunctionName is the trigger function, in the connector's schema.
func (c *Connector) changeFunctionName() string {
	if c.opts.Schema != "" {
		return quote(c.opts.Schema) + "." + quote("loom_notify_change")
	}
	return quote("loom_notify_change")
}

// InstallChangeTrigger installs, on PostgreSQL, the trigger that reports
// the writes to m's table to every connector watching it (see
// [Connector.Watch], which calls it): a function loom_notify_change in the
// connector's schema and, on the table, an AFTER INSERT OR UPDATE OR
// DELETE trigger loom_changes FOR EACH ROW that calls it. Each write then
// sends a notification on [ChangeChannel] holding the table, the
// operation, the id and, when it fits in PostgreSQL's 8000 bytes, the row
// without the columns of hidden properties. A row that does not fit is
// read by id when the notification arrives, as it is then (a row deleted
// in between is reported by its removal only); an id too long to fit is
// not reported.
//
// Installing is idempotent and safe from several instances at once; a
// trigger whose arguments no longer match the model (a property hidden
// since) is replaced. Migrate does not install it, so a table no one
// watches pays nothing. On SQLite it does nothing.
func (c *Connector) InstallChangeTrigger(ctx context.Context, m *repository.Model) error {
	t, _, err := c.prepare(ctx, m)
	if err != nil {
		return err
	}
	if c.d.name() != "postgres" {
		return nil
	}
	_, err = c.installTrigger(ctx, t)
	return err
}

// installTrigger installs t's trigger and returns the table's schema and
// name as the trigger reports them, the key of its notifications. A
// trigger already in place costs one catalog query and takes no lock, so
// that opening a watch does not queue behind every other instance's.
func (c *Connector) installTrigger(ctx context.Context, t *table) (string, error) {
	key, current, err := c.triggerState(ctx, c.DB(), t)
	if err != nil || current {
		return key, err
	}
	err = c.Transaction(ctx, func(ctx context.Context) error {
		q, err := c.Querier(ctx)
		if err != nil {
			return err
		}
		// Concurrent CREATE OR REPLACE of one function fails ("tuple
		// concurrently updated"): installs take turns, and look again
		// once it is theirs.
		if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('loom_changes_install'))`); err != nil {
			return c.fail(ctx, t, nil, "installing the change trigger", err)
		}
		if key, current, err = c.triggerState(ctx, q, t); err != nil || current {
			return err
		}
		want := triggerArgs(t)
		quoted := make([]string, len(want))
		for i, a := range want {
			quoted[i] = quoteLiteral(a)
		}
		stmts := []string{
			fmt.Sprintf(changeFunction, c.changeFunctionName(), maxPayload, maxPayload, ChangeChannel),
			fmt.Sprintf("DROP TRIGGER IF EXISTS %s ON %s", quote(changeTrigger), t.ref),
			fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s(%s)",
				quote(changeTrigger), t.ref, c.changeFunctionName(), strings.Join(quoted, ", ")),
		}
		for _, s := range stmts {
			if _, err := q.ExecContext(ctx, s); err != nil {
				return c.fail(ctx, t, nil, "installing the change trigger", err)
			}
		}
		return nil
	})
	return key, err
}

// triggerState reads t's schema and name (the key of its notifications)
// and whether its trigger is installed with the arguments it needs now.
func (c *Connector) triggerState(ctx context.Context, q Querier, t *table) (key string, current bool, err error) {
	var schema, name string
	var args []byte // the installed trigger's, each followed by a NUL; nil: none
	err = q.QueryRowContext(ctx, `SELECT n.nspname, c.relname,
		(SELECT g.tgargs FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = $2)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass`,
		t.ref, changeTrigger).Scan(&schema, &name, &args)
	if err != nil {
		return "", false, c.fail(ctx, t, nil, "installing the change trigger", err)
	}
	var stored strings.Builder
	for _, a := range triggerArgs(t) {
		stored.WriteString(a + "\x00")
	}
	return schema + "." + name, args != nil && string(args) == stored.String(), nil
}

// triggerArgs are the arguments of t's trigger: the id column, then the
// columns of the hidden properties (a model that hides another property
// gets its trigger again).
func triggerArgs(t *table) []string {
	args := []string{t.id.name}
	for _, col := range t.cols {
		if p := t.model.Property(col.prop); p != nil && p.Hidden {
			args = append(args, col.name)
		}
	}
	return args
}

// quoteLiteral is s as a SQL string literal.
func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

// watchPostgres makes sure the listener runs and t's writes reach it
// before Watch returns: the changes made after it are all reported, and
// none made before.
func (c *Connector) watchPostgres(ctx context.Context, t *table) error {
	f, err := c.listener(ctx)
	if err != nil {
		return err
	}
	// Every Watch looks for the trigger: a Rebuild, or another program,
	// may have dropped the table since.
	key, err := c.installTrigger(ctx, t)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.tables[key] = t
	f.mu.Unlock()
	return f.barrier(ctx)
}

// barrier returns once the listener has handled every notification of
// the writes committed before it was called: it notifies a token of its
// own and waits for the listener to receive it, as PostgreSQL delivers
// notifications in commit order. A watcher added after it sees no
// change made before its Watch.
func (f *pgFeed) barrier(ctx context.Context) error {
	token := rand.Text()
	seen := make(chan struct{})
	f.mu.Lock()
	f.barriers[token] = seen
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.barriers, token)
		f.mu.Unlock()
	}()
	payload, _ := json.Marshal(notification{Barrier: token})
	for {
		db := f.c.db.Load()
		if db == nil {
			return ErrNotStarted
		}
		// A token sent while the listener reconnects is lost: send it
		// again once it listens anew.
		f.mu.Lock()
		relistened := f.relisten
		f.mu.Unlock()
		if _, err := db.ExecContext(ctx, "SELECT pg_notify($1, $2)", ChangeChannel, string(payload)); err != nil {
			return fmt.Errorf("sql: notifying %s on %s: %w", ChangeChannel, f.c.where(), err)
		}
		select {
		case <-seen:
			return nil
		case <-relistened:
		case <-f.done:
			return errors.New("sql: the change listener stopped")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// listener returns the running listener, starting it and waiting for its
// LISTEN when there is none.
func (c *Connector) listener(ctx context.Context) (*pgFeed, error) {
	c.watch.feedMu.Lock()
	defer c.watch.feedMu.Unlock()
	if c.watch.feed != nil {
		return c.watch.feed, nil
	}
	if c.db.Load() == nil {
		return nil, ErrNotStarted
	}
	fctx, cancel := context.WithCancel(context.Background())
	f := &pgFeed{c: c, cancel: cancel, done: make(chan struct{}),
		tables: map[string]*table{}, barriers: map[string]chan struct{}{},
		relisten: make(chan struct{})}
	conn, err := f.connect(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	f.pid.Store(conn.PgConn().PID())
	go f.run(fctx, conn)
	c.watch.feed = f
	return f, nil
}

// pgFeed is a connector's listener: one connection of its own, LISTENing
// on ChangeChannel, that publishes the notifications of watched tables.
type pgFeed struct {
	c      *Connector
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	tables   map[string]*table        // "schema.table" → table
	barriers map[string]chan struct{} // token → closed when it arrives
	relisten chan struct{}            // closed, and replaced, when a new connection listens
	pid      atomic.Uint32            // the listening connection's backend
}

// connect opens the listening connection.
func (f *pgFeed) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, f.c.pgConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("sql: connecting the change listener to %s: %w", f.c.where(), err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("sql: LISTEN %s on %s: %w", ChangeChannel, f.c.where(), err)
	}
	return conn, nil
}

// stop ends the listener and waits for it.
func (f *pgFeed) stop() {
	f.cancel()
	<-f.done
}

// run serves conn until ctx ends; when the connection is lost it
// reconnects, waiting longer after each failure, up to maxBackoff.
func (f *pgFeed) run(ctx context.Context, conn *pgx.Conn) {
	defer close(f.done)
	wait := minBackoff
	for {
		if conn != nil {
			f.serve(ctx, conn)
			conn.Close(context.Background())
			conn = nil
		}
		if ctx.Err() != nil {
			return
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		var err error
		if conn, err = f.connect(ctx); err != nil {
			wait = min(2*wait, maxBackoff)
			continue
		}
		wait = minBackoff
		f.pid.Store(conn.PgConn().PID())
		f.mu.Lock()
		close(f.relisten)
		f.relisten = make(chan struct{})
		f.mu.Unlock()
	}
}

// serve publishes conn's notifications until the connection fails or ctx
// ends.
func (f *pgFeed) serve(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		f.handle(ctx, n.Payload)
	}
}

// notification is the trigger's payload.
type notification struct {
	Schema string                     `json:"s,omitempty"`
	Table  string                     `json:"t,omitempty"`
	Op     string                     `json:"op,omitempty"`
	ID     json.RawMessage            `json:"id,omitempty"`
	Row    map[string]json.RawMessage `json:"row,omitempty"`
	// Barrier is a Watch's token (see barrier); the other fields are
	// then empty.
	Barrier string `json:"b,omitempty"`
}

// handle publishes one notification, when its table is watched.
func (f *pgFeed) handle(ctx context.Context, payload string) {
	var n notification
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		return // not one of ours
	}
	f.mu.Lock()
	if seen := f.barriers[n.Barrier]; seen != nil {
		close(seen)
		delete(f.barriers, n.Barrier)
	}
	t := f.tables[n.Schema+"."+n.Table]
	f.mu.Unlock()
	if len(n.ID) == 0 {
		return // a barrier, or not one of ours
	}
	if t == nil || !f.c.watch.hub.Watching(t.model.Name) {
		return
	}
	var typ repository.ChangeType
	switch n.Op {
	case "INSERT":
		typ = repository.ChangeCreate
	case "UPDATE":
		typ = repository.ChangeUpdate
	case "DELETE":
		f.c.watch.hub.Publish(t.model.Name, repository.NewChange(repository.ChangeRemove, t.model, n.ID, nil))
		return
	default:
		return
	}
	d, ok := rowData(t, n.Row)
	if n.Row == nil || !ok {
		var err error
		if d, err = f.c.readRow(ctx, t, n.ID); err != nil {
			return // deleted since, or the connector is stopping: its removal follows
		}
	}
	id := n.ID
	if raw, has := d[t.id.prop]; has {
		id = raw
	}
	f.c.watch.hub.Publish(t.model.Name, repository.NewChange(typ, t.model, id, d))
}

// errGone is readRow's error for a row that is no longer there.
var errGone = errors.New("sql: the row is gone")

// readRow reads t's row of id (its JSON) from the pool.
func (c *Connector) readRow(ctx context.Context, t *table, id json.RawMessage) (repository.Data, error) {
	db := c.db.Load()
	if db == nil {
		return nil, ErrNotStarted
	}
	arg, err := writeArg(c.d, t.id, id)
	if err != nil {
		return nil, err
	}
	s := newStmt(c.d)
	s.write("SELECT ")
	for i, col := range t.cols {
		s.write(pick(i == 0, "", ", "), col.q)
	}
	s.write(" FROM ", t.ref, " WHERE ", t.id.q, " = ", s.param(arg))
	rows, err := db.QueryContext(ctx, s.String(), c.execArgs(s)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, errGone
	}
	return scanData(rows, t.cols)
}
