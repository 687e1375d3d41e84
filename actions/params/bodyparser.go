package params

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
)

// A BodyParser reads a request body of the media types it supports into
// the value a typed body (json-tagged fields or a body:"json" field) is
// decoded from, as LoopBack 4's body parsers do. JSON is always read by
// the built-in strict parser; [URLEncodedParser] is built in too; more
// are added with [Options.BodyParsers] (rest.WithBodyParser in an
// application), tried in order before the built-in ones.
type BodyParser interface {
	// Name names the parser, as LoopBack's x-parser does: "urlencoded",
	// "csv".
	Name() string
	// MediaTypes are the media types the parser reads, listed in a 415's
	// message and in the API document's requestBody.
	MediaTypes() []string
	// Supports reports whether the parser reads a body of mediaType,
	// lower case and without parameters (text/csv).
	Supports(mediaType string) bool
	// Parse turns data, the whole body read under the body limit, into
	// the body's value: a json.RawMessage is decoded as a JSON body is;
	// any other value (maps, slices, strings, numbers, booleans, nil) is
	// encoded as JSON, its string leaves first coerced to the target's
	// number and boolean types as a query deep object's are. Either way
	// the strict decode follows: unknown properties, types and validate
	// rules give the same 422 details as a JSON body. An error that is an
	// *httperr.Error is the answer; any other is a 400 naming the parser.
	Parse(r *http.Request, data []byte) (any, error)
}

// URLEncodedParser reads application/x-www-form-urlencoded bodies as a
// query string is read, deep objects included (a[b]=1, a[]=1): the typed
// body is then decoded, validated and refused exactly as JSON is.
func URLEncodedParser() BodyParser { return urlencodedParser{} }

type urlencodedParser struct{}

func (urlencodedParser) Name() string         { return "urlencoded" }
func (urlencodedParser) MediaTypes() []string { return []string{formMediaType} }
func (urlencodedParser) Supports(mt string) bool {
	return mt == formMediaType
}

// Parse builds the tree of the form's pairs: a key given twice is an
// array of its values, a[b]=1 an object, a[]=1 an array, as qs does.
func (urlencodedParser) Parse(r *http.Request, data []byte) (any, error) {
	pairs, err := parseQuery(string(data), nil, maxFormPairs(r))
	if err != nil {
		return nil, err
	}
	return formTree(pairs, defaultMaxDepth, defaultMaxQueryArrayItems)
}

// maxFormPairs caps a form's pairs as a query's are.
func maxFormPairs(*http.Request) int { return defaultMaxQueryParams }

// formTree is the object of a form's pairs.
func formTree(pairs []pair, maxDepth, maxItems int) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		name, _, deep := strings.Cut(p.key, "[")
		if name == "__proto__" {
			return nil, httperr.BadRequest(errProtoKey.Error())
		}
		if deep {
			if _, done := out[name]; done {
				continue
			}
			tree, err := deepObject(pairs, name, maxDepth, maxItems)
			if err != nil {
				var tm *tooManyItems
				if e, ok := err.(*tooManyItems); ok {
					tm = e
					dt := maxItemsDetail(nil, tm.limit)
					dt.Path = "/" + name
					for _, s := range tm.path {
						dt.Path += "/" + escapePointer(s)
					}
					return nil, httperr.ValidationFailed([]httperr.Detail{dt})
				}
				return nil, httperr.BadRequest(err.Error())
			}
			if tree != nil {
				out[name] = tree
			}
			continue
		}
		switch cur := out[name].(type) {
		case nil:
			out[name] = p.val
		case string:
			out[name] = []any{cur, p.val}
		case []any:
			if len(cur) == maxItems {
				dt := maxItemsDetail(nil, maxItems)
				dt.Path = "/" + escapePointer(name)
				return nil, httperr.ValidationFailed([]httperr.Detail{dt})
			}
			out[name] = append(cur, p.val)
		}
	}
	return out, nil
}

// isJSONMediaType reports whether mt, lower case, is application/json or
// a */*+json type.
func isJSONMediaType(mt string) bool {
	typ, sub, ok := strings.Cut(mt, "/")
	return ok && typ != "" && (sub == "json" && typ == "application" || strings.HasSuffix(sub, "+json") && len(sub) > 5)
}

// mediaMatches reports whether mt, lower case and without parameters,
// is one of pattern's types: */*, text/*, or the type itself.
func mediaMatches(pattern, mt string) bool {
	if pattern == "*/*" || pattern == mt {
		return true
	}
	if typ, ok := strings.CutSuffix(pattern, "/*"); ok {
		t, _, _ := strings.Cut(mt, "/")
		return t == typ
	}
	return pattern == "application/json" && isJSONMediaType(mt)
}

// bodyParser picks the parser of a typed body's request: nil for JSON,
// which the strict parser reads, else the route's first parser that
// supports the media type; a type none reads is a 415 listing the
// route's types. The JSON check comes first and allocates nothing.
func (d *Decoder) bodyParser(r *http.Request) (BodyParser, error) {
	if d.parsers == nil {
		return nil, checkContentType(r)
	}
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return nil, httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported content encoding %q.", enc).
			WithCode(httperr.CodeUnsupportedMediaType)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		if d.jsonOK {
			return nil, nil
		}
		return nil, httperr.UnsupportedMediaType("application/json", d.accepts)
	}
	mt, params, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if d.jsonOK && isJSONMediaType(mt) {
		return nil, checkCharset(params)
	}
	for _, p := range d.parsers {
		if p.Supports(mt) {
			return p, nil
		}
	}
	return nil, httperr.UnsupportedMediaType(mt, d.accepts)
}

