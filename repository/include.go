package repository

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// relationLinks are the relation repositories registered on a source
// repository (see [NewHasMany]): for each relation, the connector of the
// target's repository and that repository's own links, so that an include
// of the relation, and the includes nested in its scope, read the target
// where its repository keeps it.
type relationLinks struct {
	mu sync.RWMutex
	m  map[string]relationLink
}

// relationLink is where one relation's targets are read.
type relationLink struct {
	conn  Connector
	links *relationLinks
	// through is the connector of the join model of a relation through
	// one; nil: conn's.
	through Connector
}

func (l *relationLinks) set(name string, link relationLink) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]relationLink{}
	}
	l.m[name] = link
}

// get returns the link of relation name; without one, the targets are
// read through conn, the source's connector, with no links further down.
func (l *relationLinks) get(name string, conn Connector) relationLink {
	if l != nil {
		l.mu.RLock()
		link, ok := l.m[name]
		l.mu.RUnlock()
		if ok {
			return link
		}
	}
	return relationLink{conn: conn}
}

// includePlan is one inclusion checked against its relation's target, as
// it runs: the query of the targets (its where, fields and order; the
// keys are added per batch), the keys read only to join, the per-parent
// window and the nested inclusions.
type includePlan struct {
	rel   *Relation
	path  string
	q     Query
	added []string // properties selected only to join, dropped after
	trim  bool     // q.Select is nil but q.Fields excludes: drop after
	skip  int
	limit int
	total int // the scope's totalLimit: a window over all parents
	sub   []*includePlan
}

// planIncludes checks incs against m, the model of the entities they
// complete: each names a relation of m (else a 400
// INVALID_INCLUSION_FILTER, LoopBack's), and each scope is a valid filter
// of the relation's target. count counts the inclusions against
// MaxIncludes.
func planIncludes(m *Model, incs []Inclusion, path string, depth int, lim Limits, count *int) ([]*includePlan, error) {
	if len(incs) == 0 {
		return nil, nil
	}
	var bad []Inclusion
	badAt := ""
	for i, inc := range incs {
		if m.Relation(inc.Relation) == nil {
			if bad == nil {
				badAt = fmt.Sprintf("%s[%d]", path, i)
			}
			bad = append(bad, inc)
		}
	}
	if bad != nil {
		return nil, invalidInclusion(m, bad, badAt)
	}
	out := make([]*includePlan, 0, len(incs))
	for i, inc := range incs {
		at := fmt.Sprintf("%s[%d]", path, i)
		rel := m.Relation(inc.Relation)
		*count++
		if *count > lim.MaxIncludes {
			return nil, &FilterError{Path: at, Keyword: "maxItems", Code: CodeInvalidFilter, Info: map[string]any{"limit": lim.MaxIncludes},
				Message: fmt.Sprintf("a filter may include at most %d relations, nested ones counted", lim.MaxIncludes)}
		}
		if depth+1 >= lim.MaxDepth {
			return nil, &FilterError{Path: at, Keyword: "maxDepth", Code: CodeInvalidFilter, Info: map[string]any{"limit": lim.MaxDepth},
				Message: fmt.Sprintf("include nested deeper than %d", lim.MaxDepth)}
		}
		t := rel.target
		var scope Query
		if inc.Scope != nil {
			scope = *inc.Scope
		}
		sub := scope
		sub.Include = nil // checked below, against the target's relations
		q, err := newChecker(t, false).query(sub, join(at, "scope"), depth+1)
		if err != nil {
			return nil, err
		}
		p := &includePlan{rel: rel, path: at, skip: q.Skip, limit: q.Limit, total: inc.TotalLimit}
		if p.sub, err = planIncludes(t, scope.Include, join(at, "scope.include"), depth+1, lim, count); err != nil {
			return nil, err
		}
		q.Select = q.Fields.Select(t)
		if t.extra != nil && q.Select != nil && !q.Fields.includes() {
			q.Select, p.trim = nil, true
		}
		need := []string{rel.KeyTo}
		for _, s := range p.sub {
			need = append(need, s.rel.KeyFrom)
		}
		q.Select, p.added = selectKeys(q.Select, need)
		if !slices.ContainsFunc(q.Order, func(o Order) bool { return o.Prop == t.ID.Name }) {
			q.Order = append(slices.Clip(q.Order), Asc(t.ID.Name))
		}
		q.Skip, q.Limit, q.Include = 0, 0, nil
		p.q = q
		out = append(out, p)
	}
	return out, nil
}

// selectKeys adds to sel (nil: every property) the keys it lacks, and
// returns them as added, to be dropped once joined.
func selectKeys(sel []string, keys []string) (out, added []string) {
	if sel == nil {
		return nil, nil
	}
	out = sel
	for _, k := range keys {
		if !slices.Contains(out, k) {
			out = append(slices.Clip(out), k)
			added = append(added, k)
		}
	}
	return out, added
}

