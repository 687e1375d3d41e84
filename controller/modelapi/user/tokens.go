package user

import (
	"reflect"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/repository"
)

// TokenOptions configure the token strategy [TokenStrategy] builds.
type TokenOptions struct {
	// DataSource names the data source the tokens are stored in (model
	// and table AccessToken); "" is "db".
	DataSource string
	// Store configures the token store: default and maximum ttl, eternal
	// tokens, the clock.
	Store token.StoreOptions
	// Where and Name configure the strategy, as token.Options does.
	Where token.Where
	Name  string
}

// ResetScope is the scope of a password reset token (LoopBack 3's
// "reset-password"): the token strategy refuses it, and only POST
// /reset-password accepts it.
const ResetScope = "reset-password"

// TokenStrategy returns the constructor of the token strategy over a
// token store on the data source, for rest.WithAuthentication: the one
// line that gives an application LoopBack 3's access tokens.
//
//	rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{}))
//
// The user API ([API]) finds its store through the strategy. Password
// reset tokens, which it issues too, are not accepted by the strategy:
// they only set a new password.
func TokenStrategy(opts TokenOptions) any {
	ds := opts.DataSource
	if ds == "" {
		ds = "db"
	}
	in := reflect.StructOf([]reflect.StructField{
		{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true},
		{Name: "Conn", Type: reflect.TypeFor[repository.Connector](), Tag: reflect.StructTag(repository.DataSourceTag(ds))},
	})
	ft := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{reflect.TypeFor[*token.Strategy](), reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		conn := args[0].Field(1).Interface().(repository.Connector)
		st, err := newTokenStrategy(conn, opts)
		errv := reflect.Zero(reflect.TypeFor[error]())
		if err != nil {
			errv = reflect.ValueOf(err)
		}
		return []reflect.Value{reflect.ValueOf(st), errv}
	}).Interface()
}

// newTokenStrategy is the strategy of [TokenStrategy] over conn.
func newTokenStrategy(conn repository.Connector, opts TokenOptions) (*token.Strategy, error) {
	store, err := token.NewStore(conn, opts.Store)
	if err != nil {
		return nil, err
	}
	return token.NewStrategy(store, token.Options{Name: opts.Name, Where: opts.Where}), nil
}
