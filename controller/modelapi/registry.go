package modelapi

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/repository"
)

// Group is the fx value group of the models registered with the model API
// (one [Exposed] per rest.WithModelAPI call). Every model's controller is
// built from the whole group, so its relation endpoints reach the target
// model's repository.
const Group = `group:"loom.modelapi"`

// Exposed is one model registered with the model API: its model, its
// repository and its settings. Only this package implements it; the
// registry holds one per [Provide].
type Exposed interface {
	// Model is the model's metadata.
	Model() *repository.Model
	base() *base
	relationRoutes(src *base, rel *repository.Relation) ([]controller.Route, error)
}

// base is what the API needs of a model that does not depend on its Go
// types.
type base struct {
	model    *repository.Model
	conn     repository.Connector
	settings settings
	path     string // the base path, without a trailing slash
	streams  streams
}

// entry is the registered model T, whose id is of type ID.
type entry[T any, ID comparable] struct {
	b    base
	repo *repository.DefaultCrudRepository[T, ID]
}

func (e *entry[T, ID]) Model() *repository.Model { return e.b.model }
func (e *entry[T, ID]) base() *base              { return &e.b }

// Provide registers model T (id type ID) with the model API: its entry in
// [Group] and, unless [Private], its controller, LoopBack 3's endpoints
// of a PersistedModel. rest.WithModelAPI is the usual way to call it.
func Provide[T any, ID comparable](opts ...Option) fx.Option {
	s := newSettings(opts)
	m, err := repository.ModelOf[T]()
	if err != nil {
		return fx.Error(fmt.Errorf("modelapi: %w", err))
	}
	path, err := s.basePath(m.Name)
	if err != nil {
		return fx.Error(err)
	}
	if s.maxStreams < 1 {
		return fx.Error(fmt.Errorf("modelapi: %s: MaxChangeStreams(%d) must be at least 1", m.Name, s.maxStreams))
	}
	out := []fx.Option{fx.Provide(fx.Annotate(entryConstructor[T, ID](m, s, path), fx.ResultTags(Group)))}
	if s.private {
		if s.methods != nil {
			return fx.Error(fmt.Errorf("modelapi: %s: Methods and Private: a private model has no endpoints to add methods to", m.Name))
		}
		return fx.Options(out...)
	}
	methodsTags := make([]string, len(s.methods))
	for i, ctor := range s.methods {
		methodsTags[i] = `name:"modelapi.methods.` + m.Name + "." + strconv.Itoa(i) + `"`
		out = append(out, fx.Provide(fx.Annotate(ctor, fx.ResultTags(methodsTags[i]))))
	}
	out = append(out, fx.Provide(fx.Annotate(controllerConstructor(reflect.TypeFor[T](), m.Name, methodsTags),
		fx.ResultTags(actions.ControllersGroup))))
	return fx.Options(out...)
}

// entryConstructor builds func(struct{fx.In; Repo; Conn `name:"datasources.<ds>"`}) (Exposed, error):
// the data source's name is only known at run time.
func entryConstructor[T any, ID comparable](m *repository.Model, s settings, path string) any {
	in := reflect.StructOf([]reflect.StructField{
		{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true},
		{Name: "Repo", Type: reflect.TypeFor[*repository.DefaultCrudRepository[T, ID]](), Tag: `optional:"true"`},
		{Name: "Conn", Type: reflect.TypeFor[repository.Connector](),
			Tag: reflect.StructTag(repository.DataSourceTag(s.dataSource) + ` optional:"true"`)},
	})
	ft := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{reflect.TypeFor[Exposed](), reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		repo, _ := args[0].Field(1).Interface().(*repository.DefaultCrudRepository[T, ID])
		conn, _ := args[0].Field(2).Interface().(repository.Connector)
		e, err := newEntry[T, ID](m, s, path, repo, conn)
		var ex Exposed
		if e != nil {
			ex = e
		}
		errv := reflect.Zero(reflect.TypeFor[error]())
		if err != nil {
			errv = reflect.ValueOf(err)
		}
		return []reflect.Value{reflect.ValueOf(&ex).Elem(), errv}
	}).Interface()
}

