package params

import (
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/loomhq/loom/controller/httperr"
)

// bodyKind is how a body is read: into a typed value through the parsers
// (JSON, urlencoded, ...), or as text, bytes, a stream or a multipart
// form.
type bodyKind uint8

const (
	kindJSON bodyKind = iota
	kindText
	kindRaw
	kindStream
	kindMultipart
)

var kindNames = [...]string{kindJSON: "json", kindText: "text", kindRaw: "raw", kindStream: "stream", kindMultipart: "multipart"}

var (
	stringType    = reflect.TypeFor[string]()
	bytesType     = reflect.TypeFor[[]byte]()
	readerType    = reflect.TypeFor[io.Reader]()
	multipartType = reflect.TypeFor[*Multipart]()
)

// otherBody plans a body:"text", "raw", "stream" or "multipart" field.
func (b *builder) otherBody(sf reflect.StructField, idx []int, name, where string) error {
	var kind bodyKind
	var want reflect.Type
	switch name {
	case "text":
		kind, want = kindText, stringType
	case "raw":
		kind, want = kindRaw, bytesType
	case "stream":
		kind, want = kindStream, readerType
	case "multipart":
		kind, want = kindMultipart, multipartType
	default:
		return fmt.Errorf("%s: body:%q: the body kinds are json, text, raw, stream and multipart", where, name)
	}
	if sf.Type != want {
		return fmt.Errorf("%s: body:%q wants a %s field, not %s", where, name, want, sf.Type)
	}
	if b.d.body.present {
		return fmt.Errorf("%s: a second body field", where)
	}
	required := false
	for _, rule := range strings.Split(sf.Tag.Get("validate"), ",") {
		switch strings.TrimSpace(rule) {
		case "":
		case "required":
			required = true
		default:
			return fmt.Errorf("%s: a body:%q field takes no validate rule but required, not %q", where, name, rule)
		}
	}
	b.d.body = bodyPlan{present: true, whole: true, kind: kind, index: idx, goName: sf.Name, required: required}
	return nil
}

// readOther reads a text, raw, stream or multipart body into its field.
func (d *Decoder) readOther(r *http.Request, v reflect.Value) error {
	empty := r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0
	_, params, err := d.checkMediaType(r, empty || d.body.kind == kindRaw || d.body.kind == kindStream)
	if err != nil {
		return err
	}
	if r.ContentLength > d.opts.BodyLimit {
		return httperr.PayloadTooLarge()
	}
	fv := fieldAlloc(v, d.body.index)
	switch d.body.kind {
	case kindText, kindRaw:
		if cs := params["charset"]; d.body.kind == kindText && cs != "" && !strings.EqualFold(cs, "utf-8") &&
			!strings.EqualFold(cs, "utf8") && !strings.EqualFold(cs, "us-ascii") {
			return httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported charset %q.", strings.ToUpper(cs)).
				WithCode(httperr.CodeUnsupportedMediaType)
		}
		data, err := readAll(r, d.opts.BodyLimit)
		if err != nil {
			return err
		}
		if len(data) == 0 {
			if d.body.required {
				return httperr.MissingBody()
			}
			return nil
		}
		if d.body.kind == kindRaw {
			fv.SetBytes(data)
			return nil
		}
		if !utf8.Valid(data) {
			return httperr.BadRequest("The request body is not UTF-8 text.")
		}
		fv.SetString(string(data))
	case kindStream:
		if empty {
			if d.body.required {
				return httperr.MissingBody()
			}
			fv.Set(reflect.ValueOf(io.Reader(http.NoBody)))
			return nil
		}
		fv.Set(reflect.ValueOf(io.Reader(LimitBody(r.Body, d.opts.BodyLimit))))
	case kindMultipart:
		if empty {
			if d.body.required {
				return httperr.MissingBody()
			}
			return nil
		}
		m, err := readMultipart(r, params["boundary"], d.opts)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(m))
	}
	return nil
}

// readAll reads the whole body under limit into a new slice.
func readAll(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	size := int64(512)
	if r.ContentLength > 0 {
		size = r.ContentLength
	}
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, httperr.PayloadTooLarge()
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, bodyReadError(err)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// bodyReadError is the answer to a body that could not be read.
func bodyReadError(err error) error {
	if he, ok := err.(*httperr.Error); ok {
		return he
	}
	if _, ok := err.(*http.MaxBytesError); ok {
		return httperr.PayloadTooLarge().WithCause(err)
	}
	// As raw-body answers a body cut short: the cause, which names the
	// connection's addresses, goes to the log only.
	return httperr.BadRequest("request aborted").WithCode("ECONNABORTED").WithCause(err)
}

// LimitBody returns a reader of body that fails, once more than limit
// bytes have been read, with the 413 the error envelope answers
// (httperr's PayloadTooLarge): a body:"stream" field is one, so a
// handler that returns the error of its reads answers 413 for a body
// over the route's limit, whatever it has read so far.
func LimitBody(body io.Reader, limit int64) io.Reader {
	return &limitedBody{r: body, left: limit}
}

type limitedBody struct {
	r    io.Reader
	left int64
	err  error
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	// One byte past the limit tells a body of exactly limit bytes from a
	// longer one.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		l.err = httperr.PayloadTooLarge()
		return int(l.left), l.err
	}
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		err = bodyReadError(err)
		l.err = err
	}
	return n, err
}
