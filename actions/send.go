package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sync"

	"github.com/loomhq/loom/actions/internal/jsonenc"
	"github.com/loomhq/loom/actions/sse"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/repository"
)

// NewSend is the default send, LoopBack's writeResultToResponse with
// content negotiation: nil is 204 with an empty body; otherwise the
// result is written as the media type the request's Accept header
// prefers among those the route answers with (see [Negotiate] and
// [Route.Produces]), and 406 NOT_ACCEPTABLE answers a request that
// accepts none. By default a []byte or io.Reader is
// application/octet-stream, a string text/plain, an *sse.Stream
// text/event-stream (each event flushed as it comes), anything else JSON.
// The status is the route's declared one, else 200. A handler that wrote
// the response itself gets nothing more.
func NewSend() Send {
	return func(rc *loomctx.RequestContext, result any) error {
		w := rc.Response
		if w.HeaderSent() {
			return nil
		}
		status := StatusOf(rc, result)
		if result == nil {
			w.WriteHeader(status)
			return nil
		}
		if r, ok := rc.Route.(*Route); ok && r.negotiation != nil {
			return writeNegotiated(rc, r.negotiation, status, result)
		}
		switch v := result.(type) {
		case []byte:
			return writeBytes(w, status, octetStream, v)
		case string:
			setContentType(w, textPlain)
			w.WriteHeader(status)
			_, err := io.WriteString(w, v)
			return err
		case io.Reader:
			return copyReader(w, status, octetStream, v)
		case *sse.Stream:
			return serveStream(rc, status, v)
		}
		return writeResultJSON(rc, status, applicationJSON, result)
	}
}

// writeResultJSON writes a handler's result as JSON of contentType:
// through the matched route's encoder of its declared result type,
// compiled at start-up, else the one of result's type. A result the
// route's filter projects (its fields) is written by the route's encoder
// too, member by member, unless it includes relations or its model keeps
// unknown properties.
func writeResultJSON(rc *loomctx.RequestContext, status int, contentType []string, result any) error {
	r, _ := rc.Route.(*Route)
	if r == nil || r.json == nil {
		return writeJSON(rc.Response, status, contentType, encoderOf(result), result)
	}
	if pr, ok := result.(repository.Projection); ok && r.project != nil && !r.project.extras && len(pr.Include) == 0 {
		if written, err := writeAppended(rc.Response, status, contentType, func(b []byte) ([]byte, bool) {
			return r.json.AppendFields(b, pr.Value, pr.Fields.Keeps)
		}); written {
			return err
		}
	}
	return writeJSON(rc.Response, status, contentType, r.json, result)
}

// StatusOf is the status the default send answers result with: the
// status the matched route declares (controller.Status), else 204 for a
// nil result (no content), else 200. A send override that writes its own
// body calls it so that a Status(201) route still answers 201.
func StatusOf(rc *loomctx.RequestContext, result any) int {
	if r, ok := rc.Route.(*Route); ok && r.Status != 0 {
		return r.Status
	}
	if result == nil {
		return http.StatusNoContent
	}
	return http.StatusOK
}

// Content types as header values, shared so that setting one costs no
// allocation; a Header.Add on one copies it first, since each has no
// spare capacity.
var (
	applicationJSON = []string{"application/json"}
	octetStream     = []string{"application/octet-stream"}
	textPlain       = []string{"text/plain; charset=utf-8"}
)

func setContentType(w http.ResponseWriter, ct []string) {
	h := w.Header()
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = ct
	}
}

// writeBytes writes a whole body; net/http adds its Content-Length, as the
// handler returns before the body leaves its buffer.
func writeBytes(w http.ResponseWriter, status int, contentType []string, body []byte) error {
	setContentType(w, contentType)
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// WriteJSON writes v as a JSON response with status, as the default send
// does: application/json unless a Content-Type is already set, HTML
// characters not escaped. The body is encoded before anything is sent, so
// a value that cannot be encoded is still answered with an error envelope
// instead of half a document.
//
// A result type made of structs, slices, pointers, strings, numbers,
// booleans, times and raw JSON is written by an encoder compiled once per
// type, about three times faster than encoding/json, with the same bytes;
// any other goes through encoding/json.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	return writeJSON(w, status, applicationJSON, encoderOf(v), v)
}

// encoders caches the compiled encoder of each result type, nil for a
// type it does not cover. Types are finite in a program, so it is
// bounded.
var encoders sync.Map // reflect.Type → *jsonenc.Encoder

// encoderOf returns the compiled encoder of v's type, or nil.
func encoderOf(v any) *jsonenc.Encoder {
	t := reflect.TypeOf(v)
	if t == nil {
		return nil
	}
	if e, ok := encoders.Load(t); ok {
		return e.(*jsonenc.Encoder)
	}
	e, _ := encoders.LoadOrStore(t, jsonenc.For(t))
	return e.(*jsonenc.Encoder)
}

// bodies holds the buffers compiled encoders write to.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// writeAppended writes the body appendBody appends to a pooled buffer,
// reporting whether it wrote it: false when appendBody could not write
// the value, then nothing was sent.
func writeAppended(w http.ResponseWriter, status int, contentType []string, appendBody func([]byte) ([]byte, bool)) (written bool, err error) {
	bp := bodies.Get().(*[]byte)
	body, ok := appendBody((*bp)[:0])
	if ok {
		err = writeBytes(w, status, contentType, body)
	}
	if cap(body) <= 64<<10 {
		*bp = body[:0]
		bodies.Put(bp)
	}
	return ok, err
}

// writeJSON writes v as contentType (unless one is set) through enc when
// it is not nil and can write v, else through encoding/json.
func writeJSON(w http.ResponseWriter, status int, contentType []string, enc *jsonenc.Encoder, v any) error {
	if enc != nil {
		if written, err := writeAppended(w, status, contentType, func(b []byte) ([]byte, bool) {
			return enc.Append(b, v)
		}); written {
			return err
		}
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			bufferPool.Put(buf)
		}
	}()
	std := json.NewEncoder(buf)
	std.SetEscapeHTML(false)
	if err := std.Encode(v); err != nil {
		return fmt.Errorf("actions: cannot encode the result as JSON: %w", err)
	}
	body := buf.Bytes()
	body = body[:len(body)-1] // Encode's newline
	return writeBytes(w, status, contentType, body)
}
