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
// A [Connector] is safe for concurrent use: reads share a lock, writes take
// it alone. Ids come from one sequence per model (db.json's "ids"), so they
// are sequential integers, as in LoopBack, even for ids not marked
// generated; a given id is kept and moves the sequence past it.
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
package memory
