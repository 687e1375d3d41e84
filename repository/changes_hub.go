package repository

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

// Default bounds of a [ChangeHub].
const (
	// DefaultMaxWatchers is a hub's cap on the watchers of one model.
	DefaultMaxWatchers = 64
	// DefaultChangeBuffer is how many changes a watcher may fall behind
	// before it is dropped.
	DefaultChangeBuffer = 256
)

// ChangeHubOptions bound a [ChangeHub]. The zero value takes the defaults.
type ChangeHubOptions struct {
	// MaxWatchers caps the watchers of one model; past it, Watch fails
	// with a [*TooManyWatchersError]. 0 means [DefaultMaxWatchers].
	MaxWatchers int
	// Buffer is how many changes a watcher may have waiting; one that
	// falls further behind is dropped, its channel closed. 0 means
	// [DefaultChangeBuffer].
	Buffer int
}

// ChangeHub fans a connector's changes out to its watchers: the part of a
// [Watcher] that every connector shares. A connector embeds one, calls
// [ChangeHub.Publish] after each write that succeeded (in the order the
// writes took effect) and [ChangeHub.Close] when it stops; its Watch is
// the hub's.
//
// Publish never blocks: each watcher has a buffer of its own, and one
// whose buffer is full is dropped (its channel closed) rather than holding
// up the writes or the other watchers. A watcher costs no goroutine: its
// channel is closed from the context's [context.AfterFunc] when the
// context ends. The zero value is ready to use, with the default bounds.
type ChangeHub struct {
	opts ChangeHubOptions

	mu       sync.Mutex
	watchers map[string]map[*changeWatcher]struct{} // by model name
}

type changeWatcher struct {
	ch   chan Change
	stop func() bool // stops the context's AfterFunc
}

// NewChangeHub returns a hub with the bounds of opts.
func NewChangeHub(opts ChangeHubOptions) *ChangeHub {
	return &ChangeHub{opts: opts}
}

func (h *ChangeHub) maxWatchers() int {
	if h.opts.MaxWatchers > 0 {
		return h.opts.MaxWatchers
	}
	return DefaultMaxWatchers
}

func (h *ChangeHub) buffer() int {
	if h.opts.Buffer > 0 {
		return h.opts.Buffer
	}
	return DefaultChangeBuffer
}

// Watch returns a channel of the changes to the model called model that
// are published after it returns, closed when ctx ends, when the watcher
// falls more than the buffer behind, or when the hub is closed. Past the
// cap on a model's watchers it fails with a [*TooManyWatchersError].
func (h *ChangeHub) Watch(ctx context.Context, model string) (<-chan Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ws := h.watchers[model]
	if limit := h.maxWatchers(); len(ws) >= limit {
		return nil, &TooManyWatchersError{Model: model, Max: limit}
	}
	if ws == nil {
		if h.watchers == nil {
			h.watchers = map[string]map[*changeWatcher]struct{}{}
		}
		ws = map[*changeWatcher]struct{}{}
		h.watchers[model] = ws
	}
	w := &changeWatcher{ch: make(chan Change, h.buffer())}
	ws[w] = struct{}{}
	// Under h.mu: the AfterFunc, which takes h.mu, cannot run before
	// w.stop is set.
	w.stop = context.AfterFunc(ctx, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.drop(model, w)
	})
	return w.ch, nil
}

// drop removes w and closes its channel, once. h.mu must be held.
func (h *ChangeHub) drop(model string, w *changeWatcher) {
	ws := h.watchers[model]
	if _, ok := ws[w]; !ok {
		return
	}
	delete(ws, w)
	if len(ws) == 0 {
		delete(h.watchers, model)
	}
	w.stop()
	close(w.ch)
}

// Watching reports whether the model called model has a watcher: a
// connector skips the work of describing its changes when it has none.
func (h *ChangeHub) Watching(model string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.watchers[model]) > 0
}

// Watchers is how many watchers the model called model has.
func (h *ChangeHub) Watchers(model string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.watchers[model])
}

// Publish hands changes, in order, to every watcher of the model called
// model, without blocking: a watcher with no room left for them is
// dropped. Watchers share the changes: they must not modify them.
func (h *ChangeHub) Publish(model string, changes ...Change) {
	if len(changes) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.watchers[model] {
		if cap(w.ch)-len(w.ch) < len(changes) {
			h.drop(model, w) // sends happen under h.mu: the room is still there below
			continue
		}
		for _, c := range changes {
			w.ch <- c
		}
	}
}

// Close ends every watcher, closing its channel; the hub stays usable,
// for a connector that is started again.
func (h *ChangeHub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for model, ws := range h.watchers {
		for w := range ws {
			h.drop(model, w)
		}
	}
}

// NewChange is the change of type typ to m's entity with id (its JSON):
// Target is id, Where is {"<id property>": id}, Data is data (nil for a
// removal) without m's hidden properties, which are never sent to a
// client (data itself is left as it is).
func NewChange(typ ChangeType, m *Model, id json.RawMessage, data Data) Change {
	return Change{Type: typ, Target: id, Where: Data{m.ID.Name: id}, Data: withoutHidden(m, data)}
}

// withoutHidden is d without m's hidden properties: d itself when it has
// none.
func withoutHidden(m *Model, d Data) Data {
	for _, p := range m.Properties {
		if _, ok := d[p.Name]; ok && p.Hidden {
			out := make(Data, len(d))
			for k, v := range d {
				if q := m.byName[k]; q == nil || !q.Hidden {
					out[k] = v
				}
			}
			return out
		}
	}
	return d
}

// TooManyWatchersError is the error of a Watch past the cap on a model's
// watchers: 503 TOO_MANY_WATCHERS, as the server is out of room rather
// than the request at fault.
type TooManyWatchersError struct {
	// Model is the model watched.
	Model string
	// Max is the cap.
	Max int
}

func (e *TooManyWatchersError) Error() string {
	return fmt.Sprintf("too many watchers of model %s: at most %d at a time", e.Model, e.Max)
}

// StatusCode is 503.
func (e *TooManyWatchersError) StatusCode() int { return 503 }

// ErrorCode is TOO_MANY_WATCHERS.
func (e *TooManyWatchersError) ErrorCode() string { return "TOO_MANY_WATCHERS" }

// ErrorName is Error, as LoopBack names its errors.
func (e *TooManyWatchersError) ErrorName() string { return "Error" }
