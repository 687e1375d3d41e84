package repository

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
)

// Count is the result of Count, UpdateAll and DeleteAll, as LoopBack
// answers it: {"count": 3}.
type Count struct {
	Count int `json:"count"`
}

// CrudRepository is LoopBack's CrudRepository: the persistence of the
// entities of type T, whose id is of type ID. Every method takes the
// request's context. Methods given a missing id return an
// [*EntityNotFoundError] (404 ENTITY_NOT_FOUND).
type CrudRepository[T any, ID comparable] interface {
	// Create stores entity and returns it with its id.
	Create(ctx context.Context, entity T) (*T, error)
	// CreateAll stores entities, all or none, and returns them with ids.
	CreateAll(ctx context.Context, entities []T) ([]T, error)
	// Save creates entity when it has no id, and replaces it otherwise.
	Save(ctx context.Context, entity T) (*T, error)
	// Find returns the entities filter selects (nil: all, by id).
	Find(ctx context.Context, filter *Filter[T]) ([]T, error)
	// FindOne returns the first entity filter selects, or nil.
	FindOne(ctx context.Context, filter *Filter[T]) (*T, error)
	// FindByID returns the entity with id; filter may select fields.
	FindByID(ctx context.Context, id ID, filter *FilterExcludingWhere[T]) (*T, error)
	// Exists reports whether an entity has id.
	Exists(ctx context.Context, id ID) (bool, error)
	// Count counts the entities matching where (nil: all).
	Count(ctx context.Context, where Clause) (Count, error)
	// Update replaces the stored entity with entity, found by its id.
	Update(ctx context.Context, entity T) error
	// UpdateAll applies data to the entities matching where (nil: all).
	UpdateAll(ctx context.Context, data Patch[T], where Clause) (Count, error)
	// UpdateByID applies data to the entity with id; an id in data is
	// ignored.
	UpdateByID(ctx context.Context, id ID, data Patch[T]) error
	// ReplaceByID replaces the entity with id by entity: properties entity
	// does not set are removed. A different id in entity is a 400 error.
	ReplaceByID(ctx context.Context, id ID, entity T) error
	// Delete removes entity, found by its id.
	Delete(ctx context.Context, entity T) error
	// DeleteAll removes the entities matching where (nil: all).
	DeleteAll(ctx context.Context, where Clause) (Count, error)
	// DeleteByID removes the entity with id.
	DeleteByID(ctx context.Context, id ID) error
}

// DefaultCrudRepository is the [CrudRepository] over a [Connector]: it
// turns entities into [Data] and back, checks filters against the model
// and leaves storage to the connector.
type DefaultCrudRepository[T any, ID comparable] struct {
	model *Model
	conn  Connector
	links *relationLinks
}

var _ CrudRepository[struct {
	ID int `loom:"id"`
}, int] = (*DefaultCrudRepository[struct {
	ID int `loom:"id"`
}, int])(nil)

// NewCrudRepository returns the repository of T over conn. It fails when
// T's tags do not describe a model (see [ModelOf]) or when ID is not the
// type of T's id property.
func NewCrudRepository[T any, ID comparable](conn Connector) (*DefaultCrudRepository[T, ID], error) {
	m, err := ModelOf[T]()
	if err != nil {
		return nil, err
	}
	idt := m.ID.Type
	for idt.Kind() == reflect.Pointer {
		idt = idt.Elem()
	}
	if want := reflect.TypeFor[ID](); idt != want {
		return nil, fmt.Errorf("repository: %s: id property %s is %v, but the repository's ID type is %v", m.Name, m.ID.Field, m.ID.Type, want)
	}
	if conn == nil {
		return nil, fmt.Errorf("repository: %s: nil connector", m.Name)
	}
	if _, err := m.Relations(); err != nil {
		return nil, err
	}
	return &DefaultCrudRepository[T, ID]{model: m, conn: conn, links: &relationLinks{}}, nil
}

