package actions

import (
	"fmt"
	"reflect"
	"strings"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// InjectTag is the struct tag of a handler input's field that receives a
// request-scoped value, LoopBack's @inject: its value is the binding's key,
// and the field's type the binding's.
//
//	type MeInput struct {
//		User *authentication.Profile `inject:"security.user"`
//		Log  *zap.Logger             `inject:"rest.logger"`
//	}
const InjectTag = "inject"

// injection is one input field filled from a request-scoped binding.
type injection struct {
	index   []int
	binding *loomctx.RequestBinding
	field   string // Input.Field, for errors
}

// injectField is an inject-tagged field as the input type declares it.
type injectField struct {
	index []int
	name  string // the binding's key
	typ   reflect.Type
	where string
}

// BindInjections resolves, for every route of t, the input fields tagged
// inject:"key" to the request-scoped bindings of bindings, once, at
// start-up. A key no binding has, a binding whose value the field cannot
// hold, or a field that also reads the request fails, naming the route,
// the field and the key. bindings may be nil: none are bound, and only
// routes without inject tags pass. actions.Module calls it.
func (t *RouteTable) BindInjections(bindings *loomctx.RequestBindings) error {
	for _, r := range t.routes {
		fields, err := injectFields(r.InputType())
		if err == nil {
			r.injections, err = bindFields(fields, bindings)
		}
		if err != nil {
			return fmt.Errorf("actions: route %s %s (%s): %w", r.Verb, r.Path, r.OperationID(), err)
		}
	}
	return nil
}

func bindFields(fields []injectField, bindings *loomctx.RequestBindings) ([]injection, error) {
	var out []injection
	for _, f := range fields {
		b, ok := bindings.Lookup(f.name)
		if !ok {
			known := "none is registered"
			if names := bindings.Names(); len(names) > 0 {
				known = "known: " + strings.Join(names, ", ")
			}
			how := "register it with rest.WithRequestBinding"
			if f.name == "security.user" {
				how = "rest.WithAuthentication binds it"
			}
			return nil, fmt.Errorf("%s: inject:%q: no request binding has that key (%s); %s",
				f.where, f.name, known, how)
		}
		if !b.Type().AssignableTo(f.typ) {
			return nil, fmt.Errorf("%s: inject:%q: the binding's value is a %s, which a field of type %s cannot hold",
				f.where, f.name, b.Type(), f.typ)
		}
		out = append(out, injection{index: f.index, binding: b, field: f.where})
	}
	return out, nil
}

// injectFields finds the inject-tagged fields of in, a handler's input
// struct, and of the structs it embeds.
func injectFields(in reflect.Type) ([]injectField, error) {
	if in == nil || in.Kind() != reflect.Struct {
		return nil, nil
	}
	var out []injectField
	body := hasBodyTag(in)
	var walk func(t reflect.Type, index []int, where string) error
	walk = func(t reflect.Type, index []int, where string) error {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			fwhere := where + "." + sf.Name
			name, ok := sf.Tag.Lookup(InjectTag)
			if !ok {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous && ft.Kind() == reflect.Struct && sf.Tag == "" {
					if err := walk(ft, idx, fwhere); err != nil {
						return err
					}
				}
				continue
			}
			switch {
			case name == "":
				return fmt.Errorf("%s: inject tag without a key", fwhere)
			case !sf.IsExported():
				return fmt.Errorf("%s: inject:%q: an unexported field cannot be injected", fwhere, name)
			}
			for _, other := range [...]string{"path", "query", "header", "cookie", "form", "body", "context"} {
				if _, both := sf.Tag.Lookup(other); both {
					return fmt.Errorf("%s: tagged both inject and %s", fwhere, other)
				}
			}
			// encoding/json would fill an untagged field from a body
			// property of its name; the injected value must not be one.
			if j, has := sf.Tag.Lookup("json"); (has && j != "-") || (!has && !body && bodyDecoded(in)) {
				return fmt.Errorf("%s: inject:%q: the body is decoded into the input too; tag the field json:\"-\"", fwhere, name)
			}
			out = append(out, injectField{index: idx, name: name, typ: sf.Type, where: fwhere})
		}
		return nil
	}
	if err := walk(in, nil, in.Name()); err != nil {
		return nil, err
	}
	return out, nil
}

// hasBodyTag reports whether in reads the whole body into one field
// (body:"json"), so encoding/json never sees the input's own fields.
func hasBodyTag(in reflect.Type) bool {
	for i := range in.NumField() {
		if _, ok := in.Field(i).Tag.Lookup("body"); ok {
			return true
		}
	}
	return false
}

// bodyDecoded reports whether in has json-tagged fields: its body is
// decoded into the input struct itself.
func bodyDecoded(in reflect.Type) bool {
	for _, f := range reflect.VisibleFields(in) {
		if j, ok := f.Tag.Lookup("json"); ok && j != "-" {
			return true
		}
	}
	return false
}

// inject fills the route's injected fields of in, a pointer to its input,
// from rc's request-scoped bindings. A provider's error is the request's,
// with its status (500 when it has none); a 5xx is wrapped with the key and
// the field, for the log.
func (r *Route) inject(rc *loomctx.RequestContext, in any) error {
	v := reflect.ValueOf(in).Elem()
	for i := range r.injections {
		inj := &r.injections[i]
		val, err := inj.binding.Value(rc)
		if err != nil {
			if httperr.StatusOf(err) < 500 {
				return err // the client's answer, in the provider's words
			}
			return fmt.Errorf("inject %q into %s: %w", inj.binding.Name(), inj.field, err)
		}
		f := fieldOf(v, inj.index)
		if val == nil {
			f.SetZero()
			continue
		}
		f.Set(reflect.ValueOf(val))
	}
	return nil
}

// fieldOf is the field at index of v, allocating the embedded pointers on
// the way.
func fieldOf(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}
