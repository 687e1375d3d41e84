package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/loomhq/loom/repository"
)

// scanEvery is how many rows a scan reads between two looks at its
// request's context and its match budget: often enough that a cancelled
// or timed-out request stops within microseconds, rarely enough to cost
// nothing.
const scanEvery = 256

// scan is one query's pass over a table: the request's context, which
// stops it, and the budget its like, ilike and regexp tests spend.
type scan struct {
	ctx    context.Context
	budget *repository.WorkBudget
	onScan func()
}

// newScan starts a query over m: its budget from m's MaxMatchWork, and
// where compiled against it (nil: every row matches).
func (c *Connector) newScan(ctx context.Context, m *repository.Model, where repository.Cond) (*scan, matcher, error) {
	sc := &scan{ctx: ctx, budget: repository.NewWorkBudget(repository.LimitsOf(m).MaxMatchWork), onScan: c.onScan}
	match, err := compile(where, sc.budget)
	return sc, match, err
}

// check is called before row i: at the first row and then every
// scanEvery rows, it returns the context's error, unchanged, or the
// budget's [*repository.WorkLimitError].
func (s *scan) check(i int) error {
	if i%scanEvery != 0 {
		return nil
	}
	if s.onScan != nil {
		s.onScan()
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.budget.Err()
}

// done is the scan's outcome once every row is read: a test that ran out
// of budget did not match, so the query has no answer.
func (s *scan) done() error { return s.budget.Err() }

// selectRows returns the rows matching q in order, skipped and limited.
func (s *scan) selectRows(all []*row, match matcher, q repository.Query, idProp string) ([]*row, error) {
	byID := len(q.Order) == 0 || len(q.Order) == 1 && q.Order[0].Prop == idProp && !q.Order[0].Desc
	var rows []*row
	skip := q.Skip
	for i, r := range all {
		if err := s.check(i); err != nil {
			return nil, err
		}
		if match != nil && !match(r.vals) {
			continue
		}
		if byID { // already in order: stop early
			if skip > 0 {
				skip--
				continue
			}
			if q.Limit > 0 && len(rows) == q.Limit {
				break
			}
		}
		rows = append(rows, r)
	}
	if err := s.done(); err != nil {
		return nil, err
	}
	if byID {
		return rows, nil
	}
	return s.sortRows(rows, q)
}

// sorted is a row with its order keys read once.
type sorted struct {
	r    *row
	keys []any
	has  []bool
}

// orderKey is one key of an order with its dotted path split once.
type orderKey struct {
	prop string
	path []string             // nil: not dotted
	near *repository.GeoPoint // non-nil: the distance from this point
}

// sortRows sorts rows (in id order) by q.Order, stably, then skips and
// limits. With a limit, only the best skip+limit rows are kept as they
// come, so a page of a large result costs no full sort; without, all are
// sorted once.
func (s *scan) sortRows(rows []*row, q repository.Query) ([]*row, error) {
	keys := make([]orderKey, len(q.Order))
	for i, o := range q.Order {
		keys[i].prop, keys[i].near = o.Prop, o.Near
		if strings.Contains(o.Prop, ".") {
			keys[i].path = strings.Split(o.Prop, ".")
		}
	}
	cmpRows := func(a, b *sorted) int {
		for i, o := range q.Order {
			if c := sortCompare(a.keys[i], a.has[i], b.keys[i], b.has[i]); c != 0 {
				if o.Desc {
					return -c
				}
				return c
			}
		}
		return 0
	}
	keep := len(rows)
	if q.Limit > 0 && q.Skip+q.Limit < keep {
		keep = q.Skip + q.Limit
	}
	best := make([]*sorted, 0, keep)
	scratch := &sorted{keys: make([]any, len(keys)), has: make([]bool, len(keys))}
	for n, r := range rows {
		if err := s.check(n); err != nil {
			return nil, err
		}
		scratch.r = r
		for i, k := range keys {
			scratch.keys[i], scratch.has[i] = orderValue(r, k)
		}
		if keep == len(rows) { // every row is kept: sort once at the end
			best = append(best, &sorted{r: r, keys: slices.Clone(scratch.keys), has: slices.Clone(scratch.has)})
			continue
		}
		if len(best) == keep && cmpRows(scratch, best[keep-1]) >= 0 {
			continue // not better than the worst kept; ties keep the earlier
		}
		sr := &sorted{r: r, keys: slices.Clone(scratch.keys), has: slices.Clone(scratch.has)}
		// the first kept row that sr sorts before; ties stay in id order
		at, _ := slices.BinarySearchFunc(best, sr, func(e, sr *sorted) int {
			if cmpRows(e, sr) <= 0 {
				return -1
			}
			return 1
		})
		if len(best) == keep {
			best = best[:keep-1]
		}
		best = slices.Insert(best, at, sr)
	}
	if keep == len(rows) {
		slices.SortStableFunc(best, cmpRows)
	}
	if q.Skip >= len(best) {
		return nil, nil
	}
	out := make([]*row, 0, len(best)-q.Skip)
	for _, sr := range best[q.Skip:] {
		out = append(out, sr.r)
	}
	return out, nil
}

// orderValue is a row's value for an order key: the property, or the
// first value at its dotted path; ok is false for absent and null.
func orderValue(r *row, k orderKey) (any, bool) {
	if k.near != nil {
		return distanceValue(r, k)
	}
	if k.path != nil { // the checker reads a dotted key as a path, never as a name
		return firstPathValue(r.vals, k.path)
	}
	v, ok := r.vals[k.prop]
	return v, ok && v != nil
}

// firstPathValue is the first value that repository.PathValues(v, path)
// returns, found without building the list: an order of 32 dotted keys
// reads 32 of them per entity.
func firstPathValue(v any, path []string) (any, bool) {
	if len(path) == 0 {
		return v, v != nil
	}
	switch t := v.(type) {
	case map[string]any:
		if c, ok := t[path[0]]; ok {
			return firstPathValue(c, path[1:])
		}
	case []any: // arrays fan out: each element is read at the same key
		for _, e := range t {
			if r, ok := firstPathValue(e, path); ok {
				return r, true
			}
		}
	}
	return nil, false
}

// project returns a copy of d with only the properties of sel (nil: all).
func project(d repository.Data, sel []string) repository.Data {
	if sel == nil {
		return d.Clone()
	}
	out := make(repository.Data, len(sel))
	for _, k := range sel {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}
