package rest

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/params"
)

// WithBodyParser registers a body parser, LoopBack's
// app.bodyParser(MyParser): constructor's parameters are injected and it
// returns a params.BodyParser (optionally with an error). Every route with
// a typed body (json-tagged fields or a body:"json" field) then also
// accepts the parser's media types, lists them in its 415s and in the API
// document, and decodes what the parser returns with the same strictness
// and validation as JSON.
//
//	rest.WithBodyParser(func() params.BodyParser { return CSVParser{} })
func WithBodyParser(constructor any) Option {
	return withConstructor("a body parser", constructor, func(c any) fx.Option {
		return fx.Provide(fx.Annotate(c, fx.As(new(params.BodyParser)), fx.ResultTags(actions.BodyParsersGroup)))
	})
}
