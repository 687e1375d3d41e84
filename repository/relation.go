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
)

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

	source *Model
	target *Model
	index  []int
}

// Target is the target's model. It is set once the source's relations are
// resolved, which [Model.Relations] does.
func (r *Relation) Target() *Model { return r.target }

// Many reports whether the relation holds a list of targets (hasMany).
func (r *Relation) Many() bool { return r.Kind == HasMany }

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
	if deref(from.Type) != deref(to.Type) {
		return fmt.Errorf("%s.%s is %v but %s.%s is %v: the keys must have one type",
			r.source.Name, r.KeyFrom, from.Type, t.Name, r.KeyTo, to.Type)
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
// loom tag starts with hasMany, belongsTo or hasOne. Such a field is no
// property of its model, so request bodies and schemas leave it out.
func Navigational(sf reflect.StructField) bool {
	first, _, _ := strings.Cut(sf.Tag.Get("loom"), ",")
	switch RelationKind(strings.TrimSpace(first)) {
	case HasMany, BelongsTo, HasOne:
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
	case HasMany, BelongsTo, HasOne:
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
		default:
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
	switch {
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
