package sql

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// sqlKeywords are the words the compiler writes; any other word in a
// statement would have come from input.
var sqlKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`SELECT FROM WHERE AND OR NOT IS NULL IN BETWEEN LIKE ORDER BY ASC DESC
		NULLS FIRST LAST LIMIT OFFSET COLLATE CASE WHEN THEN ELSE END COALESCE jsonb_path_exists
		jsonb_typeof jsonpath jsonb text numeric true false loom_like loom_regexp loom_json
		loom_json_rank loom_json_key count instr`) {
		m[w] = true
	}
	return m
}()

var sqlLiterals = map[string]bool{"'null'": true, "'boolean'": true, "'number'": true, "'string'": true, "'{}'": true}

// onlyPlaceholders checks that a statement is made of the table's
// identifiers, the compiler's keywords and literals, small constants and
// placeholders within args (SQLite's ?, one per argument in order): no
// value of a filter is in its text.
func onlyPlaceholders(sql string, nargs int, t *table, schema string) error {
	anonymous := 0
	idents := map[string]bool{t.name: true, "C": true, schema: true}
	for _, c := range t.cols {
		idents[c.name] = true
	}
	for i := 0; i < len(sql); {
		ch := sql[i]
		switch {
		case ch == ' ' || strings.IndexByte("(),=<>!:.*-#~[]", ch) >= 0:
			i++
		case ch == '"':
			end := strings.IndexByte(sql[i+1:], '"')
			if end < 0 || !idents[sql[i+1:i+1+end]] {
				return fmt.Errorf("identifier not from the model at %d in %s", i, sql)
			}
			i += end + 2
		case ch == '\'':
			end := strings.IndexByte(sql[i+1:], '\'')
			if end < 0 || !sqlLiterals[sql[i:i+end+2]] {
				return fmt.Errorf("literal at %d in %s", i, sql)
			}
			i += end + 2
		case ch == '?' && (i+1 == len(sql) || sql[i+1] < '0' || sql[i+1] > '9'):
			if anonymous++; anonymous > nargs {
				return fmt.Errorf("more placeholders than the %d arguments in %s", nargs, sql)
			}
			i++
		case ch == '$' || ch == '?':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(sql[i+1 : j])
			if err != nil || n < 1 || n > nargs {
				return fmt.Errorf("placeholder %q beyond %d arguments in %s", sql[i:j], nargs, sql)
			}
			i = j
		case ch >= '0' && ch <= '4' && (i+1 == len(sql) || sql[i+1] < '0' || sql[i+1] > '9'):
			i++
		case ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z':
			j := i
			for j < len(sql) && (sql[j] == '_' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			if !sqlKeywords[sql[i:j]] {
				return fmt.Errorf("word %q at %d in %s", sql[i:j], i, sql)
			}
			i = j
		default:
			return fmt.Errorf("character %q at %d in %s", ch, i, sql)
		}
	}
	if anonymous > 0 && anonymous != nargs {
		return fmt.Errorf("%d placeholders for %d arguments in %s", anonymous, nargs, sql)
	}
	return nil
}

// compileFind writes the SELECT of Find for q.
func compileFind(d dialect, t *table, q repository.Query) (*stmt, error) {
	s := newStmt(d)
	s.write("SELECT count(*) FROM ", t.ref)
	if err := s.where(t, q.Where); err != nil {
		return nil, err
	}
	if err := s.order(t, q.Order); err != nil {
		return nil, err
	}
	s.limit(q.Limit, q.Skip)
	return s, nil
}

// FuzzCompile feeds filters through the parser (checked against the model,
// and structure-only, so that unknown and dotted property names and
// uncoerced values reach the compiler) and, with op, through operators the
// parser never makes. The compiler must not panic, and every statement it
// writes must pass onlyPlaceholders on both dialects.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		`{"where":{"title":"x' OR '1'='1"}}`,
		`{"where":{"and":[{"or":[{"title":{"like":"%task%"}},{"desc":"fifth"}]},{"isComplete":{"neq":true}}]}}`,
		`{"where":{"address.city":{"ilike":"os%"}},"order":"address.city DESC"}`,
		`{"where":{"tags":{"inq":["work",1,null,{"a":1}]}},"order":["tags ASC","priority DESC"],"limit":3,"skip":1}`,
		`{"where":{"due":{"between":["2024-01-01T00:00:00Z","2024-02-01"]}}}`,
		`{"where":{"title":{"regexp":"/^a\"'$/ims"},"score":{"gt":"1e3"}}}`,
		`{"where":{"nope\"; DROP TABLE todo; --":1}}`,
		`{"where":{"address.\" ? (@ == @) || \"":{"exists":true}}}`,
		`{"order":"title; DROP TABLE todo"}`,
	} {
		f.Add(seed, byte(0))
	}
	m, err := repository.ModelOf[repotest.Todo]()
	if err != nil {
		f.Fatal(err)
	}
	const schema = "app"
	dialects := []dialect{sqliteDialect{}, postgresDialect{}}
	tables := make([]*table, len(dialects))
	for i, d := range dialects {
		if tables[i], err = newTable(d, schema, m); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, filter string, op byte) {
		var queries []repository.Query
		for _, model := range []*repository.Model{m, nil} {
			if q, err := repository.ParseFilter(model, []byte(filter)); err == nil {
				queries = append(queries, q)
			}
		}
		if len(queries) > 0 && op != 0 {
			q := queries[len(queries)-1]
			q.Where = repository.And(q.Where, repository.Cond{Op: repository.Op(op % 24), Prop: "title", Value: filter})
			queries = append(queries, q)
		}
		for _, q := range queries {
			for i, d := range dialects {
				s, err := compileFind(d, tables[i], q)
				if err != nil {
					continue // a filter the compiler refuses, with an error
				}
				if err := onlyPlaceholders(s.String(), len(s.args), tables[i], schema); err != nil {
					t.Fatalf("%s: filter %s: %v", d.name(), filter, err)
				}
			}
		}
	})
}
