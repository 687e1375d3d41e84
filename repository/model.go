package repository

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/loomhq/loom/repository/rules"
)

// Kind is the JSON type of a property, which decides how filter values are
// coerced and compared.
type Kind uint8

// The kinds of properties.
const (
	KindAny    Kind = iota // interface{}: any JSON value, compared as is
	KindString             // string, []byte, encoding.TextMarshaler types
	KindInt                // signed and unsigned integers
	KindFloat              // float32, float64
	KindBool               // bool
	KindTime               // time.Time, as RFC 3339 text
	KindObject             // structs and maps
	KindArray              // slices and arrays
)

// KindGeoPoint is a [GeoPoint] property: stored as {"lat", "lng"},
// queried with near.
const KindGeoPoint = KindArray + 1

var kindNames = [...]string{KindAny: "any", KindString: "string", KindInt: "integer", KindFloat: "number",
	KindBool: "boolean", KindTime: "date-time", KindObject: "object", KindArray: "array",
	KindGeoPoint: "geopoint"}

// String is the kind's JSON-schema name: string, integer, number, ...
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Property is one property of a model: a field of the entity struct.
type Property struct {
	// Name is the property's JSON name, from the json tag (or, for hidden
	// properties, the loom tag's name= option or the lower-camel field name).
	Name string
	// Field is the Go field's name.
	Field string
	// Type is the field's Go type.
	Type reflect.Type
	// Kind is its JSON kind (pointers and [Nullable] are looked through).
	Kind Kind
	// Nullable marks a [Nullable] property: absent, null or a value of
	// Kind. Stores keep its null as null, and a request body may send it.
	Nullable bool
	// ID marks the id property.
	ID bool
	// Generated marks an id the store assigns (loom:"id,generated").
	Generated bool
	// Required is set by validate:"required": a create or replace must
	// give it, not null and, for strings, not empty.
	Required bool
	// Hidden properties are stored but never written by encoding/json, so
	// never returned to clients (loom:"hidden" with json:"-").
	Hidden bool
	// Rules are the field's validate rules other than required.
	Rules string

	index []int
}

// Model is the metadata of an entity type, computed once per type by
// [ModelOf] from its struct tags.
type Model struct {
	// Name is the model's name: the type's, or what its ModelName method
	// returns (see [ModelNamer]).
	Name string
	// Type is the entity's struct type.
	Type reflect.Type
	// Properties are the model's properties in field order.
	Properties []*Property
	// ID is the id property.
	ID *Property
	// Limits caps the filters run against the model; zero fields take
	// [DefaultLimits].
	Limits Limits
	// Strict is LoopBack's strict setting. A strict model (the default)
	// refuses properties it does not declare; a model whose ModelStrict
	// method returns false (see [StrictModel]) accepts them, stores them
	// and returns them, keeping them in its catch-all field.
	Strict bool

	byName map[string]*Property
	// extra is the index of the catch-all field (loom:"extra"), which
	// holds the properties the model does not declare; nil when none.
	extra []int
	// rels are the relations its navigational fields declare.
	rels relationSet
	// valid are its validations (see validate.go); nil when it declares
	// none.
	valid *validation
}

// Property returns the property named name, or nil.
func (m *Model) Property(name string) *Property { return m.byName[name] }

// ModelNamer is implemented by entities that choose their model's name.
type ModelNamer interface{ ModelName() string }

// StrictModel is implemented by entities that choose LoopBack's strict
// setting. An entity whose ModelStrict returns false accepts properties it
// does not declare: request bodies keep them, the repository stores them
// and answers carry them, beside the declared ones. It must hold them in a
// catch-all field of type [Data], tagged json:"-" and loom:"extra":
//
//	type Note struct {
//		ID    int             `json:"id,omitempty" loom:"id,generated"`
//		Title string          `json:"title"`
//		Extra repository.Data `json:"-" loom:"extra"`
//	}
//
//	func (Note) ModelStrict() bool { return false }
//
// A strict model may have a catch-all field too: a route that accepts
// unknown properties for that model alone (controller.Strict(false)) keeps
// them there. The SQL connectors store declared properties only, in their
// columns, and refuse a non-strict model.
type StrictModel interface{ ModelStrict() bool }

