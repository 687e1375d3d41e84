package sse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	loomctx "github.com/loomhq/loom/context"
)

// MediaType is the media type of an event stream.
const MediaType = "text/event-stream"

// Event is one server-sent event.
type Event struct {
	// ID sets the client's last event ID (its Last-Event-ID header when it
	// reconnects); empty writes no id: line.
	ID string
	// Event names the event's type, which the client's listener selects;
	// empty is a "message".
	Event string
	// Data is the event's payload: a string or []byte is written as it
	// is, anything else as JSON; nil writes no data: line.
	Data any
	// Retry tells the client how long to wait before reconnecting, in
	// milliseconds on the wire; 0 writes no retry: line.
	Retry time.Duration
}

// Producer emits a stream's events until ctx ends or it has no more. It
// runs while the response is written; emit writes one event and flushes
// it, and fails once ctx has ended or the client cannot be written to.
// What it returns after ctx has ended is ignored: the stream ends
// cleanly. Another error cuts the response short, so the client can tell
// the stream failed.
type Producer func(ctx context.Context, emit func(Event) error) error

// Stream is a handler's result written as server-sent events. Make one
// with [New] or [FromChannel].
type Stream struct {
	produce   Producer
	keepAlive time.Duration
}

// New returns the stream that produce writes.
func New(produce Producer) *Stream { return &Stream{produce: produce} }

// FromChannel returns the stream of the events received from events,
// until it is closed or the stream's context ends. The goroutine that
// sends on events should stop when the handler's context ends, since
// nothing receives after that.
func FromChannel(events <-chan Event) *Stream {
	return New(func(ctx context.Context, emit func(Event) error) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case e, ok := <-events:
				if !ok {
					return nil
				}
				if err := emit(e); err != nil {
					return err
				}
			}
		}
	})
}

// KeepAlive makes the stream write a comment line (": ping") whenever
// every passes without one, so that proxies and clients do not take a
// quiet stream for a dead one; 0 or less writes none. It returns s.
func (s *Stream) KeepAlive(every time.Duration) *Stream {
	s.keepAlive = every
	return s
}

// ErrServerStopping is the cause of a producer's context when the stream
// ended because the server began to stop.
var ErrServerStopping = errors.New("sse: the server is stopping")

// Header values, shared so that setting them costs no allocation.
var (
	contentType  = []string{MediaType}
	noCache      = []string{"no-cache"}
	noBuffering  = []string{"no"}
	pingLine     = []byte(": ping\n\n")
	errLineBreak = errors.New("holds a line break or a NUL")
)

// WriteHeader sets the headers of an event stream on w and sends them
// with status, without any event: the answer to a HEAD request.
func WriteHeader(w http.ResponseWriter, status int) {
	h := w.Header()
	h["Content-Type"] = contentType
	h["Cache-Control"] = noCache
	h["X-Accel-Buffering"] = noBuffering // nginx: do not buffer
	h.Del("Content-Length")
	w.WriteHeader(status)
}

// Serve writes s to w with status: the headers, flushed at once, then
// every event the producer emits, each flushed. It returns when the
// producer does; ctx is the request's, whose end (and the server's stop,
// read from it with context.Stopping) ends the producer's context. It
// returns nil when the stream ended cleanly, else the producer's or the
// writer's error.
func (s *Stream) Serve(ctx context.Context, w http.ResponseWriter, status int) error {
	rc := http.NewResponseController(w)
	WriteHeader(w, status)
	if err := rc.Flush(); err != nil {
		return fmt.Errorf("sse: cannot flush the response: %w", err)
	}
	pctx, cancel := context.WithCancelCause(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel(nil) // ends the goroutines
		wg.Wait()
	}()
	if stopping := loomctx.Stopping(ctx); stopping != nil {
		wg.Go(func() {
			select {
			case <-stopping:
				cancel(ErrServerStopping)
			case <-pctx.Done():
			}
		})
	}
	wr := &writer{w: w, rc: rc, cancel: cancel}
	if s.keepAlive > 0 {
		wg.Go(func() { wr.keepAlive(pctx, s.keepAlive) })
	}
	err := s.produce(pctx, func(e Event) error {
		if pctx.Err() != nil {
			return context.Cause(pctx)
		}
		return wr.event(e)
	})
	if pctx.Err() != nil {
		return nil // the client left or the server stops: a clean end
	}
	if err == nil {
		err = wr.failed()
	}
	return err
}

// writer writes events and pings to one response, one at a time.
type writer struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	cancel context.CancelCauseFunc

	mu   sync.Mutex
	buf  bytes.Buffer
	err  error
	sent bool // something was written since the last ping
}

func (wr *writer) event(e Event) error {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	if wr.err != nil {
		return wr.err
	}
	wr.buf.Reset()
	if err := appendEvent(&wr.buf, e); err != nil {
		return err
	}
	return wr.write(wr.buf.Bytes())
}

// write sends p and flushes it; the first failure ends the producer's
// context, as the client cannot be reached. The caller holds mu.
func (wr *writer) write(p []byte) error {
	_, err := wr.w.Write(p)
	if err == nil {
		err = wr.rc.Flush()
	}
	if err != nil {
		wr.err = fmt.Errorf("sse: cannot write to the client: %w", err)
		wr.cancel(wr.err)
		return wr.err
	}
	wr.sent = true
	return nil
}

func (wr *writer) failed() error {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return wr.err
}

// keepAlive pings every period in which no event was written.
func (wr *writer) keepAlive(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wr.mu.Lock()
		if !wr.sent && wr.err == nil {
			wr.write(pingLine)
		}
		wr.sent = false
		wr.mu.Unlock()
	}
}

// appendEvent writes e in the wire format to buf.
func appendEvent(buf *bytes.Buffer, e Event) error {
	if err := field(buf, "id", e.ID); err != nil {
		return err
	}
	if err := field(buf, "event", e.Event); err != nil {
		return err
	}
	if e.Retry > 0 {
		buf.WriteString("retry: ")
		buf.WriteString(strconv.FormatInt(e.Retry.Milliseconds(), 10))
		buf.WriteByte('\n')
	}
	var data []byte
	switch v := e.Data.(type) {
	case nil:
	case string:
		data = []byte(v)
	case []byte:
		data = v
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("sse: cannot encode the event's data as JSON: %w", err)
		}
	}
	if e.Data != nil {
		// Every line break (CRLF, CR or LF) starts another data: line.
		for {
			i := bytes.IndexAny(data, "\r\n")
			buf.WriteString("data: ")
			if i < 0 {
				buf.Write(data)
				buf.WriteByte('\n')
				break
			}
			buf.Write(data[:i])
			buf.WriteByte('\n')
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		}
	}
	buf.WriteByte('\n')
	return nil
}

// field writes name: value, refusing a value that would end the line.
func field(buf *bytes.Buffer, name, value string) error {
	if value == "" {
		return nil
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("sse: event %s %q %w", name, value, errLineBreak)
	}
	buf.WriteString(name)
	buf.WriteString(": ")
	buf.WriteString(value)
	buf.WriteByte('\n')
	return nil
}
