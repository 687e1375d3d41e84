package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// Validation is one of LoopBack 3's declarative validations of a model
// property (juggler's validatesPresenceOf, validatesLengthOf, ...),
// built by [PresenceOf], [AbsenceOf], [LengthOf], [InclusionOf],
// [ExclusionOf], [FormatOf], [NumericalityOf] or [UniquenessOf]. A model
// declares its validations with a Validations method (see [Validator]);
// [Of] compiles them with the validate tags, so a bad one fails at
// start-up, naming the model and the property.
type Validation struct {
	kind string
	prop string
	in   []any
	with string
	opts []Option
}

// Validator is implemented by a struct type that declares LoopBack 3's
// validations of its properties. Validations is called once, on the zero
// value, when the type's [Plan] is compiled:
//
//	func (CoffeeShop) Validations() []rules.Validation {
//		return []rules.Validation{
//			rules.UniquenessOf("name"),
//			rules.LengthOf("name", rules.Min(3), rules.Max(60)),
//		}
//	}
type Validator interface {
	Validations() []Validation
}

// String writes v as it is declared: LengthOf("name").
func (v Validation) String() string { return fmt.Sprintf("%s(%q)", constructors[v.kind], v.prop) }

// Property is the JSON name of the property v validates.
func (v Validation) Property() string { return v.prop }

// Option is an option of a [Validation]: [Min], [Max], [Is], [AllowNull],
// [AllowBlank], [Int], [ScopedTo] or [Message]. An option a validation
// does not take fails its compilation.
type Option struct {
	name string
	set  func(*config)
}

// config is a validation's options, as juggler's conf object.
type config struct {
	min, max, is          int64
	hasMin, hasMax, hasIs bool
	allowNull, allowBlank bool
	integer               bool
	message               string
	scope                 []string
	badLength             string
}

// The validations' kinds, which are juggler's codes.
const (
	vPresence     = "presence"
	vAbsence      = "absence"
	vLength       = "length"
	vInclusion    = "inclusion"
	vExclusion    = "exclusion"
	vFormat       = "format"
	vNumericality = "numericality"
	vUniqueness   = "uniqueness"
)

var constructors = map[string]string{vPresence: "PresenceOf", vAbsence: "AbsenceOf", vLength: "LengthOf",
	vInclusion: "InclusionOf", vExclusion: "ExclusionOf", vFormat: "FormatOf",
	vNumericality: "NumericalityOf", vUniqueness: "UniquenessOf"}

// options are the options each validation takes.
var options = map[string][]string{
	vPresence:     {"Message"},
	vAbsence:      {"Message"},
	vLength:       {"Min", "Max", "Is", "AllowNull", "AllowBlank", "Message"},
	vInclusion:    {"AllowNull", "AllowBlank", "Message"},
	vExclusion:    {"AllowNull", "AllowBlank", "Message"},
	vFormat:       {"AllowNull", "AllowBlank", "Message"},
	vNumericality: {"Int", "AllowNull", "AllowBlank", "Message"},
	vUniqueness:   {"ScopedTo", "Message"},
}

// PresenceOf is validatesPresenceOf: the property must be set, and not
// null, "" or an empty list. Code presence, "can't be blank".
func PresenceOf(prop string, opts ...Option) Validation {
	return Validation{kind: vPresence, prop: prop, opts: opts}
}

// AbsenceOf is validatesAbsenceOf: the property must be unset, null, ""
// or an empty list. Code absence, "can't be set".
func AbsenceOf(prop string, opts ...Option) Validation {
	return Validation{kind: vAbsence, prop: prop, opts: opts}
}

// LengthOf is validatesLengthOf, on a string (its length in UTF-16 code
// units, as JavaScript counts) or a list (its items), with [Min], [Max]
// and/or [Is]: codes length.min "too short", length.max "too long",
// length.is "length is wrong". An unset or "" value fails length.blank
// "is blank" unless [AllowBlank], a null fails length.null "is null"
// unless [AllowNull]. A string's bounds are documented as minLength and
// maxLength, a list's as minItems and maxItems.
func LengthOf(prop string, opts ...Option) Validation {
	return Validation{kind: vLength, prop: prop, opts: opts}
}

