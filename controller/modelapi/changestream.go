package modelapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// keepAliveEvery is how often an idle change stream writes a comment
// line, so that proxies and clients do not take it for dead.
const keepAliveEvery = 15 * time.Second

// CodeTooManyStreams is the code of the 503 answered when a model's change
// streams are at their cap (see [MaxChangeStreams]).
const CodeTooManyStreams = "TOO_MANY_CHANGE_STREAMS"

// changeStreamInput is createChangeStream's options argument: a filter
// whose where selects the changes sent.
type changeStreamInput[T any] struct {
	Options *repository.Filter[T] `query:"options"`
}

// streams counts a model's open change streams.
type streams struct{ open atomic.Int64 }

// changeStreamRoutes are GET and POST /change-stream, when the model's
// connector reports changes (implements repository.Watcher); without one
// the routes are not mounted.
func (e *entry[T, ID]) changeStreamRoutes() []controller.Route {
	if _, ok := e.b.conn.(repository.Watcher); !ok {
		return nil
	}
	opts := []controller.Option{controller.Name("createChangeStream"), controller.Timeout(-1),
		controller.Summary("Create a change stream."),
		controller.Description("Server-sent events, one per change to the model's instances: " +
			`event: data, data: {"target":id,"where":{"id":id},"data":{...},"type":"create|update|remove"}.`),
		controller.ErrorResponse(http.StatusServiceUnavailable, "Too many change streams are open.")}
	return []controller.Route{
		controller.Get("/change-stream", e.changeStream, opts...),
		controller.Post("/change-stream", e.changeStream, opts...),
	}
}

// changeStream answers the model's changes as server-sent events, framed
// as strong-remoting 3.17 frames them (the sse module): a ":ok" comment,
// then "event: data" with each change's JSON, until the client leaves or
// the server stops; then "event: end" with "data: null" when the server
// ends it.
func (e *entry[T, ID]) changeStream(ctx context.Context, in changeStreamInput[T]) (controller.NoContent, error) {
	rc, ok := loomctx.FromContext(ctx)
	if !ok {
		return controller.NoContent{}, errors.New("modelapi: a change stream needs the request's context")
	}
	if n := e.b.streams.open.Add(1); n > int64(e.b.settings.maxStreams) {
		e.b.streams.open.Add(-1)
		return controller.NoContent{}, e.tooManyStreams(e.b.settings.maxStreams)
	}
	defer e.b.streams.open.Add(-1)
	var where repository.Cond
	if in.Options != nil {
		where = in.Options.Where
	}
	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	changes, err := e.b.conn.(repository.Watcher).Watch(watchCtx, e.b.model)
	if tooMany := (*repository.TooManyWatchersError)(nil); errors.As(err, &tooMany) {
		return controller.NoContent{}, e.tooManyStreams(tooMany.Max)
	}
	if err != nil {
		return controller.NoContent{}, err
	}

	w := rc.Response
	ctl := http.NewResponseController(w)
	_ = ctl.SetWriteDeadline(time.Time{}) // the stream outlives the server's WriteTimeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache, no-transform")
	h.Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(":ok\n\n")); err != nil {
		return controller.NoContent{}, nil // the client left
	}
	w.Flush()

	keepAlive := time.NewTicker(keepAliveEvery)
	defer keepAlive.Stop()
	stopping := loomctx.Stopping(ctx)
	var buf bytes.Buffer
	for {
		buf.Reset()
		select {
		case <-ctx.Done():
			return controller.NoContent{}, nil
		case <-stopping:
			buf.WriteString("event: end\ndata: null\n\n")
			_, _ = w.Write(buf.Bytes())
			w.Flush()
			return controller.NoContent{}, nil
		case <-keepAlive.C:
			buf.WriteString(":keep-alive\n\n")
		case c, ok := <-changes:
			if !ok {
				// The watcher fell behind and was dropped, or the store
				// closed: say so and end, as strong-remoting ends on an
				// error; the client reconnects.
				buf.WriteString("event: error\ndata: {\"message\":\"the change feed ended\"}\n\n")
				buf.WriteString("event: end\ndata: null\n\n")
				_, _ = w.Write(buf.Bytes())
				w.Flush()
				return controller.NoContent{}, nil
			}
			if !e.selected(ctx, c, where) {
				continue
			}
			data, err := json.Marshal(c)
			if err != nil {
				continue
			}
			buf.WriteString("event: data\ndata: ")
			buf.Write(data)
			buf.WriteString("\n\n")
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return controller.NoContent{}, nil // the client left
		}
		w.Flush()
	}
}

// selected reports whether change c passes the stream's where: a created
// or updated instance is sent when it still matches (it is read again);
// a removal, which has no data, always is.
func (e *entry[T, ID]) selected(ctx context.Context, c repository.Change, where repository.Cond) bool {
	if where.IsAll() || c.Type == repository.ChangeRemove {
		return true
	}
	id, ok, err := e.idOfData(repository.Data{e.b.model.ID.Name: c.Target})
	if err != nil || !ok {
		return false
	}
	n, err := e.repo.Count(ctx, repository.And(where, repository.Eq(e.b.model.ID.Name, id)))
	return err == nil && n.Count > 0
}

// tooManyStreams is the 503 of a stream past the cap of max streams, the
// model API's or the connector's.
func (e *entry[T, ID]) tooManyStreams(max int) error {
	return httperr.ServiceUnavailable(fmt.Sprintf(
		"%s has %d change streams open, its most; try again later.", e.b.model.Name, max)).
		WithCode(CodeTooManyStreams)
}
