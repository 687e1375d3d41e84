package repository

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
)

// joinStore is the repository of a join model, whatever its id's type:
// a *DefaultCrudRepository[J, JID].
type joinStore[J any] interface {
	Create(ctx context.Context, entity J) (*J, error)
	Model() *Model
	Connector() Connector
}

// HasManyThroughFactory returns the [HasManyThroughRepository] of one
// source entity, given the value of the relation's keyFrom (its id, by
// default), as LoopBack's HasManyThroughRepositoryFactory does.
type HasManyThroughFactory[SID comparable, T any, TID comparable, J any] func(id SID) *HasManyThroughRepository[T, TID, J]

// HasManyThroughRepository is the targets of one source entity of a
// relation through a join model (hasManyThrough, hasAndBelongsToMany):
// doctors.Patients(doctorID).Find(ctx, nil) finds the patients of a
// doctor, those an Appointment links to it. Its methods take a target by
// the value of the relation's keyTo, the target's id by default.
type HasManyThroughRepository[T any, TID comparable, J any] struct {
	rel     *Relation
	key     any             // the source's keyFrom, coerced to throughFrom's kind
	raw     json.RawMessage // key as JSON
	target  *DefaultCrudRepository[T, TID]
	through joinStore[J]
}

// NewHasManyThrough returns the factory of relation, a hasManyThrough
// relation of source's model whose target is target's model and whose
// join model is through's. It fails when the relation is not one, when a
// repository's model is not the relation's, when SID is not the type of
// the relation's keyFrom or TID that of its keyTo. It registers target
// and through as where source's includes of relation read the targets
// and the links (see [DefaultCrudRepository.Find]).
func NewHasManyThrough[S any, SID comparable, T any, TID comparable, J any, JID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], through *DefaultCrudRepository[J, JID], relation string) (HasManyThroughFactory[SID, T, TID, J], error) {
	return newThrough(source, target, through, relation, HasManyThrough)
}

// NewHasAndBelongsToMany is [NewHasManyThrough] for a relation declared
// hasAndBelongsToMany, LoopBack 3's name for it.
func NewHasAndBelongsToMany[S any, SID comparable, T any, TID comparable, J any, JID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], through *DefaultCrudRepository[J, JID], relation string) (HasManyThroughFactory[SID, T, TID, J], error) {
	return newThrough(source, target, through, relation, HasAndBelongsToMany)
}

func newThrough[S any, SID comparable, T any, TID comparable, J any, JID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], through *DefaultCrudRepository[J, JID], name string, kind RelationKind) (HasManyThroughFactory[SID, T, TID, J], error) {
	if through == nil {
		return nil, fmt.Errorf("repository: relation %s: nil repository", name)
	}
	rel, err := linkRelation(source, target, name, kind)
	if err != nil {
		return nil, err
	}
	if rel.through != through.model {
		return nil, fmt.Errorf("repository: model %s, relation %s joins through %s, but the join repository's model is %s",
			source.model.Name, name, rel.through.Name, through.model.Name)
	}
	to := deref(target.model.Property(rel.KeyTo).Type)
	if want := reflect.TypeFor[TID](); to != want {
		return nil, fmt.Errorf("repository: model %s, relation %s joins on %s.%s, of type %v, but the target repository's ID type is %v",
			source.model.Name, name, target.model.Name, rel.KeyTo, to, want)
	}
	source.links.set(name, relationLink{conn: target.conn, links: target.links, through: through.conn})
	from := rel.through.Property(rel.ThroughFrom)
	return func(id SID) *HasManyThroughRepository[T, TID, J] {
		key, err := coerce(id, from.Kind)
		if err != nil {
			key = id
		}
		raw, err := json.Marshal(id)
		if err != nil {
			raw = nullJSON
		}
		return &HasManyThroughRepository[T, TID, J]{rel: rel, key: key, raw: raw, target: target, through: through}
	}, nil
}

// linkWhere is throughFrom == the source's key, and throughTo == key
// when key is not nil.
func (r *HasManyThroughRepository[T, TID, J]) linkWhere(key any) (Cond, error) {
	c := Eq(r.rel.ThroughFrom, r.key)
	if key == nil {
		return c, nil
	}
	v, err := coerce(key, r.rel.through.Property(r.rel.ThroughTo).Kind)
	if err != nil {
		return Cond{}, &FilterError{Path: r.rel.ThroughTo, Message: err.Error()}
	}
	return And(c, Eq(r.rel.ThroughTo, v)), nil
}

