package sse

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAppendEvent_WritesEachFieldOnItsOwnLine(t *testing.T) {
	cases := []struct {
		name string
		e    Event
		want string
	}{
		{"all fields", Event{ID: "7", Event: "tick", Data: map[string]int{"n": 1}, Retry: 2 * time.Second},
			"id: 7\nevent: tick\nretry: 2000\ndata: {\"n\":1}\n\n"},
		{"a string as it is", Event{Data: "<b>hi</b>"}, "data: <b>hi</b>\n\n"},
		{"bytes as they are", Event{Data: []byte("raw")}, "data: raw\n\n"},
		{"every line break starts a data line", Event{Data: "a\nb\r\nc\rd"}, "data: a\ndata: b\ndata: c\ndata: d\n\n"},
		{"a trailing line break is an empty line", Event{Data: "a\n"}, "data: a\ndata: \n\n"},
		{"no data, no data line", Event{ID: "1"}, "id: 1\n\n"},
		{"an empty string is an empty data line", Event{Data: ""}, "data: \n\n"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := appendEvent(&buf, c.e); err != nil || buf.String() != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, buf.String(), err, c.want)
		}
	}
}

func TestAppendEvent_RefusesALineBreakInIDOrEvent(t *testing.T) {
	for _, e := range []Event{
		{ID: "1\ndata: forged"},
		{Event: "tick\r\nid: 9"},
		{ID: "a\x00b"},
	} {
		var buf bytes.Buffer
		if err := appendEvent(&buf, e); err == nil || !errors.Is(err, errLineBreak) {
			t.Errorf("%+v: err = %v, want it refused", e, err)
		}
	}
}

func TestAppendEvent_DataThatCannotBeJSONIsAnError(t *testing.T) {
	var buf bytes.Buffer
	if err := appendEvent(&buf, Event{Data: func() {}}); err == nil {
		t.Error("a func as data was written")
	}
}

func TestServe_AProducerErrorIsReturned(t *testing.T) {
	boom := errors.New("boom")
	err := New(func(ctx context.Context, emit func(Event) error) error { return boom }).
		Serve(context.Background(), httptest.NewRecorder(), 200)
	if !errors.Is(err, boom) {
		t.Errorf("Serve = %v, want the producer's error", err)
	}
}

func TestServe_AnEndedContextEndsTheStreamCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := New(func(ctx context.Context, emit func(Event) error) error {
		cancel()
		if err := emit(Event{Data: "late"}); err == nil {
			t.Error("emit after the context ended succeeded")
		}
		return errors.New("whatever it says")
	}).Serve(ctx, httptest.NewRecorder(), 200)
	if err != nil {
		t.Errorf("Serve = %v, want nil: the client left", err)
	}
}

func TestFromChannel_WritesUntilTheChannelCloses(t *testing.T) {
	ch := make(chan Event, 2)
	ch <- Event{Data: "a"}
	ch <- Event{Data: "b"}
	close(ch)
	rec := httptest.NewRecorder()
	if err := FromChannel(ch).Serve(context.Background(), rec, 200); err != nil {
		t.Fatal(err)
	}
	if got := rec.Body.String(); got != "data: a\n\ndata: b\n\n" {
		t.Errorf("got %q", got)
	}
	if !rec.Flushed || !strings.Contains(rec.Header().Get("Cache-Control"), "no-cache") {
		t.Errorf("flushed %v, headers %v", rec.Flushed, rec.Header())
	}
}