func newEntry[T any, ID comparable](m *repository.Model, s settings, path string,
	repo *repository.DefaultCrudRepository[T, ID], conn repository.Connector) (*entry[T, ID], error) {
	if repo == nil {
		if conn == nil {
			return nil, fmt.Errorf("modelapi: %s: no data source %q: register it with rest.WithDataSource(%q, ...), "+
				"or name another with modelapi.DataSource, or provide a *repository.DefaultCrudRepository[%s, %v]",
				m.Name, s.dataSource, s.dataSource, m.Name, reflect.TypeFor[ID]())
		}
		r, err := repository.NewCrudRepository[T, ID](conn)
		if err != nil {
			return nil, fmt.Errorf("modelapi: %w", err)
		}
		repo = r
	}
	e := &entry[T, ID]{repo: repo, b: base{model: repo.Model(), conn: repo.Connector(), settings: s, path: path}}
	return e, nil
}

// controllerConstructor builds the constructor of model t's controller,
// which takes the whole registry, the container's role store if any
// and the model's own methods, one list per tag of methodsTags.
func controllerConstructor(t reflect.Type, name string, methodsTags []string) any {
	fields := []reflect.StructField{
		{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true},
		{Name: "All", Type: reflect.TypeFor[[]Exposed](), Tag: Group},
		{Name: "Roles", Type: reflect.TypeFor[acl.RoleStore](), Tag: `optional:"true"`},
	}
	for i, tag := range methodsTags {
		fields = append(fields, reflect.StructField{Name: "Methods" + strconv.Itoa(i), Type: reflect.TypeFor[[]controller.Route](), Tag: reflect.StructTag(tag)})
	}
	in := reflect.StructOf(fields)
	ft := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{reflect.TypeFor[controller.Controller](), reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		all := args[0].Field(1).Interface().([]Exposed)
		var methods []controller.Route
		for i := range methodsTags {
			methods = append(methods, args[0].Field(3+i).Interface().([]controller.Route)...)
		}
		roles, _ := args[0].Field(2).Interface().(acl.RoleStore)
		c, err := buildController(t, name, all, methods, roles)
		var ctrl controller.Controller
		if c != nil {
			ctrl = c
		}
		errv := reflect.Zero(reflect.TypeFor[error]())
		if err != nil {
			errv = reflect.ValueOf(err)
		}
		return []reflect.Value{reflect.ValueOf(&ctrl).Elem(), errv}
	}).Interface()
}

// parseKey reads a path's id text as the model's id property: an integer
// id from its digits, a string id as it is; false when the text cannot be
// one, which callers answer with their own 404.
func (b *base) parseKey(text string) (any, bool) {
	switch b.model.ID.Kind {
	case repository.KindInt:
		n, err := strconv.ParseInt(text, 10, 64)
		return n, err == nil
	case repository.KindFloat:
		n, err := strconv.ParseFloat(text, 64)
		return n, err == nil
	}
	return text, true
}

// lookup reads the entity whose id is the path's text, as Data; a missing
// one is LoopBack 3's instance-method 404, "could not find a model with
// id N".
func (b *base) lookup(ctx context.Context, text string) (repository.Data, error) {
	key, ok := b.parseKey(text)
	if !ok {
		return nil, instanceNotFound(text)
	}
	ds, err := b.find(ctx, b.model, repository.Query{Where: repository.Eq(b.model.ID.Name, key), Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, instanceNotFound(text)
	}
	return ds[0], nil
}

// find runs q on m's entities at the Data level, through b's connector:
// the join models of relations, which have no repository of their own.
func (b *base) find(ctx context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	q, err := repository.CheckQuery(m, q)
	if err != nil {
		return nil, err
	}
	q.Order = append(q.Order, repository.Asc(m.ID.Name))
	return b.conn.Find(ctx, m, q)
}

// keyOf is the value of d's property prop, decoded; nil when absent.
func keyOf(d repository.Data, prop string) any {
	raw, ok := d[prop]
	if !ok {
		return nil
	}
	v, err := repository.DecodeValue(raw)
	if err != nil {
		return nil
	}
	return v
}

// idText writes an id as LoopBack 3's messages do.
func idText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.RawMessage:
		var s string
		if json.Unmarshal(x, &s) == nil {
			return s
		}
		return string(x)
	}
	return fmt.Sprint(v)
}
