package repository

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// RelationKind is the kind of a relation between two models, as LoopBack
// names it.
type RelationKind string

// The kinds of relations.
const (
	// HasMany: the source has many targets, each holding the source's id
	// in its foreign key (TodoList hasMany Todo through todo.todoListId).
	HasMany RelationKind = "hasMany"
	// BelongsTo: the source holds the target's id in its foreign key
	// (Todo belongsTo TodoList through todo.todoListId).
	BelongsTo RelationKind = "belongsTo"
	// HasOne: the source has at most one target, which holds the source's
	// id in its foreign key (TodoList hasOne TodoListImage).
	HasOne RelationKind = "hasOne"
	// HasManyThrough: the source has many targets through a join model,
	// each of whose entities links one source to one target (Doctor
	// hasManyThrough Patient through Appointment's doctorId and
	// patientId). LoopBack 4's hasMany with through.
	HasManyThrough RelationKind = "hasManyThrough"
	// HasAndBelongsToMany: LoopBack 3's many-to-many relation, the join
	// model holding both ids (Assembly hasAndBelongsToMany Part through
	// AssemblyPart's assemblyId and partId). It joins as hasManyThrough.
	HasAndBelongsToMany RelationKind = "hasAndBelongsToMany"
)

// Through is the navigational field of a relation through a join model
// (hasManyThrough, hasAndBelongsToMany): a list of targets T, linked to
// the source by the entities of the join model J. It is written in JSON
// as an array of T.
//
//	type Doctor struct {
//		ID       int                                     `json:"id,omitempty" loom:"id,generated"`
//		Name     string                                  `json:"name"`
//		Patients repository.Through[Patient, Appointment] `json:"patients,omitempty" loom:"hasManyThrough"`
//	}
//
//	type Appointment struct {
//		ID        int `json:"id,omitempty" loom:"id,generated"`
//		DoctorID  int `json:"doctorId"`
//		PatientID int `json:"patientId"`
//	}
type Through[T, J any] []T

// ThroughType returns J, the join model's entity type.
func (Through[T, J]) ThroughType() reflect.Type { return reflect.TypeFor[J]() }

// througher is implemented by [Through] types.
type througher interface{ ThroughType() reflect.Type }

// Relation is one relation of a model, declared by a navigational field:
// a field of the target's type (hasMany: a slice of it; belongsTo and
// hasOne: a pointer to it) tagged with the kind, whose JSON name is the
// relation's name. The field is no property: it is never stored, and it
// holds the related entities only when a filter includes them.
//
//	type TodoList struct {
//		ID    int            `json:"id,omitempty" loom:"id,generated"`
//		Title string         `json:"title" validate:"required"`
//		Todos []Todo         `json:"todos,omitempty" loom:"hasMany"`
//		Image *TodoListImage `json:"image,omitempty" loom:"hasOne"`
//	}
//
//	type Todo struct {
//		ID         int       `json:"id,omitempty" loom:"id,generated"`
//		Title      string    `json:"title" validate:"required"`
//		TodoListID int       `json:"todoListId,omitempty"`
//		TodoList   *TodoList `json:"todoList,omitempty" loom:"belongsTo"`
//	}
//
// The keys take LoopBack's default names, and the tag's keyFrom= and
// keyTo= options name others: for hasMany and hasOne, keyFrom is the
// source's id and keyTo the target's foreign key, the source model's name
// in lower camel case followed by Id (todoListId); for belongsTo, keyFrom
// is the source's foreign key, the relation's name followed by Id
// (todoListId), and keyTo the target's id.
//
// A relation through a join model (hasManyThrough, hasAndBelongsToMany)
// is declared on a field of type [Through][T, J], T the target and J the
// join model. keyFrom is the source's id and keyTo the target's; the
// join model's keys are throughFrom, which holds the source's keyFrom,
// the source model's name in lower camel case followed by Id (doctorId),
// and throughTo, which holds the target's keyTo, the target model's name
// in lower camel case followed by Id (patientId). The tag's throughFrom=
// and throughTo= options name others.
type Relation struct {
	// Name is the relation's name: the navigational field's JSON name.
	Name string
	// Kind is the relation's kind.
	Kind RelationKind
	// Field is the navigational field's Go name.
	Field string
	// TargetType is the target entity's struct type.
	TargetType reflect.Type
	// KeyFrom is the property of the source the relation joins on.
	KeyFrom string
	// KeyTo is the property of the target the relation joins on.
	KeyTo string
	// Through is the join model's entity type of a relation through one
	// (hasManyThrough, hasAndBelongsToMany); nil for the other kinds.
	Through reflect.Type
	// ThroughFrom is the join model's property holding the source's
	// keyFrom.
	ThroughFrom string
	// ThroughTo is the join model's property holding the target's keyTo.
	ThroughTo string

	source  *Model
	target  *Model
	through *Model
	index   []int
}

// ThroughModel is the join model of a relation through one, nil for the
// other kinds. It is set once the relations are resolved.
func (r *Relation) ThroughModel() *Model { return r.through }

