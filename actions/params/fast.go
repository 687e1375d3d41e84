package params

import (
	"net/http"
	"reflect"
	"strconv"
	"unsafe"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/internal/reqmem"
)

// fastParam is a scalar path or query parameter of a built-in kind read
// straight into its field: its offset in the input struct, found at
// start-up, takes the place of reflection per request.
type fastParam struct {
	p      *param
	offset uintptr
	kind   reflect.Kind
}

// fastPlan is the plan of an input whose parameters are all fastParams,
// with no body, form or request field: most GET routes. nil when the
// input needs the general path.
type fastPlan struct {
	params []fastParam
	// typ is the type word of a *In in an interface, to check Decode's
	// argument without reflection.
	typ unsafe.Pointer
}

// compileFast returns d's fast plan, or nil.
func compileFast(d *Decoder) *fastPlan {
	if d.body.present || d.hasForm || len(d.requests) > 0 || d.queryNames != nil {
		return nil
	}
	plan := &fastPlan{typ: reqmem.TypeWord(reflect.New(d.typ).Interface())}
	for i := range d.params {
		p := &d.params[i]
		if (p.in != inPath && p.in != inQuery) || p.object || p.elemSet != nil || len(p.index) != 1 {
			return nil
		}
		k := p.c.t.Kind()
		switch p.c.kind {
		case kString, kInt, kUint, kFloat, kBool:
		default:
			return nil
		}
		if k == reflect.Uintptr {
			return nil
		}
		plan.params = append(plan.params, fastParam{p: p, offset: d.typ.Field(p.index[0]).Offset, kind: k})
	}
	return plan
}

// decodeFast reads the parameters of plan into dst when every one is
// present and well formed, reporting whether it did. Anything else (a
// missing, empty, repeated or malformed value, a query over its cap, a
// validation rule's failure) it leaves to the general path, which finds
// the same values and words the error.
func (d *Decoder) decodeFast(plan *fastPlan, r *http.Request, path loomctx.Params, dst any) bool {
	if reqmem.TypeWord(dst) != plan.typ {
		return false
	}
	base := reqmem.DataWord(dst)
	if base == nil {
		return false
	}
	var query []pair
	if d.hasQuery {
		var buf [8]pair // most queries fit: no allocation
		var err error
		if query, err = parseQuery(r.URL.RawQuery, buf[:0], d.opts.MaxQueryParams); err != nil {
			return false
		}
	} else if checkQuerySize(r.URL.RawQuery, d.opts.MaxQueryParams) != nil {
		return false
	}
	var v reflect.Value // the input, for validation rules; made when needed
	for i := range plan.params {
		fp := &plan.params[i]
		s, n, _ := fp.p.raw(r, path, query)
		if n != 1 || s == "" {
			if n == 0 && !fp.p.required {
				continue
			}
			return false
		}
		if !fp.set(unsafe.Add(base, fp.offset), s) {
			return false
		}
		if fp.p.rules != nil {
			if !v.IsValid() {
				v = reflect.NewAt(d.typ, base).Elem()
			}
			var w walker
			w.run(v.Field(fp.p.index[0]), fp.p.rules)
			if len(w.details) > 0 {
				return false
			}
		}
	}
	return true
}

// set parses s into the field at ptr, reporting whether s was well formed.
func (fp *fastParam) set(ptr unsafe.Pointer, s string) bool {
	c := fp.p.c
	switch c.kind {
	case kString:
		*(*string)(ptr) = s
		return true
	case kBool:
		b, ok := parseBool(s)
		*(*bool)(ptr) = b
		return ok
	case kFloat:
		f, ok := parseFloat(s, c.bits)
		if fp.kind == reflect.Float32 {
			*(*float32)(ptr) = float32(f)
		} else {
			*(*float64)(ptr) = f
		}
		return ok
	case kInt:
		n, err := strconv.ParseInt(s, 10, c.bits)
		if err != nil {
			return false
		}
		switch fp.kind {
		case reflect.Int:
			*(*int)(ptr) = int(n)
		case reflect.Int8:
			*(*int8)(ptr) = int8(n)
		case reflect.Int16:
			*(*int16)(ptr) = int16(n)
		case reflect.Int32:
			*(*int32)(ptr) = int32(n)
		default:
			*(*int64)(ptr) = n
		}
		return true
	case kUint:
		n, err := strconv.ParseUint(s, 10, c.bits)
		if err != nil {
			return false
		}
		switch fp.kind {
		case reflect.Uint:
			*(*uint)(ptr) = uint(n)
		case reflect.Uint8:
			*(*uint8)(ptr) = uint8(n)
		case reflect.Uint16:
			*(*uint16)(ptr) = uint16(n)
		case reflect.Uint32:
			*(*uint32)(ptr) = uint32(n)
		default:
			*(*uint64)(ptr) = n
		}
		return true
	}
	return false
}