// LimitsProvider is implemented by entities whose filters have their own
// caps; zero fields take [DefaultLimits].
type LimitsProvider interface{ FilterLimits() Limits }

type modelEntry struct {
	m   *Model
	err error
}

var models sync.Map // reflect.Type → modelEntry

// ModelOf returns the metadata of entity type T, computed from its tags on
// the first call and cached. T must be a struct with one id property:
//
//	type Todo struct {
//		ID       int     `json:"id,omitempty" loom:"id,generated"`
//		Title    string  `json:"title" validate:"required"`
//		Desc     *string `json:"desc,omitempty"`
//		Password string  `json:"-" loom:"hidden"`
//	}
//
// The loom tag holds comma-separated options: id (the id property),
// generated (the store assigns the id), hidden (stored, never returned;
// the field must be tagged json:"-"), and name=<n> (a hidden property's
// stored name; by default the field name with its first letter
// lower-cased). A field tagged loom:"extra" is no property: it keeps the
// properties a non-strict model does not declare (see [StrictModel]).
func ModelOf[T any]() (*Model, error) {
	return modelOfType(reflect.TypeFor[T]())
}

func modelOfType(t reflect.Type) (*Model, error) {
	if e, ok := models.Load(t); ok {
		return e.(modelEntry).m, e.(modelEntry).err
	}
	m, err := buildModel(t)
	if err != nil {
		err = fmt.Errorf("repository: model %v: %w", t, err)
	}
	e, _ := models.LoadOrStore(t, modelEntry{m, err})
	return e.(modelEntry).m, e.(modelEntry).err
}

func buildModel(t reflect.Type) (*Model, error) {
	if t == nil || t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("an entity must be a struct, not %v", t)
	}
	m := &Model{Name: t.Name(), Type: t, Strict: true, byName: map[string]*Property{}}
	zero := reflect.New(t).Elem().Interface()
	if n, ok := zero.(ModelNamer); ok && n.ModelName() != "" {
		m.Name = n.ModelName()
	}
	if lp, ok := zero.(LimitsProvider); ok {
		m.Limits = lp.FilterLimits()
	}
	if err := addProperties(m, t, nil); err != nil {
		return nil, err
	}
	if m.ID == nil {
		return nil, fmt.Errorf(`no id property: tag one field loom:"id"`)
	}
	// The validate tags compile now, so that a bad rule fails at start-up.
	plan, err := rules.Of(t)
	if err != nil {
		return nil, err
	}
	if len(plan.Checks) > 0 {
		m.valid = newValidation(m, plan)
	}
	strict, err := strictOf(t, m.extra)
	if err != nil {
		return nil, err
	}
	m.Strict = strict
	return m, nil
}

// strictOf is the strict setting of struct type t whose catch-all field
// is at extra (nil: none).
func strictOf(t reflect.Type, extra []int) (bool, error) {
	sm, ok := reflect.New(t).Elem().Interface().(StrictModel)
	if !ok || sm.ModelStrict() {
		return true, nil
	}
	if extra == nil {
		return false, fmt.Errorf("ModelStrict is false (LoopBack's strict: false), but no field keeps the properties it does not declare, " +
			"so they would be lost: add a field Extra repository.Data tagged json:\"-\" loom:\"extra\"")
	}
	return false, nil
}

// UnknownProperties says how struct type t, a model or any struct a body
// is decoded into, treats JSON properties it does not declare: strict is
// its strict setting (see [StrictModel]) and extra the index of its
// catch-all field (loom:"extra", found through embedded structs as
// encoding/json finds fields), nil when it has none. It fails on a
// malformed catch-all field and on a non-strict type without one.
func UnknownProperties(t reflect.Type) (strict bool, extra []int, err error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return true, nil, nil
	}
	if extra, err = findExtra(t, nil, nil); err != nil {
		return false, nil, fmt.Errorf("%v: %w", t, err)
	}
	if strict, err = strictOf(t, extra); err != nil {
		return false, nil, fmt.Errorf("%v: %w", t, err)
	}
	return strict, extra, nil
}

