package modelapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// watchedStore is the memory connector reporting the writes made through
// it, as a repository.Watcher does.
type watchedStore struct {
	*memory.Connector
	mu       sync.Mutex
	watchers map[chan repository.Change]*repository.Model
	// watching receives once per Watch call, so a test knows its stream
	// is subscribed before it writes.
	watching chan struct{}
	// unwatched receives once per watch that ended.
	unwatched chan struct{}
}

func newWatchedStore() *watchedStore {
	return &watchedStore{Connector: memory.New(memory.Options{}),
		watchers: map[chan repository.Change]*repository.Model{}, watching: make(chan struct{}, 16),
		unwatched: make(chan struct{}, 16)}
}

func (s *watchedStore) Watch(ctx context.Context, m *repository.Model) (<-chan repository.Change, error) {
	ch := make(chan repository.Change, 64)
	s.mu.Lock()
	s.watchers[ch] = m
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		delete(s.watchers, ch)
		close(ch)
		s.mu.Unlock()
		s.unwatched <- struct{}{}
	}()
	s.watching <- struct{}{}
	return ch, nil
}

func (s *watchedStore) publish(m *repository.Model, typ repository.ChangeType, d repository.Data) {
	id := d[m.ID.Name]
	c := repository.Change{Type: typ, Target: id, Where: repository.Data{m.ID.Name: id}}
	if typ != repository.ChangeRemove {
		c.Data = d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch, wm := range s.watchers {
		if wm == m {
			ch <- c
		}
	}
}

func (s *watchedStore) Create(ctx context.Context, m *repository.Model, data []repository.Data) ([]repository.Data, error) {
	out, err := s.Connector.Create(ctx, m, data)
	for _, d := range out {
		s.publish(m, repository.ChangeCreate, d)
	}
	return out, err
}

func (s *watchedStore) Update(ctx context.Context, m *repository.Model, data repository.Data, where repository.Cond) (int, error) {
	before, err := s.Connector.Find(ctx, m, repository.Query{Where: where, Order: []repository.Order{repository.Asc(m.ID.Name)}})
	if err != nil {
		return 0, err
	}
	n, err := s.Connector.Update(ctx, m, data, where)
	for _, d := range before {
		after, _ := s.Connector.Find(ctx, m, repository.Query{Where: repository.Eq(m.ID.Name, keyValue(d[m.ID.Name])), Order: []repository.Order{repository.Asc(m.ID.Name)}})
		if len(after) == 1 {
			s.publish(m, repository.ChangeUpdate, after[0])
		}
	}
	return n, err
}

func (s *watchedStore) Delete(ctx context.Context, m *repository.Model, where repository.Cond) (int, error) {
	before, err := s.Connector.Find(ctx, m, repository.Query{Where: where, Order: []repository.Order{repository.Asc(m.ID.Name)}})
	if err != nil {
		return 0, err
	}
	n, err := s.Connector.Delete(ctx, m, where)
	for _, d := range before {
		s.publish(m, repository.ChangeRemove, repository.Data{m.ID.Name: d[m.ID.Name]})
	}
	return n, err
}

func keyValue(raw json.RawMessage) any {
	v, _ := repository.DecodeValue(raw)
	return v
}

// openStream opens GET /change-stream and waits until it is subscribed.
func openStream(t *testing.T, a *resttest.App, s *watchedStore, query string) (*http.Response, *bufio.Reader, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", a.URL()+"/api/Tags/change-stream"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	<-s.watching
	rd := bufio.NewReader(resp.Body)
	if first := readEvent(t, rd); first != ":ok" {
		t.Fatalf("first frame %q", first)
	}
	return resp, rd, cancel
}

// readEvent reads one frame (up to its blank line), its lines joined by \n.
func readEvent(t *testing.T, rd *bufio.Reader) string {
	t.Helper()
	var lines []string
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, lines)
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return strings.Join(lines, "\n")
		}
		if strings.HasPrefix(line, ":keep-alive") {
			continue
		}
		lines = append(lines, line)
	}
}

func startWatched(t *testing.T, opts ...rest.Option) (*resttest.App, *watchedStore) {
	s := newWatchedStore()
	return resttest.Start(t, append([]rest.Option{
		rest.WithDataSource("db", func() repository.Connector { return s }),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags")),
	}, opts...)...), s
}

