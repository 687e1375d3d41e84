package token_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/repository/memory"
)

// BenchmarkAuthenticate is the strategy's cost per request on the memory
// store: finding the token in a header and looking it up; for a Bearer
// token in base64, the failed raw lookup and the decoded one.
func BenchmarkAuthenticate(b *testing.B) {
	store, err := token.NewStore(memory.New(memory.Options{}), token.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	issued, err := store.Create(b.Context(), "42", 0)
	if err != nil {
		b.Fatal(err)
	}
	// Tokens of other users, so that the lookup is not in a table of one.
	for range 1000 {
		if _, err := store.Create(b.Context(), "7", 0); err != nil {
			b.Fatal(err)
		}
	}
	s := token.NewStrategy(store, token.Options{})
	for _, c := range []struct{ name, header, value string }{
		{"X-Access-Token", "X-Access-Token", issued.ID},
		{"Bearer", "Authorization", "Bearer " + issued.ID},
		{"BearerBase64", "Authorization", "Bearer " + b64(issued.ID)},
	} {
		r := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
		r.Header.Set(c.header, c.value)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.Authenticate(r.Context(), r)
				if err != nil || p == nil {
					b.Fatal(p, err)
				}
			}
		})
	}
}
