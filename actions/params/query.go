package params

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// pair is one decoded name=value of the query string or of a form; from
// a JSON body, typed says which JSON type its value had.
type pair struct {
	key, val string
	typed    jsonKind
}

// jsonKind is the JSON type a form field's value had in a JSON body.
type jsonKind uint8

const (
	untyped    jsonKind = iota // text of a query string or urlencoded form
	jsonString                 // val is a JSON string's text
	jsonOther                  // val is the JSON text of a number, boolean, object or array
)

// CodeTooManyQueryParameters is the code of the 400 for a query string of
// more than [Options.MaxQueryParams] name=value pairs.
const CodeTooManyQueryParameters = "TOO_MANY_QUERY_PARAMETERS"

func tooManyQueryParameters(limit int) error {
	return httperr.BadRequest("The query string has more than " + itoa(limit) + " parameters.").
		WithCode(CodeTooManyQueryParameters)
}

// parseQuery splits a raw query into its pairs, decoding + as space and
// percent escapes (so %5B%5D are brackets), keeping text that does not
// decode as it is. Empty pairs (a&&b) are skipped; at pair max+1 it stops,
// before decoding it, and fails.
func parseQuery(raw string, out []pair, max int) ([]pair, error) {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		if len(out) == max {
			return out, tooManyQueryParameters(max)
		}
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, pair{key: queryUnescape(k), val: queryUnescape(v)})
	}
	return out, nil
}

// checkQuerySize applies the parameter cap to a query the route does not
// read, counting pairs without decoding them, so that the cap holds
// whatever route a request reaches.
func checkQuerySize(raw string, max int) error {
	if len(raw) <= 2*max { // max+1 pairs need max+1 bytes and max separators
		return nil
	}
	n := 0
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		if n == max {
			return tooManyQueryParameters(max)
		}
		n++
	}
	return nil
}

// CodeUnknownQueryParameter is the code of the 400 for a query parameter
// an operation does not declare, when it refuses them
// ([Options.RefuseUnknownQuery]).
const CodeUnknownQueryParameter = "UNKNOWN_QUERY_PARAMETER"

// checkUnknownQuery refuses the first pair whose name, before any
// deep-object brackets, is not a declared query parameter.
func (d *Decoder) checkUnknownQuery(query []pair) error {
	for _, p := range query {
		name := p.key
		if i := strings.IndexByte(name, '['); i > 0 {
			name = name[:i]
		}
		if !d.queryNames[name] {
			name = elide([]string{name})
			return httperr.BadRequest("Unknown query parameter " + jsonText(name) + ": this operation changes every " +
				"instance its parameters select, so it refuses a parameter it does not declare rather than ignore it" +
				d.declaredQuery + ".").
				WithCode(CodeUnknownQueryParameter).
				WithDetails(map[string]any{"parameter": name})
		}
	}
	return nil
}

func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// source is where a parameter is read from.
type source uint8

const (
	inPath source = iota
	inQuery
	inHeader
	inCookie
	inForm
)

var sourceNames = [...]string{inPath: "path", inQuery: "query", inHeader: "header", inCookie: "cookie", inForm: "form"}

// raw finds the text of a parameter: its first value, how many values it
// has, and the values when there are several. query holds the pairs of
// the query string, or of the form for a form parameter.
func (p *param) raw(r *http.Request, path loomctx.Params, query []pair) (first string, n int, all []string) {
	switch p.in {
	case inPath:
		if v, ok := path.Get(p.name); ok {
			return v, 1, nil
		}
	case inQuery, inForm:
		for i := range query {
			if query[i].key != p.name {
				continue
			}
			if n == 0 {
				first = query[i].val
			} else {
				if n == 1 {
					all = append(all, first)
				}
				all = append(all, query[i].val)
			}
			n++
		}
	case inHeader:
		if vs := r.Header[p.key]; len(vs) > 0 {
			return vs[0], len(vs), vs
		}
	case inCookie:
		if c, err := r.Cookie(p.name); err == nil {
			v := c.Value
			if strings.IndexByte(v, '%') >= 0 { // as cookie-parser's decodeURIComponent
				if u, err := url.PathUnescape(v); err == nil {
					v = u
				}
			}
			return v, 1, nil
		}
	}
	return first, n, all
}

