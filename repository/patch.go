package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/go-playground/validator/v10"
)

// Patch is a partial update of an entity of type T: the properties it
// holds are set, the others keep their values, so a PATCH of
// {"isComplete": false} sets false and leaves the title alone. A null
// value unsets the property (it is removed, never stored as null). It
// decodes from a JSON body; in code, build it with [PatchOf] or Set:
//
//	repository.PatchOf[Todo](map[string]any{"isComplete": true}).Set("desc", "done")
type Patch[T any] struct {
	data Data
	err  error
}

// PatchOf returns a patch setting each property of values.
func PatchOf[T any](values map[string]any) Patch[T] {
	var p Patch[T]
	for _, k := range slices.Sorted(maps.Keys(values)) {
		p = p.Set(k, values[k])
	}
	return p
}

// Set returns p with prop set to v (encoded as JSON); v nil unsets it. A
// value that does not encode, or does not fit the property, is reported
// when the patch is used.
func (p Patch[T]) Set(prop string, v any) Patch[T] {
	raw, err := json.Marshal(v)
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("repository: patch %s: %w", prop, err)
	}
	d := make(Data, len(p.data)+1)
	maps.Copy(d, p.data)
	d[prop] = raw
	p.data = d
	return p
}

// Has reports whether p sets (or unsets) prop.
func (p Patch[T]) Has(prop string) bool {
	_, ok := p.data[prop]
	return ok
}

// Props lists the properties p changes, sorted.
func (p Patch[T]) Props() []string { return slices.Sorted(maps.Keys(p.data)) }

// Data returns the changes as Data; null values unset properties.
func (p Patch[T]) Data() Data { return p.data.Clone() }

// UnmarshalJSON reads a JSON object of the properties to change and
// checks it against T's model: unknown properties, values of the wrong
// type, null or blank required properties and broken validate rules are a
// [*ValidationError].
func (p *Patch[T]) UnmarshalJSON(b []byte) error {
	m, err := ModelOf[T]()
	if err != nil {
		return err
	}
	var d Data
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&d); err != nil || d == nil {
		return &ValidationError{Model: m.Name, Details: []Detail{{Code: "type", Message: "must be object", Info: map[string]any{"type": "object"}}}}
	}
	*p = Patch[T]{data: d}
	return p.check(m)
}

// MarshalJSON writes the changes as a JSON object.
func (p Patch[T]) MarshalJSON() ([]byte, error) {
	if p.data == nil {
		return []byte("{}"), nil
	}
	return p.data.MarshalJSON()
}

var validate = validator.New()

// check validates p against m.
func (p Patch[T]) check(m *Model) error {
	if p.err != nil {
		return p.err
	}
	var details []Detail
	for _, k := range p.Props() {
		details = append(details, checkValue(m, k, p.data[k])...)
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// checkValue validates one property's JSON value against the model: the
// property exists, the value decodes into the field, a required property
// is not null or blank, and the field's validate rules hold.
func checkValue(m *Model, name string, raw json.RawMessage) []Detail {
	prop := m.byName[name]
	path := "/" + name
	if prop == nil && !m.Strict {
		return nil // kept by a non-strict model (see StrictModel)
	}
	if prop == nil {
		return []Detail{{Path: "", Code: "additionalProperties", Message: "must NOT have additional properties",
			Info: map[string]any{"additionalProperty": name}}}
	}
	if bytes.Equal(raw, nullJSON) {
		if prop.Required {
			return []Detail{{Path: path, Code: "required", Message: "can't be blank", Info: map[string]any{"missingProperty": name}}}
		}
		return nil
	}
	v := reflect.New(prop.Type)
	if err := json.Unmarshal(raw, v.Interface()); err != nil {
		return []Detail{{Path: path, Code: "type", Message: "must be " + prop.Kind.String(), Info: map[string]any{"type": prop.Kind.String()}}}
	}
	if prop.Required && prop.Kind == KindString && bytes.Equal(raw, []byte(`""`)) {
		return []Detail{{Path: path, Code: "required", Message: "can't be blank", Info: map[string]any{"missingProperty": name}}}
	}
	if prop.Rules == "" {
		return nil
	}
	if err := validate.Var(v.Elem().Interface(), prop.Rules); err != nil {
		var ve validator.ValidationErrors
		if ok := asValidationErrors(err, &ve); ok && len(ve) > 0 {
			fe := ve[0]
			return []Detail{{Path: path, Code: fe.Tag(), Message: strings.TrimSpace("must satisfy " + fe.Tag() + " " + fe.Param()),
				Info: map[string]any{"rule": fe.Tag(), "param": fe.Param()}}}
		}
		return []Detail{{Path: path, Code: "format", Message: err.Error(), Info: map[string]any{}}}
	}
	return nil
}

func asValidationErrors(err error, out *validator.ValidationErrors) bool {
	ve, ok := err.(validator.ValidationErrors)
	if ok {
		*out = ve
	}
	return ok
}
