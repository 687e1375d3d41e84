package modelapi_test

import (
	"context"
	"sync"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Wallet requires its name, so that a write the hook saw can still fail.
type Wallet struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

func TestAfterWriteRunsOnlyOnceStored(t *testing.T) {
	var mu sync.Mutex
	var ran []string
	hook := func(_ context.Context, w *modelapi.Write) error {
		method := w.Method
		w.AfterWrite(func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, method)
			return nil
		})
		return nil
	}
	conn := memory.New(memory.Options{})
	a := resttest.Start(t,
		rest.WithDataSource("db", func() (repository.Connector, error) { return conn, nil }),
		rest.WithModelAPI[Wallet, int](modelapi.BeforeWrite(hook)),
	)
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(ran)
	}
	if r := a.Post("/Wallets", map[string]any{"name": "a"}); r.Status != 200 || count() != 1 {
		t.Fatalf("create: %d %s, ran %v", r.Status, r.Body, ran)
	}
	if r := a.Put("/Wallets/1", map[string]any{}); r.Status != 422 || count() != 1 {
		t.Fatalf("a refused replaceById: %d %s, ran %v", r.Status, r.Body, ran)
	}
	if r := a.Patch("/Wallets/1", map[string]any{"name": "b"}); r.Status != 200 || count() != 2 {
		t.Fatalf("patchAttributes: %d %s, ran %v", r.Status, r.Body, ran)
	}
	if r := a.Put("/Wallets/1", map[string]any{"name": "c"}); r.Status != 200 || count() != 3 {
		t.Fatalf("replaceById: %d %s, ran %v", r.Status, r.Body, ran)
	}
	if r := a.Patch("/Wallets", map[string]any{"id": 1, "name": "d"}); r.Status != 200 || count() != 4 {
		t.Fatalf("patchOrCreate: %d %s, ran %v", r.Status, r.Body, ran)
	}
}
