package lifecycle_test

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/loomhq/loom/lifecycle"
)

// announcer prints its life-cycle calls.
type announcer struct{ name string }

func (a *announcer) Start(context.Context) error { fmt.Println("start", a.name); return nil }
func (a *announcer) Stop(context.Context) error  { fmt.Println("stop", a.name); return nil }

// ExampleRegister registers observers in three groups. Groups not listed in
// Options.OrderedGroups start first, sorted by name; "server" is ordered and
// so starts last. Stopping runs in exactly the reverse order.
func ExampleRegister() {
	newServer := func() *announcer { return &announcer{name: "rest server"} }
	newDataSource := func() (*announcer, error) { return &announcer{name: "db datasource"}, nil }

	app := fx.New(
		fx.NopLogger,
		lifecycle.Module(),
		lifecycle.Register(newServer, "server"),
		lifecycle.Register(newDataSource, "datasource"),
		lifecycle.RegisterValue(lifecycle.Hooks{
			OnStart: func(context.Context) error { fmt.Println("start cache warmer"); return nil },
			OnStop:  func(context.Context) error { fmt.Println("stop cache warmer"); return nil },
		}, "cache"),
	)

	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("--- running ---")
	if err := app.Stop(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// start cache warmer
	// start db datasource
	// start rest server
	// --- running ---
	// stop rest server
	// stop db datasource
	// stop cache warmer
}

// ExampleOrder shows the group order for custom options.
func ExampleOrder() {
	regs := []lifecycle.Registration{
		{Group: "server", Name: "rest"},
		{Group: "datasource", Name: "db"},
		{Group: "", Name: "app"},
		{Group: "cache", Name: "redis"},
	}
	opts := lifecycle.Options{
		OrderedGroups:  []string{"datasource", "server"},
		DisabledGroups: []string{"cache"},
	}
	for _, group := range lifecycle.Order(regs, opts) {
		fmt.Printf("%q: %s\n", group[0].Group, group[0].Name)
	}
	// Output:
	// "": app
	// "datasource": db
	// "server": rest
}
