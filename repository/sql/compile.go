package sql

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loomhq/loom/repository"
)

// maxCondDepth caps the nesting of and/or the compiler follows; the
// repository's check caps it lower for filters it has seen.
const maxCondDepth = 64

const (
	sqlFalse = "(1=0)"
	sqlTrue  = "(1=1)"
)

// stmt is a statement being written: SQL text whose every value is a
// parameter in args. Identifiers come from the table's metadata only.
type stmt struct {
	d     dialect
	b     strings.Builder
	args  []any
	model *repository.Model // whose limits the query's budget takes

	// The query's token and state, when it calls SQLite functions.
	state   *queryState
	tokenID int64
}

func newStmt(d dialect) *stmt { return &stmt{d: d} }

// param adds v to the arguments and returns its placeholder, which the
// statement's text must use once, in the order of the calls (SQLite's
// placeholders are anonymous).
func (s *stmt) param(v any) string {
	s.args = append(s.args, v)
	return s.d.placeholder(len(s.args))
}

func (s *stmt) write(parts ...string) {
	for _, p := range parts {
		s.b.WriteString(p)
	}
}

func (s *stmt) String() string { return s.b.String() }

// filterErr is a condition the compiler cannot run: only conditions that
// did not go through the repository's check can cause it.
func filterErr(path, format string, args ...any) error {
	return &repository.FilterError{Path: path, Message: fmt.Sprintf(format, args...)}
}

// where writes " WHERE <cond>" unless c matches everything.
func (s *stmt) where(t *table, c repository.Cond) error {
	if c.IsAll() {
		return nil
	}
	s.model = t.model
	expr, err := s.cond(t, c, 0)
	if err != nil {
		return err
	}
	s.write(" WHERE ", expr)
	return nil
}

// cond returns the SQL boolean expression of c; its values are added as
// parameters as it goes.
func (s *stmt) cond(t *table, c repository.Cond, depth int) (string, error) {
	switch c.Op {
	case repository.OpAll:
		return sqlTrue, nil
	case repository.OpAnd, repository.OpOr:
		if depth >= maxCondDepth {
			return "", filterErr("where", "and/or nested deeper than %d", maxCondDepth)
		}
		if len(c.Conds) == 0 {
			if c.Op == repository.OpAnd {
				return sqlTrue, nil
			}
			return sqlFalse, nil
		}
		sep := " AND "
		if c.Op == repository.OpOr {
			sep = " OR "
		}
		parts := make([]string, len(c.Conds))
		for i, sub := range c.Conds {
			p, err := s.cond(t, sub, depth+1)
			if err != nil {
				return "", err
			}
			parts[i] = p
		}
		return joinBalanced(parts, sep), nil
	}
	if c.Op == repository.OpNear {
		return s.nearCond(t, c)
	}
	if c.Op < repository.OpEq || c.Op > repository.OpRegexp {
		return "", filterErr(c.Prop, "unknown operator %v", c.Op)
	}
	head, rest, dotted := strings.Cut(c.Prop, ".")
	col := t.byProp[head]
	if col == nil {
		return "", filterErr(c.Prop, "%s has no property %q", t.model.Name, c.Prop)
	}
	if dotted || col.store == storeJSON {
		var path []string
		if dotted {
			path = strings.Split(rest, ".")
		}
		return s.jsonCond(col, path, c)
	}
	return s.scalarCond(col, c)
}

// joinBalanced joins parts with sep as a balanced tree of parentheses:
// SQLite parses a AND b AND c… as deep as it is long, and refuses trees
// deeper than 1000, which a flat list of 1000 conditions would reach.
func joinBalanced(parts []string, sep string) string {
	if len(parts) <= 8 {
		return "(" + strings.Join(parts, sep) + ")"
	}
	mid := len(parts) / 2
	return "(" + joinBalanced(parts[:mid], sep) + sep + joinBalanced(parts[mid:], sep) + ")"
}

