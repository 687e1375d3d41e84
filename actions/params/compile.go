package params

import (
	"errors"
	"fmt"
	"net/textproto"
	"reflect"
	"strings"
)

// param is the compiled plan of one path, query, header or cookie field.
type param struct {
	name     string
	in       source
	key      string // canonical header key
	index    []int
	c        *codec
	set      setter // scalar or pointer to scalar
	elemSet  setter // slice of scalars: one element
	object   bool   // struct, map, any, slice of non-scalars: JSON or deep object
	emptyOK  bool   // "" is a value (strings), not an invalid one
	required bool
	rules    checks // nil: none to run
	// self is, for a struct parameter that reads itself (UnmarshalText or
	// UnmarshalJSON) on a remote-args route, a codec of its fields that
	// ignores those methods, for deep-object and JSON-object forms.
	self *codec
}

// bodyPlan is how the body is read: the whole of it into one field
// (body:"json"), or its properties into the json-tagged fields.
type bodyPlan struct {
	present  bool
	whole    bool
	kind     bodyKind
	index    []int  // the body:"json" field
	goName   string // its Go name
	c        *codec // the field's codec, or a struct codec over the input's json fields
	required bool
	rules    checks // nil: none to run
}

// Compile builds the decoding plan of in, the handler's input struct type:
// which fields are parameters, which the body, how each is read and
// validated. All reflection on in happens here; [Decoder.Decode] follows
// the plan. It fails, naming the field, on a type a tag cannot be read
// into, two body sources, a path parameter of a non-scalar type, a
// parameter declared twice or an unknown validate rule.
func Compile(in reflect.Type, opts Options) (*Decoder, error) {
	if in == nil || in.Kind() != reflect.Struct {
		return nil, fmt.Errorf("params: input type %v is not a struct", in)
	}
	d := &Decoder{typ: in, ptr: reflect.PointerTo(in), opts: opts.withDefaults()}
	b := &builder{d: d, cs: codecs{}, root: &structCodec{byName: map[string]int{}}, seen: map[string]bool{}}
	if err := b.walk(in, nil, in.Name()); err != nil {
		return nil, fmt.Errorf("params: %w", err)
	}
	if err := b.finish(); err != nil {
		return nil, fmt.Errorf("params: %w", err)
	}
	d.fast = compileFast(d)
	return d, nil
}

type builder struct {
	d       *Decoder
	cs      codecs
	root    *structCodec // the json-tagged fields of the input
	seen    map[string]bool
	untaged []reflect.StructField // exported fields encoding/json would also see
}

func (b *builder) walk(t reflect.Type, index []int, where string) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		fwhere := where + "." + sf.Name
		src, name, err := sourceOf(sf)
		if err != nil {
			return fmt.Errorf("%s: %w", fwhere, err)
		}
		_, hasJSON := sf.Tag.Lookup("json")
		jname, opts, _ := jsonName(sf)
		if src != "" && hasJSON && jname != "-" {
			return fmt.Errorf("%s: both a %s parameter and a json body field; tag it json:\"-\"", fwhere, src)
		}
		switch {
		case src == "" && !hasJSON && sf.Anonymous:
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				if !sf.IsExported() {
					return fmt.Errorf("%s: an unexported embedded pointer cannot be filled", fwhere)
				}
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := b.walk(ft, idx, fwhere); err != nil {
					return err
				}
			}
		case !sf.IsExported():
			if src != "" || hasJSON && jname != "-" {
				return fmt.Errorf("%s: an unexported field cannot be a parameter or a body field", fwhere)
			}
		case src == "body":
			if err := b.wholeBody(sf, idx, name, fwhere); err != nil {
				return err
			}
		case src == "context":
			if err := b.contextField(sf, idx, name, fwhere); err != nil {
				return err
			}
			if !hasJSON {
				b.untaged = append(b.untaged, sf)
			}
		case src != "":
			if err := b.param(sf, idx, src, name, fwhere); err != nil {
				return err
			}
			if !hasJSON {
				b.untaged = append(b.untaged, sf)
			}
		case hasJSON && jname != "-":
			if err := addField(b.cs, b.root, sf, idx, jname, opts, where); err != nil {
				return err
			}
		case !hasJSON:
			b.untaged = append(b.untaged, sf)
		}
	}
	return nil
}

// sourceOf reads the one parameter or body tag of sf.
func sourceOf(sf reflect.StructField) (src, name string, err error) {
	for _, tag := range [...]string{"path", "query", "header", "cookie", "form", "body", "context"} {
		v, ok := sf.Tag.Lookup(tag)
		if !ok {
			continue
		}
		if src != "" {
			return "", "", fmt.Errorf("tagged both %s and %s", src, tag)
		}
		if v == "" {
			return "", "", fmt.Errorf("%s tag without a name", tag)
		}
		src, name = tag, v
	}
	return src, name, nil
}

func (b *builder) wholeBody(sf reflect.StructField, idx []int, name, where string) error {
	if name != "json" {
		return b.otherBody(sf, idx, name, where)
	}
	if b.d.body.present {
		return fmt.Errorf("%s: a second body:\"json\" field", where)
	}
	c, err := b.cs.of(sf.Type, where)
	if err != nil {
		return err
	}
	if c, err = strictBody(c, sf.Type, b.d.opts.Strict, where); err != nil {
		return err
	}
	r, err := compileRules(c, sf.Tag.Get("validate"), where)
	if err != nil {
		return err
	}
	b.d.body = bodyPlan{present: true, whole: true, index: idx, goName: sf.Name, c: c, required: r.Required, rules: checked(r)}
	return nil
}

