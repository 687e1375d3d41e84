package modelapi_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// Club's relation methods write Cards, Lockers and Perks, whose write
// hooks must run on those writes too.
type Club struct {
	ID         int                                `json:"id,omitempty" loom:"id,generated"`
	Cards      []Card                             `json:"cards,omitempty" loom:"hasMany"`
	ClubLocker *ClubLocker                        `json:"locker,omitempty" loom:"hasOne"`
	Perks      repository.Through[Perk, ClubPerk] `json:"perks,omitempty" loom:"hasAndBelongsToMany"`
}

type Card struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Name   string `json:"name"`
	Secret string `json:"-" loom:"hidden"`
	Note   string `json:"-" loom:"hidden"`
	ClubID int    `json:"clubId,omitempty"`
}

type ClubLocker struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Name   string `json:"name"`
	ClubID int    `json:"clubId,omitempty"`
}

type Perk struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name"`
}

type ClubPerk struct {
	ID     int `json:"id,omitempty" loom:"id,generated"`
	ClubID int `json:"clubId"`
	PerkID int `json:"perkId"`
}

func TestRelationWritesRunTheTargetsHooks(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	hook := func(_ context.Context, w *modelapi.Write) error {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s create=%t partial=%t id=%v", w.Method, w.Create, w.Partial, w.ID))
		mu.Unlock()
		if raw, ok := w.Data["secret"]; ok {
			var s string
			if json.Unmarshal(raw, &s) != nil || s == "" {
				return httperr.UnprocessableEntity("bad secret").WithName("Error")
			}
			w.Data["secret"], _ = json.Marshal(strings.ToUpper(s))
		}
		if raw, ok := w.Data["name"]; ok && string(raw) == `"rename"` {
			w.Data["name"] = json.RawMessage(`"renamed"`)
		}
		w.Data["clubId"] = json.RawMessage("99") // the relation's key wins
		return nil
	}
	conn := memory.New(memory.Options{})
	a := resttest.Start(t,
		rest.WithDataSource("db", func() (repository.Connector, error) { return conn, nil }),
		rest.WithModelAPI[Club, int](),
		rest.WithModelAPI[Card, int](modelapi.BeforeWrite(hook), modelapi.Writable("secret")),
		rest.WithModelAPI[ClubLocker, int](modelapi.BeforeWrite(hook)),
		rest.WithModelAPI[Perk, int](modelapi.BeforeWrite(hook)),
	)
	cards, err := repository.NewCrudRepository[Card, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	card := func(id int) Card {
		t.Helper()
		c, err := cards.FindByID(t.Context(), id, nil)
		if err != nil {
			t.Fatal(err)
		}
		return *c
	}
	object(t, a.Post("/Clubs", map[string]any{}), 200)

	object(t, a.Post("/Clubs/1/cards", map[string]any{"name": "a", "secret": "one", "note": "x"}), 200)
	if c := card(1); c.Secret != "ONE" || c.Note != "" || c.ClubID != 1 {
		t.Fatalf("created %+v: the hook did not run, a hidden property that is not writable was taken, or the key moved", c)
	}
	object(t, a.Put("/Clubs/1/cards/1", map[string]any{"secret": "two", "id": 5}), 200)
	if c := card(1); c.Secret != "TWO" || c.ClubID != 1 {
		t.Fatalf("updated %+v", c)
	}
	if r := a.Put("/Clubs/1/cards/1", map[string]any{"note": "x"}); r.Status != 422 {
		t.Fatalf("a hidden property that is not writable was patched: %d %s", r.Status, r.Body)
	}
	if r := a.Post("/Clubs/1/cards", map[string]any{"secret": ""}); r.Status != 422 || !strings.Contains(r.Text(), "bad secret") {
		t.Fatalf("the hook's error is not the answer: %d %s", r.Status, r.Body)
	}
	if got := object(t, a.Post("/Clubs/1/locker", map[string]any{"name": "rename"}), 200); got["name"] != "renamed" || got["clubId"] != float64(1) {
		t.Fatalf("hasOne create %v", got)
	}
	if got := object(t, a.Put("/Clubs/1/locker", map[string]any{"name": "rename"}), 200); got["name"] != "renamed" || got["clubId"] != float64(1) {
		t.Fatalf("hasOne update %v", got)
	}
	if got := object(t, a.Post("/Clubs/1/perks", map[string]any{"name": "rename"}), 200); got["name"] != "renamed" {
		t.Fatalf("through create %v", got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"prototype.__create__cards create=true partial=false id=<nil>",
		"prototype.__updateById__cards create=false partial=true id=1",
		"prototype.__updateById__cards create=false partial=true id=1",
		"prototype.__create__cards create=true partial=false id=<nil>",
		"prototype.__create__locker create=true partial=false id=<nil>",
		"prototype.__update__locker create=false partial=true id=1",
		"prototype.__create__perks create=true partial=false id=<nil>",
	}
	if got := strings.Join(seen, "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("hooks ran for\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}
