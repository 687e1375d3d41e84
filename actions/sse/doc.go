// Package sse writes server-sent events: a handler returns a [*Stream],
// and the default send answers with text/event-stream, writing and
// flushing each [Event] as the handler's producer emits it.
//
//	controller.Get("/ticks", func(ctx context.Context, in struct{}) (*sse.Stream, error) {
//		return sse.New(func(ctx context.Context, emit func(sse.Event) error) error {
//			for i := 0; ; i++ {
//				select {
//				case <-ctx.Done():
//					return nil // the client left, or the server is stopping
//				case <-ticker.C:
//				}
//				if err := emit(sse.Event{ID: strconv.Itoa(i), Data: tick{N: i}}); err != nil {
//					return err
//				}
//			}
//		}), nil
//	})
//
// # Lifetime
//
// The producer runs on the request's goroutine, while the response is
// written, with a context that ends when the client disconnects, when the
// route's deadline (if it sets one) passes, or when the server begins to
// stop ([context.Stopping] of Loom's context package closes). The
// producer returns then, and the response ends cleanly: a stopping server
// need not wait out its grace period for open streams. Emit fails once
// the context has ended, so a producer that only emits needs no select.
//
// A route whose result is a stream has, unless it sets its own, no
// request deadline (controller.Timeout) and no write timeout
// (controller.WriteTimeout), so that the server's 30s and 60s do not cut
// it; the server's read timeout is lifted too once the stream begins.
//
// # Wire format
//
// Each event is written as id:, event: and retry: lines (when set) and one
// data: line per line of its data, then a blank line. Data that is a
// string or []byte is written as it is; anything else as JSON. An ID or
// event name holding a line break is refused, so that no value can forge
// another field. A stream may send a comment line (": ping") at an
// interval, [Stream.KeepAlive], so that proxies do not close a quiet
// connection.
package sse
