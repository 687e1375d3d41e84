package controller_test

import (
	"context"
	"testing"
	"time"

	"github.com/loomhq/loom/controller"
)

func TestProduces_KeepsItsOwnCopyOfTheTypes(t *testing.T) {
	types := []string{"application/json", "text/csv"}
	r := controller.Get("/r", func(ctx context.Context, in struct{}) (string, error) { return "", nil },
		controller.Produces(types...), controller.WriteTimeout(-time.Second))
	types[0] = "changed"
	if got := r.Output.Produces; len(got) != 2 || got[0] != "application/json" || got[1] != "text/csv" {
		t.Errorf("Produces = %q", got)
	}
	if r.Output.WriteTimeout != -time.Second {
		t.Errorf("WriteTimeout = %v", r.Output.WriteTimeout)
	}
}
