package repository

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
)

// linkRelation finds the relation name of source's model, checks its kind
// and that target's model is its target, and registers target as where
// source's inclusions of it read: target's connector, and target's own
// relation repositories for the inclusions nested in its scope.
func linkRelation[S any, SID comparable, T any, TID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], name string, kind RelationKind) (*Relation, error) {
	if source == nil || target == nil {
		return nil, fmt.Errorf("repository: relation %s: nil repository", name)
	}
	rel := source.model.Relation(name)
	switch {
	case rel == nil:
		return nil, fmt.Errorf("repository: model %s has no relation %q", source.model.Name, name)
	case rel.Kind != kind:
		return nil, fmt.Errorf("repository: model %s, relation %s is %s, not %s", source.model.Name, name, rel.Kind, kind)
	case rel.target != target.model:
		return nil, fmt.Errorf("repository: model %s, relation %s targets %s, but the target repository's model is %s",
			source.model.Name, name, rel.target.Name, target.model.Name)
	}
	if kind != BelongsTo {
		// The factory takes the value of the source's keyFrom.
		from := deref(source.model.Property(rel.KeyFrom).Type)
		if want := reflect.TypeFor[SID](); from != want {
			return nil, fmt.Errorf("repository: model %s, relation %s joins on %s.%s, of type %v, but the source repository's ID type is %v",
				source.model.Name, name, source.model.Name, rel.KeyFrom, from, want)
		}
	}
	source.links.set(name, relationLink{conn: target.conn, links: target.links})
	return rel, nil
}

// constrained is a target repository seen through one source entity:
// every target it touches has keyTo set to key.
type constrained[T any, TID comparable] struct {
	target *DefaultCrudRepository[T, TID]
	rel    *Relation
	key    any
	raw    json.RawMessage // key as JSON
}

func newConstrained[T any, TID comparable](target *DefaultCrudRepository[T, TID], rel *Relation, key any) constrained[T, TID] {
	raw, err := json.Marshal(key)
	if err != nil {
		raw = nullJSON
	}
	return constrained[T, TID]{target: target, rel: rel, key: key, raw: raw}
}

// where is c and keyTo == key.
func (c constrained[T, TID]) where(w Clause) Cond {
	return And(condOf(w), Eq(c.rel.KeyTo, c.key))
}

// fkError is the refusal of a write that would set the foreign key to
// something other than the source's key.
func (c constrained[T, TID]) fkError(got json.RawMessage) error {
	return &ConflictError{Status: 400, Message: fmt.Sprintf(
		"Property %q cannot be changed: it is the foreign key of relation %s of %s, %s here, not %s",
		c.rel.KeyTo, c.rel.Name, c.rel.source.Name, c.raw, got)}
}

// sameKey reports whether raw is the source's key.
func (c constrained[T, TID]) sameKey(raw json.RawMessage) bool {
	a, ok1 := joinKey(raw)
	b, ok2 := joinKey(c.raw)
	return ok1 && ok2 && a == b || bytes.Equal(raw, c.raw)
}

// setKey sets the foreign key of entity to the source's key; a different
// one already set is refused.
func (c constrained[T, TID]) setKey(entity *T) error {
	d, err := c.target.toData(entity)
	if err != nil {
		return err
	}
	if raw, ok := d[c.rel.KeyTo]; ok && !bytes.Equal(raw, nullJSON) && !isZeroID(raw) && !c.sameKey(raw) {
		return c.fkError(raw)
	}
	f, _ := c.target.model.Property(c.rel.KeyTo).field(reflect.ValueOf(entity).Elem(), true)
	if err := json.Unmarshal(c.raw, f.Addr().Interface()); err != nil {
		return fmt.Errorf("repository: relation %s: setting %s: %w", c.rel.Name, c.rel.KeyTo, err)
	}
	return nil
}

// checkPatch refuses a patch that changes the foreign key.
func (c constrained[T, TID]) checkPatch(p Patch[T]) error {
	if raw, ok := p.data[c.rel.KeyTo]; ok && (p.unset[c.rel.KeyTo] || !c.sameKey(raw)) {
		return c.fkError(raw)
	}
	return nil
}

// filter is f constrained to the source's targets.
func (c constrained[T, TID]) filter(f *Filter[T]) *Filter[T] {
	var out Filter[T]
	if f != nil {
		out = *f
	}
	out.Where = c.where(out.Where)
	return &out
}

