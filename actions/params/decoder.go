package params

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// Decoder fills one handler input type from requests, following the plan
// [Compile] made. It is safe for concurrent use.
type Decoder struct {
	typ, ptr reflect.Type
	opts     Options
	params   []param
	hasQuery bool // a query parameter: parse the query string
	hasForm  bool // a form parameter: read the body as a form or a JSON object
	// requests are the fields tagged context:"req", given the request.
	requests [][]int
	// formLists are the form fields that are lists of scalars, whose
	// arrays a JSON body spreads into one pair per item.
	formLists map[string]bool
	scratch   bool // the body, the query or an object parameter needs a pooled state
	body      bodyPlan
	fields    []Field
	// accepts are the media types the body accepts, for the 415 and the
	// API document; parsers read a typed body's non-JSON types (nil: JSON
	// only, the built-in check), and jsonOK says JSON is one of them.
	accepts []string
	parsers []BodyParser
	jsonOK  bool
	// queryNames are the declared query parameters, and declaredQuery
	// lists them for a message, when Options.RefuseUnknownQuery is set.
	queryNames    map[string]bool
	declaredQuery string
	// fast reads the parameters without reflection when the input has
	// only scalar path and query parameters; nil otherwise.
	fast *fastPlan
}

// Field is one parameter or body property a [Decoder] reads, for the
// OpenAPI generator.
type Field struct {
	// Name is the parameter's name, the body property's JSON name, or the
	// Go name of a body:"json" field.
	Name string
	// In is "path", "query", "header", "cookie", "form" (a field of an
	// application/x-www-form-urlencoded body, or of a JSON body object)
	// or "body".
	In string
	// Type is the field's Go type.
	Type reflect.Type
	// Required is set for path parameters, fields whose validate tag has
	// required, and a required body:"json" field.
	Required bool
	// Index is the field's index path in the input struct, as for
	// reflect.Value.FieldByIndex.
	Index []int
}

// HasBody reports whether the input declares a body, so that Decode reads
// one.
func (d *Decoder) HasBody() bool { return d.body.present }

// Type is the input struct type the decoder was compiled for.
func (d *Decoder) Type() reflect.Type { return d.typ }

// Fields lists the parameters, in declaration order, then the body.
func (d *Decoder) Fields() []Field { return slices.Clone(d.fields) }

var emptyObject = []byte("{}")

// Decode fills dst, a non-nil pointer to the compiled type, from r and the
// router's path parameters. As LoopBack does, it reads the body first (415,
// 413, malformed JSON, prohibited keys), then the parameters in
// declaration order (400 INVALID_PARAMETER_VALUE or
// MISSING_REQUIRED_PARAMETER), then reports the body's validation (422
// VALIDATION_FAILED). A query string over [Options.MaxQueryParams] is
// refused before anything else. Errors are *httperr.Error values.
func (d *Decoder) Decode(r *http.Request, path loomctx.Params, dst any) error {
	if d.fast != nil && d.decodeFast(d.fast, r, path, dst) {
		return nil
	}
	pv := reflect.ValueOf(dst)
	if pv.Type() != d.ptr || pv.IsNil() {
		return httperr.Internal(fmt.Sprintf("params: Decode wants a non-nil %s, got %T", d.ptr, dst))
	}
	v := pv.Elem()
	var st *state
	if d.scratch {
		st = states.Get().(*state)
		defer putState(st)
	}
	// The query's size is checked first: refusing it costs less than
	// reading a body for nothing.
	if d.hasQuery || d.queryNames != nil {
		var err error
		if st.query, err = parseQuery(r.URL.RawQuery, st.query[:0], d.opts.MaxQueryParams); err != nil {
			return err
		}
		if d.queryNames != nil {
			if err := d.checkUnknownQuery(st.query); err != nil {
				return err
			}
		}
	} else if err := checkQuerySize(r.URL.RawQuery, d.opts.MaxQueryParams); err != nil {
		return err
	}
	var body bodyResult
	if d.body.present && d.body.kind != kindJSON {
		if err := d.readOther(r, v); err != nil {
			return err
		}
	} else if d.body.present {
		var err error
		if body, err = d.readBody(r, st, v); err != nil {
			return err
		}
	}
	if d.hasForm {
		if err := d.readForm(r, st); err != nil {
			return err
		}
	}
	for _, idx := range d.requests {
		fieldAlloc(v, idx).Set(reflect.ValueOf(r))
	}
	var query []pair
	if d.hasQuery {
		query = st.query
	}
	for i := range d.params {
		p := &d.params[i]
		pairs := query
		if p.in == inForm {
			pairs = st.form
		}
		var err error
		switch {
		case p.object:
			err = d.object(p, r, st, v)
		case p.elemSet != nil:
			err = d.list(p, r, pairs, v)
		default:
			err = d.scalar(p, r, path, pairs, v)
		}
		if err != nil {
			return err
		}
	}
	if d.body.present && d.body.kind == kindJSON {
		return d.validateBody(v, body)
	}
	return nil
}

