package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
)

// Data is an entity as connectors see it: its JSON object, property by
// property. A property that is not set is absent, not null; a null is a
// value only for a property whose Go value writes it itself (such as a
// json.RawMessage holding null, for a property of any type). The memory
// connector stores Data as it is; a SQL connector decodes each value into
// its column by the property's [Kind].
type Data map[string]json.RawMessage

var nullJSON = json.RawMessage("null")

// MarshalJSON writes the object with its keys in sorted order.
func (d Data) MarshalJSON() ([]byte, error) {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(appendKey(b.AvailableBuffer(), k))
		b.WriteByte(':')
		b.Write(d[k])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// appendKey appends k as a JSON string, as encoding/json writes it:
// invalid UTF-8 becomes U+FFFD; control characters, U+2028, U+2029, <, >
// and & are escaped. (strconv.Quote writes Go, not JSON: a NUL as \x00.)
// Keys are property names, plain ASCII nearly always, appended as they
// are.
func appendKey(b []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(k) // a string always encodes
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"')
}

// Clone returns a copy of d; the values are shared, as they are never
// changed in place.
func (d Data) Clone() Data {
	out := make(Data, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// toData is entity v (a T) as Data: encoding/json's object, without the
// nulls of unset fields and without a zero id, plus the hidden properties
// that are set and the properties of the catch-all field (see
// [StrictModel]).
func (m *Model) toData(v any) (Data, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("repository: encoding %s: %w", m.Name, err)
	}
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("repository: encoding %s: %w", m.Name, err)
	}
	rv := reflect.Indirect(reflect.ValueOf(v))
	for k, raw := range d {
		if bytes.Equal(raw, nullJSON) && !m.nullValue(rv, k) {
			delete(d, k)
		}
	}
	if raw, ok := d[m.ID.Name]; ok && isZeroID(raw) {
		delete(d, m.ID.Name)
	}
	for _, p := range m.Properties {
		if !p.Hidden {
			continue
		}
		f, ok := p.field(rv, false)
		if !ok || f.IsZero() {
			continue
		}
		raw, err := json.Marshal(f.Interface())
		if err != nil {
			return nil, fmt.Errorf("repository: encoding %s.%s: %w", m.Name, p.Name, err)
		}
		d[p.Name] = raw
	}
	// The catch-all field's properties are stored beside the declared
	// ones, which win a clash.
	for k, raw := range m.extraOf(rv) {
		if _, declared := m.byName[k]; !declared && len(raw) > 0 && !bytes.Equal(raw, nullJSON) {
			d[k] = raw
		}
	}
	return d, nil
}

// nullValue reports whether property name of entity rv wrote null as its
// value (a json.RawMessage holding null, a null [Nullable]) rather than
// for want of one (a nil pointer, interface, slice or map, an absent
// Nullable).
func (m *Model) nullValue(rv reflect.Value, name string) bool {
	p := m.byName[name]
	if p == nil || p.ID || p.Kind != KindAny && !p.Nullable {
		return false
	}
	f, ok := p.field(rv, false)
	return ok && !f.IsZero()
}

func isZeroID(raw json.RawMessage) bool {
	s := string(raw)
	return s == "0" || s == `""`
}

// Decode fills the entity at ptr (a *T of m's type) from d, as a
// repository reads what its connector stored: property names match
// exactly (a "TITLE" is not title), hidden properties are filled too,
// and the properties m does not declare go to its catch-all field, when it
// has one (see [StrictModel]).
func (m *Model) Decode(d Data, ptr any) error { return m.fromData(d, ptr) }

// fromData is [Model.Decode].
func (m *Model) fromData(d Data, ptr any) error {
	if err := json.Unmarshal(d.object(m), ptr); err != nil {
		return fmt.Errorf("repository: decoding %s: %w", m.Name, err)
	}
	rv := reflect.ValueOf(ptr).Elem()
	for _, p := range m.Properties {
		if !p.Hidden {
			continue
		}
		raw, ok := d[p.Name]
		if !ok {
			continue
		}
		f, _ := p.field(rv, true)
		if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
			return fmt.Errorf("repository: decoding %s.%s: %w", m.Name, p.Name, err)
		}
	}
	if m.extra != nil {
		var extra Data
		for k, raw := range d {
			if _, declared := m.byName[k]; !declared {
				if extra == nil {
					extra = Data{}
				}
				extra[k] = raw
			}
		}
		m.setExtra(rv, extra)
	}
	return nil
}

// object is d as one JSON object of the declared properties, leaving out
// hidden ones (which encoding/json would not read anyway) and undeclared
// ones (which it would match to a field of another case).
func (d Data) object(m *Model) []byte {
	n := 2
	for k, v := range d {
		n += len(k) + len(v) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	first := true
	for k, v := range d {
		if p := m.byName[k]; p == nil || p.Hidden {
			continue // undeclared: a "TITLE" kept by a non-strict model would fill Title
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendKey(b, k)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}')
}

// idValue is the id of d as a Go value (int64, float64 or string), and
// whether d has one.
func (m *Model) idValue(d Data) (any, bool) {
	raw, ok := d[m.ID.Name]
	if !ok {
		return nil, false
	}
	v, err := DecodeValue(raw)
	if err != nil {
		return nil, false
	}
	return v, true
}

// DecodeValue decodes one JSON value into the values filters use: nil,
// bool, int64 (integers that fit), float64, string, []any and
// map[string]any of those.
func DecodeValue(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers turns the json.Numbers of a decoded tree into int64
// when they are integers that fit, float64 otherwise.
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = normalizeNumbers(e)
		}
	}
	return v
}
