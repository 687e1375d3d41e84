package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Keeps reports whether f keeps the property named name: with any
// property set to true, only those; otherwise every property but the
// ones set to false. An empty f keeps everything.
func (f Fields) Keeps(name string) bool {
	if len(f) == 0 {
		return true
	}
	keep, named := f[name]
	if named {
		return keep
	}
	return !f.includes() // on no inclusion list, and not excluded
}

// includes reports whether f is an inclusion list: some property true.
func (f Fields) includes() bool {
	for _, k := range f {
		if k {
			return true
		}
	}
	return false
}

// Projection is an entity, or a slice of entities, as a response writes
// it: its JSON with only the properties Fields keeps, as LoopBack answers
// a filter with fields ({"fields":{"desc":true}} gives {"desc":"…"}, not
// the zero values of the other fields), and with the properties a
// non-strict model keeps in its catch-all field written inline beside the
// declared ones (see [Model.Strict]).
//
// Routes whose input has a Filter[T] and whose result is T, *T or []T are
// projected by the framework; code that answers with entities itself
// (a custom send, a hand-written endpoint) wraps them:
//
//	todos, err := repo.Find(ctx, filter)
//	body, err := json.Marshal(repository.Project(todos, filter.Fields))
type Projection struct {
	// Value is an entity (T or *T) or a slice or array of entities.
	Value any
	// Fields selects the properties written; empty writes them all.
	Fields Fields
	// Include is the filter's include: the relations it names are
	// written whatever Fields selects, each projected with its scope's
	// fields and include.
	Include []Inclusion
}

// Project returns v written with only the properties f keeps; see
// [Projection].
func Project(v any, f Fields) Projection { return Projection{Value: v, Fields: f} }

// MarshalJSON writes the projected JSON. Top-level properties keep the
// order the entity's own JSON gives them; a value whose JSON is not an
// object is written as it is.
func (p Projection) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := p.write(&b, reflect.ValueOf(p.Value)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (p Projection) write(b *bytes.Buffer, v reflect.Value) error {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		b.WriteString("null")
		return nil
	}
	if (v.Kind() == reflect.Slice || v.Kind() == reflect.Array) && v.Type().Elem().Kind() != reflect.Uint8 {
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := p.write(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	return p.entity(b, v)
}

// entity writes one entity: its own JSON, filtered and completed.
func (p Projection) entity(b *bytes.Buffer, v reflect.Value) error {
	if !v.CanAddr() { // so that a MarshalJSON on *T is used, as for a *T result
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	raw, err := encodeJSON(v.Addr().Interface())
	if err != nil {
		return err
	}
	var extra Data
	var m *Model
	if v.Kind() == reflect.Struct {
		if mm, err := modelOfType(v.Type()); err == nil {
			m = mm
			extra = m.extraOf(v)
		}
	}
	if len(p.Fields) == 0 && len(extra) == 0 && len(p.Include) == 0 {
		b.Write(raw)
		return nil
	}
	return p.object(b, raw, extra, m, v)
}

// included returns the inclusion of the relation named key of m, or
// nil.
func (p Projection) included(m *Model, key string) (*Relation, *Inclusion) {
	if m == nil {
		return nil, nil
	}
	for i := len(p.Include) - 1; i >= 0; i-- { // the last one wins, as in the find
		if p.Include[i].Relation == key {
			if r := m.Relation(key); r != nil {
				return r, &p.Include[i]
			}
		}
	}
	return nil, nil
}

// object writes the JSON object raw with only the kept keys, then the
// kept keys of extra that raw does not have, in sorted order. The
// included relations of v, an entity of m, are written projected by
// their scopes.
func (p Projection) object(b *bytes.Buffer, raw []byte, extra Data, m *Model, v reflect.Value) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		b.Write(raw) // not an object: nothing to select
		return nil
	}
	b.WriteByte('{')
	n := 0
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("repository: projecting %s: %w", raw, err)
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("repository: projecting %s: %w", raw, err)
		}
		seen[key] = true
		if rel, inc := p.included(m, key); rel != nil {
			sub := Projection{Value: nil}
			if inc.Scope != nil {
				sub.Fields, sub.Include = inc.Scope.Fields, inc.Scope.Include
			}
			var vb bytes.Buffer
			if err := sub.write(&vb, rel.field(v)); err != nil {
				return err
			}
			n = writeMember(b, n, key, vb.Bytes())
			continue
		}
		if p.Fields.Keeps(key) {
			n = writeMember(b, n, key, val)
		}
	}
	for _, key := range dataKeys(extra) {
		if !seen[key] && p.Fields.Keeps(key) {
			n = writeMember(b, n, key, extra[key])
		}
	}
	b.WriteByte('}')
	return nil
}

// writeMember writes "key":val after the n members already written and
// returns n+1.
func writeMember(b *bytes.Buffer, n int, key string, val []byte) int {
	if n > 0 {
		b.WriteByte(',')
	}
	k, _ := encodeJSON(key)
	b.Write(k)
	b.WriteByte(':')
	b.Write(val)
	return n + 1
}

// encodeJSON is encoding/json's encoding of v without HTML escaping, as
// responses are written.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