// HasManyFactory returns the [HasManyRepository] of one source entity,
// given the value of the relation's keyFrom (its id, by default), as
// LoopBack's HasManyRepositoryFactory does.
type HasManyFactory[SID comparable, T any, TID comparable] func(id SID) *HasManyRepository[T, TID]

// HasManyRepository is the targets of one source entity of a hasMany
// relation: lists.Todos(listID).Find(ctx, nil) finds the todos of a list.
type HasManyRepository[T any, TID comparable] struct{ c constrained[T, TID] }

// NewHasMany returns the factory of relation, a hasMany relation of
// source's model whose target is target's model. It fails when the
// relation is not one, when target's model is not its target, or when
// SID is not the type of the relation's keyFrom. It also registers
// target as where source's includes of relation read the targets (see
// [DefaultCrudRepository.Find]).
func NewHasMany[S any, SID comparable, T any, TID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], relation string) (HasManyFactory[SID, T, TID], error) {
	rel, err := linkRelation(source, target, relation, HasMany)
	if err != nil {
		return nil, err
	}
	return func(id SID) *HasManyRepository[T, TID] {
		return &HasManyRepository[T, TID]{c: newConstrained(target, rel, id)}
	}, nil
}

// Create stores entity as a target of the source: its foreign key is set
// to the source's key. An entity whose foreign key is another value is
// refused with a 400.
func (r *HasManyRepository[T, TID]) Create(ctx context.Context, entity T) (*T, error) {
	if err := r.c.setKey(&entity); err != nil {
		return nil, err
	}
	return r.c.target.Create(ctx, entity)
}

// Find returns the source's targets that filter selects.
func (r *HasManyRepository[T, TID]) Find(ctx context.Context, filter *Filter[T]) ([]T, error) {
	return r.c.target.Find(ctx, r.c.filter(filter))
}

// Patch applies data to the source's targets matching where (nil: all).
// A patch that changes the foreign key is refused with a 400.
func (r *HasManyRepository[T, TID]) Patch(ctx context.Context, data Patch[T], where Clause) (Count, error) {
	if err := r.c.checkPatch(data); err != nil {
		return Count{}, err
	}
	return r.c.target.UpdateAll(ctx, data, r.c.where(where))
}

// Delete removes the source's targets matching where (nil: all).
func (r *HasManyRepository[T, TID]) Delete(ctx context.Context, where Clause) (Count, error) {
	return r.c.target.DeleteAll(ctx, r.c.where(where))
}

// Count counts the source's targets matching where (nil: all).
func (r *HasManyRepository[T, TID]) Count(ctx context.Context, where Clause) (Count, error) {
	return r.c.target.Count(ctx, r.c.where(where))
}

// BelongsToFactory returns the [BelongsToRepository] of one source
// entity, given its id, as LoopBack's BelongsToAccessor does.
type BelongsToFactory[SID comparable, T any] func(id SID) *BelongsToRepository[T]

// BelongsToRepository is the target of one source entity of a belongsTo
// relation: todos.TodoList(todoID).Get(ctx) is the list of a todo.
type BelongsToRepository[T any] struct {
	get func(ctx context.Context, filter *FilterExcludingWhere[T]) (*T, error)
}

