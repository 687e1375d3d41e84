package params

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
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
	cv.conv(p.c, tree, fieldAlloc(v, p.index))
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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, httperr.InvalidParameter(p.name, jsonText(s), map[string]any{"syntaxError": err.Error()})
	}
	return tree, nil
}