// parseWith runs p over data and returns the JSON document the strict
// decode reads.
func (d *Decoder) parseWith(p BodyParser, r *http.Request, data []byte) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var v any
	var err error
	if _, ok := p.(urlencodedParser); ok {
		// The built-in form parser caps pairs, depth and arrays as the
		// route caps its query.
		var pairs []pair
		if pairs, err = parseQuery(string(data), nil, d.opts.MaxQueryParams); err == nil {
			v, err = formTree(pairs, d.opts.MaxDepth, d.opts.MaxQueryArrayItems)
		}
	} else {
		v, err = p.Parse(r, data)
	}
	if err != nil {
		if _, ok := err.(*httperr.Error); ok {
			return nil, err
		}
		return nil, httperr.BadRequest(fmt.Sprintf("The %s body cannot be parsed: %v", p.Name(), err)).WithCause(err)
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	c := d.body.c
	v = coerceLeaves(c, wrapLists(c, v))
	out, err := json.Marshal(v)
	if err != nil {
		return nil, httperr.BadRequest(fmt.Sprintf("The %s body cannot be parsed: %v", p.Name(), err)).WithCause(err)
	}
	return out, nil
}

// wrapLists turns a single text value of a list property into a list of
// one, as a form sends one item of a list (tags=a) like any other value.
func wrapLists(c *codec, tree any) any {
	c = derefCodec(c)
	m, ok := tree.(map[string]any)
	if !ok || c.kind != kStruct {
		return tree
	}
	for k, v := range m {
		i, ok := c.st.byName[k]
		if !ok {
			continue
		}
		fc := derefCodec(c.st.fields[i].c)
		if s, isText := v.(string); isText && (fc.kind == kSlice || fc.kind == kArray) {
			m[k] = []any{s}
		}
	}
	return tree
}

// compileConsumes settles the media types the route's body accepts, from
// its kind, the parsers and the route's own list (Options.Consumes),
// which must name only types something reads.
func (d *Decoder) compileConsumes() error {
	var readable []string
	switch d.body.kind {
	case kindJSON:
		readable = []string{"application/json"}
		parsers := append(slices.Clone(d.opts.BodyParsers), URLEncodedParser())
		for _, p := range parsers {
			readable = append(readable, p.MediaTypes()...)
		}
		d.jsonOK = true
		if len(d.opts.Consumes) > 0 {
			d.jsonOK = false
			var used []BodyParser
			for _, mt := range d.opts.Consumes {
				mt = strings.ToLower(mt)
				ok := false
				if isJSONMediaType(mt) {
					d.jsonOK, ok = true, true
				}
				for _, p := range parsers {
					if p.Supports(mt) {
						ok = true
						if !slices.Contains(used, p) {
							used = append(used, p)
						}
					}
				}
				if !ok {
					return fmt.Errorf("consumes %q, which no body parser reads (they read %s)", mt, strings.Join(readable, ", "))
				}
			}
			parsers = used
			readable = lowered(d.opts.Consumes)
		}
		d.parsers = parsers
		if d.parsers == nil {
			d.parsers = []BodyParser{} // not the JSON-only fast path
		}
	case kindText:
		readable = []string{"text/*"}
	case kindRaw, kindStream:
		readable = []string{"*/*"}
	case kindMultipart:
		readable = []string{multipartMediaType}
	}
	if d.body.kind != kindJSON && len(d.opts.Consumes) > 0 {
		for _, mt := range lowered(d.opts.Consumes) {
			if !slices.ContainsFunc(readable, func(p string) bool { return mediaMatches(p, mt) }) {
				return fmt.Errorf("consumes %q, which a body:%q field does not read (it reads %s)",
					mt, kindNames[d.body.kind], strings.Join(readable, ", "))
			}
		}
		readable = lowered(d.opts.Consumes)
	}
	d.accepts = readable
	return nil
}

func lowered(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// Consumes lists the media types the route's body accepts, in the order
// the API document lists them; nil when the input has no body.
func (d *Decoder) Consumes() []string { return slices.Clone(d.accepts) }

// BodyKind says how the body is read: "json" (a typed body, from JSON or
// any body parser), "text", "raw", "stream" or "multipart"; "" when the
// input has no body.
func (d *Decoder) BodyKind() string {
	if !d.body.present {
		return ""
	}
	return kindNames[d.body.kind]
}

// checkMediaType is the 415 of a request whose Content-Type is none of
// the route's (an absent one is accepted when absent is).
func (d *Decoder) checkMediaType(r *http.Request, absentOK bool) (string, map[string]string, error) {
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return "", nil, httperr.Newf(http.StatusUnsupportedMediaType, "Unsupported content encoding %q.", enc).
			WithCode(httperr.CodeUnsupportedMediaType)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		if absentOK {
			return "", nil, nil
		}
		return "", nil, httperr.UnsupportedMediaType("(none)", d.accepts)
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		return "", nil, httperr.UnsupportedMediaType(strings.ToLower(strings.TrimSpace(mt)), d.accepts)
	}
	for _, p := range d.accepts {
		if mediaMatches(p, mt) {
			return mt, params, nil
		}
	}
	return "", nil, httperr.UnsupportedMediaType(mt, d.accepts)
}