// findExtra finds the catch-all field of t, looking through embedded
// structs without a json name.
func findExtra(t reflect.Type, index, found []int) ([]int, error) {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		jtag := sf.Tag.Get("json")
		if ft, ok := flattened(sf); ok {
			var err error
			if found, err = findExtra(ft, idx, found); err != nil {
				return nil, err
			}
			continue
		}
		ok, err := isExtra(sf, jtag)
		if err != nil {
			return nil, err
		}
		if ok {
			if found != nil {
				return nil, fmt.Errorf(`field %s: a second loom:"extra" field`, sf.Name)
			}
			found = idx
		}
	}
	return found, nil
}

// flattened reports whether encoding/json flattens sf, an embedded struct
// (or pointer to one) without a json name, and returns the struct type.
func flattened(sf reflect.StructField) (reflect.Type, bool) {
	jtag, hasJSON := sf.Tag.Lookup("json")
	if jname, _, _ := strings.Cut(jtag, ","); !sf.Anonymous || hasJSON && jname != "" {
		return nil, false
	}
	ft := sf.Type
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	return ft, ft.Kind() == reflect.Struct
}

var dataType = reflect.TypeFor[Data]()

// isExtra reports whether sf is a catch-all field, loom:"extra", and
// checks its declaration.
func isExtra(sf reflect.StructField, jtag string) (bool, error) {
	tag := sf.Tag.Get("loom")
	found := false
	for opt := range strings.SplitSeq(tag, ",") {
		found = found || strings.TrimSpace(opt) == "extra"
	}
	switch {
	case !found:
		return false, nil
	case strings.TrimSpace(tag) != "extra":
		return false, fmt.Errorf(`field %s: loom:"extra" takes no other option`, sf.Name)
	case !sf.IsExported():
		return false, fmt.Errorf(`field %s: a loom:"extra" field must be exported`, sf.Name)
	case sf.Type != dataType:
		return false, fmt.Errorf(`field %s: a loom:"extra" field must be a repository.Data, not %v`, sf.Name, sf.Type)
	case jtag != "-":
		return false, fmt.Errorf(`field %s: a loom:"extra" field must be tagged json:"-": its properties are written inline`, sf.Name)
	}
	return true, nil
}

// addProperties adds t's fields as encoding/json sees them: embedded
// structs without a json name are flattened, json:"-" is left out unless
// hidden.
func addProperties(m *Model, t reflect.Type, index []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		jtag := sf.Tag.Get("json")
		jname, _, _ := strings.Cut(jtag, ",")
		if ft, ok := flattened(sf); ok {
			if err := addProperties(m, ft, idx); err != nil {
				return err
			}
			continue
		}
		switch extra, err := isExtra(sf, jtag); {
		case err != nil:
			return err
		case extra && m.extra != nil:
			return fmt.Errorf(`field %s: a second loom:"extra" field`, sf.Name)
		case extra:
			m.extra = idx
			continue
		}
		switch rel, err := relationOf(sf, idx, jname); {
		case err != nil:
			return err
		case rel != nil:
			if m.byName[rel.Name] != nil || m.relationNamed(rel.Name) {
				return fmt.Errorf("field %s: %q is declared twice", sf.Name, rel.Name)
			}
			rel.source = m
			m.rels.list = append(m.rels.list, rel)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		p, err := propertyOf(sf, idx, jtag, jname)
		if err != nil || p == nil {
			return err
		}
		if m.byName[p.Name] != nil || m.relationNamed(p.Name) {
			return fmt.Errorf("field %s: property %q is declared twice", sf.Name, p.Name)
		}
		if p.ID {
			if m.ID != nil {
				return fmt.Errorf("field %s: a second id property (the first is %s)", sf.Name, m.ID.Field)
			}
			m.ID = p
		}
		m.byName[p.Name] = p
		m.Properties = append(m.Properties, p)
	}
	return nil
}

