package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// decodeTree decodes JSON into a generic tree: map[string]any, []any,
// string, bool, nil and int64/float64 numbers.
func decodeTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, &FilterError{Message: "invalid JSON: " + err.Error(), Keyword: "format", Code: CodeInvalidParameterValue}
	}
	if dec.More() {
		return nil, &FilterError{Message: "invalid JSON: text after the value", Keyword: "format", Code: CodeInvalidParameterValue}
	}
	return normalizeNumbers(tree), nil
}

// filterKeys are the properties of a filter, in the order they are read.
var filterKeys = []string{"where", "fields", "order", "limit", "skip", "offset", "include"}

// parseQuery reads a filter object: {where, fields, order, limit, skip,
// offset, include}. Without allowWhere, where is an unknown property
// (LoopBack's FilterExcludingWhere).
func (c *checker) parseQuery(tree any, path string, allowWhere bool, depth int) (Query, error) {
	var q Query
	obj, ok := tree.(map[string]any)
	if !ok {
		return q, c.fail(path, "type", map[string]any{"type": "object"}, "a filter must be an object, not %s", valueText(tree))
	}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(filterKeys, k) || k == "where" && !allowWhere {
			return q, c.fail(join(path, k), "additionalProperties", map[string]any{"additionalProperty": k},
				"unknown filter property %q (%s)", k, knownKeys(allowWhere))
		}
	}
	var err error
	if v, ok := obj["where"]; ok {
		if q.Where, err = c.parseWhere(v, join(path, "where"), 0); err != nil {
			return q, err
		}
	}
	if v, ok := obj["fields"]; ok {
		if q.Fields, err = c.parseFields(v, join(path, "fields")); err != nil {
			return q, err
		}
	}
	if v, ok := obj["order"]; ok {
		if q.Order, err = c.parseOrder(v, join(path, "order")); err != nil {
			return q, err
		}
	}
	if v, ok := obj["limit"]; ok && v != nil {
		if q.Limit, err = c.parseCount(v, join(path, "limit"), 1); err != nil {
			return q, err
		}
	}
	for _, k := range []string{"offset", "skip"} { // skip wins, as skip || offset
		if v, ok := obj[k]; ok && v != nil {
			n, err := c.parseCount(v, join(path, k), 0)
			if err != nil {
				return q, err
			}
			if n != 0 || q.Skip == 0 {
				q.Skip = n
			}
		}
	}
	if v, ok := obj["include"]; ok {
		if q.Include, err = c.parseInclude(v, join(path, "include"), depth); err != nil {
			return q, err
		}
	}
	return q, nil
}

func knownKeys(allowWhere bool) string {
	if allowWhere {
		return "known: " + strings.Join(filterKeys, ", ")
	}
	return "known: " + strings.Join(filterKeys[1:], ", ")
}

