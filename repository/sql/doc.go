// Package sql is the SQL connector: a [repository.Connector] over
// database/sql with two dialects, SQLite (modernc.org/sqlite, pure Go, a
// file or :memory:) for embedded stores and PostgreSQL (pgx) for
// production. A URL chooses the dialect; [FromURL] also returns the memory
// connector for an empty URL, so an application can read its store from
// configuration:
//
//	db, err := sql.Open("sqlite:data/todo.db", sql.Options{AutoMigrate: true})
//	// or: sql.Open(os.Getenv("DATABASE_URL"), sql.Options{})
//	if err != nil {
//		return err
//	}
//	if err := db.Start(ctx); err != nil { // opens the pool
//		return err
//	}
//	defer db.Stop(ctx)
//	todos, err := repository.NewCrudRepository[Todo, int](db)
//
// Registered with [DataSource] (or [repository.DataSource]) the connector
// opens its pool at Start and closes it at Stop, as a life-cycle observer in
// the datasource group.
//
// # Filters
//
// The whole filter language compiles to one statement whose values are
// all parameters: identifiers (tables, columns) come from the model's
// metadata only, never from a request. The results are the memory
// connector's, as the suite in package repotest checks: neq, nin and the
// negated likes match absent values; like is unanchored and case-sensitive,
// ilike ignores case, on both dialects; regexp takes JavaScript-style
// flags; absent values sort first ascending and last descending, text
// sorts byte-wise. Properties of kind any, object or array are stored as
// JSON (jsonb on PostgreSQL, TEXT on SQLite) and compared as the memory
// connector compares them: an array matches when one of its elements does,
// dotted keys reach into objects. A GeoPoint is such a JSON column,
// {"lat","lng"}; near and its distance order run LoopBack's haversine once
// per row, in Go functions on SQLite (the memory connector's code, so the
// same floats) and in float8 SQL on PostgreSQL.
//
// # Bounded work
//
// No request can hold the database or the connector's memory for long:
//
//   - PostgreSQL sessions run with a statement_timeout ([Options].StatementTimeout,
//     30 seconds by default); a statement it cancels fails with a
//     [*QueryTimeoutError], 503 QUERY_TIMEOUT. A request whose context is
//     cancelled or reaches its deadline stops its statement on both
//     dialects, and the error wraps the context's error.
//   - On SQLite, like, ilike and regexp run in Go and charge their work
//     (bytes of text times the pattern's size) to the query's
//     [repository.WorkBudget] ([repository.Limits].MaxMatchWork); past it
//     the query fails with a [*repository.WorkLimitError], 400
//     QUERY_TOO_COSTLY. What they compile lives as long as the query.
//   - Connections live 30 minutes ([Options].ConnMaxLifetime). On
//     PostgreSQL, statements of at most 1 KiB run as named prepared
//     statements (64 per connection), longer ones with pgx's cached
//     descriptions on the unnamed statement, and those past 4 KiB are
//     described at each run, so that filter shapes do not pile up plans
//     in the server. SQLite keeps the most recently used prepared
//     statements, 64 KiB of SQL text at most.
//   - Filters at the repository's caps (conditions, depth, values, order
//     keys, fields) stay within what both databases accept, so that the
//     repository's 400 is the only refusal.
//
// # Tables
//
// A model's table is its name in lower case (or what its TableName method
// returns, see [TableNamer]), its columns the properties' names in lower
// case, as LoopBack's SQL connectors name them. An absent property is a
// NULL column and comes back absent, never null. Integer ids are numbered
// by the database (an identity column on PostgreSQL, INTEGER PRIMARY KEY
// AUTOINCREMENT on SQLite); a given id is kept and the numbering continues
// after it. [Connector.Migrate] creates missing tables and columns and
// never drops anything; [Connector.Rebuild] starts over.
//
// # Transactions
//
// [Connector.Transaction] runs a function in a transaction that the
// context carries: repository operations given that context join it; a
// nil result commits, an error or a panic rolls back.
//
// # Several instances
//
// The connector keeps no rows and no ids in memory: any number of
// instances of an application can share one PostgreSQL database.
//
// # Change feeds
//
// [Connector.Watch] reports each write as LoopBack 3's change stream does.
// On SQLite it reports the writes made through the connector, at commit,
// for a database one process owns. On PostgreSQL a trigger on the table
// (see [Connector.InstallChangeTrigger]) notifies [ChangeChannel] and one
// listening connection per connector publishes the notifications, so every
// instance sees every instance's writes, each once.
package sql
