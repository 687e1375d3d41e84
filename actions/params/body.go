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
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// state is the per-request scratch space, pooled: the body buffer, the
// JSON scanner and the parsed query.
type state struct {
	buf   bytes.Buffer
	sc    scanner
	query []pair
	form  []pair // a form parameter's body fields
	// path is the validation walker's path, kept between requests
	// (cleared: a map's keys are the request's).
	path []string
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
	clear(st.path[:cap(st.path)])
	clear(st.form)
	st.form = st.form[:0]
	if cap(st.form) > maxPooledPairs {
		st.form = nil
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
	n, err := readAtMost(buf, r.Body, limit+1)
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

// readAtMost appends what rd gives to buf, up to n bytes, as
// buf.ReadFrom(io.LimitReader(rd, n)) does, without allocating the
// limited reader.
func readAtMost(buf *bytes.Buffer, rd io.Reader, n int64) (int64, error) {
	var total int64
	for total < n {
		if buf.Available() == 0 {
			buf.Grow(bytes.MinRead)
		}
		b := buf.AvailableBuffer()
		b = b[:int(min(int64(cap(b)), n-total))]
		m, err := rd.Read(b)
		if m < 0 || m > len(b) {
			panic("params: reader returned an invalid count")
		}
		buf.Write(b[:m])
		total += int64(m)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
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

// utf8Error is the 400 SyntaxError of a document that is not UTF-8, the
// one encoding JSON has (RFC 8259): decoding it would store U+FFFD in
// place of the bytes sent. It names the first bad byte's position.
func utf8Error(msg string) *httperr.Error {
	return httperr.BadRequest(msg).WithName("SyntaxError")
}

// utf8Message says where data, a valid JSON document, stops being UTF-8,
// or "" when it is. An escaped lone surrogate (\udc00) counts too: it
// stands for no character, and decoding would store U+FFFD for it.
func utf8Message(data []byte) string {
	if !utf8.Valid(data) {
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				return fmt.Sprintf("Bad UTF-8 byte 0x%02x in JSON at position %d", data[i], i)
			}
			i += n
		}
	}
	if bytes.Contains(data, []byte(`\u`)) {
		if at := loneSurrogate(data); at >= 0 {
			return fmt.Sprintf("Lone surrogate %s in JSON at position %d", data[at:at+6], at)
		}
	}
	return ""
}

// loneSurrogate is the position of the first \u escape of a UTF-16
// surrogate that is not half of a pair, or -1.
func loneSurrogate(data []byte) int {
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		if i+1 < len(data) && data[i+1] != 'u' {
			i++ // \", \\, \n, ...
			continue
		}
		if i+6 > len(data) {
			return -1
		}
		r := hex4(data[i+2 : i+6])
		switch {
		case r >= 0xd800 && r < 0xdc00:
			if i+12 > len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
				return i
			}
			if lo := hex4(data[i+8 : i+12]); lo < 0xdc00 || lo >= 0xe000 {
				return i
			}
			i += 11
		case r >= 0xdc00 && r < 0xe000:
			return i
		default:
			i += 5
		}
	}
	return -1
}

// hex4 reads four hex digits (a valid document has them after \u).
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1
		}
	}
	return r
}