// scalarCond compares a column of text, numbers, booleans or times. Absent
// values are NULL: they satisfy neq, nin, the negated likes, eq null and
// exists false, and nothing else, as in the memory connector.
func (s *stmt) scalarCond(col *column, c repository.Cond) (string, error) {
	cmp := col.q // the column as ordered comparisons see it
	if col.store == storeText {
		cmp += s.d.textCollate()
	}
	switch c.Op {
	case repository.OpEq, repository.OpNeq:
		neq := c.Op == repository.OpNeq
		if c.Value == nil {
			if neq {
				return "(" + col.q + " IS NOT NULL)", nil
			}
			return "(" + col.q + " IS NULL)", nil
		}
		arg, ok := condArg(s.d, col, c.Value)
		if !ok {
			return pick(neq, sqlTrue, sqlFalse), nil
		}
		if neq {
			return "(" + col.q + " IS NULL OR " + col.q + " <> " + s.param(arg) + ")", nil
		}
		return "(" + col.q + " = " + s.param(arg) + ")", nil
	case repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		arg, ok := condArg(s.d, col, c.Value)
		if !ok || c.Value == nil {
			return sqlFalse, nil
		}
		return "(" + cmp + " " + comparison[c.Op] + " " + s.param(arg) + ")", nil
	case repository.OpInq, repository.OpNin:
		nin := c.Op == repository.OpNin
		list, _ := c.Value.([]any)
		var ps []string
		for _, v := range list {
			if arg, ok := condArg(s.d, col, v); ok && v != nil {
				ps = append(ps, s.param(arg))
			}
		}
		if len(ps) == 0 {
			return pick(nin, sqlTrue, sqlFalse), nil
		}
		in := col.q + " IN (" + strings.Join(ps, ", ") + ")"
		if nin {
			return "(" + col.q + " IS NULL OR NOT " + in + ")", nil
		}
		return "(" + in + ")", nil
	case repository.OpBetween:
		list, _ := c.Value.([]any)
		if len(list) != 2 || list[0] == nil || list[1] == nil {
			return sqlFalse, nil
		}
		lo, ok1 := condArg(s.d, col, list[0])
		hi, ok2 := condArg(s.d, col, list[1])
		if !ok1 || !ok2 {
			return sqlFalse, nil
		}
		return "(" + cmp + " BETWEEN " + s.param(lo) + " AND " + s.param(hi) + ")", nil
	case repository.OpExists:
		yes, _ := c.Value.(bool)
		return pick(yes, "("+col.q+" IS NOT NULL)", "("+col.q+" IS NULL)"), nil
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, ok := c.Value.(string)
		if !ok {
			return "", filterErr(c.Prop+"."+c.Op.String(), "a %s pattern must be a string", c.Op)
		}
		neg := c.Op == repository.OpNlike || c.Op == repository.OpNilike
		fold := c.Op == repository.OpIlike || c.Op == repository.OpNilike
		if _, err := repository.LikeRegexp(pat, fold); err != nil {
			return "", filterErr(c.Prop+"."+c.Op.String(), "bad pattern %q: %v", pat, err)
		}
		if col.store != storeText { // like matches text only
			return pick(neg, sqlTrue, sqlFalse), nil
		}
		return negated(col.q, s.d.likeExpr(s, col.q, pat, fold), neg), nil
	case repository.OpRegexp:
		re, err := regexpOf(c)
		if err != nil {
			return "", err
		}
		if col.store != storeText {
			return sqlFalse, nil
		}
		return "(" + s.d.regexpExpr(s, col.q, re) + ")", nil
	}
	return "", filterErr(c.Prop, "unknown operator %v", c.Op)
}