func sortedKeys(m map[string]any) []string {
	// Sized up front: slices.Sorted(maps.Keys(m)) grows its slice from
	// nil, and this runs for every object of every filter.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// parseWhere reads a where object: {prop: value}, {prop: {op: value}},
// {and: [...]}, {or: [...]}; several keys are and-ed.
func (c *checker) parseWhere(tree any, path string, depth int) (Cond, error) {
	obj, ok := tree.(map[string]any)
	if !ok {
		if tree == nil {
			return Cond{}, nil
		}
		return Cond{}, c.fail(path, "type", map[string]any{"type": "object"}, "a where clause must be an object, not %s", valueText(tree))
	}
	if depth >= c.lim.MaxDepth {
		return Cond{}, c.fail(path, "maxDepth", map[string]any{"limit": c.lim.MaxDepth}, "and/or nested deeper than %d", c.lim.MaxDepth)
	}
	keys := sortedKeys(obj)
	conds := make([]Cond, 0, len(keys))
	for _, k := range keys {
		v := obj[k]
		at := join(path, k)
		switch k {
		case "and", "or":
			list, ok := v.([]any)
			if !ok {
				return Cond{}, c.fail(at, "type", map[string]any{"type": "array"}, "%s must be a list of where clauses", k)
			}
			subs := make([]Cond, 0, len(list))
			if k == "or" {
				c.inOr++
			}
			for i, item := range list {
				m, isObj := item.(map[string]any)
				if !isObj {
					return Cond{}, c.fail(fmt.Sprintf("%s[%d]", at, i), "type", map[string]any{"type": "object"},
						"%s must be a list of where clauses, not of %s", k, valueText(item))
				}
				if len(m) == 0 {
					if err := c.countCond(fmt.Sprintf("%s[%d]", at, i)); err != nil {
						return Cond{}, err
					}
				}
				s, err := c.parseWhere(item, fmt.Sprintf("%s[%d]", at, i), depth+1)
				if err != nil {
					return Cond{}, err
				}
				subs = append(subs, s)
			}
			if k == "or" {
				c.inOr--
			}
			if k == "and" {
				conds = append(conds, And(subs...))
			} else if len(subs) > 0 {
				conds = append(conds, Or(subs...))
			}
		default:
			cs, err := c.parseProp(k, v, at)
			if err != nil {
				return Cond{}, err
			}
			conds = append(conds, cs...)
		}
	}
	return And(conds...), nil
}

// parseProp reads the value of one property in a where clause: a value
// (equality) or an object of operators, each of which must hold.
func (c *checker) parseProp(prop string, v any, path string) ([]Cond, error) {
	ops, isObj := v.(map[string]any)
	if !isObj {
		if _, isList := v.([]any); isList {
			if _, err := c.property(prop, path); err != nil {
				return nil, err
			}
			return nil, c.fail(path, "type", nil, "a list of values needs an operator: {%q: {\"inq\": [...]}}", prop)
		}
		x, err := c.leaf(Cond{Op: OpEq, Prop: prop, Value: v}, path)
		return []Cond{x}, err
	}
	p, err := c.property(prop, path)
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, c.fail(path, "minProperties", map[string]any{"limit": 1}, "an operator object needs an operator (eq, gt, inq, like, ...)")
	}
	if isNearObject(ops) {
		x, err := c.parseNear(prop, ops, path)
		return []Cond{x}, err
	}
	out := make([]Cond, 0, len(ops))
	for _, name := range sortedKeys(ops) {
		at := join(path, name)
		op, known := opByName[name]
		if !known && p != nil && p.Kind == KindGeoPoint {
			return nil, c.geoLeaf(Cond{Op: OpGt, Prop: prop}, path) // a point given as an object
		}
		if !known {
			e := c.fail(at, "enum", map[string]any{"allowedValues": opList()}, "unknown operator %q (%s)", name, strings.Join(opList(), ", "))
			if strings.HasPrefix(name, "$") {
				e.Message = fmt.Sprintf("operators starting with $ are not allowed in queries: %q", name)
				e.Code = CodeOperatorNotAllowed
			}
			return nil, e
		}
		x, err := c.leaf(Cond{Op: op, Prop: prop, Value: ops[name]}, path)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func opList() []string {
	out := make([]string, 0, OpNear-OpEq+1)
	for o := OpEq; o <= OpNear; o++ {
		out = append(out, o.String())
	}
	return out
}

// parseFields reads {prop: bool} or [prop, ...] (or "prop,prop", the
// exploded form). The cap is checked before the set grows past it.
func (c *checker) parseFields(tree any, path string) (Fields, error) {
	switch t := tree.(type) {
	case nil:
		return nil, nil
	case string: // ?filter[fields]=title
		f := Fields{}
		for s := range strings.SplitSeq(t, ",") {
			if err := c.addField(f, strings.TrimSpace(s), path, "maxItems"); err != nil {
				return nil, err
			}
		}
		return c.checkFields(f, path)
	case []any:
		f := make(Fields, min(len(t), c.lim.MaxFields))
		for i, v := range t {
			s, ok := v.(string)
			if !ok {
				return nil, c.fail(fmt.Sprintf("%s[%d]", path, i), "type", map[string]any{"type": "string"}, "must be a property name, not %s", valueText(v))
			}
			if err := c.addField(f, s, path, "maxItems"); err != nil {
				return nil, err
			}
		}
		return c.checkFields(f, path)
	case map[string]any:
		if err := c.fieldsCap(len(t), path, "maxProperties"); err != nil {
			return nil, err
		}
		f := make(Fields, len(t))
		for k, v := range t {
			b, err := coerce(v, KindBool)
			if err != nil || b == nil {
				return nil, c.fail(join(path, k), "type", map[string]any{"type": "boolean"}, "must be true or false, not %s", valueText(v))
			}
			f[k] = b.(bool)
		}
		return c.checkFields(f, path)
	}
	return nil, c.fail(path, "type", map[string]any{"type": "object"}, "fields must be an object or a list of names, not %s", valueText(tree))
}

// addField adds name to a list-form selection; a name given twice counts
// once.
func (c *checker) addField(f Fields, name, path, keyword string) error {
	if _, dup := f[name]; dup {
		return nil
	}
	if err := c.fieldsCap(len(f)+1, path, keyword); err != nil {
		return err
	}
	f[name] = true
	return nil
}

// parseOrder reads "prop [ASC|DESC]", a comma list of those, or a list.
// A property given again is dropped (see repeatsKey), and the
// keys are counted as they are read, so that a long order is refused
// before anything is built for its keys.
func (c *checker) parseOrder(tree any, path string) ([]Order, error) {
	var out []Order
	n := 0 // keys read, repeats included: the index of a key in errors
	// item is the index of the list item s is in, -1 for the string form;
	// the place is written only for an error.
	at := func(item int) string {
		if item < 0 {
			return path
		}
		return fmt.Sprintf("%s[%d]", path, item)
	}
	read := func(s string, item int) error {
		prop, dir, ok := orderWords(s)
		if !ok {
			return c.fail(at(item), "format", nil, `must be "property ASC|DESC", not %q`, s)
		}
		o := Order{Prop: prop}
		switch {
		case dir == "" || strings.EqualFold(dir, "ASC"):
		case strings.EqualFold(dir, "DESC"):
			o.Desc = true
		default:
			return c.fail(at(item), "enum", map[string]any{"allowedValues": []string{"ASC", "DESC"}},
				"bad direction %q in %q (ASC or DESC)", dir, s)
		}
		i := n
		n++
		if repeatsKey(out, o) {
			return nil
		}
		if err := c.orderKey(len(out), o, path, i); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	}
	switch t := tree.(type) {
	case nil:
		return nil, nil
	case string:
		for s := range strings.SplitSeq(t, ",") {
			if err := read(s, -1); err != nil {
				return nil, err
			}
		}
	case []any:
		for i, v := range t {
			s, ok := v.(string)
			if !ok {
				return nil, c.fail(at(i), "type", map[string]any{"type": "string"}, `must be "property ASC|DESC", not %s`, valueText(v))
			}
			for part := range strings.SplitSeq(s, ",") {
				if err := read(part, i); err != nil {
					return nil, err
				}
			}
		}
	default:
		return nil, c.fail(path, "type", map[string]any{"type": "string"}, `order must be "property ASC|DESC" or a list of those, not %s`, valueText(tree))
	}
	return out, nil
}

// orderWords splits "property [direction]" at white space, as
// strings.Fields would, without allocating; ok is false for no word or
// more than two.
func orderWords(s string) (prop, dir string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", false
	}
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, "", true
	}
	prop, dir = s[:i], strings.TrimSpace(s[i:])
	return prop, dir, strings.IndexFunc(dir, unicode.IsSpace) < 0
}

