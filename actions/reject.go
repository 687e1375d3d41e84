package actions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// NewReject is the default reject: err becomes LoopBack's envelope
// {"error":{"statusCode","name","message","code","details"}} as JSON with
// X-Content-Type-Options: nosniff. An error that says nothing of its status
// is a 500 whose message is only "Internal Server Error" unless opts.Debug
// is set, which adds the real message and the stack. 5xx errors go to
// logError. When the response has already begun, the connection is aborted,
// since nothing sent can be taken back.
//
// A route with an error translator (controller.TranslateErrors) has its
// errors translated first.
//
// A request whose deadline has passed is answered 503 REQUEST_TIMEOUT,
// whatever the error its handler returned, and so is an error that is a
// deadline's (context.DeadlineExceeded) and says nothing of its status. A
// request cancelled with a cause that has a status (the server stopping:
// 503 SERVER_STOPPING) is answered with that cause.
func NewReject(opts Options, logError LogError) Reject {
	return func(rc *loomctx.RequestContext, err error) {
		if r, ok := rc.Route.(*Route); ok && r.TranslateError != nil {
			err = r.TranslateError(err)
		}
		logged := err
		err = endedError(rc, err)
		status := httperr.StatusOf(err)
		if status >= 500 {
			logError(logged, status, rc.Request)
		}
		if rc.Response.HeaderSent() {
			panic(http.ErrAbortHandler)
		}
		env := httperr.EnvelopeOf(err, opts.Debug)
		if opts.Debug {
			env.Error.Stack = stackOf(err)
		}
		h := rc.Response.Header()
		h.Del("Content-Length")
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		if werr := WriteJSON(rc.Response, status, env); werr != nil {
			logError(werr, status, rc.Request)
		}
	}
}

// endedError is the error a request is answered with when its context
// ended before it finished, else err.
func endedError(rc *loomctx.RequestContext, err error) error {
	ctxErr := rc.Err()
	switch {
	case errors.Is(ctxErr, context.DeadlineExceeded):
		timeout := rc.Timeout()
		if rc.Request.Context().Err() != nil {
			timeout = 0 // the request's context had an earlier deadline
		}
		return httperr.DeadlineExceeded(timeout).WithCause(err)
	case ctxErr != nil:
		var sc httperr.StatusCoder
		if cause := context.Cause(rc); cause != ctxErr && errors.As(cause, &sc) {
			return cause
		}
	case errors.Is(err, context.DeadlineExceeded):
		var sc httperr.StatusCoder
		if !errors.As(err, &sc) {
			return httperr.DeadlineExceeded(0).WithCause(err)
		}
	}
	return err
}

// NewLogError is the default logError: one zap error line with the
// request's method and path, the status, the error and its stack when it
// has one.
func NewLogError(log *zap.Logger) LogError {
	return func(err error, status int, r *http.Request) {
		fields := []zap.Field{
			zap.String("method", r.Method),
			zap.String("path", r.URL.Path),
			zap.Int("status", status),
			zap.Error(err),
		}
		if s := stackOf(err); s != "" {
			fields = append(fields, zap.String("stack", s))
		}
		log.Error("request failed", fields...)
	}
}

// PanicError is a panic recovered while serving a request, with the stack
// where it happened.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

// NewPanicError captures the current stack for a recovered value; call it
// in the deferred function that recovered.
func NewPanicError(v any) *PanicError {
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// Error describes the panic.
func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// Unwrap returns the panic value when it is an error.
func (p *PanicError) Unwrap() error {
	if err, ok := p.Value.(error); ok {
		return err
	}
	return nil
}

// StackTrace is the stack where the panic happened.
func (p *PanicError) StackTrace() string { return string(p.Stack) }

func stackOf(err error) string {
	var st interface{ StackTrace() string }
	if errors.As(err, &st) {
		return st.StackTrace()
	}
	return ""
}

// StatusCode makes a panic a 500, whatever the panic value says.
func (p *PanicError) StatusCode() int { return http.StatusInternalServerError }