// Model returns the repository's model.
func (r *DefaultCrudRepository[T, ID]) Model() *Model { return r.model }

// Connector returns the repository's connector.
func (r *DefaultCrudRepository[T, ID]) Connector() Connector { return r.conn }

func (r *DefaultCrudRepository[T, ID]) toData(entity *T) (Data, error) {
	return r.model.toData(entity)
}

func (r *DefaultCrudRepository[T, ID]) fromData(d Data) (T, error) {
	var t T
	err := r.model.fromData(d, &t)
	return t, err
}

// Create stores entity and returns it with its id.
func (r *DefaultCrudRepository[T, ID]) Create(ctx context.Context, entity T) (*T, error) {
	out, err := r.CreateAll(ctx, []T{entity})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// CreateAll stores entities, all or none, and returns them with ids.
func (r *DefaultCrudRepository[T, ID]) CreateAll(ctx context.Context, entities []T) ([]T, error) {
	data := make([]Data, len(entities))
	for i := range entities {
		d, err := r.toData(&entities[i])
		if err != nil {
			return nil, err
		}
		if err := checkNavigational(r.model, d); err != nil {
			return nil, err
		}
		if err := geoData(r.model, d); err != nil {
			return nil, err
		}
		data[i] = d
	}
	if err := validateEntities(ctx, r.conn, r.model, data); err != nil {
		return nil, err
	}
	stored, err := r.conn.Create(ctx, r.model, data)
	if err != nil {
		return nil, err
	}
	return r.entities(stored)
}

func (r *DefaultCrudRepository[T, ID]) entities(ds []Data) ([]T, error) {
	out := make([]T, len(ds))
	for i, d := range ds {
		if err := r.model.fromData(d, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Save creates entity when it has no id, and replaces it otherwise.
func (r *DefaultCrudRepository[T, ID]) Save(ctx context.Context, entity T) (*T, error) {
	id, ok := r.idOf(&entity)
	if !ok {
		return r.Create(ctx, entity)
	}
	if err := r.ReplaceByID(ctx, id, entity); err != nil {
		return nil, err
	}
	return &entity, nil
}

// idOf reads entity's id; ok is false when it is the zero value.
func (r *DefaultCrudRepository[T, ID]) idOf(entity *T) (ID, bool) {
	var zero ID
	f, ok := r.model.ID.field(reflect.ValueOf(entity).Elem(), false)
	if !ok {
		return zero, false
	}
	for f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return zero, false
		}
		f = f.Elem()
	}
	id := f.Interface().(ID)
	return id, id != zero
}

// idCond is the condition id == id, coerced as the checker would.
func (r *DefaultCrudRepository[T, ID]) idCond(id ID) (Cond, error) {
	v, err := coerce(id, r.model.ID.Kind)
	if err != nil {
		return Cond{}, &FilterError{Path: r.model.ID.Name, Message: err.Error()}
	}
	return Cond{Op: OpEq, Prop: r.model.ID.Name, Value: v}, nil
}

// prepared is a checked query with its inclusions planned.
type prepared struct {
	q     Query
	plans []*includePlan
	added []string // keys selected only to join, dropped after
}

// query checks q against the model and completes it for the connector:
// fields resolved, the order made total by the id, the inclusions checked
// against the relations and their join keys selected.
func (r *DefaultCrudRepository[T, ID]) query(q Query) (prepared, error) {
	q, err := CheckQuery(r.model, q)
	if err != nil {
		return prepared{q: q}, err
	}
	lim := limitsOf(r.model)
	count := 0
	plans, err := planIncludes(r.model, q.Include, "include", 0, lim, &count)
	if err != nil {
		return prepared{q: q}, err
	}
	q.Select = q.Fields.Select(r.model)
	if r.model.extra != nil && q.Select != nil && !q.Fields.includes() {
		// An exclusion keeps the unknown properties, which no list of
		// declared ones can name: read everything, drop the excluded.
		q.Select = nil
	}
	keys := make([]string, len(plans))
	for i, p := range plans {
		keys[i] = p.rel.KeyFrom
	}
	var added []string
	q.Select, added = selectKeys(q.Select, keys)
	id := r.model.ID.Name
	if !slices.ContainsFunc(q.Order, func(o Order) bool { return o.Prop == id }) {
		q.Order = append(slices.Clip(q.Order), Asc(id))
	}
	return prepared{q: q, plans: plans, added: added}, nil
}

// read runs p and returns its entities, with the related entities its
// inclusions ask for.
func (r *DefaultCrudRepository[T, ID]) read(ctx context.Context, p prepared) ([]T, error) {
	ds, err := r.conn.Find(ctx, r.model, p.q)
	if err != nil {
		return nil, err
	}
	if len(p.plans) == 0 {
		trim(ds, p.q)
		return r.entities(ds)
	}
	nodes := nodesOf(ds)
	lim := limitsOf(r.model)
	run := &includeRun{left: lim.MaxIncludeRows, batch: lim.MaxInq}
	if err := run.run(ctx, r.model, r.conn, r.links, nodes, p.plans); err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if len(p.added) > 0 {
			n.data = n.data.Clone()
			for _, k := range p.added {
				delete(n.data, k)
			}
		}
		ds[i] = n.data
	}
	trim(ds, p.q)
	out := make([]T, len(nodes))
	for i, n := range nodes {
		n.data = ds[i]
		if err := r.model.decodeNode(n, reflect.ValueOf(&out[i]).Elem()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// trim drops from ds, in copies, the properties q's fields exclude when
// the query read every property: the exclusion of a model that keeps
// unknown properties (see query).
func trim(ds []Data, q Query) {
	if q.Select != nil || len(q.Fields) == 0 {
		return
	}
	for i, d := range ds {
		c := d.Clone()
		for k := range c {
			if !q.Fields.Keeps(k) {
				delete(c, k)
			}
		}
		ds[i] = c
	}
}

// Find returns the entities filter selects (nil: all, by id), with the
// related entities its include asks for.
func (r *DefaultCrudRepository[T, ID]) Find(ctx context.Context, filter *Filter[T]) ([]T, error) {
	p, err := r.query(filter.query())
	if err != nil {
		return nil, err
	}
	return r.read(ctx, p)
}

// FindOne returns the first entity filter selects, or nil.
func (r *DefaultCrudRepository[T, ID]) FindOne(ctx context.Context, filter *Filter[T]) (*T, error) {
	p, err := r.query(filter.query())
	if err != nil {
		return nil, err
	}
	p.q.Limit = 1
	out, err := r.read(ctx, p)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// FindByID returns the entity with id; filter may select fields and
// include related entities.
func (r *DefaultCrudRepository[T, ID]) FindByID(ctx context.Context, id ID, filter *FilterExcludingWhere[T]) (*T, error) {
	where, err := r.idCond(id)
	if err != nil {
		return nil, err
	}
	base := filter.query()
	base.Where = where
	p, err := r.query(base)
	if err != nil {
		return nil, err
	}
	p.q.Limit, p.q.Skip = 1, 0
	out, err := r.read(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return &out[0], nil
}

// Exists reports whether an entity has id.
func (r *DefaultCrudRepository[T, ID]) Exists(ctx context.Context, id ID) (bool, error) {
	where, err := r.idCond(id)
	if err != nil {
		return false, err
	}
	n, err := r.conn.Count(ctx, r.model, where)
	return n > 0, err
}

func (r *DefaultCrudRepository[T, ID]) where(c Clause) (Cond, error) {
	return newChecker(r.model, false).cond(condOf(c), "where", 0)
}

// Count counts the entities matching where (nil: all).
func (r *DefaultCrudRepository[T, ID]) Count(ctx context.Context, where Clause) (Count, error) {
	w, err := r.where(where)
	if err != nil {
		return Count{}, err
	}
	n, err := r.conn.Count(ctx, r.model, w)
	return Count{Count: n}, err
}

// Update replaces the stored entity with entity, found by its id.
func (r *DefaultCrudRepository[T, ID]) Update(ctx context.Context, entity T) error {
	id, ok := r.idOf(&entity)
	if !ok {
		return &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return r.ReplaceByID(ctx, id, entity)
}

// patchData checks data and returns its changes without the id, which a
// patch never changes.
func (r *DefaultCrudRepository[T, ID]) patchData(data Patch[T]) (Data, error) {
	if err := data.check(r.model); err != nil {
		return nil, err
	}
	d := data.Data()
	delete(d, r.model.ID.Name)
	return d, geoData(r.model, d)
}

// UpdateAll applies data to the entities matching where (nil: all).
func (r *DefaultCrudRepository[T, ID]) UpdateAll(ctx context.Context, data Patch[T], where Clause) (Count, error) {
	d, err := r.patchData(data)
	if err != nil {
		return Count{}, err
	}
	w, err := r.where(where)
	if err != nil {
		return Count{}, err
	}
	if len(d) == 0 {
		n, err := r.conn.Count(ctx, r.model, w)
		return Count{Count: n}, err
	}
	n, err := r.conn.Update(ctx, r.model, d, w)
	return Count{Count: n}, err
}

// UpdateByID applies data to the entity with id; an id in data is
// ignored.
func (r *DefaultCrudRepository[T, ID]) UpdateByID(ctx context.Context, id ID, data Patch[T]) error {
	d, err := r.patchData(data)
	if err != nil {
		return err
	}
	where, err := r.idCond(id)
	if err != nil {
		return err
	}
	if err := validatePatch(ctx, r.conn, r.model, d, where, id); err != nil {
		return err
	}
	var n int
	if len(d) == 0 {
		n, err = r.conn.Count(ctx, r.model, where)
	} else {
		n, err = r.conn.Update(ctx, r.model, d, where)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return nil
}

// ReplaceByID replaces the entity with id by entity: properties entity
// does not set are removed. A different id in entity is a 400 error.
func (r *DefaultCrudRepository[T, ID]) ReplaceByID(ctx context.Context, id ID, entity T) error {
	if own, ok := r.idOf(&entity); ok && own != id {
		return &ConflictError{Status: 400, Message: fmt.Sprintf("id property (%s) cannot be updated from %v to %v", r.model.ID.Name, id, own)}
	}
	d, err := r.toData(&entity)
	if err != nil {
		return err
	}
	if err := checkNavigational(r.model, d); err != nil {
		return err
	}
	if err := validateEntity(ctx, r.conn, r.model, d, id); err != nil {
		return err
	}
	if err := geoData(r.model, d); err != nil {
		return err
	}
	raw, err := json.Marshal(id)
	if err != nil {
		return err
	}
	d[r.model.ID.Name] = raw
	found, err := r.conn.Replace(ctx, r.model, d)
	if err != nil {
		return err
	}
	if !found {
		return &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return nil
}

// Delete removes entity, found by its id.
func (r *DefaultCrudRepository[T, ID]) Delete(ctx context.Context, entity T) error {
	id, ok := r.idOf(&entity)
	if !ok {
		return &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return r.DeleteByID(ctx, id)
}

// DeleteAll removes the entities matching where (nil: all).
func (r *DefaultCrudRepository[T, ID]) DeleteAll(ctx context.Context, where Clause) (Count, error) {
	w, err := r.where(where)
	if err != nil {
		return Count{}, err
	}
	n, err := r.conn.Delete(ctx, r.model, w)
	return Count{Count: n}, err
}

// DeleteByID removes the entity with id.
func (r *DefaultCrudRepository[T, ID]) DeleteByID(ctx context.Context, id ID) error {
	where, err := r.idCond(id)
	if err != nil {
		return err
	}
	n, err := r.conn.Delete(ctx, r.model, where)
	if err != nil {
		return err
	}
	if n == 0 {
		return &EntityNotFoundError{Model: r.model.Name, ID: id}
	}
	return nil
}