func propertyOf(sf reflect.StructField, idx []int, jtag, jname string) (*Property, error) {
	_, nullable := rules.NullableElem(sf.Type)
	p := &Property{Field: sf.Name, Type: sf.Type, Kind: kindOf(sf.Type), Nullable: nullable, index: idx}
	name := ""
	for opt := range strings.SplitSeq(sf.Tag.Get("loom"), ",") {
		switch k, v, _ := strings.Cut(strings.TrimSpace(opt), "="); k {
		case "":
		case "id":
			p.ID = true
		case "generated":
			p.Generated = true
		case "hidden":
			p.Hidden = true
		case "name":
			name = v
		default:
			return nil, fmt.Errorf("field %s: unknown loom tag option %q (id, generated, hidden, name=, extra)", sf.Name, opt)
		}
	}
	switch {
	case p.Hidden && jname != "-":
		return nil, fmt.Errorf(`field %s: a hidden property must be tagged json:"-", so that responses never carry it`, sf.Name)
	case p.Hidden && p.ID:
		return nil, fmt.Errorf("field %s: the id property cannot be hidden", sf.Name)
	case p.Generated && !p.ID:
		return nil, fmt.Errorf(`field %s: generated applies to the id property only (loom:"id,generated")`, sf.Name)
	case name != "" && !p.Hidden:
		return nil, fmt.Errorf("field %s: name= applies to hidden properties; others take their json name", sf.Name)
	case p.Hidden:
		p.Name = name
		if p.Name == "" {
			r, n := utf8.DecodeRuneInString(sf.Name)
			p.Name = string(unicode.ToLower(r)) + sf.Name[n:]
		}
	case jname == "-" && jtag == "-":
		return nil, nil // not a property
	case jname == "" || jname == "-":
		p.Name = sf.Name
	default:
		p.Name = jname
	}
	for rule := range strings.SplitSeq(sf.Tag.Get("validate"), ",") {
		switch rule {
		case "required":
			p.Required = true
		case "", "omitempty":
		default:
			if p.Rules != "" {
				p.Rules += ","
			}
			p.Rules += rule
		}
	}
	if p.ID && p.Nullable {
		return nil, fmt.Errorf("field %s: an id cannot be null: declare it %v", sf.Name, kindElem(sf.Type))
	}
	if p.ID && p.Kind != KindInt && p.Kind != KindString && p.Kind != KindFloat {
		return nil, fmt.Errorf("field %s: an id must be a number or a string, not %v", sf.Name, sf.Type)
	}
	return p, nil
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	geoPointType  = reflect.TypeFor[GeoPoint]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

func kindOf(t reflect.Type) Kind {
	t = kindElem(t)
	switch {
	case t == timeType:
		return KindTime
	case t == geoPointType:
		return KindGeoPoint
	case t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType):
		return KindAny
	case t.Implements(textType) || reflect.PointerTo(t).Implements(textType):
		return KindString
	}
	switch t.Kind() {
	case reflect.String:
		return KindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return KindInt
	case reflect.Float32, reflect.Float64:
		return KindFloat
	case reflect.Bool:
		return KindBool
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return KindString // base64
		}
		return KindArray
	case reflect.Array:
		return KindArray
	case reflect.Struct, reflect.Map:
		return KindObject
	}
	return KindAny
}

// kindElem is the type whose kind a property of type t has: pointers and
// [Nullable] are looked through.
func kindElem(t reflect.Type) reflect.Type {
	for {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		e, ok := rules.NullableElem(t)
		if !ok {
			return t
		}
		t = e
	}
}

// field returns p's field in the entity v (a struct value), allocating
// embedded pointers on the way when alloc is set; ok is false when a nil
// embedded pointer is met without alloc.
func (p *Property) field(v reflect.Value, alloc bool) (reflect.Value, bool) {
	for i, x := range p.index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !alloc {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
