package jwt_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/jwt"
)

// A service signs a profile at login; the "jwt" strategy verifies the
// token the client sends back as a bearer token. Register the strategy
// with rest.WithAuthentication(jwt.NewStrategy(tokens)) and declare it on
// routes with controller.Authenticate("jwt").
func Example() {
	tokens, err := jwt.New(jwt.Config{Secret: []byte("a secret of at least thirty-two bytes")})
	if err != nil {
		panic(err)
	}
	token, err := tokens.Generate(&authentication.Profile{ID: "1", Name: "alice"})
	if err != nil {
		panic(err)
	}

	r := httptest.NewRequest("GET", "/whoAmI", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	p, err := jwt.NewStrategy(tokens).Authenticate(r.Context(), r)
	fmt.Println(p.ID, p.Name, err)

	r.Header.Set("Authorization", "Bearer "+token+"x")
	_, err = jwt.NewStrategy(tokens).Authenticate(r.Context(), r)
	fmt.Println(err)
	// Output:
	// 1 alice <nil>
	// Error verifying token : invalid signature
}
