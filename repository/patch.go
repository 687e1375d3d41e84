package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"unicode/utf8"

	"github.com/loomhq/loom/repository/rules"
)

// Patch is a partial update of an entity of type T: the properties it
// holds are set, the others keep their values, so a PATCH of
// {"isComplete": false} sets false and leaves the title alone.
//
// Decoded from JSON, a patch is read as strictly as a request body, at
// every depth: names match exactly (no case folding), unknown and
// duplicate names are refused, and so is invalid UTF-8. It is validated
// with the rules of T's validate tags, compiled by package rules, with the
// details a body gets (maxLength, minimum, enum, ...). It is partial: only
// the top-level properties sent are checked, but an object sent is checked
// whole (its required properties, its rules). As in LoopBack, null is a
// type error for a typed property ({"desc":null} is "must be string"),
// and a value for a [Nullable] property or one of type any or
// json.RawMessage, which stores null.
//
// In code, build a patch with [PatchOf], Set and Unset:
//
//	repository.PatchOf[Todo](map[string]any{"isComplete": true}).Set("desc", "done").Unset("tag")
type Patch[T any] struct {
	data    Data
	unset   map[string]bool // properties to remove; null in data
	err     error
	checked bool // decoded from JSON and found valid
}

// PatchOf returns a patch setting each property of values, as Set does.
func PatchOf[T any](values map[string]any) Patch[T] {
	var p Patch[T]
	for _, k := range slices.Sorted(maps.Keys(values)) {
		p = p.Set(k, values[k])
	}
	return p
}

// Set returns p with prop set to v (encoded as JSON). An untyped nil v
// unsets prop, as Unset does, and so does an absent [Nullable];
// json.RawMessage("null") or [Null] sets null, which only a Nullable
// property or one of type any or json.RawMessage holds. A value that does
// not encode, or does not fit the property, is reported when the patch is
// used.
func (p Patch[T]) Set(prop string, v any) Patch[T] {
	if n, ok := v.(absentable); v == nil || ok && n.IsZero() {
		return p.Unset(prop)
	}
	raw, err := json.Marshal(v)
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("repository: patch %s: %w", prop, err)
	}
	p = p.clone()
	p.data[prop] = raw
	delete(p.unset, prop)
	return p
}

// absentable is a [Nullable] of any type, which may be absent.
type absentable interface {
	rules.Nullable
	IsZero() bool
}

// Unset returns p removing prop from the entity: the property is left out
// of it, as if never set. A required property cannot be unset.
func (p Patch[T]) Unset(prop string) Patch[T] {
	p = p.clone()
	p.data[prop] = nullJSON
	p.unset[prop] = true
	return p
}

// clone copies p's maps, so that Set and Unset leave p as it was.
func (p Patch[T]) clone() Patch[T] {
	d := make(Data, len(p.data)+1)
	maps.Copy(d, p.data)
	u := make(map[string]bool, len(p.unset)+1)
	maps.Copy(u, p.unset)
	p.data, p.unset, p.checked = d, u, false
	return p
}

// Has reports whether p sets (or unsets) prop.
func (p Patch[T]) Has(prop string) bool {
	_, ok := p.data[prop]
	return ok
}

// Props lists the properties p changes, sorted.
func (p Patch[T]) Props() []string { return slices.Sorted(maps.Keys(p.data)) }

// Unsets lists the properties p removes (with Unset), sorted. The other
// properties of Props are set, to null for a property of type any sent as
// null.
func (p Patch[T]) Unsets() []string { return slices.Sorted(maps.Keys(p.unset)) }

// Data returns the changes as Data, as a [Connector]'s Update takes them:
// an unset property has an empty value (the connector removes it), and a
// null is a null to store.
func (p Patch[T]) Data() Data {
	d := p.data.Clone()
	for k := range p.unset {
		d[k] = nil
	}
	return d
}

