package repository

import (
	"context"
	"encoding/json"
)

// ChangeType says what a [Change] did: LoopBack 3's change-stream types.
type ChangeType string

// The kinds of change a [Watcher] reports.
const (
	// ChangeCreate: an entity was created.
	ChangeCreate ChangeType = "create"
	// ChangeUpdate: an entity was updated or replaced.
	ChangeUpdate ChangeType = "update"
	// ChangeRemove: an entity was deleted.
	ChangeRemove ChangeType = "remove"
)

// Change is one write to a model, as LoopBack 3's createChangeStream
// reports it: {"target": id, "where": {"id": id}, "data": {...}, "type":
// "create"}. Data is the entity as stored after the write; it is absent
// for a removal.
type Change struct {
	// Type is create, update or remove.
	Type ChangeType `json:"type"`
	// Target is the entity's id, as JSON.
	Target json.RawMessage `json:"target"`
	// Where selects the entity: {"<id property>": id}.
	Where Data `json:"where"`
	// Data is the entity after the write; nil for a removal.
	Data Data `json:"data,omitempty"`
}

// Watcher is a connector that reports the changes made to a model's
// entities. The memory connector reports the writes made through it; a
// PostgreSQL connector also reports those made by other processes on the
// same database.
type Watcher interface {
	// Watch reports the changes to m's entities made after it returns, in
	// the order they were made, until ctx ends, when the channel is
	// closed. A watcher that falls more than a bounded number of changes
	// behind is dropped: its channel is closed before ctx ends. The
	// watchers of a model are capped: past the cap Watch fails with a
	// [*TooManyWatchersError]. Watchers share the changes: they must not
	// modify them. [ChangeHub] does all this for a connector.
	Watch(ctx context.Context, m *Model) (<-chan Change, error)
}