// IsThrough reports whether the relation joins through a join model
// (hasManyThrough, hasAndBelongsToMany).
func (r *Relation) IsThrough() bool { return r.Kind == HasManyThrough || r.Kind == HasAndBelongsToMany }

// Target is the target's model. It is set once the source's relations are
// resolved, which [Model.Relations] does.
func (r *Relation) Target() *Model { return r.target }

// Many reports whether the relation holds a list of targets (hasMany,
// hasManyThrough, hasAndBelongsToMany).
func (r *Relation) Many() bool { return r.Kind == HasMany || r.IsThrough() }

// relationSet is a model's relations, resolved on first use: their
// targets may refer back to the source, so they cannot be resolved while
// the source's model is being built.
type relationSet struct {
	once sync.Once
	list []*Relation
	err  error
}

// Relations returns the model's relations, in field order, with their
// targets resolved and their keys checked: a target that is no model, a
// key the source or the target does not have, or keys of different types
// is an error naming the model and the relation. [NewCrudRepository]
// calls it, so such a mistake fails at start-up.
func (m *Model) Relations() ([]*Relation, error) {
	m.rels.once.Do(func() { m.rels.err = m.resolveRelations() })
	return m.rels.list, m.rels.err
}

// Relation returns the model's relation named name, or nil (also when the
// relations do not resolve; see [Model.Relations]).
func (m *Model) Relation(name string) *Relation {
	rels, err := m.Relations()
	if err != nil {
		return nil
	}
	for _, r := range rels {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// relationNamed reports whether m declares a relation named name; it
// does not resolve them.
func (m *Model) relationNamed(name string) bool {
	for _, r := range m.rels.list {
		if r.Name == name {
			return true
		}
	}
	return false
}

func (m *Model) resolveRelations() error {
	for _, r := range m.rels.list {
		if err := r.resolve(); err != nil {
			return fmt.Errorf("repository: model %s, relation %s: %w", m.Name, r.Name, err)
		}
	}
	return nil
}

// resolve finds the target's model and checks the keys.
func (r *Relation) resolve() error {
	t, err := modelOfType(r.TargetType)
	if err != nil {
		return fmt.Errorf("the target is no model: %w", err)
	}
	r.target = t
	if r.IsThrough() {
		return r.resolveThrough()
	}
	if r.KeyFrom == "" {
		if r.Kind == BelongsTo {
			r.KeyFrom = r.Name + "Id"
		} else {
			r.KeyFrom = r.source.ID.Name
		}
	}
	if r.KeyTo == "" {
		if r.Kind == BelongsTo {
			r.KeyTo = t.ID.Name
		} else {
			r.KeyTo = lowerFirst(r.source.Name) + "Id"
		}
	}
	from := r.source.Property(r.KeyFrom)
	if from == nil || from.Hidden {
		return fmt.Errorf("%s has no property %q to join on (keyFrom)", r.source.Name, r.KeyFrom)
	}
	to := t.Property(r.KeyTo)
	if to == nil || to.Hidden {
		return fmt.Errorf("%s has no property %q to join on (keyTo)", t.Name, r.KeyTo)
	}
	if kindElem(from.Type) != kindElem(to.Type) { // a *T or a Nullable[T] key joins a T one
		return fmt.Errorf("%s.%s is %v but %s.%s is %v: the keys must have one type",
			r.source.Name, r.KeyFrom, from.Type, t.Name, r.KeyTo, to.Type)
	}
	return nil
}

// resolveThrough finds the join model and checks the four keys of a
// relation through it.
func (r *Relation) resolveThrough() error {
	j, err := modelOfType(r.Through)
	if err != nil {
		return fmt.Errorf("the join model is no model: %w", err)
	}
	r.through = j
	s, t := r.source, r.target
	if r.KeyFrom == "" {
		r.KeyFrom = s.ID.Name
	}
	if r.KeyTo == "" {
		r.KeyTo = t.ID.Name
	}
	if r.ThroughFrom == "" {
		r.ThroughFrom = lowerFirst(s.Name) + "Id"
	}
	if r.ThroughTo == "" {
		r.ThroughTo = lowerFirst(t.Name) + "Id"
	}
	if r.ThroughFrom == r.ThroughTo {
		return fmt.Errorf("the join model %s's keys are both %q: name them with throughFrom= and throughTo=", j.Name, r.ThroughFrom)
	}
	for _, k := range []struct {
		m         *Model
		prop, opt string
	}{
		{s, r.KeyFrom, "keyFrom"}, {t, r.KeyTo, "keyTo"}, {j, r.ThroughFrom, "throughFrom"}, {j, r.ThroughTo, "throughTo"},
	} {
		if p := k.m.Property(k.prop); p == nil || p.Hidden {
			return fmt.Errorf("%s has no property %q to join on (%s)", k.m.Name, k.prop, k.opt)
		}
	}
	for _, k := range []struct {
		a, b   *Model
		pa, pb string
	}{{s, j, r.KeyFrom, r.ThroughFrom}, {t, j, r.KeyTo, r.ThroughTo}} {
		ta, tb := k.a.Property(k.pa).Type, k.b.Property(k.pb).Type
		if kindElem(ta) != kindElem(tb) {
			return fmt.Errorf("%s.%s is %v but %s.%s is %v: the keys must have one type", k.a.Name, k.pa, ta, k.b.Name, k.pb, tb)
		}
	}
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// Navigational reports whether struct field sf declares a relation: its
// loom tag starts with hasMany, belongsTo, hasOne, hasManyThrough or
// hasAndBelongsToMany. Such a field is no
// property of its model, so request bodies and schemas leave it out.
func Navigational(sf reflect.StructField) bool {
	first, _, _ := strings.Cut(sf.Tag.Get("loom"), ",")
	switch RelationKind(strings.TrimSpace(first)) {
	case HasMany, BelongsTo, HasOne, HasManyThrough, HasAndBelongsToMany:
		return true
	}
	return false
}

// relationOf reads the navigational field sf, or returns nil when sf is
// not one. A malformed declaration is an error naming the field.
func relationOf(sf reflect.StructField, idx []int, jname string) (*Relation, error) {
	tag := sf.Tag.Get("loom")
	first, opts, _ := strings.Cut(tag, ",")
	kind := RelationKind(strings.TrimSpace(first))
	switch kind {
	case HasMany, BelongsTo, HasOne, HasManyThrough, HasAndBelongsToMany:
	default:
		return nil, nil
	}
	r := &Relation{Name: jname, Kind: kind, Field: sf.Name, index: idx}
	for opt := range strings.SplitSeq(opts, ",") {
		switch k, v, _ := strings.Cut(strings.TrimSpace(opt), "="); k {
		case "":
		case "keyFrom":
			r.KeyFrom = v
		case "keyTo":
			r.KeyTo = v
		case "throughFrom", "throughTo":
			if kind != HasManyThrough && kind != HasAndBelongsToMany {
				return nil, fmt.Errorf("field %s: option %q applies to a relation through a join model (hasManyThrough, hasAndBelongsToMany), not %s", sf.Name, opt, kind)
			}
			if k == "throughFrom" {
				r.ThroughFrom = v
			} else {
				r.ThroughTo = v
			}
		default:
			if kind == HasManyThrough || kind == HasAndBelongsToMany {
				return nil, fmt.Errorf("field %s: unknown option %q of a %s relation (keyFrom=, keyTo=, throughFrom=, throughTo=)", sf.Name, opt, kind)
			}
			return nil, fmt.Errorf("field %s: unknown option %q of a %s relation (keyFrom=, keyTo=)", sf.Name, opt, kind)
		}
	}
	if !sf.IsExported() {
		return nil, fmt.Errorf("field %s: a navigational field must be exported", sf.Name)
	}
	if r.Name == "" || r.Name == "-" {
		return nil, fmt.Errorf(`field %s: a navigational field needs a json name, the relation's (json:"todos,omitempty")`, sf.Name)
	}
	t := sf.Type
	through, isThrough := reflect.Zero(t).Interface().(througher)
	switch {
	case kind == HasManyThrough || kind == HasAndBelongsToMany:
		if !isThrough || t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("field %s: a %s field is a repository.Through[Target, JoinModel] (Through[Patient, Appointment]), not %v", sf.Name, kind, t)
		}
		r.TargetType, r.Through = t.Elem(), through.ThroughType()
	case isThrough:
		return nil, fmt.Errorf("field %s: a repository.Through field declares a hasManyThrough or hasAndBelongsToMany relation, not %s", sf.Name, kind)
	case kind == HasMany && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		r.TargetType = t.Elem()
	case kind != HasMany && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		r.TargetType = t.Elem()
	case kind == HasMany:
		return nil, fmt.Errorf("field %s: a hasMany field is a slice of the target entity ([]Todo), not %v", sf.Name, t)
	default:
		return nil, fmt.Errorf("field %s: a %s field is a pointer to the target entity (*TodoList), not %v", sf.Name, kind, t)
	}
	if !strings.Contains(sf.Tag.Get("json"), "omitempty") {
		return nil, fmt.Errorf(`field %s: a navigational field must be omitempty, so that it is absent unless included (json:"%s,omitempty")`, sf.Name, r.Name)
	}
	return r, nil
}

// field returns the navigational field of r in the source entity v (a
// struct value), allocating embedded pointers on the way.
func (r *Relation) field(v reflect.Value) reflect.Value {
	f, _ := (&Property{index: r.index}).field(v, true)
	return f
}

// navigationalDetail is the refusal of model data that sets the
// navigational property name of m: related entities are written through
// their own repository, never with the source.
func navigationalDetail(m *Model, name string) Detail {
	return Detail{Path: "", Code: "additionalProperties",
		Message: fmt.Sprintf("is a navigational property: navigational properties are not allowed in model data "+
			"(model %q property %q), please remove it", m.Name, name),
		Info: map[string]any{"additionalProperty": name}}
}

// checkNavigational refuses data that sets a navigational property of m,
// with a 422 [ValidationError].
func checkNavigational(m *Model, d Data) error {
	var details []Detail
	for _, r := range m.rels.list {
		if _, ok := d[r.Name]; ok {
			details = append(details, navigationalDetail(m, r.Name))
		}
	}
	if details != nil {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}
