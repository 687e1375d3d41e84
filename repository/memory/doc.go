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
// atomic pointer, once the journal has it. Reads take no lock: they scan the
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
// is an empty store) in LoopBack's db.json layout:
//
//	{"ids":{"Todo":5},"models":{"Todo":{"1":"{\"title\":\"Take over the galaxy\",\"id\":1}"}}}
//
// A write does not rewrite it: it appends one record to a journal beside
// it (db.json.journal) — the model, its changed entities as the JSON text
// db.json holds, its deleted ids and its next id — and syncs the journal
// (fdatasync) before it returns, so its cost is that of what it changes,
// not of the whole store. A write whose record cannot be written fails,
// is undone in memory, and its record is cut off the journal. Records are
// framed with their length and a CRC-32C: a crash in the middle of an
// append leaves a torn last record, which is not a write that returned
// and is ignored; a damaged record with others after it fails Start,
// naming the journal and the offset.
//
// A compaction folds the journal into the file. It starts in the
// background once the journal passes [Options.JournalCompactAt] (by
// default the larger of 8 MiB and the file's size), and writes and reads
// go on while it runs: it takes the published rows (never changed once
// published) and the ids under the write lock, sets the journal aside
// (db.json.journal.old) so that later writes start a new one, releases
// the lock, rewrites the file atomically (a temporary file in the same
// directory, synced, renamed over the file, the directory synced), then
// removes the old journal. Start replays the old journal then the
// journal on the file; a record holds absolute values, so one the file
// already holds changes nothing, and a crash at any step loses and
// doubles no write. A failed compaction keeps its journals and is tried
// again as the journal grows. Start rewrites the file when it replayed
// any record; [Connector.Stop] waits for a compaction in progress,
// rewrites the file and removes the journals, so that a stopped store is
// LoopBack's db.json alone.
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
// the write lock once the write (and its journal record) succeeded, so in the order
// of the writes.
package memory
