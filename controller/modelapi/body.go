package modelapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// Write is one object a write method of the model is about to store, as
// read from the request body: what a [WriteHook] sees and may change.
type Write struct {
	// Method is the LoopBack 3 name of the method writing: create,
	// replaceOrCreate, patchOrCreate, upsertWithWhere, replaceById,
	// prototype.patchAttributes or updateAll; or, when another model's
	// relation method writes this model's instance, that method's name:
	// prototype.__create__members (hasMany, hasOne and through creates),
	// prototype.__updateById__members (hasMany) or
	// prototype.__update__member (hasOne), members or member being the
	// relation's name.
	Method string
	// Data is the object, its values made lenient (numeric strings of
	// number properties are numbers). The hook may change it in place:
	// set, replace or delete properties.
	Data repository.Data
	// Create is set when the object is stored as a new instance.
	Create bool
	// Partial is set when only the properties Data holds change (a
	// patch); otherwise Data replaces the whole instance.
	Partial bool
	// ID is the id of the instance written, when the method knows it
	// before writing (replaceById, patchAttributes, upserts of an
	// existing id); nil otherwise.
	ID any
	// after are what the hooks asked to run once the write is stored.
	after []func(context.Context) error
}

// AfterWrite asks the method to run f once the object is stored, so that
// an effect of the write happens only if the write does (a user model
// revokes the user's tokens when its password changes, not when the
// change is then refused). An error of f is the method's answer, the
// object being already stored. Methods that cannot tell when the object
// is stored run f before writing, as the hook itself would.
func (w *Write) AfterWrite(f func(ctx context.Context) error) {
	w.after = append(w.after, f)
}

// WriteHook runs on each object a write method of the model reads from
// the request body, before it is validated and stored: LoopBack 3's
// beforeRemote hook on the request's data, or a model setter (a user
// model hashes its password here). An error stops the method and is the
// answer.
type WriteHook func(ctx context.Context, w *Write) error

// BeforeWrite adds a hook run on every object the model's own write
// methods (create, with each element of an array; the upserts;
// replaceById; patchAttributes; updateAll) read from a request body,
// before validation, in the order the hooks were given. The relation
// methods of other models that create or update this model's instances
// (a Team's POST /Teams/{id}/members and PUT /Teams/{id}/members/{fk},
// a hasOne's POST and PUT) run it too, with [Write.Method] naming the
// relation method, as LoopBack 3's operation hooks ("before save") run
// on relation writes: a user model's password is hashed whichever
// endpoint writes it. The foreign key of such a write stays the source's
// whatever the hook does.
func BeforeWrite(hook WriteHook) Option {
	return optionFunc(func(s *settings) { s.writeHooks = append(s.writeHooks, hook) })
}

// Writable lets a request body set hidden properties (loom:"hidden"):
// hidden properties are never answered and, unless named here, never
// taken from a client either. A user model's password is one: sent at
// signup, stored (hashed by a [BeforeWrite] hook), never answered.
func Writable(props ...string) Option {
	return optionFunc(func(s *settings) {
		if s.writable == nil {
			s.writable = map[string]bool{}
		}
		for _, p := range props {
			s.writable[p] = true
		}
	})
}

// DeleteHook runs after the model's deleteById deleted the instance
// whose id is id: LoopBack 3's "after delete" observer of that method (a
// user model revokes the deleted user's tokens). An error is the answer,
// the instance being already gone.
type DeleteHook func(ctx context.Context, id any) error

// AfterDelete adds a hook run after deleteById deleted an instance.
func AfterDelete(hook DeleteHook) Option {
	return optionFunc(func(s *settings) { s.deleteHooks = append(s.deleteHooks, hook) })
}

// beforeWrite runs the model's write hooks on d, then what they asked
// to run after the write ([Write.AfterWrite]).
func (b *base) beforeWrite(ctx context.Context, method string, d repository.Data, create, partial bool, id any) error {
	after, err := b.prepareWrite(ctx, method, d, create, partial, id)
	if err != nil {
		return err
	}
	return after(ctx)
}