// targetKeys returns the distinct keys of the targets the source is
// linked to, coerced to the targets' keyTo. More links than the target
// model's MaxIncludeRows is a 400 QUERY_TOO_COSTLY: their keys would make
// one query's inq.
func (r *HasManyThroughRepository[T, TID, J]) targetKeys(ctx context.Context) ([]any, error) {
	j := r.rel.through
	sel := []string{r.rel.ThroughTo}
	if r.rel.ThroughTo != j.ID.Name {
		sel = append(sel, j.ID.Name)
	}
	most := limitsOf(r.target.model).MaxIncludeRows
	ds, err := r.through.Connector().Find(ctx, j, Query{Where: Eq(r.rel.ThroughFrom, r.key), Select: sel, Order: []Order{Asc(j.ID.Name)}, Limit: most + 1})
	if err != nil {
		return nil, err
	}
	if len(ds) > most {
		return nil, &FilterError{Path: r.rel.Name, Keyword: "maxItems", Code: CodeQueryTooCostly, Info: map[string]any{"limit": most},
			Message: fmt.Sprintf("%s %s has more than %d links of relation %s: too many to query their targets at once",
				r.rel.source.Name, r.raw, most, r.rel.Name)}
	}
	kind := r.target.model.Property(r.rel.KeyTo).Kind
	seen := map[any]bool{}
	var out []any
	for _, d := range ds {
		k, ok := joinKey(d[r.rel.ThroughTo])
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		if v, err := coerce(k, kind); err == nil && v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// targetWhere is where (checked against the target) and keyTo inq the
// linked keys; ok is false when the source is linked to no target.
func (r *HasManyThroughRepository[T, TID, J]) targetWhere(ctx context.Context, where Clause) (w Cond, keys []any, err error) {
	if w, err = r.target.where(where); err != nil {
		return Cond{}, nil, err
	}
	if keys, err = r.targetKeys(ctx); err != nil || len(keys) == 0 {
		return Cond{}, nil, err
	}
	return And(w, Cond{Op: OpInq, Prop: r.rel.KeyTo, Value: keys}), keys, nil
}

// Find returns the targets linked to the source that filter selects, with
// the related entities its include asks for. It reads the links, then
// the targets: two queries.
func (r *HasManyThroughRepository[T, TID, J]) Find(ctx context.Context, filter *Filter[T]) ([]T, error) {
	p, err := r.target.query(filter.query())
	if err != nil {
		return nil, err
	}
	keys, err := r.targetKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return []T{}, nil
	}
	p.q.Where = And(p.q.Where, Cond{Op: OpInq, Prop: r.rel.KeyTo, Value: keys})
	return r.target.read(ctx, p)
}

// Count counts the targets linked to the source that match where (nil:
// all).
func (r *HasManyThroughRepository[T, TID, J]) Count(ctx context.Context, where Clause) (Count, error) {
	w, keys, err := r.targetWhere(ctx, where)
	if err != nil || len(keys) == 0 {
		return Count{}, err
	}
	n, err := r.target.conn.Count(ctx, r.target.model, w)
	return Count{Count: n}, err
}

// Patch applies data to the targets linked to the source that match
// where (nil: all).
func (r *HasManyThroughRepository[T, TID, J]) Patch(ctx context.Context, data Patch[T], where Clause) (Count, error) {
	d, err := r.target.patchData(data)
	if err != nil {
		return Count{}, err
	}
	w, keys, err := r.targetWhere(ctx, where)
	if err != nil || len(keys) == 0 {
		return Count{}, err
	}
	if len(d) == 0 {
		n, err := r.target.conn.Count(ctx, r.target.model, w)
		return Count{Count: n}, err
	}
	n, err := r.target.conn.Update(ctx, r.target.model, d, w)
	return Count{Count: n}, err
}

// Create stores entity as a new target and links it to the source, as
// LoopBack 4's create does. link, at most one, gives the join entity's
// other properties; its keys are set (another value already there is
// refused with a 400). The target and the link are two writes: when the
// link fails, the target is deleted again.
func (r *HasManyThroughRepository[T, TID, J]) Create(ctx context.Context, entity T, link ...J) (*T, error) {
	j, err := r.joinEntity(link)
	if err != nil {
		return nil, err
	}
	created, err := r.target.Create(ctx, entity)
	if err != nil {
		return nil, err
	}
	d, err := r.target.toData(created)
	if err != nil {
		return nil, err
	}
	if err := r.setJoinKey(&j, r.rel.ThroughTo, d[r.rel.KeyTo]); err != nil {
		return nil, err
	}
	if _, err := r.through.Create(ctx, j); err != nil {
		if id, ok := r.target.idOf(created); ok {
			_ = r.target.DeleteByID(context.WithoutCancel(ctx), id)
		}
		return nil, err
	}
	return created, nil
}

// Link links the target whose keyTo is key to the source and returns the
// target, as LoopBack 4's link and LoopBack 3's PUT rel/{fk} do. A target
// already linked is returned without a second link, as LoopBack 3's
// findOrCreate of the link; a missing target is a 404
// [*EntityNotFoundError]. link, at most one, gives the join entity's
// other properties.
func (r *HasManyThroughRepository[T, TID, J]) Link(ctx context.Context, key TID, link ...J) (*T, error) {
	j, err := r.joinEntity(link)
	if err != nil {
		return nil, err
	}
	t, err := r.target.FindOne(ctx, &Filter[T]{Where: Eq(r.rel.KeyTo, key)})
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, &EntityNotFoundError{Model: r.target.model.Name, ID: key}
	}
	linked, err := r.IsLinked(ctx, key)
	if err != nil || linked {
		return t, err
	}
	raw, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	if err := r.setJoinKey(&j, r.rel.ThroughTo, raw); err != nil {
		return nil, err
	}
	if _, err := r.through.Create(ctx, j); err != nil {
		return nil, err
	}
	return t, nil
}

