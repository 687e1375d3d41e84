package rest

import (
	"fmt"
	"net/http"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller/httperr"
)

// defaultMaxHeaderBytes is Config.MaxHeaderBytes' default: 16 KiB, Node's
// --max-http-header-size, so LoopBack's.
const defaultMaxHeaderBytes = 16 << 10

// CodeHeadersTooLarge is the code of the 431 answered to a request whose
// request line and headers are longer than Config.MaxHeaderBytes.
const CodeHeadersTooLarge = "REQUEST_HEADER_FIELDS_TOO_LARGE"

// The header limit, and why it needs more than http.Server.MaxHeaderBytes.
//
// net/http reads a request's head through a reader that stops after
// MaxHeaderBytes + 4096 bytes ("bufio slop"), and past it writes its own
// plain-text 431 straight to the connection, before any handler runs. So
// the limit would be 4 KiB looser than documented, and its answer not in
// the envelope. Three pieces make it exact and enveloped:
//
//  1. net/http is given MaxHeaderBytes = limit - 4096, so its reader stops
//     after exactly limit bytes. A head of at most limit bytes is read
//     whole within them (the bytes after it do not matter: the parser
//     never looks past the blank line), one byte more is refused. The
//     reader cannot go below 4097 bytes, and it does not count what its
//     buffer read ahead of the request (a pipelined request's first
//     bytes, at most 4 KiB).
//  2. For those two cases ServeHTTP measures the parsed head again
//     (headSize), a lower bound of what was sent, so that it never
//     refuses a head within the limit.
//  3. The connection (trackedConn.Write) replaces net/http's 431, which it
//     writes in one Write of a fixed text (netHTTP431), by the envelope.
//     No handler's response can be that text: it goes through the
//     response writer, which adds a Date header.
//
// If a future net/http wrote another text, the 431 would be plain again:
// TestHeaderLimit_TwentyKilobytesOfHeadersAreAnsweredInTheEnvelope fails.

// netHTTP431 is what net/http writes when a head passes its limit.
const netHTTP431 = "HTTP/1.1 431 Request Header Fields Too Large\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
	"431 Request Header Fields Too Large"

// headerLimit answers the requests whose head passes the limit.
type headerLimit struct {
	max  int
	body []byte // the envelope
	raw  []byte // the whole response, for the connection to write
}

func newHeaderLimit(max int) headerLimit {
	if max <= 0 {
		max = defaultMaxHeaderBytes
	}
	err := httperr.Newf(http.StatusRequestHeaderFieldsTooLarge,
		"The request line and headers are longer than %d bytes.", max).WithCode(CodeHeadersTooLarge)
	body := envelopeJSON(err)
	raw := fmt.Appendf(nil, "HTTP/1.1 431 Request Header Fields Too Large\r\n"+
		"Content-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	return headerLimit{max: max, body: body, raw: raw}
}

// netHTTPMax is the MaxHeaderBytes to give net/http so that its reader
// stops after max bytes, or as close above as it can.
func (l *headerLimit) netHTTPMax() int {
	return max(l.max-4096, 1)
}

// refuse answers w 431 when r's head is over the limit, and reports
// whether it did.
func (l *headerLimit) refuse(w http.ResponseWriter, r *http.Request) bool {
	// Most heads are far below the limit: the header net/http may have
	// added is subtracted only from one over it.
	if n := headSize(r); n <= l.max || n-pragmaAdded(r) <= l.max {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Connection", "close")
	w.WriteHeader(http.StatusRequestHeaderFieldsTooLarge)
	_, _ = w.Write(l.body)
	return true
}

// headSize is at most the bytes r's head took on the wire: every line
// counted with a bare line feed, every header without the spaces around
// its value, which net/http trims.
func headSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 3 // two spaces, a line feed
	if r.Host != "" && (r.URL == nil || r.URL.Host == "") {
		// net/http moved the Host header to r.Host; an absolute URL's host
		// is already counted in the request line.
		n += len("Host:") + len(r.Host) + 1
	}
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + len(v) + 2 // a colon, a line feed
		}
	}
	return n + 1 // the blank line
}

// pragmaAdded is the size of what net/http added to r's head that the
// wire did not carry: the Cache-Control: no-cache it adds to a request
// that sent only Pragma: no-cache.
func pragmaAdded(r *http.Request) int {
	if cc := r.Header["Cache-Control"]; len(cc) == 1 && cc[0] == "no-cache" && r.Header.Get("Pragma") == "no-cache" {
		return len("Cache-Control") + len("no-cache") + 2
	}
	return 0
}

// envelopeJSON is err's envelope as the reject action writes it.
func envelopeJSON(err error) []byte {
	var rec bodyRecorder
	_ = actions.WriteJSON(&rec, httperr.StatusOf(err), httperr.EnvelopeOf(err, false))
	return rec.body
}

// bodyRecorder keeps what is written to it.
type bodyRecorder struct {
	header http.Header
	body   []byte
}

func (b *bodyRecorder) Header() http.Header {
	if b.header == nil {
		b.header = http.Header{}
	}
	return b.header
}

func (b *bodyRecorder) Write(p []byte) (int, error) {
	b.body = append(b.body, p...)
	return len(p), nil
}

func (b *bodyRecorder) WriteHeader(int) {}
