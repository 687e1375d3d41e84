package memory

import (
	"context"
	"encoding/json"

	"github.com/loomhq/loom/repository"
)

var _ repository.Watcher = (*Connector)(nil)

// Watch reports the writes made through c to m's entities after it
// returns, in the order they were made, until ctx ends (see
// [repository.Watcher]). A write reports one change per entity it
// touched: UpdateAll of three entities is three updates. Each carries the
// entity as stored; a removal carries its id only. Writes through another
// Connector over the same file are not seen.
//
// At most [repository.DefaultMaxWatchers] watchers per model; one that
// falls [repository.DefaultChangeBuffer] changes behind is dropped.
func (c *Connector) Watch(ctx context.Context, m *repository.Model) (<-chan repository.Change, error) {
	return c.changes.Watch(ctx, m.Name)
}

// announce publishes the changes of a write that succeeded, from its undo
// log: a key that was absent was created, one now absent removed, any
// other updated. It runs under c.mu, so that watchers see the writes in
// the order they were made.
func (c *Connector) announce(m *repository.Model, t *table, u *undo) {
	if !c.changes.Watching(m.Name) {
		return
	}
	changes := make([]repository.Change, 0, len(u.log))
	for _, e := range u.log {
		now := t.byKey[e.key]
		switch {
		case now == nil && e.old != nil:
			changes = append(changes, repository.NewChange(repository.ChangeRemove, m, idJSON(m, e.old), nil))
		case now == nil:
		case e.old == nil:
			changes = append(changes, repository.NewChange(repository.ChangeCreate, m, idJSON(m, now), now.data.Clone()))
		default:
			changes = append(changes, repository.NewChange(repository.ChangeUpdate, m, idJSON(m, now), now.data.Clone()))
		}
	}
	c.changes.Publish(m.Name, changes...)
}

// idJSON is the JSON of r's id: its id property, else its key.
func idJSON(m *repository.Model, r *row) json.RawMessage {
	if raw, ok := r.data[m.ID.Name]; ok && len(raw) > 0 {
		return raw
	}
	raw, _ := json.Marshal(r.id)
	return raw
}
