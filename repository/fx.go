package repository

import (
	"context"
	"fmt"
	"reflect"

	"go.uber.org/fx"

	"github.com/loomhq/loom/lifecycle"
)

// DataSourceGroup is the life-cycle group of data sources: they start
// before the server and stop after it has drained its requests.
const DataSourceGroup = "datasource"

// DataSourceName is the fx name a data source called name is bound under:
// "datasources." + name, as LoopBack's binding key datasources.db.
func DataSourceName(name string) string { return "datasources." + name }

// DataSourceTag is the struct tag with which an fx.In field asks for the
// data source called name: name:"datasources.db".
func DataSourceTag(name string) string { return `name:"` + DataSourceName(name) + `"` }

var connectorType = reflect.TypeFor[Connector]()

// DataSource registers a data source called name, LoopBack's
// app.dataSource(). constructor's parameters are injected; it returns a
// [Connector] (such as *memory.Connector), optionally with an error. The
// connector is bound under the name [DataSourceName](name), both as its own
// type and as [Connector], and runs as a life-cycle observer in the group
// [DataSourceGroup] when it has Init, Start or Stop methods. A repository
// constructor asks for it by name:
//
//	type todoRepoParams struct {
//		fx.In
//		DB repository.Connector `name:"datasources.db"`
//	}
func DataSource(name string, constructor any) fx.Option {
	fn := reflect.ValueOf(constructor)
	if constructor == nil || fn.Kind() != reflect.Func || fn.IsNil() {
		return fx.Error(fmt.Errorf("repository: DataSource %q: constructor must be a function, got %T", name, constructor))
	}
	ft := fn.Type()
	if ft.NumOut() == 0 || ft.NumOut() > 2 || ft.NumOut() == 2 && ft.Out(1) != reflect.TypeFor[error]() {
		return fx.Error(fmt.Errorf("repository: DataSource %q: constructor %v must return a Connector, optionally with an error", name, ft))
	}
	out := ft.Out(0)
	if !out.Implements(connectorType) {
		return fx.Error(fmt.Errorf("repository: DataSource %q: %v does not implement repository.Connector", name, out))
	}
	tag := DataSourceTag(name)
	opts := []fx.Option{fx.Provide(fx.Annotate(constructor, fx.ResultTags(tag)))}
	if out != connectorType {
		// The same value, bound a second time as a Connector.
		asConn := reflect.MakeFunc(reflect.FuncOf([]reflect.Type{out}, []reflect.Type{connectorType}, false),
			func(args []reflect.Value) []reflect.Value { return []reflect.Value{args[0].Convert(connectorType)} })
		opts = append(opts, fx.Provide(fx.Annotate(asConn.Interface(), fx.ParamTags(tag), fx.ResultTags(tag))))
	}
	opts = append(opts, lifecycle.Register(observerCtor(name, tag), DataSourceGroup))
	return fx.Options(opts...)
}

// observerCtor builds func(struct{fx.In; C Connector `name:"…"`}) *dataSource:
// the tag is only known at run time.
func observerCtor(name, tag string) any {
	in := reflect.StructOf([]reflect.StructField{
		{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true},
		{Name: "C", Type: connectorType, Tag: reflect.StructTag(tag)},
	})
	ft := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{reflect.TypeFor[*dataSource]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		c := args[0].Field(1).Interface().(Connector)
		return []reflect.Value{reflect.ValueOf(&dataSource{name: name, conn: c})}
	}).Interface()
}

// dataSource runs a connector's life-cycle methods, when it has them.
type dataSource struct {
	name string
	conn Connector
}

func (d *dataSource) Init(ctx context.Context) error {
	if o, ok := d.conn.(lifecycle.Initer); ok {
		return o.Init(ctx)
	}
	return nil
}

func (d *dataSource) Start(ctx context.Context) error {
	if o, ok := d.conn.(lifecycle.Starter); ok {
		return o.Start(ctx)
	}
	return nil
}

func (d *dataSource) Stop(ctx context.Context) error {
	if o, ok := d.conn.(lifecycle.Stopper); ok {
		return o.Stop(ctx)
	}
	return nil
}

// ObserverName names the observer after the data source.
func (d *dataSource) ObserverName() string {
	return fmt.Sprintf("datasource %s (%T)", d.name, d.conn)
}

// Repository registers a repository, LoopBack's app.repository().
// constructor's parameters are injected (a data source by name, see
// [DataSource]); it returns the repository, optionally with an error, and
// controllers receive it by its type:
//
//	func NewTodoRepository(p struct {
//		fx.In
//		DB repository.Connector `name:"datasources.db"`
//	}) (*TodoRepository, error)
func Repository(constructor any) fx.Option {
	fn := reflect.ValueOf(constructor)
	if constructor == nil || fn.Kind() != reflect.Func || fn.IsNil() {
		return fx.Error(fmt.Errorf("repository: Repository: constructor must be a function, got %T", constructor))
	}
	return fx.Provide(constructor)
}
