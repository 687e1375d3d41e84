// Package memory is the memory connector: a [repository.Connector] that
// keeps entities in memory and, optionally, in a file in LoopBack's
// db.json layout, so that a LoopBack application's data file loads
// unchanged.
//
//	db := memory.New(memory.Options{File: "data/db.json"})
//	todos, _ := repository.NewCrudRepository[Todo, int](db)
//
// # Concurrency
//
// A [Connector] is safe for concurrent use. Writes run one at a time; each
// works on its own copy of the model's rows and publishes it, with an
// atomic pointer, once the file has it. Reads take no lock: they scan the
// rows the last write published, so a long read never delays a write, and
// a write waiting for the disk never delays a read. (The first use of a
// model before [Connector.Start], or of one the file holds under another
// id property, waits for the writes once, to load the file or read the
// ids.) Ids come from one sequence per model (db.json's "ids"), so they
// are sequential integers, as in LoopBack, even for ids not marked
// generated; a given id is kept and moves the sequence past it.
//
// # Bounded work
//
// Every scan (Find, Count, Update, Delete) looks at the request's context
// every 256 rows and stops with its error, unchanged, once the request is
// cancelled or past its deadline; a write whose context is done before
// its turn does not start. like, ilike, nlike, nilike and regexp tests
// are charged to a [repository.WorkBudget] of the model's MaxMatchWork
// (see [repository.Limits]) before they run: a query that would spend
// more fails with a [*repository.WorkLimitError] (400 QUERY_TOO_COSTLY),
// and a write that fails so changes nothing.
//
// # The file
//
// With [Options.File] set, [Connector.Start] loads the file (a missing file
// is an empty store) and every write rewrites it before returning: the
// whole store is written to a temporary file in the same directory, which
// is synced, renamed over the file, and the directory synced. A crash at
// any moment leaves the old file or the new one, never a mix, and every
// write that returned is on disk. A write whose file cannot be written
// fails and is undone in memory too.
//
//	{"ids":{"Todo":5},"models":{"Todo":{"1":"{\"title\":\"Take over the galaxy\",\"id\":1}"}}}
//
// # Matching
//
// Conditions follow LoopBack's memory connector: like patterns are not
// anchored (% is any text, _ one character), neq, nin and the negated likes
// match entities without the property, an array property matches when one
// of its elements does, dotted keys reach into objects, and absent values
// sort first ascending and last descending.
//
// # Change feeds
//
// [Connector.Watch] reports each write made through the connector, as
// LoopBack 3's change stream does: one change per entity, published under
// the write lock once the write (and the file) succeeded, so in the order
// of the writes.
package memory