// prepareWrite runs the model's write hooks on d and answers what the
// hooks asked to run once the write is stored, which the caller runs
// after the write succeeded.
func (b *base) prepareWrite(ctx context.Context, method string, d repository.Data, create, partial bool, id any) (func(context.Context) error, error) {
	w := &Write{Method: method, Data: d, Create: create, Partial: partial, ID: id}
	for _, h := range b.settings.writeHooks {
		if err := h(ctx, w); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context) error {
		for _, f := range w.after {
			if err := f(ctx); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// maxArrayCreate caps the instances one POST of an array creates.
const maxArrayCreate = 1000

// notObject is strong-remoting's 400 for a body or a filter that is no
// JSON object.
func notObject() error { return httperr.BadRequest("Value is not an object.").WithName("Error") }

// readObject reads a body that must be one object, as LoopBack 3 reads
// it: an absent body or a JSON null is {}, anything but an object a 400.
// Property values are made lenient as juggler's are: a number property
// sent as a numeric string is that number.
func (b *base) readObject(raw json.RawMessage) (repository.Data, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return repository.Data{}, nil
	}
	if raw[0] != '{' {
		return nil, notObject()
	}
	var d repository.Data
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, notObject()
	}
	if d == nil {
		d = repository.Data{}
	}
	if err := b.checkKnown(d); err != nil {
		return nil, err
	}
	b.coerce(d)
	return d, nil
}

// checkKnown refuses, for a strict model, properties it does not declare:
// juggler's unknown-property failure, where decoding would drop them.
func (b *base) checkKnown(d repository.Data) error {
	if !b.model.Strict {
		return nil
	}
	var details []repository.Detail
	for _, k := range slices.Sorted(maps.Keys(d)) {
		if b.model.Property(k) == nil {
			details = append(details, repository.Detail{Path: "/" + k, Code: "unknown-property",
				Message: "is not defined in the model", Info: map[string]any{"value": d[k]}})
		}
	}
	if len(details) > 0 {
		return &repository.ValidationError{Model: b.model.Name, Details: details}
	}
	return nil
}

// readObjects reads a body that is an object or an array of objects; many
// says which it was.
func (b *base) readObjects(raw json.RawMessage) (list []repository.Data, many bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		d, err := b.readObject(raw)
		return []repository.Data{d}, false, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, true, notObject()
	}
	if len(items) > maxArrayCreate {
		return nil, true, httperr.Newf(413, "An array body creates at most %d instances; this one has %d.", maxArrayCreate, len(items)).WithName("Error")
	}
	list = make([]repository.Data, len(items))
	for i, it := range items {
		if list[i], err = b.readObject(it); err != nil {
			return nil, true, err
		}
	}
	return list, true, nil
}

// coerce makes d's values lenient, in place: a numeric string sent for a
// number property becomes that number, as juggler's type casting does.
func (b *base) coerce(d repository.Data) {
	for name, raw := range d {
		p := b.model.Property(name)
		if p == nil || len(raw) == 0 || raw[0] != '"' {
			continue
		}
		if p.Kind != repository.KindInt && p.Kind != repository.KindFloat {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		s = strings.TrimSpace(s)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			continue
		}
		if p.Kind == repository.KindInt && f != math.Trunc(f) {
			continue
		}
		d[name] = json.RawMessage(strconv.FormatFloat(f, 'f', -1, 64))
	}
}

// checkNoID refuses an id in a create's body: the ids are generated
// (LoopBack 3's forceId), so one sent is juggler's absence failure.
func (b *base) checkNoID(d repository.Data) error {
	id := b.model.ID
	raw, ok := d[id.Name]
	if !ok || !id.Generated || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return &repository.ValidationError{Model: b.model.Name, Details: []repository.Detail{{
		Path: "/" + id.Name, Code: repository.CodeAbsence, Message: "can't be set",
		Info: map[string]any{"value": raw},
	}}}
}

