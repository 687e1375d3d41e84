// Package repotest is the conformance suite of repository connectors: a
// connector that passes it behaves as LoopBack's juggler connectors do,
// and as Loom's own (the memory connector, SQLite, PostgreSQL) do, for
// every repository built on it.
//
// # What it checks
//
// The suite drives a connector through [repository.DefaultCrudRepository]
// only, with two models: [Todo], whose properties cover every kind the
// filter language compares (text, booleans, integers, floats, dates,
// arrays, a nested object, a hidden property) and whose id is generated,
// and [Note], whose string id the caller chooses, and, for relations,
// [List], [Item], [Cover], [Tag] and the join model [ListTag]. Its cases fall in four groups:
//
//   - crud: every method of [repository.CrudRepository], with LoopBack's
//     answers: sequential ids per model, properties never set left out
//     (never null), 404 ENTITY_NOT_FOUND, 409 for a taken id, 422 for a
//     missing required property or a mistyped patch, createAll storing
//     all or none, patches that set false and remove with null, hidden
//     properties stored but never encoded, concurrent creates getting
//     distinct ids.
//   - filter: the filter language over a seeded set of todos: every
//     where operator (eq, neq, gt, gte, lt, lte, inq, nin, between,
//     exists, like, nlike, ilike, nilike, regexp, and, or), with
//     LoopBack's coercions and its handling of absent values; dotted
//     keys into objects and matches on array elements; order, limit,
//     skip and offset; fields; filters built in code; 400s for unknown
//     properties and relations.
//   - limits: the bounds on one query's work: filters at a cap run,
//     filters past it are refused naming the cap, like patterns whose
//     matching would cost too much fail with 400 QUERY_TOO_COSTLY (or are
//     answered correctly by a connector that matches elsewhere), and a
//     cancelled context stops Find and Count.
//   - relations: include of hasMany, hasOne, belongsTo, hasManyThrough
//     and hasAndBelongsToMany relations, nested and scoped (where,
//     fields, order, a limit per parent), one query per relation per
//     level, two through a join model (counted by wrapping the connector),
//     parent keys batched by MaxInq, the MaxIncludeRows cap, navigational
//     properties refused on writes, and the relation repositories. A
//     connector with a Migrate method (as the SQL connectors) is given
//     the relation models' tables through it first.
//   - changes, for a connector that is a [repository.Watcher]: create,
//     updateById, replaceById, deleteById, updateAll and deleteAll each
//     reported with LoopBack 3's type, target, where and data, one change
//     per entity, in the order of the writes; a failed write not reported;
//     a watcher closed when its context ends; a watcher that falls behind
//     dropped while the others go on; the cap on a model's watchers. Over
//     a connector that is not a Watcher these cases skip.
//   - nullable: [repository.Nullable] properties (a string, a number, a
//     boolean, a date-time, an object, a list, a GeoPoint) created null, set or
//     absent and read back; a patch to null (in code and decoded from
//     JSON) and a replace keeping null; where eq null and exists false
//     matching null and absent alike, neq null and exists the values;
//     where values coerced to the value's kind; order with nulls first
//     ascending. A property never set reads back absent; a null reads
//     back null, or absent on a store whose NULL cannot tell the two
//     apart (SQL).
//
// [Cases] lists every case by name.
//
// # Running it
//
// A connector's tests call [Run] with a function that returns a fresh,
// empty connector, started, for each case; it registers its own cleanup:
//
//	func TestSuite(t *testing.T) {
//		repotest.Run(t, func(t *testing.T) repository.Connector {
//			c := myconn.New(myconn.Options{DSN: testDSN(t)})
//			if err := c.Start(t.Context()); err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { c.Stop(context.Background()) })
//			return c
//		})
//	}
//
// Each case is a subtest, so go test -run selects some of them, with the
// spaces of their names as underscores:
//
//	go test -run 'TestSuite/crud/create_assigns' ./myconn/
//
// The connector passes when every subtest does. The crud and limits cases
// each get their own connector; the filter cases share one, seeded once,
// and only read it.
package repotest
