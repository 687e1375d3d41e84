package context

import (
	"bufio"
	"errors"
	"net"
	"net/http"
)

// ResponseWriter is the http.ResponseWriter a sequence writes through. It
// records the status and the number of body bytes written, so logging and
// reject can tell what was already sent.
type ResponseWriter struct {
	w       http.ResponseWriter
	status  int
	written int64
}

// NewResponseWriter wraps w.
func NewResponseWriter(w http.ResponseWriter) *ResponseWriter {
	return &ResponseWriter{w: w}
}

// Header returns the header map that will be sent.
func (rw *ResponseWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader sends the status line and headers; later calls are ignored.
// An informational status (1xx, such as 103 Early Hints) is passed on
// without becoming the response's status.
func (rw *ResponseWriter) WriteHeader(status int) {
	if rw.status != 0 {
		return
	}
	if status >= 100 && status < 200 {
		rw.w.WriteHeader(status)
		return
	}
	rw.status = status
	rw.w.WriteHeader(status)
}

// Write sends body bytes, sending a 200 status first if none was sent.
func (rw *ResponseWriter) Write(p []byte) (int, error) {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	n, err := rw.w.Write(p)
	rw.written += int64(n)
	return n, err
}

// Status is the status sent, or 0 when nothing was sent yet.
func (rw *ResponseWriter) Status() int { return rw.status }

// Written is the number of body bytes written.
func (rw *ResponseWriter) Written() int64 { return rw.written }

// HeaderSent reports whether the status line has gone out, after which the
// status can no longer change.
func (rw *ResponseWriter) HeaderSent() bool { return rw.status != 0 }

// Flush sends buffered data to the client when the underlying writer can.
func (rw *ResponseWriter) Flush() {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	if f, ok := rw.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets the caller take over the connection (websockets).
func (rw *ResponseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := rw.w.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("context: the underlying ResponseWriter cannot be hijacked")
}

// Unwrap returns the wrapped writer, for [http.ResponseController].
func (rw *ResponseWriter) Unwrap() http.ResponseWriter { return rw.w }
