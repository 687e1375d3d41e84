package rules

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Plan is the compiled rules of a struct type: its JSON properties, as
// encoding/json names them, each with its rules.
type Plan struct {
	// Type is the struct type.
	Type reflect.Type
	// Fields are its JSON properties in field order; embedded structs
	// without a JSON name are flattened, json:"-" fields left out.
	Fields []*Field
	// Checks are the compiled validations the type declares (see
	// [Validator]), in the order declared; each is on its field too.
	Checks []*Check

	byName map[string]*Field
}

// Field is one JSON property of a [Plan].
type Field struct {
	// Name is the JSON name.
	Name string
	// GoName is the Go field's name.
	GoName string
	// Index is the field's index path, as for reflect.Value.FieldByIndex.
	Index []int
	// Type is the field's Go type.
	Type reflect.Type
	// Rules are the compiled validate tag; never nil.
	Rules *Rules
	// Plan is the plan of the structs the field holds, through pointers,
	// lists and maps; nil when it holds none.
	Plan *Plan
	// Quoted is set by the json tag's string option on a number, bool or
	// string: the value is written as a JSON string.
	Quoted bool
	// Checks are the property's compiled validations (see [Validator]),
	// in the order declared.
	Checks []*Check
}

// Field returns the property named name (case-sensitive), or nil.
func (p *Plan) Field(name string) *Field { return p.byName[name] }

type planEntry struct {
	p   *Plan
	err error
}

var (
	plans   sync.Map // reflect.Type → planEntry
	planMu  sync.Mutex
	pending map[reflect.Type]*Plan // plans being built, for recursive types
)

// Of returns the plan of struct type t (pointers looked through),
// compiled on the first call and cached. Its errors name the field and
// the rule: an unknown rule, a cross-field rule, a rule on a kind it
// means nothing on, two properties of one name.
func Of(t reflect.Type) (*Plan, error) {
	t = deref(t)
	if e, ok := plans.Load(t); ok {
		return e.(planEntry).p, e.(planEntry).err
	}
	planMu.Lock()
	defer planMu.Unlock()
	if e, ok := plans.Load(t); ok {
		return e.(planEntry).p, e.(planEntry).err
	}
	pending = map[reflect.Type]*Plan{}
	defer func() { pending = nil }()
	p, err := build1(t)
	if err != nil {
		plans.Store(t, planEntry{nil, err})
		return nil, err
	}
	for pt, pp := range pending {
		plans.Store(pt, planEntry{pp, nil})
	}
	return p, nil
}

// build1 builds the plan of t, under planMu.
func build1(t reflect.Type) (*Plan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("rules: %v is not a struct", t)
	}
	if e, ok := plans.Load(t); ok {
		return e.(planEntry).p, e.(planEntry).err
	}
	if p, ok := pending[t]; ok {
		return p, nil
	}
	p := &Plan{Type: t, byName: map[string]*Field{}}
	pending[t] = p
	if err := p.add(t, nil); err != nil {
		return nil, err
	}
	if err := p.compileValidations(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Plan) add(t reflect.Type, index []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		jtag, hasJSON := sf.Tag.Lookup("json")
		name, opts, _ := strings.Cut(jtag, ",")
		if sf.Anonymous && (!hasJSON || name == "") {
			if ft := deref(sf.Type); ft.Kind() == reflect.Struct {
				if err := p.add(ft, idx); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() || jtag == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		where := p.Type.Name() + "." + sf.Name
		if p.Type.Name() == "" {
			where = sf.Name
		}
		r, err := Compile(sf.Type, sf.Tag.Get("validate"))
		if err != nil {
			return fmt.Errorf("field %s: %w", where, err)
		}
		if r.Kind == KindStruct && len(r.Own) > 0 {
			return fmt.Errorf("field %s: validate %q: a struct takes no rules but required; tag its fields", where, sf.Tag.Get("validate"))
		}
		f := &Field{Name: name, GoName: sf.Name, Index: idx, Type: sf.Type, Rules: r}
		switch _, nullable := NullableElem(sf.Type); {
		case nullable: // encoding/json's string option applies to scalars alone
		case r.Kind == KindString, r.Kind == KindInteger, r.Kind == KindNumber, r.Kind == KindBoolean:
			f.Quoted = slices.Contains(strings.Split(opts, ","), "string")
		}
		if st := structIn(sf.Type); st != nil {
			if f.Plan, err = build1(st); err != nil {
				return err
			}
		}
		if old := p.byName[name]; old != nil {
			switch {
			case len(old.Index) == len(idx):
				return fmt.Errorf("field %s: JSON name %q is used twice at one depth", where, name)
			case len(old.Index) < len(idx):
				continue // the shallower field wins, as in encoding/json
			}
			for j, g := range p.Fields {
				if g == old {
					p.Fields = append(p.Fields[:j], p.Fields[j+1:]...)
					break
				}
			}
		}
		p.byName[name] = f
		p.Fields = append(p.Fields, f)
	}
	return nil
}

// structIn is the struct type values of t hold, through pointers, lists
// and maps, or nil.
func structIn(t reflect.Type) reflect.Type {
	for {
		t = deref(t)
		switch KindOf(t) {
		case KindStruct:
			return t
		case KindArray, KindMap:
			t = t.Elem()
		default:
			return nil
		}
	}
}

// Validate runs the rules of every field of v, a struct of p's type (or a
// pointer to one), and of the structs it holds, and returns a detail per
// failure, all of them, with paths below path. skip, when not nil, is
// asked for each property's pointer: true leaves the property out, as
// LoopBack validates only the properties sent.
func (p *Plan) Validate(v reflect.Value, path string, skip func(pointer string) bool) []Detail {
	return p.validate(v, path, skip, nil)
}

func (p *Plan) validate(v reflect.Value, path string, skip func(string) bool, out []Detail) []Detail {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return out
		}
		v = v.Elem()
	}
	for _, f := range p.Fields {
		fv, ok := fieldByIndex(v, f.Index)
		if !ok {
			continue
		}
		fp := Pointer(path, f.Name)
		if skip != nil && skip(fp) {
			continue
		}
		out = f.Rules.Check(fv, fp, out)
		if f.Plan != nil {
			out = f.Plan.nested(fv, fp, skip, out)
		}
	}
	return out
}

// nested validates the structs of p's type that v holds.
func (p *Plan) nested(v reflect.Value, path string, skip func(string) bool, out []Detail) []Detail {
	v, ok := indirect(v)
	if !ok {
		return out
	}
	switch v.Kind() {
	case reflect.Struct:
		return p.validate(v, path, skip, out)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = p.nested(v.Index(i), path+"/"+strconv.Itoa(i), skip, out)
		}
	case reflect.Map:
		for _, k := range sortedKeys(v) {
			out = p.nested(v.MapIndex(k), Pointer(path, keyText(k)), skip, out)
		}
	}
	return out
}

// fieldByIndex is v.FieldByIndex that reports false at a nil embedded
// pointer instead of panicking.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
