package repository

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/loomhq/loom/repository/rules"
)

// Validations: a model declares LoopBack 3's validations once, as a
// Validations() []rules.Validation method of its entity type (see
// [rules.Validator]); [ModelOf] compiles them, and the repository runs
// them on every write:
//
//   - Create, CreateAll, Save, Update and ReplaceByID validate the whole
//     entity as juggler validates an instance: each required property's
//     presence, then each property's validations in the order juggler
//     runs them, then uniqueness against the store.
//   - UpdateByID and UpdateAll validate what is sent: the validations of
//     each property the patch sets or unsets run on its new value. LoopBack
//     3's updateAll skips validation; here a patch never stores what a
//     create would refuse. UpdateByID checks uniqueness against the other
//     entities; for UpdateAll the store's enforcement answers.
//
// Every failure is one [ValidationError] (422) with juggler's codes,
// messages and details. Uniqueness is enforced by the store as well
// (see [Model.Unique]), so two concurrent writes of one value cannot both
// win: the loser gets the same 422.

// validation is the compiled validations of a model, in juggler's order.
type validation struct {
	plan *rules.Plan
	// attrs are the properties with validations, in juggler's order: the
	// required ones (their presence is checked first), then those the
	// validations name, in the order first named.
	attrs []string
	// unique are the uniqueness checks, run after the others as juggler
	// runs its asynchronous validations.
	unique []*rules.Check
	// uniqueSets are their properties, as Model.Unique lists them.
	uniqueSets [][]string
}

func newValidation(m *Model, plan *rules.Plan) *validation {
	v := &validation{plan: plan}
	for _, p := range m.Properties {
		if p.Required && !p.ID {
			v.attrs = append(v.attrs, p.Name)
		}
	}
	for _, c := range plan.Checks {
		if !slices.Contains(v.attrs, c.Property) {
			v.attrs = append(v.attrs, c.Property)
		}
		if c.Unique() {
			v.unique = append(v.unique, c)
		}
	}
	v.uniqueSets = plan.Unique()
	return v
}

// Unique lists the properties the model's uniqueness validations make
// unique together ([rules.UniquenessOf]): each list is the ScopedTo
// properties, then the property validated. A connector enforces each
// where its writes are decided (the memory connector under its write
// lock, the SQL connectors with a unique index), answering [NotUnique].
// A tuple holding an unset, null or "" value is not checked. The lists
// are the model's: do not change them.
func (m *Model) Unique() [][]string {
	if m.valid == nil {
		return nil
	}
	return m.valid.uniqueSets
}

// NotUnique is the error a connector answers when a write would store
// the values of props, one of [Model.Unique]'s lists, that another
// entity holds: a [ValidationError] with juggler's uniqueness detail on
// the property validated, its value taken from d.
func NotUnique(m *Model, props []string, d Data) *ValidationError {
	prop := props[len(props)-1]
	path := rules.Pointer("", prop)
	var det rules.Detail
	if c := m.uniqueCheck(props); c != nil {
		det = c.Fail(path, "", d[prop])
	} else {
		var value any
		if raw := d[prop]; len(raw) > 0 {
			value = raw
		}
		det = rules.Detail{Path: path, Code: CodeUniqueness, Message: "is not unique", Info: map[string]any{"value": value}}
	}
	return &ValidationError{Model: m.Name, Details: []Detail{Detail(det)}}
}

func (m *Model) uniqueCheck(props []string) *rules.Check {
	if m.valid == nil {
		return nil
	}
	for _, c := range m.valid.unique {
		if slices.Equal(append(slices.Clone(c.Scope), c.Property), props) {
			return c
		}
	}
	return nil
}