var comparison = map[repository.Op]string{
	repository.OpGt: ">", repository.OpGte: ">=", repository.OpLt: "<", repository.OpLte: "<=",
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// negated is expr, or its negation that absent (NULL) values satisfy.
func negated(col, expr string, neg bool) string {
	if neg {
		return "(" + col + " IS NULL OR NOT " + expr + ")"
	}
	return "(" + expr + ")"
}

// regexpOf reads and checks a regexp condition's operand.
func regexpOf(c repository.Cond) (repository.Regexp, error) {
	var re repository.Regexp
	switch v := c.Value.(type) {
	case repository.Regexp:
		re = v
	case *repository.Regexp:
		if v == nil {
			return re, filterErr(c.Prop+".regexp", "regexp needs a pattern")
		}
		re = *v
	case string:
		re = repository.Match(c.Prop, v).Value.(repository.Regexp)
	default:
		return re, filterErr(c.Prop+".regexp", "a regexp must be a string or a repository.Regexp, not %T", c.Value)
	}
	if _, err := re.Compile(); err != nil {
		return re, filterErr(c.Prop+".regexp", "%v", err)
	}
	return re, nil
}

// jsonCond compares the values a JSON column holds at path (nil: the
// column's value itself), as the memory connector does: an array matches
// when one of its elements does.
func (s *stmt) jsonCond(col *column, path []string, c repository.Cond) (string, error) {
	j := jsonTest{op: c.Op, value: c.Value}
	switch c.Op {
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, ok := c.Value.(string)
		if !ok {
			return "", filterErr(c.Prop+"."+c.Op.String(), "a %s pattern must be a string", c.Op)
		}
		fold := c.Op == repository.OpIlike || c.Op == repository.OpNilike
		if _, err := repository.LikeRegexp(pat, fold); err != nil {
			return "", filterErr(c.Prop+"."+c.Op.String(), "bad pattern %q: %v", pat, err)
		}
	case repository.OpRegexp:
		re, err := regexpOf(c)
		if err != nil {
			return "", err
		}
		j.value = re
	}
	return s.d.jsonExpr(s, col.q, path, j)
}

// jsonTest is one comparison on JSON values, in the memory connector's
// terms: a test of one present value, and whether the result is negated
// (the operators absent values satisfy).
type jsonTest struct {
	op    repository.Op
	value any
}

// negate reports whether the comparison holds when no value passes the
// test: neq, nin, nlike, nilike, eq null and exists false.
func (j jsonTest) negate() bool {
	switch j.op {
	case repository.OpEq:
		return j.value == nil
	case repository.OpNeq, repository.OpNin, repository.OpNlike, repository.OpNilike:
		return j.op != repository.OpNeq || j.value != nil
	case repository.OpExists:
		yes, _ := j.value.(bool)
		return !yes
	}
	return false
}

// scalar reports whether v is a value JSON comparisons take: the memory
// connector never finds lists or objects equal to anything.
func scalar(v any) bool {
	switch v.(type) {
	case bool, int64, float64, string, time.Time, int:
		return true
	}
	return false
}

// order writes " ORDER BY …": absent values first ascending and last
// descending, text byte-wise, JSON values by type then value.
func (s *stmt) order(t *table, os []repository.Order) error {
	for i, o := range os {
		s.write(pick(i == 0, " ORDER BY ", ", "))
		head, rest, dotted := strings.Cut(o.Prop, ".")
		col := t.byProp[head]
		if col == nil {
			return filterErr(fmt.Sprintf("order[%d]", i), "%s has no property %q", t.model.Name, o.Prop)
		}
		dir := pick(o.Desc, " DESC NULLS LAST", " ASC NULLS FIRST")
		if o.Near != nil {
			s.write(s.d.distanceExpr(s, col.q, *o.Near), dir)
			continue
		}
		if dotted || col.store == storeJSON {
			var path []string
			if dotted {
				path = strings.Split(rest, ".")
			}
			for j, key := range s.d.jsonOrder(s, col.q, path) {
				s.write(pick(j == 0, "", ", "), key, dir)
			}
			continue
		}
		s.write(col.q)
		if col.store == storeText {
			s.write(s.d.textCollate())
		}
		s.write(dir)
	}
	return nil
}

// limit writes LIMIT and OFFSET as parameters.
func (s *stmt) limit(limit, skip int) {
	switch {
	case limit > 0:
		s.write(" LIMIT ", s.param(int64(limit)))
	case skip > 0 && s.d.name() == "sqlite":
		s.write(" LIMIT -1") // SQLite has no OFFSET without LIMIT
	}
	if skip > 0 {
		s.write(" OFFSET ", s.param(int64(skip)))
	}
}

// quoteJSONString writes s as a JSON string literal, which is also a
// jsonpath string literal.
func quoteJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == 0xfffd:
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)) + h)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