// parseCount reads a limit or skip: an integer >= min.
func (c *checker) parseCount(v any, path string, min int) (int, error) {
	n, err := coerce(v, KindInt)
	if err != nil || n == nil {
		return 0, c.fail(path, "type", map[string]any{"type": "integer"}, "must be an integer, not %s", valueText(v))
	}
	i := n.(int64)
	if i < int64(min) {
		return 0, c.fail(path, "minimum", map[string]any{"comparison": ">=", "limit": min}, "must be >= %d", min)
	}
	if i > 1<<31 {
		return 0, c.fail(path, "maximum", map[string]any{"comparison": "<=", "limit": 1 << 31}, "must be <= %d", 1<<31)
	}
	return int(i), nil
}

// parseInclude reads "relation", {relation, scope, targetType}, or a list
// of those. Scopes are checked for structure only: their model is the
// relation's target.
func (c *checker) parseInclude(tree any, path string, depth int) ([]Inclusion, error) {
	if depth >= c.lim.MaxDepth {
		return nil, c.fail(path, "maxDepth", map[string]any{"limit": c.lim.MaxDepth}, "include nested deeper than %d", c.lim.MaxDepth)
	}
	items, isList := tree.([]any)
	if !isList {
		if tree == nil {
			return nil, nil
		}
		items = []any{tree}
	}
	out := make([]Inclusion, 0, len(items))
	for i, item := range items {
		at := path
		if isList {
			at = fmt.Sprintf("%s[%d]", path, i)
		}
		switch t := item.(type) {
		case string:
			if t == "" {
				return nil, c.fail(at, "minLength", map[string]any{"limit": 1}, "a relation name must not be empty")
			}
			out = append(out, Inclusion{Relation: t})
		case map[string]any:
			inc, err := c.parseInclusion(t, at, depth)
			if err != nil {
				return nil, err
			}
			out = append(out, inc)
		default:
			return nil, c.fail(at, "type", nil, "must be a relation name or {relation, scope}, not %s", valueText(item))
		}
	}
	return out, nil
}

