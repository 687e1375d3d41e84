package params

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
)

// This file holds what LoopBack 3's remote methods read beyond LoopBack
// 4's parameters: form fields, the request itself, and the coercion of
// strong-remoting (Options.RemoteArgs).

var requestType = reflect.TypeFor[*http.Request]()

// contextField plans a field tagged context:"req", which receives the
// request (strong-remoting's http source req).
func (b *builder) contextField(sf reflect.StructField, idx []int, name, where string) error {
	if name != "req" {
		return fmt.Errorf("%s: context:%q: only context:\"req\" (a *http.Request) is supported; "+
			"the handler's context is the request's loomctx.RequestContext", where, name)
	}
	if sf.Type != requestType {
		return fmt.Errorf("%s: context:\"req\" wants a *http.Request field, not %s", where, sf.Type)
	}
	b.d.requests = append(b.d.requests, idx)
	return nil
}

// formMediaType is the form a form parameter reads besides a JSON object.
const formMediaType = "application/x-www-form-urlencoded"

var formMediaTypes = []string{"application/json", formMediaType}

// readForm reads the body of an input with form parameters into st.form,
// as name=value pairs: an application/x-www-form-urlencoded body as a
// query string is read, or a JSON object (no Content-Type means JSON),
// each top-level property one pair whose value is the text of a JSON
// string or the JSON text of any other value; null properties are left
// out, as absent; a list field's array is one pair per item. The body is
// read under the body limit, its pairs are
// capped as the query's are, a JSON body is checked for depth,
// prohibited keys and duplicates as a JSON parameter is, and it must be
// an object.
func (d *Decoder) readForm(r *http.Request, st *state) error {
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported content encoding %q.", enc).
			WithCode(httperr.CodeUnsupportedMediaType)
	}
	isForm := false
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && strings.EqualFold(mt, formMediaType) {
			isForm = true
		} else if err := checkContentType(r); err != nil {
			if httperr.CodeOf(err) != httperr.CodeUnsupportedMediaType {
				return err // a JSON type with a charset other than UTF-8
			}
			if mt == "" {
				mt = ct
			}
			return httperr.UnsupportedMediaType(mt, formMediaTypes)
		}
	}
	if err := readBody(r, &st.buf, d.opts.BodyLimit); err != nil {
		return err
	}
	data := st.buf.Bytes()
	if isForm {
		var err error
		st.form, err = parseQuery(string(data), st.form[:0], d.opts.MaxQueryParams)
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 || isNull(data) {
		return nil
	}
	if !json.Valid(data) {
		return syntaxError(data)
	}
	if msg := utf8Message(data); msg != "" {
		return utf8Error(msg)
	}
	st.sc.reset(data, d.opts.MaxDepth, d.opts.ProhibitedKeys)
	st.sc.maxItems = d.opts.MaxQueryArrayItems
	st.sc.scan(nil)
	switch {
	case st.sc.over:
		dt := maxItemsDetail(nil, st.sc.maxItems)
		dt.Path = st.sc.overItems
		return httperr.ValidationFailed([]httperr.Detail{dt})
	case st.sc.fatal != "":
		return httperr.BadRequest(st.sc.fatal)
	case len(st.sc.details) > 0:
		details := st.sc.details
		st.sc.details = nil
		return httperr.ValidationFailed(details)
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(data, &props); err != nil {
		return httperr.BadRequest("The request body is not a JSON object.").WithCode(httperr.CodeInvalidParameterValue)
	}
	if len(props) > d.opts.MaxQueryParams {
		return tooManyFormFields(d.opts.MaxQueryParams)
	}
	for k, raw := range props {
		if isNull(raw) {
			continue
		}
		if raw[0] == '[' && d.formLists[k] {
			// A list field's array: one pair per item, as a repeated key.
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) == nil {
				if len(st.form)+len(items) > d.opts.MaxQueryParams {
					return tooManyFormFields(d.opts.MaxQueryParams)
				}
				for _, it := range items {
					st.form = append(st.form, jsonPair(k, it))
				}
				continue
			}
		}
		st.form = append(st.form, jsonPair(k, raw))
	}
	return nil
}