// UnmarshalJSON reads a JSON object of the properties to change and
// checks it against T's model, as the type's doc says. Every failure is
// reported at once, in a [*ValidationError].
func (p *Patch[T]) UnmarshalJSON(b []byte) error {
	m, err := ModelOf[T]()
	if err != nil {
		return err
	}
	plan, err := rules.Of(m.Type)
	if err != nil {
		return err
	}
	names, values, dups, ok := rules.Members(b, "")
	if !ok {
		return &ValidationError{Model: m.Name, Details: []Detail{notObject(b)}}
	}
	details := fromRules(dups)
	d := make(Data, len(names))
	for i, name := range names {
		var raw bytes.Buffer
		if err := json.Compact(&raw, values[i]); err != nil {
			return err
		}
		switch prop := m.byName[name]; {
		case prop == nil && m.relationNamed(name):
			details = append(details, navigationalDetail(m, name))
			continue
		case prop == nil && !m.Strict:
			// kept by a non-strict model (see StrictModel)
		case prop == nil || prop.Hidden:
			details = append(details, fromRule(rules.AdditionalDetail("", name)))
			continue
		default:
			details = append(details, checkValue(m, plan, name, raw.Bytes())...)
		}
		d[name] = raw.Bytes()
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	*p = Patch[T]{data: d, checked: true}
	return nil
}

// notObject is the detail of a document that is not a JSON object: the
// type detail, or a format detail for text that is not UTF-8.
func notObject(b []byte) Detail {
	if !utf8.Valid(b) {
		return Detail{Path: "", Code: "format", Message: "must be valid UTF-8 text", Info: map[string]any{}}
	}
	return fromRule(rules.TypeDetail("", "object"))
}

// MarshalJSON writes the changes as a JSON object.
func (p Patch[T]) MarshalJSON() ([]byte, error) {
	if p.data == nil {
		return []byte("{}"), nil
	}
	return p.data.MarshalJSON()
}

// check validates p against m: the type and rules of each value (a patch
// decoded from JSON was checked then), then, in juggler's order, the
// presence of the required properties it sets and the validations of
// each property it sets or unsets (see validate.go), whose failures are
// juggler's ValidationError.
func (p Patch[T]) check(m *Model) error {
	if p.err != nil {
		return p.err
	}
	if !p.checked {
		plan, err := rules.Of(m.Type)
		if err != nil {
			return err
		}
		var details []Detail
		for _, k := range p.Props() {
			switch prop := m.byName[k]; {
			case prop == nil && m.relationNamed(k):
				details = append(details, navigationalDetail(m, k))
			case prop == nil && !m.Strict:
				// kept by a non-strict model (see StrictModel)
			case prop == nil:
				details = append(details, fromRule(rules.AdditionalDetail("", k)))
			case !p.unset[k]:
				details = append(details, checkValue(m, plan, k, p.data[k])...)
			}
		}
		if len(details) > 0 {
			return &ValidationError{Model: m.Name, Details: details}
		}
	}
	if details := m.patchValidations(p.data, p.unset); len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// checkValue validates one property's JSON value against the model, as a
// request body's property is: strictly decoded into the field's type, then
// its rules and those of the objects it holds run. null is a value only
// for a [Nullable] property or one of type any. Whether a required property is blank is
// the patch's validations' business (see Patch.check).
func checkValue(m *Model, plan *rules.Plan, name string, raw json.RawMessage) []Detail {
	prop := m.byName[name]
	path := rules.Pointer("", name)
	kind := rules.KindOf(prop.Type)
	if bytes.Equal(raw, nullJSON) {
		if kind == rules.KindAny || prop.Nullable {
			return nil
		}
		return []Detail{fromRule(rules.TypeDetail(path, kind.JSONType()))}
	}
	var r *rules.Rules
	if f := plan.Field(name); f != nil {
		r = f.Rules
	}
	v := reflect.New(prop.Type).Elem()
	return fromRules(rules.Decode(raw, v, path, r))
}

func fromRule(d rules.Detail) Detail { return Detail(d) }

func fromRules(ds []rules.Detail) []Detail {
	if len(ds) == 0 {
		return nil
	}
	out := make([]Detail, len(ds))
	for i, d := range ds {
		out[i] = Detail(d)
	}
	return out
}
