package rest_test

import (
	"net/http"
	"testing"
)

// BenchmarkGetNegotiated is BenchmarkGetPathParam's GET with the Accept
// headers clients send: negotiation must stay as cheap as no header.
func BenchmarkGetNegotiated(b *testing.B) {
	for _, accept := range []string{"application/json", "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"} {
		b.Run(accept, func(b *testing.B) {
			h := loomHandler(b)
			req, _ := http.NewRequest("GET", "/items/42", nil)
			req.Header.Set("Accept", accept)
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.status = 0
				h.ServeHTTP(w, req)
				if w.status != 200 {
					b.Fatalf("status %d", w.status)
				}
			}
		})
	}
}