// InclusionOf is validatesInclusionOf: the value must be one of in
// (strings, numbers or booleans, of the property's type). Code inclusion,
// "is not included in the list"; unset, "" and null fail as for
// [LengthOf] (inclusion.blank, inclusion.null) unless allowed. Documented
// as enum.
func InclusionOf(prop string, in []any, opts ...Option) Validation {
	return Validation{kind: vInclusion, prop: prop, in: in, opts: opts}
}

// ExclusionOf is validatesExclusionOf: the value must not be one of in.
// Code exclusion, "is reserved"; unset, "" and null fail as for
// [LengthOf] unless allowed. Documented as not: {enum: in}.
func ExclusionOf(prop string, in []any, opts ...Option) Validation {
	return Validation{kind: vExclusion, prop: prop, in: in, opts: opts}
}

// FormatOf is validatesFormatOf: the value, a string or a number's JSON
// text, must match the regular expression with (Go's RE2 syntax,
// unanchored as a JavaScript RegExp's test). Code format, "is invalid";
// unset, "" and null fail as for [LengthOf] unless allowed. Documented as
// pattern on a string.
func FormatOf(prop, with string, opts ...Option) Validation {
	return Validation{kind: vFormat, prop: prop, with: with, opts: opts}
}

// NumericalityOf is validatesNumericalityOf: the value must be a number
// (numericality.number, "is not a number") and, with [Int], a whole one
// (numericality.int, "is not an integer"); unset, "" and null fail as for
// [LengthOf] unless allowed. With Int, a float property is documented as
// type integer.
func NumericalityOf(prop string, opts ...Option) Validation {
	return Validation{kind: vNumericality, prop: prop, opts: opts}
}

// UniquenessOf is validatesUniquenessOf: no other entity of the model may
// hold the same value (with [ScopedTo], the same values of the scope's
// properties too). Unset, null and "" values are not checked. Code
// uniqueness, "is not unique". The repository checks it before writing
// and the store enforces it (a unique index in SQL), so two concurrent
// writes cannot both store one value.
func UniquenessOf(prop string, opts ...Option) Validation {
	return Validation{kind: vUniqueness, prop: prop, opts: opts}
}

// Min is [LengthOf]'s minimum length; 0 checks nothing, as in juggler.
func Min(n int) Option {
	return Option{"Min", func(c *config) {
		c.min, c.hasMin = int64(n), n != 0
		c.checkLength("Min", n)
	}}
}

// Max is [LengthOf]'s maximum length; 0 checks nothing, as in juggler.
func Max(n int) Option {
	return Option{"Max", func(c *config) {
		c.max, c.hasMax = int64(n), n != 0
		c.checkLength("Max", n)
	}}
}

// Is is [LengthOf]'s exact length; 0 checks nothing, as in juggler.
func Is(n int) Option {
	return Option{"Is", func(c *config) {
		c.is, c.hasIs = int64(n), n != 0
		c.checkLength("Is", n)
	}}
}

func (c *config) checkLength(name string, n int) {
	if n < 0 && c.badLength == "" {
		c.badLength = fmt.Sprintf("%s(%d): a length is a whole number >= 0", name, n)
	}
}

// AllowNull accepts a null value without checking it.
func AllowNull() Option { return Option{"AllowNull", func(c *config) { c.allowNull = true }} }

// AllowBlank accepts an unset or "" value without checking it.
func AllowBlank() Option { return Option{"AllowBlank", func(c *config) { c.allowBlank = true }} }

// Int makes [NumericalityOf] require a whole number.
func Int() Option { return Option{"Int", func(c *config) { c.integer = true }} }

// ScopedTo makes [UniquenessOf] unique among the entities that share the
// values of props: UniquenessOf("name", ScopedTo("city")) lets two cities
// each have a shop of one name.
func ScopedTo(props ...string) Option {
	return Option{"ScopedTo", func(c *config) { c.scope = append(c.scope, props...) }}
}

