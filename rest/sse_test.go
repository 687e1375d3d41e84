package rest_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/sse"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// streamController serves one event stream the test drives: the producer
// emits "first", waits for next, emits "second", then waits for finish
// or its context's end, which it reports on ended.
type streamController struct {
	next, finish chan struct{}
	ended        chan error // the producer context's cause
	produced     chan struct{}
}

func newStreamController() *streamController {
	return &streamController{
		next: make(chan struct{}), finish: make(chan struct{}),
		ended: make(chan error, 1), produced: make(chan struct{}, 1),
	}
}

type tick struct {
	N int `json:"n"`
}

func (c *streamController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/events", func(ctx context.Context, in struct{}) (*sse.Stream, error) {
			return sse.New(func(ctx context.Context, emit func(sse.Event) error) error {
				c.produced <- struct{}{}
				defer func() { c.ended <- context.Cause(ctx) }()
				if err := emit(sse.Event{ID: "1", Event: "tick", Data: tick{N: 1}, Retry: 1500 * time.Millisecond}); err != nil {
					return err
				}
				select {
				case <-c.next:
				case <-ctx.Done():
					return nil
				}
				if err := emit(sse.Event{ID: "2", Data: "second\nline"}); err != nil {
					return err
				}
				select {
				case <-c.finish:
				case <-ctx.Done():
				}
				return nil
			}), nil
		}),
		controller.Get("/pings", func(ctx context.Context, in struct{}) (*sse.Stream, error) {
			return sse.New(func(ctx context.Context, emit func(sse.Event) error) error {
				<-ctx.Done()
				return nil
			}).KeepAlive(time.Millisecond), nil
		}),
	}
}

func startStreams(t *testing.T, cfg rest.Config) (*rest.Application, *streamController) {
	t.Helper()
	c := newStreamController()
	cfg.Host = "127.0.0.1"
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithConfig(cfg),
		rest.WithController(func() *streamController { return c }))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		app.Stop(ctx)
	})
	return app, c
}

// openStream sends GET path and returns the response and a reader of it.
func openStream(t *testing.T, ctx context.Context, url string) (*http.Response, *bufio.Reader) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, bufio.NewReader(resp.Body)
}

// readEvent reads one event's lines, up to the blank line that ends it.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read an event: %v (so far %q)", err, b.String())
		}
		if line == "\n" {
			return b.String()
		}
		b.WriteString(line)
	}
}

// within waits for ch, failing the test if nothing comes for a long
// while: a guard against a hang, not a timing assertion.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s never happened", what)
		panic("unreachable")
	}
}

func TestEventStream_EventsArriveOneByOneBeforeTheStreamEnds(t *testing.T) {
	app, c := startStreams(t, rest.Config{})
	resp, r := openStream(t, context.Background(), app.URL()+"/events")
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Content-Type") != "text/event-stream" || h.Get("Cache-Control") != "no-cache" ||
		h.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("got %d %v, want 200 text/event-stream, no-cache, no buffering", resp.StatusCode, h)
	}
	if got, want := readEvent(t, r), "id: 1\nevent: tick\nretry: 1500\ndata: {\"n\":1}\n"; got != want {
		t.Errorf("first event %q, want %q", got, want)
	}
	// The producer waits for the test: the first event came on its own.
	c.next <- struct{}{}
	if got, want := readEvent(t, r), "id: 2\ndata: second\ndata: line\n"; got != want {
		t.Errorf("second event %q, want %q", got, want)
	}
	close(c.finish)
	if rest, err := io.ReadAll(r); err != nil || len(rest) != 0 {
		t.Errorf("after the producer ended: %q, %v; want a clean end", rest, err)
	}
	if cause := within(t, c.ended, "the producer's end"); cause != nil {
		t.Errorf("the producer's context ended with %v, want still alive when it returned", cause)
	}
}

func TestEventStream_AClientThatLeavesEndsTheProducer(t *testing.T) {
	app, c := startStreams(t, rest.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	_, r := openStream(t, ctx, app.URL()+"/events")
	readEvent(t, r)
	cancel() // the client leaves
	if cause := within(t, c.ended, "the producer's end"); cause == nil {
		t.Error("the producer returned with its context alive, want it ended by the client's leaving")
	}
}

func TestEventStream_TheServersStopEndsAnOpenStreamCleanly(t *testing.T) {
	// A grace period the test would notice if Stop waited it out.
	app, c := startStreams(t, rest.Config{GracePeriod: 5 * time.Minute})
	_, r := openStream(t, context.Background(), app.URL()+"/events")
	readEvent(t, r)
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		stopped <- app.Stop(ctx)
	}()
	if cause := within(t, c.ended, "the producer's end"); !errors.Is(cause, sse.ErrServerStopping) {
		t.Errorf("the producer's context ended with %v, want sse.ErrServerStopping", cause)
	}
	if rest, err := io.ReadAll(r); err != nil || len(rest) != 0 {
		t.Errorf("after the stop: %q, %v; want a clean end of the stream", rest, err)
	}
	if err := within(t, stopped, "Stop's return"); err != nil {
		t.Errorf("Stop = %v", err)
	}
}

func TestEventStream_OutlivesTheServersTimeouts(t *testing.T) {
	const short = 100 * time.Millisecond
	app, c := startStreams(t, rest.Config{WriteTimeout: short, ReadTimeout: short, RequestTimeout: short})
	_, r := openStream(t, context.Background(), app.URL()+"/events")
	readEvent(t, r)
	// Every timeout has passed before the second event is sent: a write
	// deadline would fail it, a read deadline or request deadline would
	// have ended the producer.
	for start := time.Now(); time.Since(start) < 5*short; {
		time.Sleep(short / 4)
	}
	c.next <- struct{}{}
	if got, want := readEvent(t, r), "id: 2\ndata: second\ndata: line\n"; got != want {
		t.Errorf("second event %q, want %q", got, want)
	}
	close(c.finish)
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("the stream ended with %v, want a clean end", err)
	}
}

func TestEventStream_HEAD_AnswersTheHeadersWithoutProducing(t *testing.T) {
	app, c := startStreams(t, rest.Config{})
	req, _ := http.NewRequest(http.MethodHead, app.URL()+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("got %d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	select {
	case <-c.produced:
		t.Error("the producer ran for a HEAD request")
	default:
	}
}

func TestEventStream_AcceptingNoEventStreamIs406(t *testing.T) {
	app, _ := startStreams(t, rest.Config{})
	req, _ := http.NewRequest(http.MethodGet, app.URL()+"/events", nil)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 406 || !strings.Contains(string(body), "NOT_ACCEPTABLE") {
		t.Errorf("got %d %s, want 406", resp.StatusCode, body)
	}
}

func TestEventStream_KeepAliveSendsCommentLines(t *testing.T) {
	app, _ := startStreams(t, rest.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, r := openStream(t, ctx, app.URL()+"/pings")
	if line, err := r.ReadString('\n'); err != nil || line != ": ping\n" {
		t.Errorf("got %q, %v; want a ping comment", line, err)
	}
}