func (c *checker) parseInclusion(obj map[string]any, path string, depth int) (Inclusion, error) {
	var inc Inclusion
	for _, k := range sortedKeys(obj) {
		switch k {
		case "relation", "targetType":
			s, ok := obj[k].(string)
			if !ok || s == "" {
				return inc, c.fail(join(path, k), "type", map[string]any{"type": "string"}, "must be a non-empty string")
			}
			if k == "relation" {
				inc.Relation = s
			} else {
				inc.TargetType = s
			}
		case "scope":
			sc := &checker{lim: c.lim, request: c.request, conds: c.conds, values: c.values}
			if rel, _ := obj["relation"].(string); c.m != nil {
				// A known relation's scope is checked against its target
				// now, as the request's; an unknown one is the
				// repository's INVALID_INCLUSION_FILTER.
				if r := c.m.Relation(rel); r != nil {
					sc.m = r.target
				}
			}
			scopeTree, _ := obj[k].(map[string]any)
			if scopeTree != nil {
				if tl, ok := scopeTree["totalLimit"]; ok {
					n, err := c.parseCount(tl, join(path, "scope.totalLimit"), 1)
					if err != nil {
						return inc, err
					}
					inc.TotalLimit = n
					scopeTree = maps.Clone(scopeTree)
					delete(scopeTree, "totalLimit")
				}
			}
			var tree any = scopeTree
			if scopeTree == nil {
				tree = obj[k]
			}
			q, err := sc.parseQuery(tree, join(path, "scope"), true, depth+1)
			if err != nil {
				return inc, err
			}
			c.conds, c.values = sc.conds, sc.values
			inc.Scope = &q
		default:
			return inc, c.fail(join(path, k), "additionalProperties", map[string]any{"additionalProperty": k},
				"unknown inclusion property %q (relation, scope, targetType)", k)
		}
	}
	if inc.Relation == "" {
		return inc, c.fail(path, "required", map[string]any{"missingProperty": "relation"}, "an inclusion needs a relation")
	}
	return inc, nil
}
