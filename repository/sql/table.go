package sql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/loomhq/loom/repository"
)

// TableNamer is implemented by entities that choose their table's name;
// by default it is the model's name in lower case, as LoopBack's SQL
// connectors name tables.
type TableNamer interface{ TableName() string }

// table is a model's mapping to a table: computed once per model and
// connector from the model's metadata, the only source of identifiers.
type table struct {
	model  *repository.Model
	name   string // unqualified, unquoted
	ref    string // quoted and qualified by the schema: "app"."todo"
	cols   []*column
	byProp map[string]*column
	id     *column
	autoID bool // an integer id the store numbers
	// selectAll is "SELECT <every column> FROM <ref>", written once: the
	// start of every Find that selects no fields.
	selectAll string
}

// column is a property's column.
type column struct {
	prop     string // the property's name
	name     string // the column's name: the property's in lower case
	q        string // name, quoted
	store    storage
	required bool
	// nullable is a repository.Nullable property's column: a null is
	// stored as NULL whatever the storage.
	nullable bool
}

// storesNull reports whether a JSON null written to c is SQL's NULL:
// for every column but a JSON one of a property that is not Nullable,
// which keeps the text null.
func (c *column) storesNull(raw json.RawMessage) bool {
	return string(raw) == "null" && (c.store != storeJSON || c.nullable)
}

func newTable(d dialect, schema string, m *repository.Model) (*table, error) {
	if !m.Strict {
		return nil, fmt.Errorf("sql: model %s is not strict (ModelStrict returns false), but a table has a column for each declared property "+
			"and none for the others, which would be lost: declare them, or keep the model in the memory connector", m.Name)
	}
	name := strings.ToLower(m.Name)
	if tn, ok := reflect.New(m.Type).Elem().Interface().(TableNamer); ok && tn.TableName() != "" {
		name = tn.TableName()
	}
	t := &table{model: m, name: name, ref: quote(name), byProp: map[string]*column{}}
	if schema != "" && d.name() == "postgres" {
		t.ref = quote(schema) + "." + quote(name)
	}
	seen := map[string]string{}
	for _, p := range m.Properties {
		c := &column{prop: p.Name, name: strings.ToLower(p.Name), store: storageOf(p.Kind), required: p.Required || p.ID,
			nullable: p.Nullable}
		if other, dup := seen[c.name]; dup {
			return nil, fmt.Errorf("sql: model %s: properties %q and %q both map to column %q", m.Name, other, p.Name, c.name)
		}
		seen[c.name] = p.Name
		c.q = quote(c.name)
		t.cols = append(t.cols, c)
		t.byProp[p.Name] = c
		if p.ID {
			t.id = c
			t.autoID = p.Kind == repository.KindInt
		}
	}
	t.selectAll = "SELECT " + selectText(t.cols) + " FROM " + t.ref
	return t, nil
}

// selectText is the select list of cols: "1" for none.
func selectText(cols []*column) string {
	if len(cols) == 0 {
		return "1"
	}
	var b strings.Builder
	for i, col := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(col.q)
	}
	return b.String()
}

// writeArg turns a property's JSON value from [repository.Data] into the
// parameter its column takes.
func writeArg(d dialect, c *column, raw json.RawMessage) (any, error) {
	switch c.store {
	case storeText:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("property %q: want a string, got %s", c.prop, clip(raw))
		}
		return s, nil
	case storeInt:
		v, err := repository.DecodeValue(raw)
		if err == nil {
			switch n := v.(type) {
			case int64:
				return n, nil
			case float64:
				if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
					return int64(n), nil
				}
			}
		}
		return nil, fmt.Errorf("property %q: want an integer, got %s", c.prop, clip(raw))
	case storeFloat:
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, fmt.Errorf("property %q: want a number, got %s", c.prop, clip(raw))
		}
		return f, nil
	case storeBool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("property %q: want a boolean, got %s", c.prop, clip(raw))
		}
		return d.boolArg(b), nil
	case storeTime:
		var t time.Time
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, fmt.Errorf("property %q: want a date-time, got %s", c.prop, clip(raw))
		}
		return d.timeArg(t), nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, fmt.Errorf("property %q: bad JSON %s", c.prop, clip(raw))
	}
	return b.String(), nil
}

// condArg turns a checked filter value (nil, bool, int64, float64,
// string, time.Time) into the parameter compared with column c; ok is
// false when the value cannot be compared with the column (a condition
// built without the repository's check), which then matches nothing.
func condArg(d dialect, c *column, v any) (any, bool) {
	switch c.store {
	case storeText:
		s, ok := v.(string)
		return s, ok
	case storeInt:
		switch n := v.(type) {
		case int64:
			return n, true
		case int:
			return int64(n), true
		case float64:
			if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
				return int64(n), true
			}
			return n, true // compares as a number all the same
		}
	case storeFloat:
		switch n := v.(type) {
		case float64:
			return n, true
		case int64:
			return float64(n), true
		case int:
			return float64(n), true
		}
	case storeBool:
		if b, ok := v.(bool); ok {
			return d.boolArg(b), true
		}
	case storeTime:
		if t, ok := v.(time.Time); ok {
			return d.timeArg(t), true
		}
	}
	return nil, false
}

// readValue turns a column's value, as database/sql scanned it into an
// any, into the property's JSON.
func readValue(c *column, v any) (json.RawMessage, error) {
	switch c.store {
	case storeText:
		s, ok := textOf(v)
		if !ok {
			break
		}
		return json.Marshal(s)
	case storeInt:
		switch n := v.(type) {
		case int64:
			return strconv.AppendInt(nil, n, 10), nil
		case float64:
			return json.Marshal(n)
		}
	case storeFloat:
		switch n := v.(type) {
		case float64:
			return json.Marshal(n)
		case int64:
			return json.Marshal(float64(n))
		}
	case storeBool:
		switch b := v.(type) {
		case bool:
			return json.Marshal(b)
		case int64:
			return json.Marshal(b != 0)
		}
	case storeTime:
		switch t := v.(type) {
		case time.Time:
			return t.UTC().MarshalJSON()
		case string, []byte:
			s, _ := textOf(t)
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, fmt.Errorf("column %s: bad time %q", c.name, s)
			}
			return tm.UTC().MarshalJSON()
		}
	case storeJSON:
		s, ok := textOf(v)
		if !ok {
			break
		}
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(s)); err != nil {
			return nil, fmt.Errorf("column %s: bad JSON: %v", c.name, err)
		}
		return b.Bytes(), nil
	}
	return nil, fmt.Errorf("column %s: unexpected value %T", c.name, v)
}

func textOf(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

// clip shortens a value for a message.
func clip(raw []byte) string {
	if len(raw) > 60 {
		return string(raw[:57]) + "..."
	}
	return string(raw)
}
