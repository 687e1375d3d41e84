package params

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// state is the per-request scratch space, pooled: the body buffer, the
// JSON scanner and the parsed query.
type state struct {
	buf   bytes.Buffer
	sc    scanner
	query []pair
}

var states = sync.Pool{New: func() any { return new(state) }}

// maxPooledBuffer and maxPooledPairs keep the pool from holding on to
// huge bodies and queries.
const (
	maxPooledBuffer = 64 << 10
	maxPooledPairs  = 2048
)

func putState(st *state) {
	if st.buf.Cap() > maxPooledBuffer {
		st.buf = bytes.Buffer{}
	}
	st.buf.Reset()
	st.sc.data = nil
	clear(st.query) // the pool must not keep a request's strings alive
	st.query = st.query[:0]
	if cap(st.query) > maxPooledPairs {
		st.query = nil
	}
	states.Put(st)
}

var jsonMediaTypes = []string{"application/json"}

// checkContentType accepts application/json and any */*+json type, with
// parameters; an absent header means application/json.
func checkContentType(r *http.Request) error {
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported content encoding %q.", enc).
			WithCode(httperr.CodeUnsupportedMediaType)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, params, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	typ, sub, ok := strings.Cut(mt, "/")
	if ok && typ != "" && (sub == "json" && typ == "application" || strings.HasSuffix(sub, "+json") && len(sub) > 5) {
		return checkCharset(params)
	}
	if parsed, _, err := mime.ParseMediaType(ct); err == nil {
		ct = parsed
	}
	return httperr.UnsupportedMediaType(ct, jsonMediaTypes)
}

// checkCharset accepts a JSON body in UTF-8 only, the one encoding JSON
// has (RFC 8259); LoopBack's body parser refuses the others with a 415 too.
func checkCharset(params string) error {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "charset") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if !strings.EqualFold(v, "utf-8") && !strings.EqualFold(v, "utf8") {
			return httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported charset %q.", strings.ToUpper(v)).
				WithCode(httperr.CodeUnsupportedMediaType)
		}
	}
	return nil
}

// readBody reads at most limit+1 bytes of the body into buf; more than
// limit is a 413, without reading the rest.
func readBody(r *http.Request, buf *bytes.Buffer, limit int64) error {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return nil
	}
	if r.ContentLength > limit {
		return httperr.PayloadTooLarge()
	}
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return httperr.PayloadTooLarge().WithCause(err)
		}
		// As raw-body answers a body cut short: the cause, which names
		// the connection's addresses, goes to the log only.
		return httperr.BadRequest("request aborted").WithCode("ECONNABORTED").WithCause(err)
	}
	if n > limit {
		return httperr.PayloadTooLarge()
	}
	return nil
}

// syntaxError is the 400 SyntaxError of a malformed document, worded as
// JSON.parse words it.
func syntaxError(data []byte) *httperr.Error {
	return httperr.BadRequest(syntaxMessage(data)).WithName("SyntaxError")
}

func syntaxMessage(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if err == nil {
			return "Unexpected end of JSON input"
		}
		return err.Error()
	}
	if strings.Contains(se.Error(), "unexpected end") || se.Offset == 0 {
		return "Unexpected end of JSON input"
	}
	at := max(se.Offset-1, 0)
	return fmt.Sprintf("Unexpected token %s in JSON at position %d (%s)", tokenAt(data, at), at, se.Error())
}

func tokenAt(data []byte, at int64) string {
	b := data[at]
	if b < 0x20 || b >= 0x7f {
		return fmt.Sprintf("%q", b)
	}
	return string(b)
}

// isNull reports whether the document is the literal null.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// decodeBody runs the strict scan of data against c and decodes it into
// v. The first error is a 400 for a prohibited key or too deep a document;
// details are the 422's. absent are the pointers of unsent optional
// properties.
func (d *Decoder) decodeBody(sc *scanner, data []byte, c *codec, v reflect.Value) (absent []string, details []httperr.Detail, err error) {
	sc.reset(data, d.opts.MaxDepth, d.opts.ProhibitedKeys)
	sc.scan(c)
	if sc.fatal != "" {
		return nil, nil, httperr.BadRequest(sc.fatal).WithName("Error")
	}
	if len(sc.details) > 0 {
		details, sc.details = sc.details, nil
		return nil, details, nil
	}
	absent, sc.absent = sc.absent, nil
	st := derefCodec(c).st
	var extra repository.Data
	if st != nil && st.extra != nil {
		if data, extra, details = splitExtra(data, st); len(details) > 0 {
			return nil, details, nil
		}
	}
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		var d detailer
		if errors.As(err, &d) && d.ErrorDetails() != nil {
			// A body type's own UnmarshalJSON (a repository's Patch) checked
			// it against its model: its details are the 422's.
			return nil, nil, httperr.ValidationFailed(nil).WithDetails(d.ErrorDetails()).WithCause(err)
		}
		return nil, []httperr.Detail{unmarshalDetail(err)}, nil
	}
	if extra != nil {
		setExtra(v, st, extra)
	}
	return absent, nil, nil
}

// unmarshalDetail reports an error encoding/json found after the scan
// passed (a TextUnmarshaler refusing its text, bad base64, ...).
func unmarshalDetail(err error) httperr.Detail {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := ""
		if te.Field != "" {
			p = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return httperr.Detail{Path: p, Code: "type", Message: te.Error(), Info: map[string]any{"type": te.Value}}
	}
	return httperr.Detail{Path: "", Code: "format", Message: err.Error(), Info: map[string]any{}}
}