func TestChangeStream(t *testing.T) {
	a, s := startWatched(t)
	resp, rd, cancel := openStream(t, a, s, "")
	defer cancel()
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("%d %q", resp.StatusCode, ct)
	}
	tag := object(t, a.Post("/api/Tags", map[string]any{"name": "wifi"}), 200)
	id := idOf(t, tag)
	object(t, a.Patch(fmt.Sprintf("/api/Tags/%d", id), map[string]any{"name": "wifi6"}), 200)
	object(t, a.Delete(fmt.Sprintf("/api/Tags/%d", id)), 200)
	for _, want := range []string{
		fmt.Sprintf(`event: data`+"\n"+`data: {"type":"create","target":%d,"where":{"id":%d},"data":{"id":%d,"name":"wifi"}}`, id, id, id),
		fmt.Sprintf(`event: data`+"\n"+`data: {"type":"update","target":%d,"where":{"id":%d},"data":{"id":%d,"name":"wifi6"}}`, id, id, id),
		fmt.Sprintf(`event: data`+"\n"+`data: {"type":"remove","target":%d,"where":{"id":%d}}`, id, id),
	} {
		if got := readEvent(t, rd); got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	}
}

func TestChangeStreamOptionsWhere(t *testing.T) {
	a, s := startWatched(t)
	resp, rd, cancel := openStream(t, a, s, "?"+escape(`options={"where":{"name":"keep"}}`))
	defer cancel()
	defer resp.Body.Close()
	object(t, a.Post("/api/Tags", map[string]any{"name": "skip"}), 200)
	kept := object(t, a.Post("/api/Tags", map[string]any{"name": "keep"}), 200)
	got := readEvent(t, rd)
	if !strings.Contains(got, `"type":"create"`) || !strings.Contains(got, fmt.Sprintf(`"target":%d`, idOf(t, kept))) {
		t.Errorf("got %q", got)
	}
}

func TestChangeStreamEndsWhenTheClientLeaves(t *testing.T) {
	a, s := startWatched(t)
	resp, _, cancel := openStream(t, a, s, "")
	cancel()
	resp.Body.Close()
	// The handler's watch ends once the request's context does; a stream
	// that outlived its client would block here until the test times out.
	<-s.unwatched
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.watchers) != 0 {
		t.Errorf("%d watchers left", len(s.watchers))
	}
}

func TestChangeStreamEndsWhenTheServerStops(t *testing.T) {
	// With hooks, so the handler runs inside an interceptor chain.
	a, s := startWatched(t, rest.WithConfig(rest.Config{Host: "127.0.0.1", GracePeriod: 1 << 40}), hookOptions())
	resp, rd, cancel := openStream(t, a, s, "")
	defer cancel()
	defer resp.Body.Close()
	stopped := make(chan error, 1)
	go func() { stopped <- a.Stop(context.Background()) }()
	if got := readEvent(t, rd); got != "event: end\ndata: null" {
		t.Errorf("last frame %q", got)
	}
	if err := <-stopped; err != nil {
		t.Errorf("stop: %v", err)
	}
}

func TestChangeStreamCap(t *testing.T) {
	s := newWatchedStore()
	b := resttest.Start(t,
		rest.WithDataSource("db", func() repository.Connector { return s }),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags"), modelapi.MaxChangeStreams(1)))
	resp, _, cancel := openStream(t, b, s, "")
	defer cancel()
	defer resp.Body.Close()
	lb3Error(t, b.Get("/api/Tags/change-stream"), 503, "ServiceUnavailableError", "", modelapi.CodeTooManyStreams)
}

func TestChangeStreamNotMountedWithoutWatcher(t *testing.T) {
	// The memory connector watches; this one hides it, as a store that
	// cannot does.
	plain := struct{ repository.Connector }{memory.New(memory.Options{})}
	a := startAppOn(t, plain, rest.WithModelAPI[Tag, int]())
	if r := a.Get("/Tags/change-stream"); r.Status != 404 && r.Status != 400 {
		t.Errorf("%d %s", r.Status, r.Body)
	}
}

// fullStore is a connector whose watchers are all taken.
type fullStore struct{ repository.Connector }

func (fullStore) Watch(_ context.Context, m *repository.Model) (<-chan repository.Change, error) {
	return nil, &repository.TooManyWatchersError{Model: m.Name, Max: 3}
}

func TestTheConnectorsWatcherCapIsTheSame503(t *testing.T) {
	b := resttest.Start(t,
		rest.WithDataSource("db", func() repository.Connector { return fullStore{memory.New(memory.Options{})} }),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags")))
	lb3Error(t, b.Get("/api/Tags/change-stream"), 503, "ServiceUnavailableError",
		"Tag has 3 change streams open, its most; try again later.", modelapi.CodeTooManyStreams)
}
