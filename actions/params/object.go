package params

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/internal/jsontree"
)

// object reads a struct, map, any or non-scalar slice parameter: from a
// JSON string (?filter={"limit":2}) or, in the query, from an exploded
// deep object (?filter[limit]=2), which wins when both are given.
func (d *Decoder) object(p *param, r *http.Request, st *state, v reflect.Value) error {
	pairs := st.query
	if p.in == inForm {
		pairs = st.form
	}
	var tree any
	exploded := false
	if p.in == inQuery || p.in == inForm {
		t, err := deepObject(pairs, p.name, d.opts.MaxDepth, d.opts.MaxQueryArrayItems)
		if e, ok := err.(*tooManyItems); ok {
			return httperr.InvalidParameter(p.name, jsonText(p.name+"[…]"), []httperr.Detail{maxItemsDetail(e.path, e.limit)})
		}
		if err != nil {
			return httperr.InvalidParameter(p.name, jsonText(p.name+"[…]"), map[string]any{"syntaxError": err.Error()})
		}
		if t != nil {
			tree, exploded = t, true
		}
	}
	if !exploded {
		s, n, all := p.raw(r, nil, pairs)
		if n == 0 || s == "" || s == "null" {
			if p.required {
				return d.missing(p)
			}
			return nil
		}
		if p.self != nil {
			if n > 1 && (p.in == inQuery || p.in == inForm) {
				return d.invalid(p, jsonText(all))
			}
			if !looksLikeJSON(s) {
				return d.selfText(p, s, v)
			}
		}
		if c := derefCodec(p.c); c.kind == kRaw && !json.Valid([]byte(s)) && reflect.PointerTo(c.t).Implements(textUnmarshalerType) {
			// A type that reads JSON and text takes text that is not JSON
			// as a string: a GeoPoint's ?here=49.28,-123.12.
			tree = s
		} else {
			t, err := d.parseJSONParam(p, s, &st.sc)
			if err != nil {
				return err
			}
			tree = t
		}
	}
	if p.self != nil {
		return d.selfTree(p, tree, v)
	}
	var cv converter
	if !readsTree(p.c, tree, fieldAlloc(v, p.index), &cv) {
		cv.conv(p.c, tree, fieldAlloc(v, p.index))
	}
	if cv.decodeErr != nil {
		return richInvalidParameter(p.name, jsonText(tree), cv.decodeErr)
	}
	if len(cv.details) > 0 {
		return httperr.InvalidParameter(p.name, jsonText(tree), cv.details)
	}
	if p.rules != nil || p.c.nested {
		w := walker{absent: cv.absent}
		w.value(p.c, fieldAlloc(v, p.index), p.rules)
		if len(w.details) > 0 {
			return httperr.InvalidParameter(p.name, jsonText(tree), w.details)
		}
	}
	return nil
}

// parseJSONParam parses a JSON-form parameter into a generic tree, after
// refusing bad JSON, prohibited keys, duplicate keys and too deep nesting.
func (d *Decoder) parseJSONParam(p *param, s string, sc *scanner) (any, error) {
	data := []byte(s)
	if !json.Valid(data) {
		return nil, httperr.InvalidParameter(p.name, jsonText(s), map[string]any{"syntaxError": syntaxMessage(data)})
	}
	if msg := utf8Message(data); msg != "" {
		return nil, httperr.InvalidParameter(p.name, jsonText(strings.ToValidUTF8(s, "\ufffd")), map[string]any{"syntaxError": msg})
	}
	sc.reset(data, d.opts.MaxDepth, d.opts.ProhibitedKeys)
	sc.maxItems = d.opts.MaxQueryArrayItems
	sc.scan(nil)
	if sc.over {
		d := maxItemsDetail(nil, sc.maxItems)
		d.Path = sc.overItems
		return nil, httperr.InvalidParameter(p.name, jsonText(s), []httperr.Detail{d})
	}
	if sc.fatal != "" {
		return nil, httperr.InvalidParameter(p.name, jsonText(s), map[string]any{"syntaxError": sc.fatal})
	}
	if len(sc.details) > 0 {
		details := sc.details
		sc.details = nil
		return nil, httperr.InvalidParameter(p.name, jsonText(s), details)
	}
	// The scan has checked the document: it is read once more, into the
	// tree a json.Decoder with UseNumber gives, without checking again.
	tb := treeBuilder{data: data}
	return tb.value(), nil
}

// readsTree stores tree in dst, of codec c, when c is (a pointer to) a
// type that reads the tree itself: a repository filter or where clause,
// which would otherwise be handed the tree's JSON and parse it again. Its
// error is reported as converter.raw reports an UnmarshalJSON's.
func readsTree(c *codec, tree any, dst reflect.Value, cv *converter) bool {
	base := derefCodec(c)
	if base.kind != kRaw || base.t == rawMessageType || jsontree.Reads == nil || !jsontree.Reads(base.t) {
		return false
	}
	if tree == nil {
		return c.kind == kPtr // as conv leaves a nil pointer
	}
	for c.kind == kPtr {
		ptr := reflect.New(c.t.Elem())
		dst.Set(ptr)
		dst, c = ptr.Elem(), c.elem
	}
	if c.kind != kRaw {
		return false // unreachable: derefCodec follows pointers only
	}
	if err := jsontree.Decode(dst.Addr().Interface(), tree); err != nil {
		if isRich(err) {
			cv.decodeErr = err
			return true
		}
		cv.fail(httperr.Detail{Path: "", Code: "format", Message: err.Error(), Info: map[string]any{}})
	}
	return true
}

// treeBuilder reads a JSON document the scanner has checked into a
// generic tree: map[string]any, []any, json.Number, string, bool, nil.
// The document has no duplicate keys (the scan refuses them), so the tree
// is the one encoding/json would give.
type treeBuilder struct {
	data []byte
	pos  int
}

func (t *treeBuilder) ws() {
	for t.pos < len(t.data) {
		switch t.data[t.pos] {
		case ' ', '\t', '\n', '\r':
			t.pos++
		default:
			return
		}
	}
}

func (t *treeBuilder) value() any {
	t.ws()
	switch t.data[t.pos] {
	case '{':
		t.pos++
		obj := map[string]any{}
		for {
			t.ws()
			if t.data[t.pos] == '}' {
				t.pos++
				return obj
			}
			if t.data[t.pos] == ',' {
				t.pos++
				t.ws()
			}
			k := t.str()
			t.ws()
			t.pos++ // :
			obj[k] = t.value()
		}
	case '[':
		t.pos++
		arr := []any{}
		for {
			t.ws()
			if t.data[t.pos] == ']' {
				t.pos++
				return arr
			}
			if t.data[t.pos] == ',' {
				t.pos++
			}
			arr = append(arr, t.value())
		}
	case '"':
		return t.str()
	case 't':
		t.pos += 4
		return true
	case 'f':
		t.pos += 5
		return false
	case 'n':
		t.pos += 4
		return nil
	}
	start := t.pos
	for t.pos < len(t.data) {
		switch b := t.data[t.pos]; {
		case b >= '0' && b <= '9', b == '-', b == '+', b == '.', b == 'e', b == 'E':
			t.pos++
			continue
		}
		break
	}
	return json.Number(t.data[start:t.pos])
}

// str reads a string token, unescaped.
func (t *treeBuilder) str() string {
	t.pos++ // opening quote
	start, esc := t.pos, false
	for t.data[t.pos] != '"' {
		if t.data[t.pos] == '\\' {
			esc = true
			t.pos++
		}
		t.pos++
	}
	raw := t.data[start:t.pos]
	t.pos++
	return textOf(raw, esc)
}