func tooManyFormFields(limit int) error {
	return httperr.BadRequest("The request body has more than " + itoa(limit) + " fields.").
		WithCode(CodeTooManyQueryParameters)
}

// jsonPair is a form field read from a JSON body: a string as its text,
// any other value as its JSON text.
func jsonPair(k string, raw json.RawMessage) pair {
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return pair{key: k, val: s, typed: jsonString}
		}
	}
	return pair{key: k, val: string(raw), typed: jsonOther}
}

// typedMismatch reports whether a form field sent in a JSON body holds a
// JSON type that c does not read: strong-remoting coerces the text of
// query strings and urlencoded forms, but takes JSON values as they are
// typed, so "7" is no number and 7 no string.
func typedMismatch(c *codec, pairs []pair, name string) bool {
	c = derefCodec(c)
	for _, pr := range pairs {
		if pr.key != name {
			continue
		}
		switch c.kind {
		case kInt, kUint, kFloat, kBool:
			if pr.typed == jsonString {
				return true
			}
		case kString:
			if pr.typed == jsonOther {
				return true
			}
		}
	}
	return false
}

// missing is the 400 of an absent required parameter; on a remote-args
// route its details say which and of what type, AJV's required:
//
//	[{"path":"","code":"required","message":"must have required property 'here'",
//	  "info":{"missingProperty":"here","in":"query","type":"object"}}]
func (d *Decoder) missing(p *param) error {
	e := httperr.MissingParameter(p.name)
	if !d.opts.RemoteArgs {
		return e
	}
	dt := requiredDetail(nil, p.name)
	dt.Info["in"], dt.Info["type"] = sourceNames[p.in], p.jsonType()
	return e.WithDetails([]httperr.Detail{dt})
}

// invalid is the 400 of a parameter value that is not of its type; on a
// remote-args route its details say which parameter and what type it
// wants, AJV's type (with the items' type for a list, info.items):
//
//	[{"path":"","code":"type","message":"must be integer",
//	  "info":{"type":"integer","parameter":"hour","in":"query"}}]
func (d *Decoder) invalid(p *param, raw string) error {
	if !d.opts.RemoteArgs {
		return httperr.InvalidParameter(p.name, raw, nil)
	}
	dt := typeDetailAt("", p.jsonType())
	dt.Info["parameter"], dt.Info["in"] = p.name, sourceNames[p.in]
	if p.elemSet != nil {
		dt.Info["items"] = derefCodec(derefCodec(p.c).elem).jsonType()
	}
	return httperr.InvalidParameter(p.name, raw, []httperr.Detail{dt})
}

// jsonType is the JSON type of the parameter's values: "integer",
// "number", "string", "boolean", "array" or "object".
func (p *param) jsonType() string {
	if p.self != nil {
		return "object"
	}
	c := derefCodec(p.c)
	if c.kind == kSlice || c.kind == kArray {
		return "array"
	}
	return c.jsonType()
}

// selfCodec is a codec of struct type t's fields that ignores t's own
// UnmarshalText and UnmarshalJSON methods, to fill t from an object.
func selfCodec(cs codecs, t reflect.Type, where string) (*codec, error) {
	c := &codec{t: t, kind: kStruct, st: &structCodec{byName: map[string]int{}}}
	if err := cs.structFields(c.st, t, nil, where, 0); err != nil {
		return nil, err
	}
	for _, f := range c.st.fields {
		c.nested = c.nested || f.check()
	}
	return c, nil
}

// looksLikeJSON reports whether s is meant as a JSON object or array.
func looksLikeJSON(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '{' || s[0] == '[')
}

// selfTarget allocates the parameter's pointers down to its struct.
func selfTarget(p *param, v reflect.Value) reflect.Value {
	fv := fieldAlloc(v, p.index)
	for fv.Kind() == reflect.Pointer {
		n := reflect.New(fv.Type().Elem())
		fv.Set(n)
		fv = n.Elem()
	}
	return fv
}