// invalidInclusion is LoopBack's refusal of inclusions of relations m
// does not have, the first of them at at: its message lists them as
// LoopBack's does, its details the relations m has.
func invalidInclusion(m *Model, bad []Inclusion, at string) *FilterError {
	names := []string{}
	if rels, err := m.Relations(); err == nil {
		for _, r := range rels {
			names = append(names, r.Name)
		}
	}
	texts := make([]string, len(bad))
	for i, inc := range bad {
		texts[i] = inclusionText(inc)
	}
	// No Path: the message is LoopBack's, word for word; the detail
	// says where.
	return &FilterError{Keyword: "enum", Code: CodeInvalidInclusion,
		Info:    map[string]any{"allowedValues": names, "at": jsonPointer(join(at, "relation"))},
		Message: "Invalid \"filter.include\" entries: " + strings.Join(texts, "; ")}
}

// inclusionText writes an inclusion as LoopBack's message does: the
// name of a plain one, JSON otherwise.
func inclusionText(inc Inclusion) string {
	if inc.Scope == nil && inc.TotalLimit == 0 && inc.TargetType == "" {
		b, _ := json.Marshal(inc.Relation)
		return string(b)
	}
	b, err := Query{Include: []Inclusion{inc}}.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("%q", inc.Relation)
	}
	var q struct {
		Include []json.RawMessage `json:"include"`
	}
	if json.Unmarshal(b, &q) != nil || len(q.Include) != 1 {
		return fmt.Sprintf("%q", inc.Relation)
	}
	return string(q.Include[0])
}

// node is an entity read with its related entities, as the inclusions
// found them.
type node struct {
	data Data
	rels map[*Relation][]*node
}

func nodesOf(ds []Data) []*node {
	out := make([]*node, len(ds))
	for i, d := range ds {
		out[i] = &node{data: d}
	}
	return out
}

// includeRun is one find's inclusions, under the caps of the model
// found: the related entities they may still fetch, and how many parent
// keys one query takes.
type includeRun struct {
	left  int // MaxIncludeRows, less what was fetched
	batch int // the most parent keys of one query: MaxInq
}

// run resolves plans on parents, entities of m read through conn: one
// query per relation (per batch of MaxInq parent keys), with inq on the
// parents' keys, never one per parent; a relation through a join model
// costs two, one on its links and one on the targets they link (per
// batch of MaxInq keys each).
func (x *includeRun) run(ctx context.Context, m *Model, conn Connector, links *relationLinks, parents []*node, plans []*includePlan) error {
	for _, p := range plans {
		if err := x.one(ctx, conn, links, parents, p); err != nil {
			return err
		}
	}
	return nil
}