// Unlink removes the links between the source and the target whose keyTo
// is key, leaving the target, as LoopBack 4's unlink and LoopBack 3's
// DELETE rel/{fk} do. No link is no error.
func (r *HasManyThroughRepository[T, TID, J]) Unlink(ctx context.Context, key TID) error {
	w, err := r.linkWhere(key)
	if err != nil {
		return err
	}
	_, err = r.through.Connector().Delete(ctx, r.rel.through, w)
	return err
}

// UnlinkAll removes every link of the source, leaving the targets, as
// LoopBack 4's unlinkAll does.
func (r *HasManyThroughRepository[T, TID, J]) UnlinkAll(ctx context.Context) (Count, error) {
	w, _ := r.linkWhere(nil)
	n, err := r.through.Connector().Delete(ctx, r.rel.through, w)
	return Count{Count: n}, err
}

// IsLinked reports whether the source is linked to the target whose keyTo
// is key, as LoopBack 3's HEAD rel/{fk} does.
func (r *HasManyThroughRepository[T, TID, J]) IsLinked(ctx context.Context, key TID) (bool, error) {
	w, err := r.linkWhere(key)
	if err != nil {
		return false, err
	}
	n, err := r.through.Connector().Count(ctx, r.rel.through, w)
	return n > 0, err
}

// Delete removes the targets linked to the source that match where (nil:
// all), and their links, as LoopBack 4's delete does. The links of the
// deleted targets to other sources go with them, so that no link is left
// to a target that is gone (LoopBack 4 leaves those).
func (r *HasManyThroughRepository[T, TID, J]) Delete(ctx context.Context, where Clause) (Count, error) {
	w, keys, err := r.targetWhere(ctx, where)
	if err != nil || len(keys) == 0 {
		return Count{}, err
	}
	if where != nil {
		// Only the targets where selects lose their links.
		ds, err := r.target.conn.Find(ctx, r.target.model, Query{Where: w, Select: []string{r.rel.KeyTo, r.target.model.ID.Name},
			Order: []Order{Asc(r.target.model.ID.Name)}})
		if err != nil {
			return Count{}, err
		}
		kind := r.rel.through.Property(r.rel.ThroughTo).Kind
		keys = keys[:0]
		for _, d := range ds {
			if k, ok := joinKey(d[r.rel.KeyTo]); ok {
				if v, err := coerce(k, kind); err == nil && v != nil {
					keys = append(keys, v)
				}
			}
		}
		if len(keys) == 0 {
			return Count{}, nil
		}
		w = Cond{Op: OpInq, Prop: r.rel.KeyTo, Value: keys}
	}
	if _, err := r.through.Connector().Delete(ctx, r.rel.through, Cond{Op: OpInq, Prop: r.rel.ThroughTo, Value: keys}); err != nil {
		return Count{}, err
	}
	n, err := r.target.conn.Delete(ctx, r.target.model, w)
	return Count{Count: n}, err
}

// joinEntity is the join entity of a new link: link's first, or a zero
// one, with throughFrom set to the source's key.
func (r *HasManyThroughRepository[T, TID, J]) joinEntity(link []J) (J, error) {
	var j J
	if len(link) > 1 {
		return j, fmt.Errorf("repository: relation %s: at most one join entity, not %d", r.rel.Name, len(link))
	}
	if len(link) == 1 {
		j = link[0]
	}
	return j, r.setJoinKey(&j, r.rel.ThroughFrom, r.raw)
}

// setJoinKey sets property prop of the join entity j to raw; another
// value already set is refused with a 400.
func (r *HasManyThroughRepository[T, TID, J]) setJoinKey(j *J, prop string, raw json.RawMessage) error {
	m := r.rel.through
	d, err := m.toData(j)
	if err != nil {
		return err
	}
	if got, ok := d[prop]; ok && !bytes.Equal(got, nullJSON) && !isZeroID(got) {
		a, ok1 := joinKey(got)
		b, ok2 := joinKey(raw)
		if !(ok1 && ok2 && a == b) && !bytes.Equal(got, raw) {
			return &ConflictError{Status: 400, Message: fmt.Sprintf(
				"Property %q cannot be changed: it is a key of the link of relation %s of %s, %s here, not %s",
				prop, r.rel.Name, r.rel.source.Name, raw, got)}
		}
	}
	f, _ := m.Property(prop).field(reflect.ValueOf(j).Elem(), true)
	if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
		return fmt.Errorf("repository: relation %s: setting %s.%s: %w", r.rel.Name, m.Name, prop, err)
	}
	return nil
}
