package token_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/repository/memory"
)

// A token issued by the store authenticates a request that carries it in
// the access_token query parameter.
func ExampleStrategy() {
	ctx := context.Background()
	store, err := token.NewStore(memory.New(memory.Options{}), token.StoreOptions{})
	if err != nil {
		panic(err)
	}
	issued, err := store.Create(ctx, "42", 0)
	if err != nil {
		panic(err)
	}
	strategy := token.NewStrategy(store, token.Options{})

	r := httptest.NewRequest("GET", "/api/Reviews?access_token="+issued.ID, nil)
	p, err := strategy.Authenticate(ctx, r)
	fmt.Println(p.ID, issued.TTL, err)

	_, _ = store.Delete(ctx, issued.ID) // logout
	_, err = strategy.Authenticate(ctx, r)
	fmt.Println(err)
	// Output:
	// 42 1209600 <nil>
	// Invalid Access Token
}

// An access log writes the request's URL without the token a LoopBack 3
// client sent in the query.
func ExampleRedactedURI() {
	r := httptest.NewRequest("GET", "/api/Reviews?filter=%7B%7D&access_token=Zq4kLm9PxR2s", nil)
	fmt.Println(token.RedactedURI(r.URL))
	// Output:
	// /api/Reviews?filter=%7B%7D&access_token=[REDACTED]
}
