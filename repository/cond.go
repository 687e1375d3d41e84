package repository

import (
	"fmt"
	"strings"
)

// Op is the operator of a [Cond].
type Op uint8

// The operators of LoopBack's where clause.
const (
	OpAll     Op = iota // no condition: matches every entity
	OpAnd               // every one of Conds
	OpOr                // at least one of Conds
	OpEq                // Prop equals Value (null: absent or null)
	OpNeq               // Prop differs from Value; absent values match
	OpGt                // Prop > Value
	OpGte               // Prop >= Value
	OpLt                // Prop < Value
	OpLte               // Prop <= Value
	OpInq               // Prop is one of Value ([]any)
	OpNin               // Prop is none of Value ([]any); absent values match
	OpBetween           // Value[0] <= Prop <= Value[1]
	OpExists            // Prop is set (Value true) or not (Value false)
	OpLike              // Prop matches the like pattern Value (% any text, _ one character)
	OpNlike             // Prop does not match the like pattern; absent values match
	OpIlike             // like, ignoring case
	OpNilike            // nlike, ignoring case
	OpRegexp            // Prop matches Value, a [Regexp]
	OpNear              // GeoPoint Prop lies near Value, a [GeoNear]; see [Near]
)

var opNames = [...]string{OpAll: "", OpAnd: "and", OpOr: "or", OpEq: "eq", OpNeq: "neq", OpGt: "gt",
	OpGte: "gte", OpLt: "lt", OpLte: "lte", OpInq: "inq", OpNin: "nin", OpBetween: "between",
	OpExists: "exists", OpLike: "like", OpNlike: "nlike", OpIlike: "ilike", OpNilike: "nilike", OpRegexp: "regexp",
	OpNear: "near"}

// String is the operator's name in LoopBack's where clause.
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// opByName maps the comparison operators' names to them.
var opByName = func() map[string]Op {
	m := map[string]Op{}
	for o := OpEq; o <= OpRegexp; o++ {
		m[opNames[o]] = o
	}
	return m
}()

// Regexp is the operand of regexp: a pattern and JavaScript-style flags
// (i, m, s; g is accepted and ignored), as in "/^take/i".
type Regexp struct {
	Pattern string
	Flags   string
}

// String writes r as /pattern/flags.
func (r Regexp) String() string { return "/" + r.Pattern + "/" + r.Flags }

// Cond is one node of a where clause: a comparison of a property with a
// value, or an and/or of other conditions. The zero Cond matches every
// entity. Build conditions with [Eq], [Gt], [Inq], [Like], [And], [Or], ...
// or decode them from JSON with [Where]; a [CrudRepository] checks them
// against the model (property names, value types, operators, caps) and
// coerces values to the property's type before a connector sees them.
//
// After a check, Value holds nil, bool, int64, float64, string or
// time.Time; []any of those for inq, nin and between; bool for exists; a
// [Regexp] for regexp; the pattern string for the like operators; a
// [GeoNear] for near, its unit set.
type Cond struct {
	Op    Op
	Prop  string // the property compared; dotted for nested values (address.city)
	Value any
	Conds []Cond // the operands of and/or
}

func (c Cond) clause() Cond { return c }

// Clause is anything that stands for a where clause: a [Cond] built in code
// or a [Where] decoded from a request. A nil Clause matches everything.
type Clause interface{ clause() Cond }

func condOf(c Clause) Cond {
	if c == nil {
		return Cond{}
	}
	return c.clause()
}

// IsAll reports whether c matches every entity.
func (c Cond) IsAll() bool { return c.Op == OpAll }

// And returns c and the others, all of which must hold.
func (c Cond) And(others ...Cond) Cond { return And(append([]Cond{c}, others...)...) }

// Or returns c or the others, one of which must hold.
func (c Cond) Or(others ...Cond) Cond { return Or(append([]Cond{c}, others...)...) }

