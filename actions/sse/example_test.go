package sse_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/loomhq/loom/actions/sse"
)

// A stream writes each event as its producer emits it, then ends when the
// producer returns. A handler returns the stream; here it is written to
// a recorder to show the wire format.
func Example() {
	type price struct {
		Symbol string  `json:"symbol"`
		Value  float64 `json:"value"`
	}
	stream := sse.New(func(ctx context.Context, emit func(sse.Event) error) error {
		if err := emit(sse.Event{ID: "1", Event: "price", Data: price{"LOOM", 12.5}}); err != nil {
			return err
		}
		return emit(sse.Event{Data: "market\nclosed"})
	})

	rec := httptest.NewRecorder()
	if err := stream.Serve(context.Background(), rec, 200); err != nil {
		fmt.Println(err)
	}
	fmt.Println(rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// text/event-stream
	// id: 1
	// event: price
	// data: {"symbol":"LOOM","value":12.5}
	//
	// data: market
	// data: closed
}