// checkEntity validates the Data of a whole entity as LoopBack's juggler
// validates a model instance before a create or a replace, but for
// uniqueness (see validateEntity): every required property present, not
// null and, for strings, not "" (presence, "can't be blank"), then the
// model's validations, property by property.
func checkEntity(m *Model, d Data) error {
	if details := entityDetails(m, d); len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// Validate checks d, a whole entity's data as a client sent it, against
// m's required properties and validations, all but uniqueness (which
// needs the store; the repository checks it as it writes). In d, an unset
// property, a null and "" differ, as they do for LoopBack 3's juggler: a
// missing name is "`name` can't be blank (value: undefined)", a null one
// "`name` is null (value: null)". The repository validates the entity it
// writes again, as Go holds it, where a nil pointer is unset.
func (m *Model) Validate(d Data) error { return checkEntity(m, d) }

func entityDetails(m *Model, d Data) []Detail {
	var details []Detail
	presence := func(p *Property) {
		raw, ok := d[p.Name]
		if !ok || isBlank(p, raw) {
			var value any // undefined
			if ok {
				value = raw
			}
			details = append(details, Detail{Path: "/" + p.Name, Code: CodePresence, Message: "can't be blank",
				Info: map[string]any{"value": value}})
		}
	}
	if m.valid == nil {
		for _, p := range m.Properties {
			if p.Required && !p.ID {
				presence(p)
			}
		}
		return details
	}
	for _, name := range m.valid.attrs {
		if p := m.byName[name]; p.Required && !p.ID {
			presence(p)
		}
		f := m.valid.plan.Field(name)
		if f == nil {
			continue // a hidden property (json:"-"), which only presence checks
		}
		for _, c := range f.Checks {
			for _, det := range c.Run(d[name], "/"+name) {
				details = append(details, Detail(det))
			}
		}
	}
	return details
}

func isBlank(p *Property, raw json.RawMessage) bool {
	return string(raw) == "null" || p.Kind == KindString && string(raw) == `""`
}

// validateEntity runs every validation of the entity d, the uniqueness
// ones against conn; self is the id of the entity d replaces (nil for a
// new one), which holding d's values is no conflict.
func validateEntity(ctx context.Context, conn Connector, m *Model, d Data, self any) error {
	details := entityDetails(m, d)
	if m.valid != nil {
		for _, c := range m.valid.unique {
			taken, err := holdsOther(ctx, conn, m, c, d, self)
			if err != nil {
				return err
			}
			if taken {
				details = append(details, Detail(c.Fail("/"+c.Property, "", d[c.Property])))
			}
		}
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// holdsOther is juggler's validateUniqueness: whether another entity
// than self holds d's value of c's property (and its scope's values,
// those d sets). A blank value is not checked.
func holdsOther(ctx context.Context, conn Connector, m *Model, c *rules.Check, d Data, self any) (bool, error) {
	raw := d[c.Property]
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return false, nil
	}
	conds := []Cond{}
	for _, prop := range append(slices.Clone(c.Scope), c.Property) {
		raw, ok := d[prop]
		if !ok {
			continue // juggler leaves an unset scope out
		}
		v, err := DecodeValue(raw)
		if err != nil {
			return false, err
		}
		conds = append(conds, Cond{Op: OpEq, Prop: prop, Value: v})
	}
	where, err := newChecker(m, false).cond(Cond{Op: OpAnd, Conds: conds}, "where", 0)
	if err != nil {
		return false, err
	}
	id := m.ID.Name
	found, err := conn.Find(ctx, m, Query{Where: where, Select: []string{id}, Order: []Order{Asc(id)}, Limit: 2})
	if err != nil {
		return false, err
	}
	switch {
	case len(found) > 1:
		return true, nil
	case len(found) == 0:
		return false, nil
	}
	if self == nil {
		return true, nil
	}
	other, err := DecodeValue(found[0][id])
	if err != nil {
		return false, err
	}
	return !sameID(other, self), nil
}

// sameID compares two ids as decoded from JSON.
func sameID(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// patchValidations validates a patch's data d, whose unset properties
// are removed, as juggler would the entity it makes but only on what it
// sends: each required property it sets blank or unsets fails presence,
// and each property it sets or unsets runs its validations, in juggler's
// order of properties.
func (m *Model) patchValidations(d Data, unset map[string]bool) []Detail {
	var names []string
	if m.valid != nil {
		names = m.valid.attrs
	} else {
		for _, p := range m.Properties {
			if p.Required && !p.ID {
				names = append(names, p.Name)
			}
		}
	}
	var details []Detail
	for _, name := range names {
		raw, sent := d[name]
		if !sent {
			continue
		}
		if unset[name] {
			raw = nil
		}
		if p := m.byName[name]; p.Required && !p.ID && (raw == nil || isBlank(p, raw)) {
			var value any // undefined
			if raw != nil {
				value = raw
			}
			details = append(details, Detail{Path: "/" + name, Code: CodePresence, Message: "can't be blank",
				Info: map[string]any{"value": value}})
		}
		details = append(details, m.patchDetails(name, raw)...)
	}
	return details
}

// patchDetails runs the validations of one property a patch sets to raw
// (nil: unsets).
func (m *Model) patchDetails(name string, raw json.RawMessage) []Detail {
	if m.valid == nil {
		return nil
	}
	f := m.valid.plan.Field(name)
	if f == nil {
		return nil
	}
	var out []Detail
	for _, c := range f.Checks {
		for _, det := range c.Run(raw, "/"+name) {
			out = append(out, Detail(det))
		}
	}
	return out
}

// validatePatch runs the uniqueness validations of a patch d of the
// entity with id: its values, merged over the stored entity's, must not
// be another entity's. Only checks a property of d is part of run.
func validatePatch(ctx context.Context, conn Connector, m *Model, d Data, where Cond, id any) error {
	if m.valid == nil {
		return nil
	}
	var current Data
	var details []Detail
	for _, c := range m.valid.unique {
		touched := false
		for _, p := range append(slices.Clone(c.Scope), c.Property) {
			_, ok := d[p]
			touched = touched || ok
		}
		if !touched {
			continue
		}
		if current == nil {
			found, err := conn.Find(ctx, m, Query{Where: where, Order: []Order{Asc(m.ID.Name)}, Limit: 1})
			if err != nil || len(found) == 0 {
				return err // no entity: the update answers 404
			}
			current = found[0].Clone()
			for k, v := range d {
				if len(v) == 0 {
					delete(current, k)
				} else {
					current[k] = v
				}
			}
		}
		taken, err := holdsOther(ctx, conn, m, c, current, id)
		if err != nil {
			return err
		}
		if taken {
			details = append(details, Detail(c.Fail("/"+c.Property, "", current[c.Property])))
		}
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}

// validateEntities validates the entities of a CreateAll as
// validateEntity does each, but looks their unique values up together,
// a query per list of MaxInq values, rather than one per entity. The
// first invalid entity's error is returned.
func validateEntities(ctx context.Context, conn Connector, m *Model, ds []Data) error {
	if len(ds) == 1 || m.valid == nil || len(m.valid.unique) == 0 {
		for _, d := range ds {
			if err := validateEntity(ctx, conn, m, d, nil); err != nil {
				return err
			}
		}
		return nil
	}
	taken := make([][]bool, len(m.valid.unique))
	for i, c := range m.valid.unique {
		var err error
		if taken[i], err = takenAll(ctx, conn, m, c, ds); err != nil {
			return err
		}
	}
	for j, d := range ds {
		details := entityDetails(m, d)
		for i, c := range m.valid.unique {
			if taken[i][j] {
				details = append(details, Detail(c.Fail("/"+c.Property, "", d[c.Property])))
			}
		}
		if len(details) > 0 {
			return &ValidationError{Model: m.Name, Details: details}
		}
	}
	return nil
}

// takenAll reports, for each new entity of ds, whether a stored entity
// holds its value of c's property and its values of the scope's
// properties it sets (juggler's validateUniqueness for a new entity).
func takenAll(ctx context.Context, conn Connector, m *Model, c *rules.Check, ds []Data) ([]bool, error) {
	props := append(slices.Clone(c.Scope), c.Property)
	byValue := map[string][]int{} // a value's JSON text → the entities holding it
	var values []any
	for j, d := range ds {
		raw := d[c.Property]
		if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
			continue
		}
		v, err := DecodeValue(raw)
		if err != nil {
			return nil, err
		}
		key := valueKey(v)
		if _, seen := byValue[key]; !seen {
			values = append(values, v)
		}
		byValue[key] = append(byValue[key], j)
	}
	out := make([]bool, len(ds))
	lim := limitsOf(m)
	for chunk := range slices.Chunk(values, min(lim.MaxInq, lim.MaxValues)) {
		where, err := newChecker(m, false).cond(Cond{Op: OpInq, Prop: c.Property, Value: chunk}, "where", 0)
		if err != nil {
			return nil, err
		}
		found, err := conn.Find(ctx, m, Query{Where: where, Select: props, Order: []Order{Asc(m.ID.Name)}})
		if err != nil {
			return nil, err
		}
		for _, row := range found {
			v, err := DecodeValue(row[c.Property])
			if err != nil {
				return nil, err
			}
			for _, j := range byValue[valueKey(v)] {
				out[j] = out[j] || sameScope(ds[j], row, c.Scope)
			}
		}
	}
	return out, nil
}

// sameScope reports whether the stored row holds d's value of each scope
// property d sets.
func sameScope(d, row Data, scope []string) bool {
	for _, p := range scope {
		raw, ok := d[p]
		if !ok {
			continue
		}
		a, err1 := DecodeValue(raw)
		var b any
		var err2 error
		if stored := row[p]; len(stored) > 0 {
			b, err2 = DecodeValue(stored)
		}
		if err1 != nil || err2 != nil || valueKey(a) != valueKey(b) {
			return false
		}
	}
	return true
}

// valueKey is the text of a decoded value, for comparing values.
func valueKey(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