// decodeEntity validates d, a whole entity as sent, and turns it into a
// T: a value of the wrong type for its property is a 422 naming it.
// Names match exactly, properties the model does not declare go to its
// catch-all field when it keeps them, and hidden properties are not the
// client's to set.
func decodeEntity[T any](m *repository.Model, d repository.Data, writable map[string]bool) (T, error) {
	var t T
	// Validated as sent, where unset, null and "" differ as they do for
	// juggler; decoding into T would blur them.
	if err := m.Validate(d); err != nil {
		return t, err
	}
	if err := m.Decode(withoutHidden(m, d, writable), &t); err != nil {
		return t, typeError(m, d, err)
	}
	return t, nil
}

// withoutHidden is d without m's hidden properties, less the writable
// ones; d itself when it has none.
func withoutHidden(m *repository.Model, d repository.Data, writable map[string]bool) repository.Data {
	var out repository.Data
	for _, p := range m.Properties {
		if _, sent := d[p.Name]; !p.Hidden || !sent || writable[p.Name] {
			continue
		}
		if out == nil {
			out = maps.Clone(d)
		}
		delete(out, p.Name)
	}
	if out == nil {
		return d
	}
	return out
}

// decodePatch turns d into a patch of T; the patch checks each value
// against its property. The writable hidden properties d sets are set
// on the patch as they are.
func decodePatch[T any](m *repository.Model, d repository.Data, writable map[string]bool) (repository.Patch[T], error) {
	var p repository.Patch[T]
	var hidden repository.Data
	for name := range writable {
		if raw, ok := d[name]; ok {
			if hidden == nil {
				hidden, d = repository.Data{}, d.Clone()
			}
			hidden[name] = raw
			delete(d, name)
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, typeError(m, d, err)
	}
	for _, name := range slices.Sorted(maps.Keys(hidden)) {
		p = p.Set(name, hidden[name])
	}
	return p, nil
}

// typeError is a decoding failure as a 422 ValidationError on the
// property whose value has the wrong type.
func typeError(m *repository.Model, d repository.Data, err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		// A value that refuses itself (a GeoPoint out of range): the
		// property it belongs to is found by reading each value alone,
		// and the failure is a detail on it, in its own words.
		if name, perr := refusingProperty(m, d); perr != nil {
			return &repository.ValidationError{Model: m.Name, Details: []repository.Detail{{
				Path: "/" + name, Code: repository.CodeFormat, Message: perr.Error(),
				Info: map[string]any{"value": d[name]},
			}}}
		}
		var sc httperr.StatusCoder
		if errors.As(err, &sc) {
			return err
		}
		return httperr.UnprocessableEntity(fmt.Sprintf("The `%s` instance is not valid. Details: %s.", m.Name, err)).WithName("ValidationError")
	}
	// te.Field is the JSON path of the value; its first name is the
	// property's.
	name, _, _ := strings.Cut(te.Field, ".")
	what := "value"
	if p := m.Property(name); p != nil {
		what = p.Kind.String()
	}
	return &repository.ValidationError{Model: m.Name, Details: []repository.Detail{{
		Path: "/" + name, Code: repository.CodeFormat, Message: "is not a valid " + what,
		Info: map[string]any{"value": d[name]},
	}}}
}

// refusingProperty is the first property of d, by name, whose value
// alone does not decode into its field's type, and why; "" and nil when
// each decodes. It runs only when a decoding failed.
func refusingProperty(m *repository.Model, d repository.Data) (string, error) {
	for _, name := range slices.Sorted(maps.Keys(d)) {
		p := m.Property(name)
		if p == nil || p.Type == nil {
			continue
		}
		if err := json.Unmarshal(d[name], reflect.New(p.Type).Interface()); err != nil {
			return name, err
		}
	}
	return "", nil
}