// NewBelongsTo returns the factory of relation, a belongsTo relation of
// source's model whose target is target's model; it fails as
// [NewHasMany] does, and registers target for source's includes.
func NewBelongsTo[S any, SID comparable, T any, TID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], relation string) (BelongsToFactory[SID, T], error) {
	rel, err := linkRelation(source, target, relation, BelongsTo)
	if err != nil {
		return nil, err
	}
	return func(id SID) *BelongsToRepository[T] {
		return &BelongsToRepository[T]{get: func(ctx context.Context, filter *FilterExcludingWhere[T]) (*T, error) {
			where, err := source.idCond(id)
			if err != nil {
				return nil, err
			}
			m := source.model
			ds, err := source.conn.Find(ctx, m, Query{Where: where, Select: []string{m.ID.Name, rel.KeyFrom},
				Order: []Order{Asc(m.ID.Name)}, Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(ds) == 0 {
				return nil, &EntityNotFoundError{Model: m.Name, ID: id}
			}
			fk, ok := joinKey(ds[0][rel.KeyFrom])
			if !ok {
				return nil, nil // no foreign key: no target, as LoopBack's accessor answers
			}
			var f Filter[T]
			if filter != nil {
				f = Filter[T]{Fields: filter.Fields, Order: filter.Order, Include: filter.Include}
			}
			f.Where = Eq(rel.KeyTo, fk)
			t, err := target.FindOne(ctx, &f)
			if err != nil {
				return nil, err
			}
			if t == nil {
				return nil, &EntityNotFoundError{Model: target.model.Name, ID: fk}
			}
			return t, nil
		}}
	}, nil
}

// Get returns the source's target. A source that does not exist, or
// whose foreign key names no target, is a 404 [*EntityNotFoundError]; a
// source without a foreign key has no target: nil, nil. filter (at most
// one) selects fields and includes the target's relations.
func (r *BelongsToRepository[T]) Get(ctx context.Context, filter ...*FilterExcludingWhere[T]) (*T, error) {
	var f *FilterExcludingWhere[T]
	if len(filter) > 0 {
		f = filter[0]
	}
	return r.get(ctx, f)
}

// HasOneFactory returns the [HasOneRepository] of one source entity,
// given the value of the relation's keyFrom (its id, by default).
type HasOneFactory[SID comparable, T any, TID comparable] func(id SID) *HasOneRepository[T, TID]

// HasOneRepository is the target of one source entity of a hasOne
// relation: lists.Image(listID).Get(ctx, nil) is the image of a list.
type HasOneRepository[T any, TID comparable] struct{ c constrained[T, TID] }

// NewHasOne returns the factory of relation, a hasOne relation of
// source's model whose target is target's model; it fails as
// [NewHasMany] does, and registers target for source's includes.
func NewHasOne[S any, SID comparable, T any, TID comparable](source *DefaultCrudRepository[S, SID], target *DefaultCrudRepository[T, TID], relation string) (HasOneFactory[SID, T, TID], error) {
	rel, err := linkRelation(source, target, relation, HasOne)
	if err != nil {
		return nil, err
	}
	return func(id SID) *HasOneRepository[T, TID] {
		return &HasOneRepository[T, TID]{c: newConstrained(target, rel, id)}
	}, nil
}

// Get returns the source's target; none is a 404 [*EntityNotFoundError].
// filter selects fields and includes the target's relations.
func (r *HasOneRepository[T, TID]) Get(ctx context.Context, filter *FilterExcludingWhere[T]) (*T, error) {
	var f Filter[T]
	if filter != nil {
		f = Filter[T]{Fields: filter.Fields, Order: filter.Order, Include: filter.Include}
	}
	t, err := r.c.target.FindOne(ctx, r.c.filter(&f))
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, &EntityNotFoundError{Model: r.c.target.model.Name, ID: constraintID(fmt.Sprintf("{%q:%s}", r.c.rel.KeyTo, r.c.raw))}
	}
	return t, nil
}

// Create stores entity as the source's target, its foreign key set to
// the source's key. A source that has one already is a 409, a foreign key
// of another value a 400. (The check and the create are two queries: a
// unique index on the foreign key closes the race.)
func (r *HasOneRepository[T, TID]) Create(ctx context.Context, entity T) (*T, error) {
	if err := r.c.setKey(&entity); err != nil {
		return nil, err
	}
	n, err := r.c.target.Count(ctx, r.c.where(nil))
	if err != nil {
		return nil, err
	}
	if n.Count > 0 {
		return nil, &ConflictError{Status: 409, Code: CodeDuplicateEntry, Message: fmt.Sprintf(
			"%s with %s %s already has a %s (relation %s)", r.c.rel.source.Name, r.c.rel.KeyFrom, r.c.raw, r.c.target.model.Name, r.c.rel.Name)}
	}
	return r.c.target.Create(ctx, entity)
}

// Patch applies data to the source's target. A patch that changes the
// foreign key is refused with a 400.
func (r *HasOneRepository[T, TID]) Patch(ctx context.Context, data Patch[T]) (Count, error) {
	if err := r.c.checkPatch(data); err != nil {
		return Count{}, err
	}
	return r.c.target.UpdateAll(ctx, data, r.c.where(nil))
}

// Delete removes the source's target.
func (r *HasOneRepository[T, TID]) Delete(ctx context.Context) (Count, error) {
	return r.c.target.DeleteAll(ctx, r.c.where(nil))
}

// constraintID is the constraint a relation repository looked for, as
// LoopBack's EntityNotFoundError writes it in place of an id:
// Entity not found: TodoListImage with id {"todoListId":1}.
type constraintID string

func (c constraintID) String() string { return string(c) }