// scalar reads a scalar parameter (or a pointer to one) into fv.
func (d *Decoder) scalar(p *param, r *http.Request, path loomctx.Params, query []pair, v reflect.Value) error {
	s, n, all := p.raw(r, path, query)
	if n == 0 || s == "" {
		switch {
		case p.required:
			return d.missing(p)
		case n == 0:
			return nil
		case !p.emptyOK && d.opts.RemoteArgs:
			return nil // strong-remoting: an empty value is no value
		case !p.emptyOK:
			return d.invalid(p, `""`)
		}
	}
	if n > 1 && (p.in == inQuery || p.in == inForm) {
		return d.invalid(p, jsonText(all))
	}
	if p.in == inForm && d.opts.RemoteArgs && typedMismatch(p.c, query, p.name) {
		return d.invalid(p, jsonText(s))
	}
	fv := fieldAlloc(v, p.index)
	if !p.set(fv, s) {
		return d.invalid(p, jsonText(s))
	}
	if p.rules != nil {
		var w walker
		w.run(fv, p.rules)
		if len(w.details) > 0 {
			return httperr.InvalidParameter(p.name, jsonText(s), w.details)
		}
	}
	return nil
}

// list reads a slice of scalars: repeated (?ids=1&ids=2) and comma
// separated (?ids=1,2) values, in order. A single empty value is absent.
func (d *Decoder) list(p *param, r *http.Request, query []pair, v reflect.Value) error {
	s, n, all := p.raw(r, nil, query)
	if n == 1 {
		all = []string{s}
	}
	if n == 0 || n == 1 && s == "" {
		if p.required {
			return d.missing(p)
		}
		return nil
	}
	if p.in == inForm && d.opts.RemoteArgs && typedMismatch(derefCodec(p.c).elem, query, p.name) {
		return d.invalid(p, rawJSON(all))
	}
	count := 0
	for _, s := range all {
		count += strings.Count(s, ",") + 1
	}
	if (p.in == inQuery || p.in == inForm) && count > d.opts.MaxQueryArrayItems {
		return httperr.InvalidParameter(p.name, jsonText(elide(all)), []httperr.Detail{maxItemsDetail(nil, d.opts.MaxQueryArrayItems)})
	}
	fv := fieldAlloc(v, p.index)
	out := fv
	if p.c.kind == kPtr {
		out = reflect.New(p.c.t.Elem()).Elem()
	}
	sl := reflect.MakeSlice(out.Type(), count, count)
	i := 0
	for _, s := range all {
		for part := range strings.SplitSeq(s, ",") {
			if p.in == inHeader {
				part = strings.TrimSpace(part)
			}
			if !p.elemSet(sl.Index(i), part) {
				return d.invalid(p, rawJSON(all))
			}
			i++
		}
	}
	out.Set(sl)
	if p.c.kind == kPtr {
		fv.Set(out.Addr())
	}
	if p.rules != nil {
		var w walker
		w.run(fv, p.rules)
		if len(w.details) > 0 {
			return httperr.InvalidParameter(p.name, rawJSON(all), w.details)
		}
	}
	return nil
}

// elide is a list too long to quote whole in a message: its values
// joined by commas, cut after a few dozen bytes.
func elide(all []string) string {
	const keep = 32
	var b strings.Builder
	for i, s := range all {
		if i > 0 {
			b.WriteByte(',')
		}
		if b.Len()+len(s) > keep {
			b.WriteString(s[:keep-b.Len()])
			return strings.ToValidUTF8(b.String(), "") + "…"
		}
		b.WriteString(s)
	}
	return b.String()
}

// rawJSON is the JSON of a parameter's values: a string for one, an array
// for several.
func rawJSON(all []string) string {
	if len(all) == 1 {
		return jsonText(all[0])
	}
	return jsonText(all)
}