// isNull reports whether the document is the literal null.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// decodeBody runs the strict scan of data against c and decodes it into
// v. The first error is a 400 for a prohibited key or too deep a document;
// details are the 422's: every one the scan found, as AJV's allErrors
// reports them. absent are the pointers of properties not sent, whose
// rules do not run; checked is false when v cannot be validated further
// (decoding stopped part way).
//
// decoded says v holds data already, decoded by [decodeStrict]: the scan
// still runs, for what only it checks (required properties, prohibited
// keys, depth, the ranges and formats AJV reports), but data is not
// decoded again.
func (d *Decoder) decodeBody(sc *scanner, data []byte, c *codec, v reflect.Value, decoded bool) (absent []string, details []httperr.Detail, checked bool, err error) {
	sc.reset(data, d.opts.MaxDepth, d.opts.ProhibitedKeys)
	sc.scan(c)
	if sc.fatal != "" {
		return nil, nil, false, httperr.BadRequest(sc.fatal).WithName("Error")
	}
	details, sc.details = sc.details, nil
	absent, sc.absent = sc.absent, nil
	if decoded {
		// What encoding/json would have decoded; a detail of the scan is
		// about a value it would have decoded the same way, or skipped
		// (underFailed keeps the rules off those).
		return absent, details, true, nil
	}
	st := derefCodec(c).st
	var extra repository.Data
	if st != nil && st.extra != nil {
		var more []httperr.Detail
		if data, extra, more = splitExtra(data, st); len(more) > 0 {
			return nil, append(details, more...), false, nil
		}
	}
	// Decoded even when the scan found problems, so that the rules of the
	// other properties run too: encoding/json skips a value of the wrong
	// type and goes on.
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		var d detailer
		if errors.As(err, &d) && d.ErrorDetails() != nil && len(details) == 0 {
			// A body type's own UnmarshalJSON (a repository's Patch) checked
			// it against its model: its details are the 422's.
			return nil, nil, false, httperr.ValidationFailed(nil).WithDetails(d.ErrorDetails()).WithCause(err)
		}
		var te *json.UnmarshalTypeError
		if len(details) > 0 {
			// The scan reported the value already, in JSON's words.
			return absent, details, errors.As(err, &te), nil
		}
		return nil, []httperr.Detail{unmarshalDetail(err)}, false, nil
	}
	if extra != nil {
		setExtra(v, st, extra)
	}
	return absent, details, true, nil
}

// strictOptions decode a document as encoding/json's Unmarshal does
// (its values, its types' UnmarshalJSON and UnmarshalText, ",string"),
// but refuse what the scanner refuses or reports: a key that is unknown or
// only matches a field's name case-insensitively, a duplicate key, and
// invalid UTF-8. A document they accept is valid JSON that the scan has
// no syntax to object to, and that encoding/json would decode to the same
// value.
var strictOptions = jsonv2.JoinOptions(
	jsonv1.DefaultOptionsV1(),
	jsonv2.MatchCaseInsensitiveNames(false),
	jsonv2.RejectUnknownMembers(true),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// strictPass enables decodeStrict; tests turn it off to compare.
var strictPass = true

// oneJSONPass reports whether a body of codec c can be decoded by
// [decodeStrict]: not a non-strict body, whose unknown properties are
// split off first.
func oneJSONPass(c *codec) bool {
	if !strictPass {
		return false
	}
	st := derefCodec(c).st
	return st == nil || st.extra == nil
}

// decodeStrict decodes data into v in one pass, validating it as it goes,
// and reports whether it succeeded. On failure v may hold part of data:
// the long way, json.Unmarshal, then decodes data over it, and stores the
// same values in every place decodeStrict reached first (both go in
// document order, and json.Unmarshal stops at no error decodeStrict went
// past).
func decodeStrict(data []byte, v reflect.Value) bool {
	return jsonv2.Unmarshal(data, v.Addr().Interface(), strictOptions) == nil
}

// unmarshalDetail reports an error encoding/json found after the scan
// passed, in JSON's words: its own messages name Go types and fields.
func unmarshalDetail(err error) httperr.Detail {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := ""
		if te.Field != "" {
			p = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return typeDetailAt(p, jsonTypeOf(te.Type))
	}
	var se *json.SyntaxError
	if strings.HasPrefix(err.Error(), "json: ") || errors.As(err, &se) {
		return httperr.Detail{Path: "", Code: "format", Message: "must be a valid value", Info: map[string]any{}}
	}
	// A type's own UnmarshalJSON or UnmarshalText refused the value: its
	// message is the model's.
	return httperr.Detail{Path: "", Code: "format", Message: err.Error(), Info: map[string]any{}}
}

// jsonTypeOf is the JSON type of a Go type, for a type detail.
func jsonTypeOf(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "object"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return "string"
		}
		return "array"
	}
	return "object"
}