// And is the condition that every one of conds holds; conditions that match
// everything are left out.
func And(conds ...Cond) Cond { return junction(OpAnd, conds) }

// Or is the condition that at least one of conds holds.
func Or(conds ...Cond) Cond { return junction(OpOr, conds) }

func junction(op Op, conds []Cond) Cond {
	kept := make([]Cond, 0, len(conds))
	for _, c := range conds {
		if c.Op == OpAll {
			if op == OpOr {
				return Cond{} // one branch matches everything
			}
			continue
		}
		if c.Op == op { // (a and b) and c is a and b and c
			kept = append(kept, c.Conds...)
			continue
		}
		kept = append(kept, c)
	}
	switch len(kept) {
	case 0:
		return Cond{}
	case 1:
		return kept[0]
	}
	return Cond{Op: op, Conds: kept}
}

// Eq is prop == v; Eq(prop, nil) matches entities where prop is null or
// absent.
func Eq(prop string, v any) Cond { return Cond{Op: OpEq, Prop: prop, Value: v} }

// Neq is prop != v; entities without prop match.
func Neq(prop string, v any) Cond { return Cond{Op: OpNeq, Prop: prop, Value: v} }

// Gt is prop > v.
func Gt(prop string, v any) Cond { return Cond{Op: OpGt, Prop: prop, Value: v} }

// Gte is prop >= v.
func Gte(prop string, v any) Cond { return Cond{Op: OpGte, Prop: prop, Value: v} }

// Lt is prop < v.
func Lt(prop string, v any) Cond { return Cond{Op: OpLt, Prop: prop, Value: v} }

// Lte is prop <= v.
func Lte(prop string, v any) Cond { return Cond{Op: OpLte, Prop: prop, Value: v} }

// Inq is prop ∈ vs; an empty list matches nothing.
func Inq(prop string, vs ...any) Cond { return Cond{Op: OpInq, Prop: prop, Value: vs} }

// Nin is prop ∉ vs; an empty list matches everything.
func Nin(prop string, vs ...any) Cond { return Cond{Op: OpNin, Prop: prop, Value: vs} }

// Between is lo <= prop <= hi.
func Between(prop string, lo, hi any) Cond {
	return Cond{Op: OpBetween, Prop: prop, Value: []any{lo, hi}}
}

// Exists is prop being set (yes) or absent (!yes).
func Exists(prop string, yes bool) Cond { return Cond{Op: OpExists, Prop: prop, Value: yes} }

// Like matches prop against an SQL-like pattern: % is any text, _ one
// character; the pattern is not anchored in the memory connector.
func Like(prop, pattern string) Cond { return Cond{Op: OpLike, Prop: prop, Value: pattern} }

// Nlike is the negation of [Like].
func Nlike(prop, pattern string) Cond { return Cond{Op: OpNlike, Prop: prop, Value: pattern} }

// Ilike is [Like] ignoring case.
func Ilike(prop, pattern string) Cond { return Cond{Op: OpIlike, Prop: prop, Value: pattern} }

// Nilike is [Nlike] ignoring case.
func Nilike(prop, pattern string) Cond { return Cond{Op: OpNilike, Prop: prop, Value: pattern} }

// Match matches prop against a regular expression: "/pattern/flags" or a
// bare pattern (RE2 syntax).
func Match(prop, re string) Cond { return Cond{Op: OpRegexp, Prop: prop, Value: parseRegexp(re)} }

// parseRegexp reads "/pattern/flags" (LoopBack's toRegExp); any other text
// is a pattern without flags.
func parseRegexp(s string) Regexp {
	if len(s) >= 2 && s[0] == '/' {
		if end := strings.LastIndexByte(s, '/'); end > 0 {
			return Regexp{Pattern: s[1:end], Flags: s[end+1:]}
		}
	}
	return Regexp{Pattern: s}
}

// String writes c in LoopBack's JSON where syntax, for messages and logs.
func (c Cond) String() string {
	b, err := c.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("%#v", c)
	}
	return string(b)
}
