package params

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// An exploded deep object, ?filter[where][title]=x&filter[order][0]=a, is
// parsed as qs (Express's query parser, which LoopBack uses) parses it into
// a tree of map[string]any, []any and string leaves: numeric indexes and
// [] build arrays, a key given twice becomes an array of its values.

// dobj is an object under construction; arr holds while every key is an
// array index.
type dobj struct {
	keys []string
	vals map[string]any // string, []any of strings, or *dobj
	arr  bool
	// next is the index a [] appends at: one past the largest numeric key,
	// kept as keys arrive so that each append costs O(1).
	next int
}

// maxArrayIndex is qs's arrayLimit: a larger index is an object key.
const maxArrayIndex = 1000

var (
	errDeepConflict = errors.New("a deep-object key is both a value and an object")
	errProtoKey     = errors.New(`JSON string cannot contain "__proto__" key.`)
)

// tooManyItems is a deep-object array longer than the array cap; path
// leads to it from the parameter, in reverse while the error unwinds.
type tooManyItems struct {
	path  []string
	limit int
}

func (e *tooManyItems) Error() string {
	return "a deep-object array has more than " + itoa(e.limit) + " items"
}

// deepSegments splits the part of a key after the parameter's name, such
// as [where][title], into its segments; ok is false when it is not made of
// bracketed segments. Past max+1 segments the rest is checked but not
// kept: the key is too deep whatever follows.
func deepSegments(rest string, buf []string, max int) ([]string, bool) {
	segs := buf[:0]
	for rest != "" {
		if rest[0] != '[' {
			return nil, false
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, false
		}
		if len(segs) <= max {
			segs = append(segs, rest[1:end])
		}
		rest = rest[end+1:]
	}
	return segs, len(segs) > 0
}

// deepObject builds the tree of the pairs whose keys are name[...]; nil
// when there are none. An array of more than maxItems items, by index, []
// or a repeated key, fails with a *tooManyItems as soon as it is seen.
func deepObject(pairs []pair, name string, maxDepth, maxItems int) (any, error) {
	prefix := name + "["
	var root *dobj
	var buf [8]string
	for _, p := range pairs {
		if !strings.HasPrefix(p.key, prefix) {
			continue
		}
		segs, ok := deepSegments(p.key[len(name):], buf[:], maxDepth)
		if !ok {
			continue
		}
		if len(segs) > maxDepth {
			return nil, errors.New("deep object nesting exceeds the maximum depth of " + itoa(maxDepth) + ".")
		}
		if root == nil {
			root = &dobj{vals: map[string]any{}, arr: true}
		}
		if err := root.insert(segs, p.val, maxItems); err != nil {
			if e, ok := err.(*tooManyItems); ok {
				slices.Reverse(e.path)
			}
			return nil, err
		}
	}
	if root == nil {
		return nil, nil
	}
	return root.finish(), nil
}

func (o *dobj) insert(segs []string, val string, maxItems int) error {
	seg := segs[0]
	if seg == "__proto__" {
		return errProtoKey
	}
	key := seg
	if seg == "" {
		key = itoa(o.next)
	} else if o.arr && !isIndex(seg) {
		o.arr = false
	}
	cur, had := o.vals[key]
	if !had {
		if o.arr && len(o.keys) == maxItems {
			return &tooManyItems{limit: maxItems}
		}
		o.keys = append(o.keys, key)
		// Any key that reads as a number moves the append point, so a []
		// lands after the largest index given, in a map as in an array.
		if i, err := strconv.Atoi(key); err == nil && i >= o.next {
			o.next = i + 1
		}
	}
	if len(segs) == 1 {
		switch c := cur.(type) {
		case nil:
			o.vals[key] = val
		case string:
			if maxItems < 2 {
				return &tooManyItems{path: []string{key}, limit: maxItems}
			}
			o.vals[key] = []any{c, val}
		case []any:
			if len(c) == maxItems {
				return &tooManyItems{path: []string{key}, limit: maxItems}
			}
			o.vals[key] = append(c, val)
		default:
			return errDeepConflict
		}
		return nil
	}
	child, ok := cur.(*dobj)
	if !had {
		child = &dobj{vals: map[string]any{}, arr: true}
		o.vals[key] = child
	} else if !ok {
		return errDeepConflict
	}
	err := child.insert(segs[1:], val, maxItems)
	if e, ok := err.(*tooManyItems); ok {
		e.path = append(e.path, key)
	}
	return err
}

func isIndex(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= maxArrayIndex && strconv.Itoa(n) == s
}

// finish turns the object into map[string]any, or into []any in index
// order (compacted, as qs does) when every key was an index.
func (o *dobj) finish() any {
	if o.arr {
		idx := make([]int, len(o.keys))
		for i, k := range o.keys {
			idx[i], _ = strconv.Atoi(k)
		}
		order := make([]int, len(o.keys))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return idx[a] - idx[b] })
		out := make([]any, len(order))
		for i, j := range order {
			out[i] = finishValue(o.vals[o.keys[j]])
		}
		return out
	}
	out := make(map[string]any, len(o.keys))
	for _, k := range o.keys {
		out[k] = finishValue(o.vals[k])
	}
	return out
}

func finishValue(v any) any {
	if d, ok := v.(*dobj); ok {
		return d.finish()
	}
	return v
}
