package jwt_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loomhq/loom/actions/authentication/jwt"
)

// BenchmarkAuthenticate is the strategy's cost per request: reading the
// header and verifying an HS256 or RS256 token.
func BenchmarkAuthenticate(b *testing.B) {
	priv, _ := keys(b)
	for _, cfg := range []jwt.Config{{Secret: secret}, {PrivateKey: priv}} {
		s := mustNew(b, cfg)
		token, err := s.Generate(alice)
		if err != nil {
			b.Fatal(err)
		}
		st := jwt.NewStrategy(s)
		r := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		b.Run(s.Algorithm(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := st.Authenticate(r.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGenerate is the cost of signing a token at login.
func BenchmarkGenerate(b *testing.B) {
	priv, _ := keys(b)
	for _, cfg := range []jwt.Config{{Secret: secret}, {PrivateKey: priv}} {
		s := mustNew(b, cfg)
		b.Run(s.Algorithm(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Generate(alice); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