// selfText reads a struct parameter that reads itself from plain text
// (?here=49.2,-123.1): by its UnmarshalText, or by its UnmarshalJSON
// given the text as a JSON string.
func (d *Decoder) selfText(p *param, s string, v reflect.Value) error {
	fv := selfTarget(p, v)
	var err error
	switch u := fv.Addr().Interface().(type) {
	case encoding.TextUnmarshaler:
		err = u.UnmarshalText([]byte(s))
	case json.Unmarshaler:
		err = u.UnmarshalJSON([]byte(jsonText(s)))
	}
	if err != nil {
		return richInvalidParameter(p.name, jsonText(s), err)
	}
	return d.selfRules(p, jsonText(s), v, fv, nil)
}

// selfTree fills a struct parameter that reads itself from an object
// tree (deep-object keys or a JSON value). A type with UnmarshalJSON is
// given the JSON of the tree, its text leaves coerced to the types of
// the fields they name where they read as such ("49.2" into a float64
// field is 49.2; "abc" stays "abc"), so that the type's own checks and
// messages (a missing longitude, a latitude out of range) decide. A type
// with UnmarshalText only is filled field by field.
func (d *Decoder) selfTree(p *param, tree any, v reflect.Value) error {
	fv := selfTarget(p, v)
	if u, ok := fv.Addr().Interface().(json.Unmarshaler); ok {
		if err := u.UnmarshalJSON([]byte(jsonText(coerceLeaves(p.self, tree)))); err != nil {
			return richInvalidParameter(p.name, jsonText(tree), err)
		}
		return d.selfRules(p, jsonText(tree), v, fv, nil)
	}
	var cv converter
	cv.conv(p.self, tree, fv)
	if cv.decodeErr != nil {
		return richInvalidParameter(p.name, jsonText(tree), cv.decodeErr)
	}
	if len(cv.details) > 0 {
		return httperr.InvalidParameter(p.name, jsonText(tree), cv.details)
	}
	return d.selfRules(p, jsonText(tree), v, fv, cv.absent)
}

// coerceLeaves returns tree with the text leaves under c's known
// properties turned into numbers or booleans where c's field types want
// them and the text reads as one; anything else is left as it is.
func coerceLeaves(c *codec, tree any) any {
	c = derefCodec(c)
	switch t := tree.(type) {
	case map[string]any:
		if c.kind != kStruct && c.kind != kMap {
			return tree
		}
		out := make(map[string]any, len(t))
		for k, v := range t {
			switch {
			case c.kind == kMap:
				out[k] = coerceLeaves(c.elem, v)
			default:
				if i, ok := c.st.byName[k]; ok {
					out[k] = coerceLeaves(c.st.fields[i].c, v)
				} else {
					out[k] = v
				}
			}
		}
		return out
	case []any:
		if c.kind != kSlice && c.kind != kArray {
			return tree
		}
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = coerceLeaves(c.elem, v)
		}
		return out
	case string:
		switch c.kind {
		case kInt, kUint, kFloat:
			if f, ok := parseFloat(t, 64); ok {
				if n, err := strconv.ParseInt(t, 10, 64); err == nil {
					return json.Number(strconv.FormatInt(n, 10)) // 07 is 7, not a JSON error
				}
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
			}
		case kBool:
			if b, ok := parseBool(t); ok {
				return b
			}
		}
	}
	return tree
}

// selfRules runs the validate rules of the struct's fields, then the
// parameter's own; absent are the pointers of the properties not sent,
// when known.
func (d *Decoder) selfRules(p *param, raw string, v, fv reflect.Value, absent []string) error {
	w := walker{absent: absent}
	w.value(p.self, fv, nil)
	if p.rules != nil {
		w.run(fieldAlloc(v, p.index), p.rules)
	}
	if len(w.details) > 0 {
		return httperr.InvalidParameter(p.name, raw, w.details)
	}
	return nil
}
