package modelapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Account has a hidden property a client may set: its secret, which the
// write hook turns upper-case before it is stored.
type Account struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Name   string `json:"name"`
	Secret string `json:"-" loom:"hidden"`
	Note   string `json:"-" loom:"hidden"`
}

func TestBeforeWriteAndWritable(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	hook := func(_ context.Context, w *modelapi.Write) error {
		mu.Lock()
		seen = append(seen, w.Method)
		mu.Unlock()
		if raw, ok := w.Data["secret"]; ok {
			var s string
			if json.Unmarshal(raw, &s) != nil || s == "" {
				return httperr.UnprocessableEntity("bad secret").WithName("Error")
			}
			w.Data["secret"], _ = json.Marshal(strings.ToUpper(s))
		}
		if w.Create {
			w.Data["name"], _ = json.Marshal("new")
		}
		return nil
	}
	conn := memory.New(memory.Options{})
	a := resttest.Start(t,
		rest.WithDataSource("db", func() (repository.Connector, error) { return conn, nil }),
		rest.WithModelAPI[Account, int](modelapi.Combine(modelapi.BeforeWrite(hook), modelapi.Writable("secret"))),
	)
	repo, err := repository.NewCrudRepository[Account, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	stored := func(id int) Account {
		t.Helper()
		acc, err := repo.FindByID(t.Context(), id, nil)
		if err != nil {
			t.Fatal(err)
		}
		return *acc
	}

	r := a.Post("/Accounts", []map[string]any{{"name": "a", "secret": "one", "note": "x"}, {"name": "b", "secret": "two"}})
	if r.Status != 200 || strings.Contains(r.Text(), "ONE") || strings.Contains(r.Text(), "secret") {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if acc := stored(1); acc.Secret != "ONE" || acc.Name != "new" || acc.Note != "" {
		t.Fatalf("stored %+v: the hook did not run, or a hidden property that is not writable was taken", acc)
	}
	if acc := stored(2); acc.Secret != "TWO" {
		t.Fatalf("the second element: %+v", acc)
	}
	if r := a.Patch("/Accounts/1", map[string]any{"secret": "three"}); r.Status != 200 || stored(1).Secret != "THREE" {
		t.Fatalf("patchAttributes: %d %s, stored %+v", r.Status, r.Body, stored(1))
	}
	if r := a.Put("/Accounts/1", map[string]any{"name": "a", "secret": "four"}); r.Status != 200 || stored(1).Secret != "FOUR" {
		t.Fatalf("replaceById: %d %s", r.Status, r.Body)
	}
	if r := a.Patch("/Accounts", map[string]any{"id": 2, "secret": "five"}); r.Status != 200 || stored(2).Secret != "FIVE" {
		t.Fatalf("patchOrCreate: %d %s", r.Status, r.Body)
	}
	if r := a.Patch("/Accounts/1", map[string]any{"note": "x"}); r.Status != 422 {
		t.Fatalf("a hidden property that is not writable was patched: %d %s", r.Status, r.Body)
	}
	if r := a.Patch("/Accounts/1", map[string]any{"secret": ""}); r.Status != 422 || !strings.Contains(r.Text(), "bad secret") {
		t.Fatalf("the hook's error is not the answer: %d %s", r.Status, r.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	want := "create create prototype.patchAttributes replaceById patchOrCreate prototype.patchAttributes prototype.patchAttributes"
	if got := strings.Join(seen, " "); got != want {
		t.Fatalf("hooks ran for %q, want %q", got, want)
	}
}

func TestAfterDelete(t *testing.T) {
	var mu sync.Mutex
	var deleted []any
	a := resttest.Start(t,
		rest.WithDataSource("db", func() (repository.Connector, error) { return memory.New(memory.Options{}), nil }),
		rest.WithModelAPI[Account, int](modelapi.AfterDelete(func(_ context.Context, id any) error {
			mu.Lock()
			defer mu.Unlock()
			deleted = append(deleted, id)
			return nil
		})),
	)
	if r := a.Post("/Accounts", map[string]any{"name": "a"}); r.Status != 200 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/Accounts/1", "/Accounts/1", "/Accounts/7"} {
		if r := a.Delete(path); r.Status != 200 {
			t.Fatalf("DELETE %s: %d %s", path, r.Status, r.Body)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(deleted) != 1 || deleted[0] != 1 {
		t.Fatalf("the hook ran for %v, want once for 1", deleted)
	}
}