// Message replaces the message of the validation's failures, as
// juggler's message option: UniquenessOf("email", Message("Email already
// exists")). As in juggler, an unset, "" or null value still fails with
// "is blank" or "is null"; where juggler answers "is invalid" for a
// failure with a kind (length.min, numericality.int), the message given
// is kept.
func Message(text string) Option { return Option{"Message", func(c *config) { c.message = text }} }

// compileValidations compiles the validations of p's type, when it is a
// [Validator], into its fields' checks.
func (p *Plan) compileValidations() error {
	t := p.Type
	var vs []Validation
	zero := reflect.New(t)
	switch v := zero.Elem().Interface().(type) {
	case Validator:
		vs = v.Validations()
	default:
		if v, ok := zero.Interface().(Validator); ok {
			vs = v.Validations()
		} else {
			return nil
		}
	}
	for _, v := range vs {
		c, err := p.compileValidation(v)
		if err != nil {
			return fmt.Errorf("model %s: %v: %w", t.Name(), v, err)
		}
		f := p.byName[v.prop]
		f.Checks = append(f.Checks, c)
		p.Checks = append(p.Checks, c)
	}
	return nil
}

func (p *Plan) compileValidation(v Validation) (*Check, error) {
	if v.kind == "" {
		return nil, fmt.Errorf("a zero Validation: build one with PresenceOf, LengthOf, ...")
	}
	f := p.byName[v.prop]
	if f == nil {
		return nil, fmt.Errorf("%s has no property %q (validations name JSON properties: %s)",
			p.Type.Name(), v.prop, strings.Join(p.names(), ", "))
	}
	var c config
	for _, o := range v.opts {
		if o.set == nil {
			return nil, fmt.Errorf("a zero Option")
		}
		if !slices.Contains(options[v.kind], o.name) {
			return nil, fmt.Errorf("option %s does not apply (it takes %s)", o.name, strings.Join(options[v.kind], ", "))
		}
		o.set(&c)
	}
	if c.badLength != "" {
		return nil, fmt.Errorf("%s", c.badLength)
	}
	k := f.Rules.Kind
	ck := &Check{Property: v.prop, Code: v.kind, Message: c.message, conf: c, kind: k}
	wrongKind := func(want string) error {
		return fmt.Errorf("property %q is %s; %s applies to %s", v.prop, kindName(k), constructors[v.kind], want)
	}
	stringy := k == KindString || k == KindText
	switch v.kind {
	case vPresence:
		ck.Required = true
		switch {
		case stringy:
			ck.Keywords = []Keyword{{"minLength", int64(1)}}
		case k == KindArray:
			ck.Keywords = []Keyword{{"minItems", int64(1)}}
		}
	case vAbsence:
	case vLength:
		if !stringy && k != KindArray && k != KindAny {
			return nil, wrongKind("strings and lists")
		}
		if !c.hasMin && !c.hasMax && !c.hasIs {
			return nil, fmt.Errorf("LengthOf needs Min, Max or Is")
		}
		suffix := "Length"
		if k == KindArray {
			suffix = "Items"
		}
		if k != KindAny {
			lo, hi := c.min, c.max
			if c.hasIs {
				lo, hi = c.is, c.is
			}
			// A blank value passes with AllowBlank: no minimum then.
			if (c.hasMin || c.hasIs) && !(c.allowBlank && stringy) {
				ck.Keywords = append(ck.Keywords, Keyword{"min" + suffix, lo})
			}
			if c.hasMax || c.hasIs {
				ck.Keywords = append(ck.Keywords, Keyword{"max" + suffix, hi})
			}
		}
	case vInclusion, vExclusion:
		if !stringy && k != KindInteger && k != KindNumber && k != KindBoolean && k != KindAny {
			return nil, wrongKind("strings, numbers and booleans")
		}
		if len(v.in) == 0 {
			return nil, fmt.Errorf("the list of values is empty")
		}
		if len(v.in) > maxListed {
			return nil, fmt.Errorf("the list holds %d values, more than %d", len(v.in), maxListed)
		}
		list := make([]any, len(v.in))
		for i, x := range v.in {
			n, err := listed(x, k)
			if err != nil {
				return nil, fmt.Errorf("value %d (%#v): %w", i, x, err)
			}
			list[i] = n
		}
		ck.in = list
		doc := slices.Clone(v.in)
		if v.kind == vInclusion {
			if c.allowBlank && stringy && !slices.Contains(list, any("")) {
				doc = append(doc, "")
			}
			ck.Keywords = []Keyword{{"enum", doc}}
		} else {
			ck.Keywords = []Keyword{{"not", map[string]any{"enum": doc}}}
		}
	case vFormat:
		if !stringy && k != KindInteger && k != KindNumber && k != KindAny {
			return nil, wrongKind("strings and numbers")
		}
		if len(v.with) > maxPattern {
			return nil, fmt.Errorf("the expression is longer than %d bytes", maxPattern)
		}
		re, err := regexp.Compile(v.with)
		if err != nil {
			return nil, fmt.Errorf("bad regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		ck.re = re
		if stringy {
			expr := v.with
			if c.allowBlank {
				expr = "^$|" + expr
			}
			ck.Keywords = []Keyword{{"pattern", expr}}
		}
	case vNumericality:
		if k != KindInteger && k != KindNumber && k != KindAny {
			return nil, wrongKind("numbers")
		}
		switch {
		case c.integer && k != KindInteger:
			ck.Keywords = []Keyword{{"type", "integer"}}
		case k == KindAny:
			ck.Keywords = []Keyword{{"type", "number"}}
		}
	case vUniqueness:
		if !uniqueKind(k) {
			return nil, wrongKind("strings, numbers, booleans and date-times")
		}
		for i, s := range c.scope {
			sf := p.byName[s]
			switch {
			case sf == nil:
				return nil, fmt.Errorf("ScopedTo: %s has no property %q", p.Type.Name(), s)
			case s == v.prop || slices.Index(c.scope, s) != i:
				return nil, fmt.Errorf("ScopedTo: property %q is named twice", s)
			case !uniqueKind(sf.Rules.Kind):
				return nil, fmt.Errorf("ScopedTo: property %q is %s; a scope holds strings, numbers, booleans and date-times", s, kindName(sf.Rules.Kind))
			}
		}
		ck.Scope = slices.Clone(c.scope)
	default:
		return nil, fmt.Errorf("unknown validation %q", v.kind)
	}
	// Unset fails the blank check of these unless AllowBlank.
	if (v.kind == vLength || v.kind == vInclusion || v.kind == vExclusion || v.kind == vFormat || v.kind == vNumericality) && !c.allowBlank {
		ck.Required = true
	}
	return ck, nil
}

// The caps on what a validation holds: its list of values and its
// regular expression.
const (
	maxListed  = 10_000
	maxPattern = 4096
)

func uniqueKind(k Kind) bool {
	switch k {
	case KindString, KindText, KindInteger, KindNumber, KindBoolean, KindTime:
		return true
	}
	return false
}

// listed checks a value of an inclusion or exclusion list against the
// property's kind and returns it as JSON decodes it: a string, a float64
// or a bool.
func listed(x any, k Kind) (any, error) {
	rv := reflect.ValueOf(x)
	if !rv.IsValid() {
		return nil, fmt.Errorf("null is never compared (use AllowNull)")
	}
	var got Kind
	var out any
	switch rv.Kind() {
	case reflect.String:
		got, out = KindString, rv.String()
	case reflect.Bool:
		got, out = KindBoolean, rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		got, out = KindInteger, float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		got, out = KindInteger, float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		got, out = KindNumber, f
		if f == float64(int64(f)) {
			got = KindInteger
		}
	default:
		return nil, fmt.Errorf("a listed value is a string, a number or a boolean")
	}
	switch {
	case k == KindAny,
		got == KindString && (k == KindString || k == KindText),
		got == KindBoolean && k == KindBoolean,
		got == KindInteger && (k == KindInteger || k == KindNumber),
		got == KindNumber && k == KindNumber:
		return out, nil
	}
	return nil, fmt.Errorf("not a value of the property, which is %s", kindName(k))
}

func (p *Plan) names() []string {
	out := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		out[i] = f.Name
	}
	return out
}
