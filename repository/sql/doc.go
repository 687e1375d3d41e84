// Package sql is the SQL connector: a [repository.Connector] over
// database/sql with two dialects, SQLite (modernc.org/sqlite, pure Go, a
// file or :memory:) for embedded stores and PostgreSQL (pgx) for
// production. A URL chooses the dialect; [FromURL] also returns the memory
// connector for an empty URL, so an application can read its store from
// configuration:
//
//	db, err := sql.Open("sqlite:data/todo.db", sql.Options{AutoMigrate: true})
//	// or: sql.Open(os.Getenv("DATABASE_URL"), sql.Options{})
//	if err := db.Start(ctx); err != nil { … }
//	todos, _ := repository.NewCrudRepository[Todo, int](db)
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
// dotted keys reach into objects.
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
package sql
