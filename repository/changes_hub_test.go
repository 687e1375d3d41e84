package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/loomhq/loom/repository"
)

func change(id string) repository.Change {
	return repository.Change{Type: repository.ChangeCreate, Target: []byte(id)}
}

func drain(ch <-chan repository.Change) []string {
	var out []string
	for c := range ch {
		out = append(out, string(c.Target))
	}
	return out
}

func TestChangeHub_DeliversInOrderToEveryWatcherOfTheModel(t *testing.T) {
	var h repository.ChangeHub // the zero value is ready
	ctx, cancel := context.WithCancel(t.Context())
	a, _ := h.Watch(ctx, "Todo")
	b, _ := h.Watch(ctx, "Todo")
	other, _ := h.Watch(ctx, "Note")
	h.Publish("Todo", change("1"), change("2"))
	h.Publish("Todo", change("3"))
	cancel()
	for _, ch := range []<-chan repository.Change{a, b} {
		if got := drain(ch); len(got) != 3 || got[0] != "1" || got[1] != "2" || got[2] != "3" {
			t.Fatalf("watcher got %v; want [1 2 3]", got)
		}
	}
	if got := drain(other); len(got) != 0 {
		t.Fatalf("watcher of Note got %v", got)
	}
}

func TestChangeHub_DropsAWatcherThatFallsBehindTheBuffer(t *testing.T) {
	h := repository.NewChangeHub(repository.ChangeHubOptions{Buffer: 2})
	slow, _ := h.Watch(t.Context(), "Todo")
	fast, _ := h.Watch(t.Context(), "Todo")
	h.Publish("Todo", change("1"), change("2"))
	<-fast
	<-fast
	h.Publish("Todo", change("3"))
	if got := drain(slow); len(got) != 2 {
		t.Fatalf("slow watcher got %v before its close; want the 2 its buffer held", got)
	}
	if h.Watchers("Todo") != 1 || string((<-fast).Target) != "3" {
		t.Fatal("the fast watcher should go on")
	}
}

func TestChangeHub_CapsTheWatchersOfAModel(t *testing.T) {
	h := repository.NewChangeHub(repository.ChangeHubOptions{MaxWatchers: 2})
	ctx, cancel := context.WithCancel(t.Context())
	a, _ := h.Watch(ctx, "Todo")
	b, err := h.Watch(ctx, "Todo")
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Watch(t.Context(), "Todo")
	var tooMany *repository.TooManyWatchersError
	if !errors.As(err, &tooMany) || tooMany.Max != 2 || tooMany.StatusCode() != 503 || tooMany.ErrorCode() != "TOO_MANY_WATCHERS" {
		t.Fatalf("third watcher: %v", err)
	}
	if _, err := h.Watch(t.Context(), "Note"); err != nil {
		t.Fatalf("the cap is per model: %v", err)
	}
	cancel()
	drain(a) // closed once removed: room again
	drain(b)
	if _, err := h.Watch(t.Context(), "Todo"); err != nil {
		t.Fatalf("after the watchers ended: %v", err)
	}
}

func TestChangeHub_CloseEndsEveryWatcherAndStaysUsable(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var h repository.ChangeHub
	a, _ := h.Watch(t.Context(), "Todo")
	b, _ := h.Watch(t.Context(), "Note")
	h.Close()
	drain(a)
	drain(b)
	if h.Watching("Todo") || h.Watching("Note") {
		t.Fatal("watchers left after Close")
	}
	c, _ := h.Watch(t.Context(), "Todo")
	h.Publish("Todo", change("1"))
	if string((<-c).Target) != "1" {
		t.Fatal("a watcher after Close gets nothing")
	}
}

func TestChangeHub_WatchWithAContextDoneFails(t *testing.T) {
	var h repository.ChangeHub
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := h.Watch(ctx, "Todo"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestNewChange_IsLoopBack3sShape(t *testing.T) {
	m, err := repository.ModelOf[coded]()
	if err != nil {
		t.Fatal(err)
	}
	c := repository.NewChange(repository.ChangeUpdate, m, []byte(`"a"`), repository.Data{"code": []byte(`"a"`), "title": []byte(`"t"`)})
	b, _ := json.Marshal(c)
	if string(b) != `{"type":"update","target":"a","where":{"code":"a"},"data":{"code":"a","title":"t"}}` {
		t.Fatalf("got %s", b)
	}
}

type coded struct {
	Code  string `json:"code" loom:"id"`
	Title string `json:"title"`
}

func TestChangeHub_WatchersComingAndGoingWhilePublishing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// Given a hub with a small buffer and cap, a writer publishing
	// without pause,
	h := repository.NewChangeHub(repository.ChangeHubOptions{Buffer: 4, MaxWatchers: 4})
	stop := make(chan struct{})
	var publisher sync.WaitGroup
	publisher.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				h.Publish("Todo", change("1"))
			}
		}
	})
	// when 8 goroutines each start, read from and end 50 watchers,
	var watchers sync.WaitGroup
	for range 8 {
		watchers.Go(func() {
			for range 50 {
				ctx, cancel := context.WithCancel(t.Context())
				ch, err := h.Watch(ctx, "Todo")
				if err != nil {
					cancel() // past the cap: a slot frees as the others end
					continue
				}
				<-ch // a change, or the close of a dropped watcher
				cancel()
				drain(ch)
			}
		})
	}
	watchers.Wait()
	close(stop)
	publisher.Wait()
	// then (under -race) nothing races, and no watcher is left.
	if n := h.Watchers("Todo"); n != 0 {
		t.Fatalf("%d watchers left", n)
	}
}