func (x *includeRun) one(ctx context.Context, conn Connector, links *relationLinks, parents []*node, p *includePlan) error {
	rel, t := p.rel, p.rel.target
	link := links.get(rel.Name, conn)
	keyProp := t.Property(rel.KeyTo)
	if rel.IsThrough() {
		keyProp = rel.through.Property(rel.ThroughFrom)
	}
	var keys []any
	seen := map[any]bool{}
	for _, n := range parents {
		k, ok := joinKey(n.data[rel.KeyFrom])
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		v, err := coerce(k, keyProp.Kind)
		if err != nil || v == nil {
			continue
		}
		keys = append(keys, v)
	}
	// parentsOf maps a target's key to the parents' keys it joins: the
	// same key for a direct relation, the linked ones through a join
	// model.
	var parentsOf map[any][]any
	if rel.IsThrough() {
		var err error
		if keys, parentsOf, err = x.links(ctx, link, p, keys); err != nil {
			return err
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var kids []*node
	for chunk := range slices.Chunk(keys, x.batch) {
		q := p.q
		q.Where = And(p.q.Where, Cond{Op: OpInq, Prop: rel.KeyTo, Value: chunk})
		q.Limit = x.left + 1
		if p.total > 0 {
			q.Limit = min(q.Limit, p.skip+p.total)
		}
		ds, err := link.conn.Find(ctx, t, q)
		if err != nil {
			return err
		}
		if len(ds) > x.left {
			return tooManyIncluded(p, x.left)
		}
		x.left -= len(ds)
		kids = append(kids, nodesOf(ds)...)
	}
	if err := x.run(ctx, t, link.conn, link.links, kids, p.sub); err != nil {
		return err
	}
	if p.total > 0 {
		kids = window(kids, p.skip, p.total)
	}
	groups := map[any][]*node{}
	for _, k := range kids {
		key, ok := joinKey(k.data[rel.KeyTo])
		if !ok {
			continue
		}
		if parentsOf == nil {
			groups[key] = append(groups[key], k)
			continue
		}
		for _, pk := range parentsOf[key] {
			groups[pk] = append(groups[pk], k)
		}
	}
	for _, k := range kids {
		k.data = p.finish(k.data)
	}
	for _, n := range parents {
		key, ok := joinKey(n.data[rel.KeyFrom])
		if !ok {
			continue
		}
		g := groups[key]
		if p.total == 0 {
			g = window(g, p.skip, p.limit)
		}
		if len(g) == 0 {
			continue
		}
		if !rel.Many() {
			g = g[:1]
		}
		if n.rels == nil {
			n.rels = map[*Relation][]*node{}
		}
		n.rels[rel] = g
	}
	return nil
}

// links reads the join model's entities of a relation through one that
// link the parents' keys (one query per batch of MaxInq keys, with inq on
// throughFrom), and returns the distinct keys of the targets they link,
// coerced for the targets' query, and for each target's key the keys of
// the parents linked to it. The links read count against
// MaxIncludeRows, as the related entities do.
func (x *includeRun) links(ctx context.Context, link relationLink, p *includePlan, keys []any) ([]any, map[any][]any, error) {
	rel := p.rel
	j := rel.through
	conn := link.through
	if conn == nil {
		conn = link.conn
	}
	keyTo := rel.target.Property(rel.KeyTo)
	var targets []any
	parentsOf := map[any][]any{}
	pairs := map[[2]any]bool{}
	for chunk := range slices.Chunk(keys, x.batch) {
		q := Query{
			Where:  Cond{Op: OpInq, Prop: rel.ThroughFrom, Value: chunk},
			Select: []string{rel.ThroughFrom, rel.ThroughTo},
			Order:  []Order{Asc(j.ID.Name)},
			Limit:  x.left + 1,
		}
		if !slices.Contains(q.Select, j.ID.Name) {
			q.Select = append(q.Select, j.ID.Name)
		}
		ds, err := conn.Find(ctx, j, q)
		if err != nil {
			return nil, nil, err
		}
		if len(ds) > x.left {
			return nil, nil, tooManyIncluded(p, x.left)
		}
		x.left -= len(ds)
		for _, d := range ds {
			from, ok1 := joinKey(d[rel.ThroughFrom])
			to, ok2 := joinKey(d[rel.ThroughTo])
			if !ok1 || !ok2 || pairs[[2]any{from, to}] {
				continue
			}
			pairs[[2]any{from, to}] = true
			if _, known := parentsOf[to]; !known {
				if v, err := coerce(to, keyTo.Kind); err == nil && v != nil {
					targets = append(targets, v)
				}
			}
			parentsOf[to] = append(parentsOf[to], from)
		}
	}
	return targets, parentsOf, nil
}

// tooManyIncluded is the refusal of inclusions that would fetch more
// than the left related entities (and links) a find may still include.
func tooManyIncluded(p *includePlan, left int) error {
	return &FilterError{Path: p.path, Keyword: "maxItems", Code: CodeQueryTooCostly, Info: map[string]any{"limit": left},
		Message: fmt.Sprintf("the inclusions would fetch more than the %d related entities a find may include: "+
			"narrow them with a scope's where, or find fewer entities", left)}
}

// finish drops from d, in a copy, the keys read only to join and the
// properties an exclusion of a model that keeps unknown ones leaves out.
func (p *includePlan) finish(d Data) Data {
	if len(p.added) == 0 && !p.trim {
		return d
	}
	c := d.Clone()
	for _, k := range p.added {
		delete(c, k)
	}
	if p.trim {
		for k := range c {
			if !p.q.Fields.Keeps(k) {
				delete(c, k)
			}
		}
	}
	return c
}

// window is the part of ns after skip, at most limit long (0: no limit).
func window(ns []*node, skip, limit int) []*node {
	if skip >= len(ns) {
		return nil
	}
	ns = ns[skip:]
	if limit > 0 && limit < len(ns) {
		ns = ns[:limit]
	}
	return ns
}

// joinKey is the value of a key as a map key: integers as int64 (an
// integral float as well), other numbers as float64, strings as they are;
// false for no value or null.
func joinKey(raw json.RawMessage) (any, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	// The common keys, integers and plain strings, without a decoder.
	if i, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return i, true
	}
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && !bytes.ContainsAny(raw[1:n-1], "\\\"") {
		return string(raw[1 : n-1]), true
	}
	v, err := DecodeValue(raw)
	if err != nil || v == nil {
		return nil, false
	}
	if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	switch v.(type) {
	case int64, float64, string, bool:
		return v, true
	}
	return nil, false
}

// decodeNode fills the entity v (an addressable struct of m's type) from
// n: its properties, then the related entities of its navigational
// fields.
func (m *Model) decodeNode(n *node, v reflect.Value) error {
	if err := m.fromData(n.data, v.Addr().Interface()); err != nil {
		return err
	}
	for rel, kids := range n.rels {
		f := rel.field(v)
		if rel.Many() {
			s := reflect.MakeSlice(f.Type(), len(kids), len(kids))
			for i, k := range kids {
				if err := rel.target.decodeNode(k, s.Index(i)); err != nil {
					return err
				}
			}
			f.Set(s)
			continue
		}
		p := reflect.New(rel.TargetType)
		if err := rel.target.decodeNode(kids[0], p.Elem()); err != nil {
			return err
		}
		f.Set(p)
	}
	return nil
}
