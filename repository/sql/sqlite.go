package sql

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/loomhq/loom/repository"
)

// SQLite has no case-sensitive unanchored like, no regular expressions and
// no JSON comparison with the memory connector's rules, so the connector
// registers Go functions that implement them; the patterns and values
// they take are parameters like any other.

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// maxInstrPiece is the longest piece SQLite's own instr() looks for: its
// search costs the text's length times the piece's, unbudgeted (at worst
// 13 ms per MB of text for 32 bytes, 24 ms for 64), so longer pieces go to
// loom_like, which charges the query's budget.
const maxInstrPiece = 32

func (sqliteDialect) likeExpr(s *stmt, col, pat string, fold bool) string {
	if pieces, ok := literalPieces(pat, fold); ok {
		// Text and %: its one piece anywhere is SQLite's own instr, which
		// is case-sensitive (LIKE is not, and GLOB reads * ? [ as syntax).
		switch {
		case len(pieces) == 0:
			return sqlTrue
		case len(pieces) == 1 && len(pieces[0]) <= maxInstrPiece:
			return "instr(" + col + ", " + s.param(pieces[0]) + ") > 0"
		}
	}
	return "loom_like(" + col + ", " + s.param(pat) + ", " + s.param(boolInt(fold)) + ", " + s.token() + ") = 1"
}

func (sqliteDialect) regexpExpr(s *stmt, col string, re repository.Regexp) string {
	return "loom_regexp(" + col + ", " + s.param(re.Pattern) + ", " + s.param(re.Flags) + ", " + s.token() + ") = 1"
}

func (sqliteDialect) jsonExpr(s *stmt, col string, path []string, j jsonTest) (string, error) {
	arg, err := encodeArg(j.value)
	if err != nil {
		return "", filterErr("where", "%v", err)
	}
	return "(loom_json(" + col + ", " + s.param(pathArg(path)) + ", " + s.param(int64(j.op)) + ", " +
		s.param(arg) + ", " + s.token() + ") = 1)", nil
}

func (sqliteDialect) jsonOrder(s *stmt, col string, path []string) []string {
	rank := "loom_json_rank(" + col + ", " + s.param(pathArg(path)) + ")"
	return []string{rank, "loom_json_key(" + col + ", " + s.param(pathArg(path)) + ")"}
}

// pathArg is a dotted path as the SQLite functions take it: nil for the
// column's own value.
func pathArg(path []string) any {
	if path == nil {
		return nil
	}
	return strings.Join(path, ".")
}

// encodeArg writes a filter value as JSON for the SQLite functions, with
// the types JSON lacks tagged.
func encodeArg(v any) (string, error) {
	b, err := json.Marshal(tagArg(v))
	return string(b), err
}

func tagArg(v any) any {
	switch t := v.(type) {
	case time.Time:
		return map[string]any{"$time": t.Format(time.RFC3339Nano)}
	case repository.Regexp:
		return map[string]any{"$regexp": []string{t.Pattern, t.Flags}}
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = tagArg(e)
		}
		return out
	}
	return v
}

func decodeArg(s string) (any, error) {
	v, err := repository.DecodeValue([]byte(s))
	if err != nil {
		return nil, err
	}
	return untagArg(v), nil
}

func untagArg(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) != 1 {
			return v
		}
		if s, ok := t["$time"].(string); ok {
			if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return tm
			}
		}
		if re, ok := t["$regexp"].([]any); ok && len(re) == 2 {
			p, _ := re[0].(string)
			f, _ := re[1].(string)
			return repository.Regexp{Pattern: p, Flags: f}
		}
	case []any:
		for i, e := range t {
			t[i] = untagArg(e)
		}
	}
	return v
}

type testEntry struct {
	test   valueTest
	negate bool
	err    error
}

var registerOnce = sync.OnceValue(registerFunctions)

// registerFunctions adds the loom_ functions to the modernc driver, for
// every connection it opens from now on.
func registerFunctions() error {
	fns := []struct {
		name string
		n    int32
		fn   func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error)
	}{
		{"loom_like", 4, fnLike},
		{"loom_regexp", 4, fnRegexp},
		{"loom_json", 5, fnJSON},
		{"loom_json_rank", 2, fnJSONRank},
		{"loom_json_key", 2, fnJSONKey},
		{"loom_geo_near", 6, fnGeoNear},
		{"loom_geo_distance", 3, fnGeoDistance},
	}
	for _, f := range fns {
		if err := sqlite.RegisterDeterministicScalarFunction(f.name, f.n, f.fn); err != nil {
			return fmt.Errorf("sql: registering SQLite function %s: %w", f.name, err)
		}
	}
	return nil
}

