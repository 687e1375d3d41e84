// Command hello is the smallest Loom application that shows the pieces a
// LoopBack user reaches for first: a controller, a sequence that extends
// DefaultSequence to log every routed request, a Send action replaced by one that
// answers JSON or CSV as the client's Accept header asks. The Todo example
// (examples/todo) adds interceptors, repositories and the API document.
package main

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/sequence"
)

// Greeting is what the controller answers.
type Greeting struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// GreetController greets people.
type GreetController struct {
	greeting string
}

// NewGreetController is the controller's constructor; fx injects its
// parameters.
func NewGreetController(cfg Settings) *GreetController {
	return &GreetController{greeting: cfg.Greeting}
}

// Routes declares the controller's operations.
func (c *GreetController) Routes() []controller.Route {
	return []controller.Route{
		// Both answer JSON or CSV (see NewNegotiatingSend); declaring it
		// lists both in the API document.
		controller.Get("/hello/{name}", c.Hello, controller.Summary("Greet one person"), csvOrJSON),
		controller.Get("/greetings", c.List, controller.Summary("Greet several people"), csvOrJSON),
	}
}

// csvOrJSON declares the media types the negotiating send answers with.
var csvOrJSON = controller.Produces("application/json", textCSV)

// HelloInput is the input of GET /hello/{name}.
type HelloInput struct {
	Name string `path:"name" validate:"max=40"`
}

// Hello greets one person.
func (c *GreetController) Hello(ctx context.Context, in HelloInput) (Greeting, error) {
	if in.Name == "nobody" {
		return Greeting{}, httperr.NotFound("nobody is not here")
	}
	return Greeting{Name: in.Name, Message: fmt.Sprintf("%s, %s!", c.greeting, in.Name)}, nil
}

// ListInput is the input of GET /greetings.
type ListInput struct {
	Names []string `query:"names" validate:"required,max=10"`
}

// List greets several people.
func (c *GreetController) List(ctx context.Context, in ListInput) ([]Greeting, error) {
	out := make([]Greeting, len(in.Names))
	for i, n := range in.Names {
		out[i] = Greeting{Name: n, Message: fmt.Sprintf("%s, %s!", c.greeting, n)}
	}
	return out, nil
}

// Settings are the application's own settings, a binding like any other.
type Settings struct {
	Greeting string
}

// LoggingSequence extends DefaultSequence: it logs before and after every
// routed request, rejected ones included. CORS preflights and the API
// document are answered by the server before any sequence runs.
type LoggingSequence struct {
	*sequence.DefaultSequence
	log *zap.Logger
}

// Handle logs, runs the default sequence, and logs the outcome.
func (s *LoggingSequence) Handle(rc *loomctx.RequestContext) {
	start := time.Now()
	s.log.Info("request started", zap.String("method", rc.Request.Method), zap.String("path", rc.Request.URL.Path))
	s.DefaultSequence.Handle(rc)
	s.log.Info("request finished",
		zap.String("method", rc.Request.Method),
		zap.String("path", rc.Request.URL.Path),
		zap.Int("status", rc.Response.Status()),
		zap.Duration("took", time.Since(start)))
}

// NewLoggingSequence builds the sequence around the default one.
func NewLoggingSequence(d *sequence.DefaultSequence, log *zap.Logger) sequence.Sequence {
	return &LoggingSequence{DefaultSequence: d, log: log}
}

// NewApp builds the application; main runs it, and the tests serve it on a
// free port.
func NewApp(cfg rest.Config, log *zap.Logger) (*rest.Application, error) {
	return rest.New(
		rest.WithConfig(cfg),
		rest.WithLogger(log),
		rest.WithFx(fx.Supply(Settings{Greeting: "Hello"})),
		rest.WithProviders(NewCSVFormatter),
		rest.WithController(NewGreetController),
		rest.WithSequence(NewLoggingSequence),
		rest.WithAction[actions.Send](NewNegotiatingSend),
	)
}
