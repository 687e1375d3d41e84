package repository

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/loomhq/loom/internal/jsontree"
)

// Order is one key of a sort: a property, ascending unless Desc.
type Order struct {
	Prop string
	Desc bool
	// Near sorts GeoPoint property Prop by its distance from this point,
	// nearest first (Desc: farthest first); entities without the property
	// sort first. A find whose where clause holds a [Near] gets this key
	// from the repository.
	Near *GeoPoint
}

// Asc sorts by prop, ascending.
func Asc(prop string) Order { return Order{Prop: prop} }

// Desc sorts by prop, descending.
func Desc(prop string) Order { return Order{Prop: prop, Desc: true} }

// String writes o as LoopBack does: "title DESC".
func (o Order) String() string {
	if o.Near != nil {
		return nearString(o)
	}
	if o.Desc {
		return o.Prop + " DESC"
	}
	return o.Prop + " ASC"
}

// Fields selects the properties returned, as LoopBack's fields filter: if
// any property is true, only the true ones are returned; otherwise every
// property but the false ones.
type Fields map[string]bool

// Select returns the names of m's properties that f keeps, in model
// order; nil when f keeps everything.
func (f Fields) Select(m *Model) []string {
	if len(f) == 0 {
		return nil
	}
	only := false
	for _, keep := range f {
		only = only || keep
	}
	out := make([]string, 0, len(m.Properties))
	for _, p := range m.Properties {
		keep, named := f[p.Name]
		if only && keep || !only && !named {
			out = append(out, p.Name)
		}
	}
	return out
}

// Inclusion asks for related entities in the results (LoopBack's include).
// It is parsed and validated here; relations resolve it.
type Inclusion struct {
	// Relation is the relation's name.
	Relation string
	// Scope filters the related entities; its where, fields and order are
	// checked against the related model when the relation resolves it.
	Scope *Query
	// TotalLimit caps the related entities over all results.
	TotalLimit int
	// TargetType names the target model of a polymorphic relation.
	TargetType string
}

// Query is a filter in the form connectors receive it: checked against the
// model, values coerced, with the order made total (the id is the last
// key) and fields resolved to the list of names kept.
type Query struct {
	Where  Cond
	Fields Fields
	// Select is Fields resolved against the model: the properties to
	// return, nil for all. Set by the repository.
	Select  []string
	Order   []Order
	Limit   int // 0: no limit
	Skip    int
	Include []Inclusion
}

// Filter is LoopBack's filter over entities of type T: where, fields,
// order, limit, skip (offset) and include. It decodes from JSON and from
// the exploded query form (?filter[where][title]=x), checked against T's
// model; in code, build it as a struct:
//
//	repository.Filter[Todo]{
//		Where: repository.Eq("isComplete", false).And(repository.Like("title", "%galaxy%")),
//		Order: []repository.Order{repository.Desc("title")},
//		Limit: 10,
//	}
type Filter[T any] struct {
	Where   Cond
	Fields  Fields
	Order   []Order
	Limit   int // 0: no limit; from JSON, at least 1
	Skip    int // LoopBack's skip, or offset
	Include []Inclusion
}

// UnmarshalJSON reads a filter object and checks it against T's model:
// unknown properties and operators, values that do not coerce to their
// property's type, bad directions and arities, and caps exceeded are
// errors (a [*FilterError]) naming the place.
func (f *Filter[T]) UnmarshalJSON(data []byte) error {
	tree, err := decodeTree(data)
	if err != nil {
		return err
	}
	return f.readTree(tree)
}

// readTree reads a filter from its JSON's tree, numbers normalized as
// decodeTree leaves them.
func (f *Filter[T]) readTree(tree any) error {
	q, err := queryFromTree[T](tree, true)
	if err != nil {
		return err
	}
	*f = Filter[T]{Where: q.Where, Fields: q.Fields, Order: q.Order, Limit: q.Limit, Skip: q.Skip, Include: q.Include}
	return nil
}

// MarshalJSON writes the filter in LoopBack's JSON form.
func (f Filter[T]) MarshalJSON() ([]byte, error) { return f.query().MarshalJSON() }

func (f *Filter[T]) query() Query {
	if f == nil {
		return Query{}
	}
	return Query{Where: f.Where, Fields: f.Fields, Order: f.Order, Limit: f.Limit, Skip: f.Skip, Include: f.Include}
}

// FilterExcludingWhere is a [Filter] without where, the filter of FindByID:
// a where in its JSON is an unknown property.
type FilterExcludingWhere[T any] struct {
	Fields  Fields
	Order   []Order
	Limit   int
	Skip    int
	Include []Inclusion
}

// UnmarshalJSON reads a filter object without where; see [Filter.UnmarshalJSON].
func (f *FilterExcludingWhere[T]) UnmarshalJSON(data []byte) error {
	tree, err := decodeTree(data)
	if err != nil {
		return err
	}
	return f.readTree(tree)
}

