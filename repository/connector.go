package repository

import "context"

// Connector is the store behind repositories: the memory connector
// (package memory) and the SQL connectors implement it, and the suite in
// package repotest checks that one does. It deals in [Data] (an entity's
// JSON properties) and checked queries, never in Go entity types, so one
// connector serves every model.
//
// The repository hands a connector only checked input: property names
// exist, values are coerced to the properties' kinds (see [Cond]), the
// order is total (the id is its last key) and Query.Select lists the
// properties to return. The context carries deadlines and, for connectors
// that have them, the transaction.
type Connector interface {
	// Create stores new entities, all or none. An entity without its id
	// gets the next id of the model's sequence; an id that is taken is a
	// 409 error ([DuplicateEntry]). It returns the entities as stored.
	Create(ctx context.Context, m *Model, data []Data) ([]Data, error)
	// Find returns the entities matching q.Where, sorted by q.Order,
	// after skipping q.Skip and at most q.Limit (0: all) of them, with the
	// properties of q.Select (nil: all).
	Find(ctx context.Context, m *Model, q Query) ([]Data, error)
	// Count returns how many entities match where.
	Count(ctx context.Context, m *Model, where Cond) (int, error)
	// Update sets the properties of data on every entity matching where
	// and returns how many matched. An empty value (nil) removes the
	// property; a JSON null is stored as null (only a property of type
	// any is given one). data never holds the id.
	Update(ctx context.Context, m *Model, data Data, where Cond) (int, error)
	// Replace replaces the entity whose id is data's with data, dropping
	// the properties data does not have; false when there is none.
	Replace(ctx context.Context, m *Model, data Data) (bool, error)
	// Delete removes the entities matching where and returns how many.
	Delete(ctx context.Context, m *Model, where Cond) (int, error)
}
