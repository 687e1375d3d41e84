package params

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// strictBody applies LoopBack's strict setting to a body:"json" field of
// type t, compiled to c: the setting of t's model (repository.StrictModel),
// or opts.Strict when the route overrides it. A non-strict body accepts
// properties its struct does not declare into the struct's catch-all field
// (loom:"extra"), so c is returned as a copy whose struct plan knows it; a
// non-strict body without a catch-all field is an error, since what the
// client sent would be dropped.
func strictBody(c *codec, t reflect.Type, override *bool, where string) (*codec, error) {
	base := derefCodec(c)
	if base.kind != kStruct {
		if override != nil {
			return nil, fmt.Errorf("%s: the route's strict setting applies to a struct body, not %v, which follows its model's", where, t)
		}
		return c, nil
	}
	strict, extra, err := repository.UnknownProperties(base.t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if override != nil {
		strict = *override
	}
	if strict {
		return c, nil
	}
	if extra == nil {
		return nil, fmt.Errorf("%s: the route accepts properties %v does not declare (strict: false), but %v has no field to keep them "+
			"and they would be lost: add a field Extra repository.Data tagged json:\"-\" loom:\"extra\"", where, base.t, base.t)
	}
	st := *base.st
	st.extra = extra
	open := *base
	open.st = &st
	if c.kind == kPtr {
		ptr := *c
		ptr.elem = &open
		return &ptr, nil
	}
	return &open, nil
}

// splitExtra splits the JSON object data of a non-strict struct into the
// object of its declared properties, for encoding/json (which would match
// an unknown "TITLE" to title), and the properties it does not declare.
// The scanner has refused prohibited keys and checked every value.
func splitExtra(data []byte, st *structCodec) (known []byte, extra repository.Data, details []httperr.Detail) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return data, nil, nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return data, nil, nil
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return data, nil, nil
		}
		if _, declared := st.byName[key]; declared {
			if b.Len() > 1 {
				b.WriteByte(',')
			}
			b.WriteString(jsonText(key))
			b.WriteByte(':')
			b.Write(val)
			continue
		}
		if extra == nil {
			extra = repository.Data{}
		}
		if _, dup := extra[key]; dup {
			details = append(details, duplicateDetail(nil, key))
			continue
		}
		extra[key] = val
	}
	b.WriteByte('}')
	return b.Bytes(), extra, details
}

// setExtra stores extra in the catch-all field of the struct at v (a
// struct, or a pointer to one, which decoding has allocated).
func setExtra(v reflect.Value, st *structCodec, extra repository.Data) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	fieldAlloc(v, st.extra).Set(reflect.ValueOf(extra))
}