// readTree reads a filter without where from its JSON's tree.
func (f *FilterExcludingWhere[T]) readTree(tree any) error {
	q, err := queryFromTree[T](tree, false)
	if err != nil {
		return err
	}
	*f = FilterExcludingWhere[T]{Fields: q.Fields, Order: q.Order, Limit: q.Limit, Skip: q.Skip, Include: q.Include}
	return nil
}

// MarshalJSON writes the filter in LoopBack's JSON form.
func (f FilterExcludingWhere[T]) MarshalJSON() ([]byte, error) { return f.query().MarshalJSON() }

func (f *FilterExcludingWhere[T]) query() Query {
	if f == nil {
		return Query{}
	}
	return Query{Fields: f.Fields, Order: f.Order, Limit: f.Limit, Skip: f.Skip, Include: f.Include}
}

// Where is a where clause over entities of type T. It decodes from JSON
// and from the exploded query form (?where[isComplete]=false), checked
// against T's model, and is a [Clause] the repository accepts. In code,
// pass a [Cond] instead.
type Where[T any] struct{ Cond }

// UnmarshalJSON reads a where object and checks it against T's model.
func (w *Where[T]) UnmarshalJSON(data []byte) error {
	if _, err := ModelOf[T](); err != nil {
		return err
	}
	tree, err := decodeTree(data)
	if err != nil {
		return err
	}
	return w.readTree(tree)
}

// readTree reads a where clause from its JSON's tree.
func (w *Where[T]) readTree(tree any) error {
	m, err := ModelOf[T]()
	if err != nil {
		return err
	}
	c, err := newChecker(m, true).parseWhere(tree, "", 0)
	if err != nil {
		return err
	}
	w.Cond = c
	return nil
}

// MarshalJSON writes the clause in LoopBack's JSON form.
func (w Where[T]) MarshalJSON() ([]byte, error) { return w.Cond.MarshalJSON() }

func queryFromTree[T any](tree any, allowWhere bool) (Query, error) {
	m, err := ModelOf[T]()
	if err != nil {
		return Query{}, err
	}
	return newChecker(m, true).parseQuery(tree, "", allowWhere, 0)
}

// treeReader is a type that reads the tree of its JSON (numbers
// normalized): the request decoder, which has parsed and checked a
// filter parameter already, hands it the tree instead of its text.
type treeReader interface{ readTree(tree any) error }

var treeReaderType = reflect.TypeFor[treeReader]()

func init() {
	jsontree.Reads = func(t reflect.Type) bool { return reflect.PointerTo(t).Implements(treeReaderType) }
	jsontree.Decode = func(ptr, tree any) error {
		t, ok := normalizedCopy(tree)
		if !ok {
			// Text JSON would write otherwise (not UTF-8): read it back
			// from JSON, as its UnmarshalJSON would see it.
			data, err := json.Marshal(tree)
			if err != nil {
				return err
			}
			return ptr.(json.Unmarshaler).UnmarshalJSON(data)
		}
		return ptr.(treeReader).readTree(t)
	}
}

// normalizedCopy is a copy of tree, a generic tree with json.Number
// numbers, as decodeTree would read tree's JSON: numbers normalized as
// normalizeNumbers does. ok is false when tree's JSON would not read back
// as tree: a string or key that is not UTF-8, a leaf that is not JSON's.
func normalizedCopy(tree any) (any, bool) {
	switch t := tree.(type) {
	case nil, bool:
		return t, true
	case string:
		return t, utf8.ValidString(t)
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i, true
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f, true
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			v, ok := normalizedCopy(e)
			if !ok || !utf8.ValidString(k) {
				return nil, false
			}
			out[k] = v
		}
		return out, true
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			v, ok := normalizedCopy(e)
			if !ok {
				return nil, false
			}
			out[i] = v
		}
		return out, true
	}
	return nil, false
}

// ParseFilter reads a filter in JSON against model m (nil: structure only)
// and returns it checked, as [Filter.UnmarshalJSON] does.
func ParseFilter(m *Model, data []byte) (Query, error) {
	tree, err := decodeTree(data)
	if err != nil {
		return Query{}, err
	}
	return newChecker(m, true).parseQuery(tree, "", true, 0)
}

// CheckQuery checks a query built in code against model m and returns it
// with its values coerced to the properties' types; errors are
// [*FilterError]s with code INVALID_FILTER.
func CheckQuery(m *Model, q Query) (Query, error) {
	return newChecker(m, false).query(q, "", 0)
}