// bodyResult is what reading the body found.
type bodyResult struct {
	given   bool             // false for an absent body (no bytes, or null)
	absent  []string         // pointers of properties not sent
	details []httperr.Detail // the scan's: required, type, format, ...
	checked bool             // the decoded value can be validated further
	path    []string         // scratch for the validation's path, pooled
}

// readBody reads, scans and decodes the body.
func (d *Decoder) readBody(r *http.Request, st *state, v reflect.Value) (res bodyResult, err error) {
	parser, err := d.bodyParser(r)
	if err != nil {
		return res, err
	}
	if err := readBody(r, &st.buf, d.opts.BodyLimit); err != nil {
		return res, err
	}
	if st.path == nil {
		st.path = make([]string, 0, 8)
	}
	res.path = st.path[:0]
	data := st.buf.Bytes()
	if parser != nil {
		if data, err = d.parseWith(parser, r, data); err != nil {
			return res, err
		}
	}
	res.given = len(bytes.TrimSpace(data)) > 0
	target := v
	if d.body.whole && res.given {
		target = fieldAlloc(v, d.body.index)
	}
	// One strict pass decodes a good document; only one it refuses is
	// checked and decoded the long way, which words the refusal.
	decoded := res.given && oneJSONPass(d.body.c) && !isNull(data) && decodeStrict(data, target)
	if res.given && !decoded && !json.Valid(data) {
		return res, syntaxError(data)
	}
	if res.given {
		if msg := utf8Message(data); msg != "" {
			return res, utf8Error(msg)
		}
	}
	if res.given && isNull(data) {
		res.given = false
	}
	if d.body.whole {
		target = fieldAlloc(v, d.body.index)
	}
	switch {
	case res.given:
		res.absent, res.details, res.checked, err = d.decodeBody(&st.sc, data, d.body.c, target, decoded)
	case d.body.required:
		err = httperr.MissingBody()
	case d.body.c.kind == kStruct:
		// No body: the fields stay zero, but required properties are
		// still missing, as LoopBack's validation of {} reports them.
		st.sc.reset(emptyObject, d.opts.MaxDepth, nil)
		st.sc.scan(d.body.c)
		res.details, st.sc.details = st.sc.details, nil
		res.absent, st.sc.absent = st.sc.absent, nil
		res.checked = true
	default:
		res.checked = true
	}
	return res, err
}

// validateBody runs the validator rules of the decoded body and reports
// them with the scan's details, all at once as AJV's allErrors does. A
// rule is not run on a property that was not sent, and not reported on a
// value whose type or format was wrong: its decoded value is not the one
// sent.
func (d *Decoder) validateBody(v reflect.Value, body bodyResult) error {
	details := body.details
	if body.checked {
		w := walker{absent: body.absent, path: body.path}
		switch {
		case !d.body.whole:
			w.fields(d.body.c.st, v)
		case body.given || d.body.c.kind == kStruct:
			w.value(d.body.c, fieldAlloc(v, d.body.index), d.body.rules)
		}
		for _, rd := range w.details {
			if !underFailed(rd.Path, body.details) {
				details = append(details, rd)
			}
		}
	}
	if len(details) > 0 {
		return httperr.ValidationFailed(details)
	}
	return nil
}

// underFailed reports whether the value at ptr is, or is inside, a value
// the scan refused (a wrong type, a bad format).
func underFailed(ptr string, scanned []httperr.Detail) bool {
	for _, sd := range scanned {
		switch sd.Code {
		case "type", "format", "maximum", "minimum":
			// The value was not decoded; required, additionalProperties
			// and the like are about an object whose values were.
			if ptr == sd.Path || strings.HasPrefix(ptr, sd.Path+"/") {
				return true
			}
		case "additionalProperties", "duplicateProperty":
			// encoding/json reads keys case-insensitively and keeps the
			// last of duplicates: the property that key folds to may not
			// hold the value the scan checked.
			key, _ := sd.Info[sd.Code[:len(sd.Code)-len("ies")]+"y"].(string)
			rest, ok := strings.CutPrefix(ptr, sd.Path+"/")
			if !ok || key == "" {
				continue
			}
			name, _, _ := strings.Cut(rest, "/")
			if strings.EqualFold(name, escapePointer(key)) {
				return true
			}
		}
	}
	return false
}
