package actions

import (
	"net/http"
	"reflect"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/repository"
)

// projection is how a route's result is written, decided once at
// start-up: with only the properties its filter parameter's fields keep
// (LoopBack's fields: {"fields":{"desc":true}} answers {"desc":"…"}), and
// with a non-strict model's unknown properties written inline. A route
// projects when its input has a Filter[T] or FilterExcludingWhere[T]
// query parameter and its result is T, *T, []T or []*T, or when its
// result is of a model with a catch-all field.
type projection struct {
	out     reflect.Type // the handler's result type
	filter  []int        // the filter's index in the input; nil: no filter
	fields  int          // the Fields field's index in the filter struct
	include int          // the Include field's index in the filter struct; -1: none
	extras  bool         // the result's model keeps unknown properties: always wrap
}

var (
	fieldsType  = reflect.TypeFor[repository.Fields]()
	includeType = reflect.TypeFor[[]repository.Inclusion]()
)

// modelOfResult is the entity type of a result type T, *T, []T or []*T.
func modelOfResult(out reflect.Type) reflect.Type {
	if out.Kind() == reflect.Slice {
		out = out.Elem()
	}
	if out.Kind() == reflect.Pointer {
		out = out.Elem()
	}
	return out
}

// filterModel is the model of a Filter[T] or FilterExcludingWhere[T]
// type (or a pointer to one), or nil.
func filterModel(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	v := reflect.New(t).Elem().Interface()
	switch f := v.(type) {
	case interface{ FilterModel() reflect.Type }:
		return f.FilterModel()
	case interface{ FilterExcludingWhereModel() reflect.Type }:
		return f.FilterExcludingWhereModel()
	}
	return nil
}

// newProjection plans the projection of a route whose input the decoder
// reads and whose result is of type out; nil when its results are written
// as they are.
func newProjection(dec *params.Decoder, out reflect.Type) *projection {
	if out == nil {
		return nil
	}
	entity := modelOfResult(out)
	p := &projection{out: out, include: -1}
	if entity.Kind() == reflect.Struct {
		if _, extra, err := repository.UnknownProperties(entity); err == nil && extra != nil {
			p.extras = true
		}
	}
	for _, f := range dec.Fields() {
		if f.In != "query" || filterModel(f.Type) != entity {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		sf, ok := ft.FieldByName("Fields")
		if !ok || sf.Type != fieldsType || len(sf.Index) != 1 {
			continue
		}
		p.filter, p.fields = f.Index, sf.Index[0]
		if inc, ok := ft.FieldByName("Include"); ok && inc.Type == includeType && len(inc.Index) == 1 {
			p.include = inc.Index[0]
		}
		break
	}
	if p.filter == nil && !p.extras {
		return nil
	}
	return p
}

// apply wraps result in a [repository.Projection] when the request's
// filter selects fields or includes relations (whose scopes may select
// theirs), or the model keeps unknown properties; otherwise,
// and for a result an interceptor replaced with another type, it returns
// result unchanged, at the cost of a few field reads.
func (p *projection) apply(args, result any) any {
	if p == nil || result == nil || reflect.TypeOf(result) != p.out {
		return result
	}
	fields, include := p.fieldsOf(args)
	if len(fields) == 0 && len(include) == 0 && !p.extras {
		return result
	}
	return repository.Projection{Value: result, Fields: fields, Include: include}
}

// fieldsOf reads the filter's fields and include from the route's input.
func (p *projection) fieldsOf(args any) (repository.Fields, []repository.Inclusion) {
	if p.filter == nil {
		return nil, nil
	}
	v := reflect.ValueOf(args)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, nil
	}
	f, ok := fieldAt(v.Elem(), p.filter)
	if !ok {
		return nil, nil
	}
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return nil, nil
		}
		f = f.Elem()
	}
	fields, _ := f.Field(p.fields).Interface().(repository.Fields)
	var include []repository.Inclusion
	if p.include >= 0 {
		include, _ = f.Field(p.include).Interface().([]repository.Inclusion)
	}
	return fields, include
}

// fieldAt is the field at index in the struct v, or false when a nil
// embedded pointer is on the way.
func fieldAt(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 {
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Value{}, false
				}
				v = v.Elem()
			}
		}
		v = v.Field(x)
	}
	return v, true
}

// refusesUnknownQuery decides whether a route answers an undeclared query
// parameter with a 400: as the route says (controller.StrictQuery), else
// when it writes every row a where selects, a verb other than GET and
// HEAD with a Where[T] query parameter, such as updateAll and deleteAll.
func refusesUnknownQuery(verb string, override *bool, fields []params.Field) bool {
	if override != nil {
		return *override
	}
	if verb == http.MethodGet || verb == http.MethodHead {
		return false
	}
	for _, f := range fields {
		if f.In != "query" {
			continue
		}
		t := f.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if _, ok := reflect.New(t).Elem().Interface().(interface{ WhereModel() reflect.Type }); ok {
			return true
		}
	}
	return false
}