func (b *builder) param(sf reflect.StructField, idx []int, src, name, where string) error {
	in := map[string]source{"path": inPath, "query": inQuery, "header": inHeader, "cookie": inCookie, "form": inForm}[src]
	key := src + ":" + name
	if in == inHeader {
		key = src + ":" + textproto.CanonicalMIMEHeaderKey(name)
	}
	if b.seen[key] {
		return fmt.Errorf("%s: %s parameter %q declared twice", where, src, name)
	}
	b.seen[key] = true
	c, err := b.cs.of(sf.Type, where)
	if err != nil {
		return err
	}
	if c.kind == kNullable {
		return fmt.Errorf("%s: a %s parameter is sent or not, never null: declare it %v or a pointer to it, not %v",
			where, src, c.elem.t, sf.Type)
	}
	r, err := compileRules(c, sf.Tag.Get("validate"), where)
	if err != nil {
		return err
	}
	p := param{name: name, in: in, index: idx, c: c, required: r.Required || in == inPath, rules: checked(r)}
	if in == inHeader {
		p.key = textproto.CanonicalMIMEHeaderKey(name)
	}
	base := derefCodec(c)
	if b.d.opts.RemoteArgs && (base.kind == kText || base.kind == kRaw) && base.t.Kind() == reflect.Struct && c.kind != kSlice {
		if in == inPath {
			return fmt.Errorf("%s: a path parameter must be a scalar, not %s", where, sf.Type)
		}
		self, err := selfCodec(b.cs, base.t, where)
		if err != nil {
			return err
		}
		p.self, p.object = self, true
		b.d.params = append(b.d.params, p)
		return nil
	}
	switch {
	case base.scalar():
		p.set = setterOf(c)
		p.emptyOK = base.kind == kString
	case base.kind == kSlice && derefCodec(base.elem).scalar() && (c.kind != kPtr || c.elem == base):
		if in == inPath || in == inCookie {
			return fmt.Errorf("%s: a %s parameter cannot be a list (%s)", where, src, sf.Type)
		}
		p.elemSet = setterOf(base.elem)
	default:
		if in == inPath {
			return fmt.Errorf("%s: a path parameter must be a scalar, not %s", where, sf.Type)
		}
		p.object = true
	}
	b.d.params = append(b.d.params, p)
	return nil
}

func (b *builder) finish() error {
	d := b.d
	if len(b.root.fields) > 0 {
		if d.body.present {
			return errors.New("two body sources: a body:\"json\" field and json-tagged fields")
		}
		rc := &codec{t: d.typ, kind: kStruct, st: b.root}
		b.cs[nil] = rc
		d.body = bodyPlan{present: true, c: rc}
	}
	if d.opts.Strict != nil && (!d.body.whole || d.body.kind != kindJSON) {
		return errors.New("the route's strict setting applies to a body:\"json\" struct field, and the input has none")
	}
	b.cs.settle()
	// encoding/json also sees untagged exported fields under their Go
	// names; one named like a body property would shadow or drop it.
	for _, sf := range b.untaged {
		if _, clash := b.root.byName[sf.Name]; clash {
			return fmt.Errorf("%s.%s: its Go name is the JSON name of a body field; tag it json:\"-\"", d.typ.Name(), sf.Name)
		}
	}
	for _, p := range d.params {
		d.hasForm = d.hasForm || p.in == inForm
		if p.in == inForm && p.elemSet != nil {
			if d.formLists == nil {
				d.formLists = map[string]bool{}
			}
			d.formLists[p.name] = true
		}
	}
	if d.hasForm && (d.body.present || len(b.root.fields) > 0) {
		return errors.New("two body sources: form fields and a JSON body (body:\"json\" or json-tagged fields)")
	}
	for _, p := range d.params {
		d.fields = append(d.fields, Field{Name: p.name, In: sourceNames[p.in], Type: p.c.t, Required: p.required, Index: p.index})
		if p.in == inQuery {
			d.hasQuery = true
		}
		d.scratch = d.scratch || p.object
	}
	if d.opts.RefuseUnknownQuery {
		d.queryNames = map[string]bool{}
		var names []string
		for _, p := range d.params {
			if p.in == inQuery {
				d.queryNames[p.name] = true
				names = append(names, jsonText(p.name))
			}
		}
		if len(names) > 0 {
			d.declaredQuery = " (it declares " + strings.Join(names, ", ") + ")"
		}
	}
	d.scratch = d.scratch || d.hasQuery || d.queryNames != nil || d.body.present || d.hasForm
	if d.body.present {
		if err := d.compileConsumes(); err != nil {
			return err
		}
	} else if len(d.opts.Consumes) > 0 {
		return errors.New("the route consumes " + strings.Join(d.opts.Consumes, ", ") + ", and its input has no body")
	}
	switch {
	case d.body.whole && d.body.kind != kindJSON:
		d.fields = append(d.fields, Field{Name: d.body.goName, In: "body", Type: d.typ.FieldByIndex(d.body.index).Type, Required: d.body.required, Index: d.body.index})
	case d.body.whole:
		d.fields = append(d.fields, Field{Name: d.body.goName, In: "body", Type: d.body.c.t, Required: d.body.required, Index: d.body.index})
	case d.body.present:
		for _, f := range b.root.fields {
			d.fields = append(d.fields, Field{Name: f.name, In: "body", Type: f.c.t, Required: f.required, Index: f.index})
		}
	}
	return nil
}