func (c *checker) query(q Query, path string, depth int) (Query, error) {
	var err error
	if q.Where, err = c.cond(q.Where, join(path, "where"), 0); err != nil {
		return q, err
	}
	if q.Fields, err = c.checkFields(q.Fields, join(path, "fields")); err != nil {
		return q, err
	}
	if q.Order, err = c.checkOrder(q.Order, join(path, "order")); err != nil {
		return q, err
	}
	q.Order = withDistanceOrder(q.Order, c.nearCond)
	if q.Limit < 0 {
		return q, c.fail(join(path, "limit"), "minimum", map[string]any{"comparison": ">=", "limit": 0}, "must be >= 0 (0: no limit)")
	}
	if q.Skip < 0 {
		return q, c.fail(join(path, "skip"), "minimum", map[string]any{"comparison": ">=", "limit": 0}, "must be >= 0")
	}
	for i, inc := range q.Include {
		at := fmt.Sprintf("%s[%d]", join(path, "include"), i)
		if inc.Relation == "" {
			return q, c.fail(at, "required", map[string]any{"missingProperty": "relation"}, "an inclusion needs a relation")
		}
		if inc.Scope != nil {
			if depth+1 >= c.lim.MaxDepth {
				return q, c.fail(at, "maxDepth", map[string]any{"limit": c.lim.MaxDepth}, "include nested deeper than %d", c.lim.MaxDepth)
			}
			sc := &checker{lim: c.lim, request: c.request}
			if _, err := sc.query(*inc.Scope, join(at, "scope"), depth+1); err != nil {
				return q, err
			}
		}
	}
	return q, nil
}

func (c *checker) checkFields(f Fields, path string) (Fields, error) {
	if err := c.fieldsCap(len(f), path, "maxProperties"); err != nil {
		return nil, err
	}
	if c.m == nil {
		return f, nil
	}
	for _, k := range slices.Sorted(maps.Keys(f)) {
		if p := c.m.byName[k]; p == nil || p.Hidden && c.request {
			return nil, c.fail(join(path, k), "enum", map[string]any{"allowedValues": c.names()},
				"%s has no property %q", c.m.Name, k)
		}
	}
	return f, nil
}

// fieldsCap refuses a fields selection of n entries past MaxFields.
func (c *checker) fieldsCap(n int, path, keyword string) error {
	if n > c.lim.MaxFields {
		return c.fail(path, keyword, map[string]any{"limit": c.lim.MaxFields},
			"fields may name at most %d properties", c.lim.MaxFields)
	}
	return nil
}

// checkOrder checks an order built in code: its properties, repeats
// dropped and MaxOrder. An order without repeats is returned as it is;
// with repeats, a copy without them (the caller's slice is not changed).
func (c *checker) checkOrder(os []Order, path string) ([]Order, error) {
	var out []Order // nil until a repeat is found: os[:i] is then the order so far
	for i, o := range os {
		kept := out
		if kept == nil {
			kept = os[:i]
		}
		if repeatsKey(kept, o) {
			if out == nil {
				out = slices.Clone(kept)
			}
			continue
		}
		if err := c.orderKey(len(kept), o, path, i); err != nil {
			return nil, err
		}
		if out != nil {
			out = append(out, o)
		}
	}
	if out == nil {
		return os, nil
	}
	return out, nil
}

// repeatsKey reports whether o's property is already a key of kept. A
// repeat is dropped: the earlier key decides every tie first, so it can
// never change a result (in memory as in SQL's ORDER BY).
func repeatsKey(kept []Order, o Order) bool {
	return slices.ContainsFunc(kept, func(k Order) bool { return k.Prop == o.Prop })
}

// orderKey checks o, a new key after n distinct ones: MaxOrder and its
// property; i is o's index in the order, for errors.
func (c *checker) orderKey(n int, o Order, path string, i int) error {
	at := fmt.Sprintf("%s[%d]", path, i)
	if n >= c.lim.MaxOrder {
		return c.fail(at, "maxItems", map[string]any{"limit": c.lim.MaxOrder},
			"an order may have at most %d keys (a property given twice counts once)", c.lim.MaxOrder)
	}
	p, err := c.property(o.Prop, at)
	if err != nil {
		return err
	}
	return c.checkNearOrder(o, p, at)
}

// names lists the properties a client may name.
func (c *checker) names() []string {
	out := make([]string, 0, len(c.m.Properties))
	for _, p := range c.m.Properties {
		if !p.Hidden || !c.request {
			out = append(out, p.Name)
		}
	}
	return out
}

// FilterModel is T: API documents show a Filter[T] as LoopBack's
// <Model>.Filter.
func (Filter[T]) FilterModel() reflect.Type { return reflect.TypeFor[T]() }

// FilterExcludingWhereModel is T: API documents show a
// FilterExcludingWhere[T] as LoopBack's <Model>.Filter without where.
func (FilterExcludingWhere[T]) FilterExcludingWhereModel() reflect.Type { return reflect.TypeFor[T]() }

// WhereModel is T: API documents show a Where[T] as LoopBack's
// <Model>.WhereFilter.
func (Where[T]) WhereModel() reflect.Type { return reflect.TypeFor[T]() }
