package repository

import (
	"bytes"
	"encoding/json"
	"time"
)

// MarshalJSON writes c in LoopBack's where syntax: {} for everything,
// {"and":[...]}, {"title":"x"} for equality, {"id":{"gt":2}} otherwise.
func (c Cond) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := c.write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (c Cond) write(b *bytes.Buffer) error {
	switch c.Op {
	case OpAll:
		b.WriteString("{}")
		return nil
	case OpAnd, OpOr:
		b.WriteString(`{"` + c.Op.String() + `":[`)
		for i, s := range c.Conds {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := s.write(b); err != nil {
				return err
			}
		}
		b.WriteString("]}")
		return nil
	}
	key, err := json.Marshal(c.Prop)
	if err != nil {
		return err
	}
	if c.Op == OpNear {
		return writeNear(b, key, c.Value)
	}
	val, err := json.Marshal(jsonValue(c.Value))
	if err != nil {
		return err
	}
	b.WriteByte('{')
	b.Write(key)
	b.WriteByte(':')
	_, isObj := c.Value.(map[string]any)
	if c.Op == OpEq && !isObj {
		b.Write(val)
	} else {
		b.WriteString(`{"` + c.Op.String() + `":`)
		b.Write(val)
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return nil
}

// jsonValue is v as it is written in a filter: times as RFC 3339 text,
// regular expressions as /pattern/flags.
func jsonValue(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.Format(time.RFC3339Nano)
	case Regexp:
		return t.String()
	case *Regexp:
		if t != nil {
			return t.String()
		}
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}

type queryJSON struct {
	Where   *Cond           `json:"where,omitempty"`
	Fields  Fields          `json:"fields,omitempty"`
	Order   []string        `json:"order,omitempty"`
	Limit   int             `json:"limit,omitempty"`
	Skip    int             `json:"skip,omitempty"`
	Include []inclusionJSON `json:"include,omitempty"`
}

type inclusionJSON struct {
	Relation   string          `json:"relation"`
	Scope      json.RawMessage `json:"scope,omitempty"`
	TargetType string          `json:"targetType,omitempty"`
}

// MarshalJSON writes q in LoopBack's filter syntax, leaving out empty
// parts.
func (q Query) MarshalJSON() ([]byte, error) {
	var out queryJSON
	if q.Where.Op != OpAll {
		out.Where = &q.Where
	}
	out.Fields, out.Limit, out.Skip = q.Fields, q.Limit, q.Skip
	for _, o := range q.Order {
		if o.Near != nil {
			continue // the where clause's near says it again
		}
		out.Order = append(out.Order, o.String())
	}
	for _, inc := range q.Include {
		ij := inclusionJSON{Relation: inc.Relation, TargetType: inc.TargetType}
		if inc.Scope != nil || inc.TotalLimit > 0 {
			var scope Query
			if inc.Scope != nil {
				scope = *inc.Scope
			}
			raw, err := scope.MarshalJSON()
			if err != nil {
				return nil, err
			}
			if inc.TotalLimit > 0 {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(raw, &m); err != nil {
					return nil, err
				}
				m["totalLimit"], _ = json.Marshal(inc.TotalLimit)
				if raw, err = json.Marshal(m); err != nil {
					return nil, err
				}
			}
			ij.Scope = raw
		}
		out.Include = append(out.Include, ij)
	}
	return json.Marshal(out)
}
