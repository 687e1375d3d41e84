package sql

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/loomhq/loom/repository"
)

// PostgreSQL writes like as LIKE when the pattern is text and % only, and
// otherwise as a POSIX regular expression (~) with embedded options that
// give Go's defaults: "." stops at newlines, ^ and $ anchor the text. JSON
// values are compared with SQL/JSON path filters in lax mode, whose
// unwrapping of arrays is the memory connector's "an array matches when
// one of its elements does". Patterns, paths and values are parameters.

func (postgresDialect) likeExpr(s *stmt, col, pat string, fold bool) string {
	if _, literal := literalPieces(pat, fold); literal {
		// Unanchored, as the memory connector's like: %pattern%.
		return col + " LIKE " + s.param("%"+pat+"%")
	}
	opts := "p"
	if fold {
		opts += "i"
	}
	return col + " ~ " + s.param("(?"+opts+")"+repository.LikePattern(pat))
}

// pgRegexpOptions turns JavaScript flags into the embedded options of a
// PostgreSQL ARE: m and s choose among p (neither), n (m), s (s) and w
// (both); i ignores case; g means nothing for a match.
func pgRegexpOptions(flags string) string {
	m, dot, fold := strings.ContainsRune(flags, 'm'), strings.ContainsRune(flags, 's'), strings.ContainsRune(flags, 'i')
	opts := "p"
	switch {
	case m && dot:
		opts = "w"
	case m:
		opts = "n"
	case dot:
		opts = "s"
	}
	if fold {
		opts += "i"
	}
	return opts
}

func (postgresDialect) regexpExpr(s *stmt, col string, re repository.Regexp) string {
	return col + " ~ " + s.param("(?"+pgRegexpOptions(re.Flags)+")"+re.Pattern)
}

func (postgresDialect) jsonExpr(s *stmt, col string, path []string, j jsonTest) (string, error) {
	pred, vars, ok := pgPredicate(j)
	if !ok { // a comparison no value satisfies
		return pick(j.negate(), sqlTrue, sqlFalse), nil
	}
	varsJSON, err := json.Marshal(vars)
	if err != nil {
		return "", filterErr("where", "%v", err)
	}
	expr := "COALESCE(jsonb_path_exists(" + col + ", " + s.param(pgJSONPath(path)+" ? ("+pred+")") +
		"::jsonpath, " + s.param(string(varsJSON)) + "::jsonb, true), false)"
	if j.negate() {
		return "(NOT " + expr + ")", nil
	}
	return "(" + expr + ")", nil
}

// pgJSONPath is the path $."a"."b" with each key a quoted literal.
func pgJSONPath(path []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, seg := range path {
		b.WriteString(".")
		b.WriteString(quoteJSONString(seg))
	}
	return b.String()
}

// pgPredicate is the filter a JSON value must pass for j, with its
// variables; ok is false when no value can pass (comparisons with lists or
// objects, empty inq lists), as in the memory connector.
func pgPredicate(j jsonTest) (string, map[string]any, bool) {
	vars := map[string]any{}
	switch j.op {
	case repository.OpEq, repository.OpNeq, repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		if j.value == nil {
			if j.op == repository.OpEq || j.op == repository.OpNeq {
				return `@.type() != "null"`, vars, true
			}
			return "", nil, false
		}
		if !scalar(j.value) {
			return "", nil, false
		}
		vars["v"] = j.value
		op := map[repository.Op]string{repository.OpEq: "==", repository.OpNeq: "==", repository.OpGt: ">",
			repository.OpGte: ">=", repository.OpLt: "<", repository.OpLte: "<="}[j.op]
		return "@ " + op + " $v", vars, true
	case repository.OpInq, repository.OpNin:
		list, _ := j.value.([]any)
		var parts []string
		for _, v := range list {
			if scalar(v) {
				name := "v" + strconv.Itoa(len(parts))
				vars[name] = v
				parts = append(parts, "@ == $"+name)
			}
		}
		if len(parts) == 0 {
			return "", nil, false
		}
		return strings.Join(parts, " || "), vars, true
	case repository.OpBetween:
		list, _ := j.value.([]any)
		if len(list) != 2 || !scalar(list[0]) || !scalar(list[1]) {
			return "", nil, false
		}
		vars["lo"], vars["hi"] = list[0], list[1]
		return "@ >= $lo && @ <= $hi", vars, true
	case repository.OpExists:
		return `@.type() != "null"`, vars, true
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, _ := j.value.(string)
		pred := "@ like_regex " + quoteJSONString(repository.LikePattern(pat))
		if j.op == repository.OpIlike || j.op == repository.OpNilike {
			pred += ` flag "i"`
		}
		return pred, vars, true
	case repository.OpRegexp:
		re, _ := j.value.(repository.Regexp)
		pred := "@ like_regex " + quoteJSONString(re.Pattern)
		flags := ""
		for _, f := range "ims" {
			if strings.ContainsRune(re.Flags, f) {
				flags += string(f)
			}
		}
		if flags != "" {
			pred += " flag " + quoteJSONString(flags)
		}
		return pred, vars, true
	}
	return "", nil, false
}

func (postgresDialect) jsonOrder(s *stmt, col string, path []string) []string {
	e := col
	if path != nil {
		e = "(" + col + " #> " + s.param(path) + "::text[])"
	}
	typ := "jsonb_typeof(" + e + ")"
	return []string{
		"CASE WHEN " + e + " IS NULL OR " + typ + " = 'null' THEN 0 WHEN " + typ + " = 'boolean' THEN 1 WHEN " +
			typ + " = 'number' THEN 2 WHEN " + typ + " = 'string' THEN 3 ELSE 4 END",
		"CASE WHEN " + typ + " = 'boolean' THEN (" + e + ")::text END",
		"CASE WHEN " + typ + " = 'number' THEN (" + e + ")::numeric END",
		"CASE WHEN " + typ + " = 'string' THEN (" + e + ` #>> '{}') COLLATE "C" END`,
	}
}
