package rest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// probe is an observer that records its start and stop, and whether the
// server answered at that moment.
type probe struct {
	name  string
	mu    *sync.Mutex
	trail *[]string
}

func (p probe) Start(ctx context.Context) error { p.add("start " + p.name); return nil }
func (p probe) Stop(ctx context.Context) error  { p.add("stop " + p.name); return nil }
func (p probe) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*p.trail = append(*p.trail, s)
}

// serverProbe records when the REST server starts and stops among them.
type serverProbe struct{ probe }

func TestObservers_StartBeforeTheServerAndStopAfterIt(t *testing.T) {
	for _, order := range [][]string{nil, {"cache", "datasource"}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			var mu sync.Mutex
			var trail []string
			mk := func(name string) func() probe { return func() probe { return probe{name, &mu, &trail} } }
			app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(newTodoController),
				rest.WithObserverGroups(order...),
				rest.WithObserver(mk("datasource"), "datasource"),
				rest.WithObserver(mk("cache"), "cache"),
				rest.WithObserver(func(s *rest.Server) serverProbe {
					return serverProbe{probe{"server", &mu, &trail}}
				}, rest.ServerGroup),
			)
			if err != nil {
				t.Fatal(err)
			}
			if err := app.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := app.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
			want := "[start cache start datasource start server stop server stop datasource stop cache]"
			if fmt.Sprint(trail) != want {
				t.Errorf("trail = %v, want %s", trail, want)
			}
		})
	}
}