// fnLike is loom_like(text, pattern, fold, token): 1 when text matches,
// the work charged to the budget of the query token names.
func fnLike(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	str, ok := args[0].(string)
	pat, _ := args[1].(string)
	fold, _ := args[2].(int64)
	if !ok {
		return int64(0), nil
	}
	q := stateOf(args[3])
	p, err := q.pattern(pick(fold != 0, "i", "c")[0], pat, "")
	if err != nil {
		return nil, err
	}
	return matchResult(p.Match(str, q.budgetOf()))
}

// fnRegexp is loom_regexp(text, pattern, flags, token): 1 when text
// matches, the work charged to the budget of the query token names.
func fnRegexp(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	str, ok := args[0].(string)
	pat, _ := args[1].(string)
	flags, _ := args[2].(string)
	if !ok {
		return int64(0), nil
	}
	q := stateOf(args[3])
	p, err := q.pattern('r', pat, flags)
	if err != nil {
		return nil, err
	}
	return matchResult(p.Match(str, q.budgetOf()))
}

func matchResult(ok bool, err error) (driver.Value, error) {
	if err != nil {
		return nil, err
	}
	return boolInt(ok), nil
}

// docValues decodes a JSON column and returns the values at path (nil:
// the value itself), nulls left out.
func docValues(doc, path driver.Value) ([]any, error) {
	text, ok := doc.(string)
	if !ok {
		if b, isBytes := doc.([]byte); isBytes {
			text, ok = string(b), true
		}
	}
	if !ok {
		return nil, nil // NULL: absent
	}
	v, err := repository.DecodeValue([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("loom_json: bad JSON in column: %w", err)
	}
	p, dotted := path.(string)
	if !dotted {
		if v == nil {
			return nil, nil
		}
		return []any{v}, nil
	}
	return repository.PathValues(v, strings.Split(p, ".")), nil
}

// fnJSON is loom_json(doc, path, op, arg, token): 1 when the JSON
// document's values at path satisfy the comparison, by the memory
// connector's rules; like and regexp charge the budget of the query token
// names.
func fnJSON(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	op, _ := args[2].(int64)
	arg, _ := args[3].(string)
	q := stateOf(args[4])
	e := q.test(strconv.FormatInt(op, 10)+":"+arg, func() testEntry {
		v, err := decodeArg(arg)
		if err != nil {
			return testEntry{err: fmt.Errorf("loom_json: bad argument: %w", err)}
		}
		j := jsonTest{op: repository.Op(op), value: v}
		return testEntry{test: newValueTest(j), negate: j.negate()}
	})
	if e.err != nil {
		return nil, e.err
	}
	vs, err := docValues(args[0], args[1])
	if err != nil {
		return nil, err
	}
	budget := q.budgetOf()
	var failed error
	found := repository.AnyValue(vs, func(v any) bool {
		ok, err := e.test(v, budget)
		if err != nil {
			failed = err
		}
		return ok
	})
	if failed != nil {
		return nil, failed
	}
	return boolInt(found != e.negate), nil
}

// orderValue is the value a sort reads: the first at path.
func orderValue(args []driver.Value) (any, error) {
	vs, err := docValues(args[0], args[1])
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	return vs[0], nil
}

// fnJSONRank is loom_json_rank(doc, path): the rank of the value's type
// in a sort (absent first, then booleans, numbers, text, the rest).
func fnJSONRank(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	v, err := orderValue(args)
	if err != nil {
		return nil, err
	}
	return typeRank(v), nil
}

// fnJSONKey is loom_json_key(doc, path): the value sorted within its
// rank; NULL for objects and arrays, which sort as equal.
func fnJSONKey(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	v, err := orderValue(args)
	if err != nil {
		return nil, err
	}
	switch t := v.(type) {
	case bool:
		return boolInt(t), nil
	case int64:
		return float64(t), nil
	case float64, string:
		return t, nil
	}
	return nil, nil
}
