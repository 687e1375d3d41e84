package context

import stdctx "context"

type stoppingKey struct{}

// WithStopping returns a copy of parent carrying stopping, a channel the
// server closes when it begins to stop. The REST server puts it in every
// request's context.
func WithStopping(parent stdctx.Context, stopping <-chan struct{}) stdctx.Context {
	return stdctx.WithValue(parent, stoppingKey{}, stopping)
}

// Stopping returns the channel closed when the server serving ctx's
// request begins to stop, or nil (which never receives) when ctx has
// none. A handler that would run until its client leaves, such as a
// stream of events, ends when it closes, so that the server's stop need
// not wait out its grace period.
func Stopping(ctx stdctx.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey{}).(<-chan struct{})
	return ch
}
