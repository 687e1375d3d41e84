package jwt_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/jwt"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
	rsaKey2 *rsa.PrivateKey
)

// keys returns two RSA keys, generated once for the test binary.
func keys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsaKey2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return rsaKey, rsaKey2
}

func mustNew(t testing.TB, cfg jwt.Config) *jwt.Service {
	t.Helper()
	s, err := jwt.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var alice = &authentication.Profile{ID: "42", Name: "alice", Email: "alice@example.com"}

func statusOf(err error) int {
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		return sc.StatusCode()
	}
	return 0
}

func TestRoundTrip(t *testing.T) {
	priv, _ := keys(t)
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	for _, cfg := range []jwt.Config{
		{Secret: secret, Now: clock},
		{PrivateKey: priv, Now: clock},
	} {
		s := mustNew(t, cfg)
		t.Run(s.Algorithm(), func(t *testing.T) {
			token, err := s.Generate(alice)
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.Verify(token)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != "42" || p.Name != "alice" || p.Email != "alice@example.com" || p.Strategy != "jwt" {
				t.Fatalf("profile = %+v", p)
			}
			if got, want := p.Attrs["exp"], now.Add(jwt.DefaultExpiresIn).Unix(); got != want {
				t.Fatalf("exp = %v, want %v (21600 s after iat)", got, want)
			}
			if p.Attrs["iat"] != now.Unix() {
				t.Fatalf("iat = %v", p.Attrs["iat"])
			}
		})
	}
}

// The claims are LoopBack's: id, name, email, iat, exp, and nothing else.
func TestClaimsAreLoopBacks(t *testing.T) {
	s := mustNew(t, jwt.Config{Secret: secret})
	token, err := s.Generate(alice)
	if err != nil {
		t.Fatal(err)
	}
	claims := gojwt.MapClaims{}
	if _, _, err := gojwt.NewParser().ParseUnverified(token, claims); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range claims {
		names = append(names, k)
	}
	for _, want := range []string{"id", "name", "email", "iat", "exp"} {
		if _, ok := claims[want]; !ok {
			t.Errorf("claim %q missing from %v", want, names)
		}
	}
	if len(claims) != 5 {
		t.Errorf("claims = %v, want id, name, email, iat, exp", names)
	}
}

func TestRS256VerifyOnly(t *testing.T) {
	priv, _ := keys(t)
	signer := mustNew(t, jwt.Config{PrivateKey: priv})
	verifier := mustNew(t, jwt.Config{PublicKey: &priv.PublicKey})
	token, err := signer.Generate(alice)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := verifier.Verify(token); err != nil || p.ID != "42" {
		t.Fatalf("Verify = %v, %v", p, err)
	}
	if _, err := verifier.Generate(alice); err == nil {
		t.Fatal("a verify-only service signed a token")
	}
}

func TestVerifyRefuses(t *testing.T) {
	priv, other := keys(t)
	now := time.Unix(1_700_000_000, 0)
	hs := mustNew(t, jwt.Config{Secret: secret, Now: func() time.Time { return now }})
	rs := mustNew(t, jwt.Config{PrivateKey: priv, Now: func() time.Time { return now }})
	claims := func(mod func(*jwt.Claims)) jwt.Claims {
		c := jwt.Claims{ID: "42", RegisteredClaims: gojwt.RegisteredClaims{
			IssuedAt:  gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(time.Hour)),
		}}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	sign := func(m gojwt.SigningMethod, key any, c jwt.Claims) string {
		s, err := gojwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	good := sign(gojwt.SigningMethodHS256, secret, claims(nil))
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + parts[1] + "x." + parts[2]

	cases := []struct {
		name  string
		s     *jwt.Service
		token string
		want  string
	}{
		{"empty", hs, "", "Error verifying token : 'token' is null"},
		{"garbage", hs, "not-a-token", "Error verifying token : jwt malformed"},
		{"too long", hs, strings.Repeat("a", jwt.MaxToken+1), "Error verifying token : jwt malformed"},
		{"tampered", hs, tampered, "Error verifying token : invalid token"},
		{"three parts of garbage", hs, "abc.def.ghi", "Error verifying token : invalid token"},
		{"four parts", hs, good + ".x", "Error verifying token : jwt malformed"},
		{"signature cut off", hs, parts[0] + "." + parts[1] + ".", "Error verifying token : jwt signature is required"},
		{"wrong secret", hs, sign(gojwt.SigningMethodHS256, []byte("another secret of thirty-two byt"), claims(nil)), "Error verifying token : invalid signature"},
		{"expired", hs, sign(gojwt.SigningMethodHS256, secret, claims(func(c *jwt.Claims) {
			c.ExpiresAt = gojwt.NewNumericDate(now.Add(-time.Second))
		})), "Error verifying token : jwt expired"},
		{"no exp", hs, sign(gojwt.SigningMethodHS256, secret, claims(func(c *jwt.Claims) { c.ExpiresAt = nil })), "Error verifying token : jwt exp claim is missing"},
		{"not yet valid", hs, sign(gojwt.SigningMethodHS256, secret, claims(func(c *jwt.Claims) {
			c.NotBefore = gojwt.NewNumericDate(now.Add(time.Minute))
		})), "Error verifying token : jwt not active"},
		{"no id", hs, sign(gojwt.SigningMethodHS256, secret, claims(func(c *jwt.Claims) { c.ID = "" })), "Error verifying token : jwt id claim is missing"},
		{"alg none", hs, sign(gojwt.SigningMethodNone, gojwt.UnsafeAllowNoneSignatureType, claims(nil)), "Error verifying token : jwt signature is required"},
		{"alg none on RS256", rs, sign(gojwt.SigningMethodNone, gojwt.UnsafeAllowNoneSignatureType, claims(nil)), "Error verifying token : jwt signature is required"},
		{"alg none with a signature", hs, sign(gojwt.SigningMethodNone, gojwt.UnsafeAllowNoneSignatureType, claims(nil)) + "c2ln", "Error verifying token : invalid algorithm"},
		{"HS384 on HS256", hs, sign(gojwt.SigningMethodHS384, secret, claims(nil)), "Error verifying token : invalid algorithm"},
		// Algorithm confusion: an HS256 token whose secret is the RS256
		// service's public key must not verify.
		{"HS256 with the public key on RS256", rs, sign(gojwt.SigningMethodHS256, pubDER, claims(nil)), "Error verifying token : invalid algorithm"},
		{"RS256 on HS256", hs, sign(gojwt.SigningMethodRS256, priv, claims(nil)), "Error verifying token : invalid algorithm"},
		{"RS256 of another key", rs, sign(gojwt.SigningMethodRS256, other, claims(nil)), "Error verifying token : invalid signature"},
		{"PS256 on RS256", rs, sign(gojwt.SigningMethodPS256, priv, claims(nil)), "Error verifying token : invalid algorithm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.s.Verify(c.token)
			if err == nil {
				t.Fatalf("Verify accepted the token: %+v", p)
			}
			if err.Error() != c.want {
				t.Fatalf("error = %q, want %q", err, c.want)
			}
			if statusOf(err) != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", statusOf(err))
			}
			if c.token != "" && len(c.token) > 10 && strings.Contains(err.Error(), c.token[:10]) {
				t.Fatalf("the error quotes the token: %q", err)
			}
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	priv, other := keys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]jwt.Config{
		"nothing":          {},
		"short secret":     {Secret: []byte("myjwts3cr3t")},
		"secret and key":   {Secret: secret, PrivateKey: priv},
		"mismatched pair":  {PrivateKey: priv, PublicKey: &other.PublicKey},
		"small key":        {PrivateKey: small},
		"small public key": {PublicKey: &small.PublicKey},
		"negative expiry":  {Secret: secret, ExpiresIn: -time.Second},
	} {
		if _, err := jwt.New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestGenerateRefusesNoProfile(t *testing.T) {
	s := mustNew(t, jwt.Config{Secret: secret})
	for _, p := range []*authentication.Profile{nil, {Name: "no id"}} {
		if _, err := s.Generate(p); err == nil || statusOf(err) != http.StatusUnauthorized {
			t.Errorf("Generate(%+v) = %v, want a 401", p, err)
		}
	}
}

func TestExpiresIn(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := mustNew(t, jwt.Config{Secret: secret, ExpiresIn: time.Minute, Now: func() time.Time { return now }})
	token, err := s.Generate(alice)
	if err != nil {
		t.Fatal(err)
	}
	later := mustNew(t, jwt.Config{Secret: secret, Now: func() time.Time { return now.Add(time.Minute + time.Second) }})
	if _, err := later.Verify(token); err == nil || !strings.HasSuffix(err.Error(), "jwt expired") {
		t.Fatalf("a token past ExpiresIn: %v", err)
	}
}

func TestStrategy(t *testing.T) {
	s := mustNew(t, jwt.Config{Secret: secret})
	st := jwt.NewStrategy(s)
	if st.Name() != "jwt" {
		t.Fatalf("Name = %q", st.Name())
	}
	token, err := s.Generate(alice)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, header string
		wantID       string
		wantErr      string
	}{
		{"no header", "", "", ""},
		{"basic", "Basic YWxpY2U6c2VjcmV0", "", ""},
		{"bearer", "Bearer " + token, "42", ""},
		{"lower-case bearer", "bearer " + token, "42", ""},
		{"empty token", "Bearer ", "", "Error verifying token : 'token' is null"},
		{"too many parts", "Bearer " + token + " extra", "", jwt.MessageTooManyParts},
		{"bad token", "Bearer abc.def.ghi", "", "Error verifying token : invalid token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			p, err := st.Authenticate(r.Context(), r)
			switch {
			case c.wantErr != "":
				if err == nil || err.Error() != c.wantErr || statusOf(err) != http.StatusUnauthorized {
					t.Fatalf("err = %v, want 401 %q", err, c.wantErr)
				}
			case c.wantID == "":
				if p != nil || err != nil {
					t.Fatalf("= %v, %v; want not mine (nil, nil)", p, err)
				}
			default:
				if err != nil || p == nil || p.ID != c.wantID {
					t.Fatalf("= %+v, %v; want id %s", p, err, c.wantID)
				}
			}
		})
	}
	strict := jwt.NewStrategy(s, jwt.RequireHeader())
	for header, want := range map[string]string{
		"":                       jwt.MessageNoHeader,
		"Basic YWxpY2U6c2VjcmV0": jwt.MessageNotBearer,
		"Bearer a b":             jwt.MessageTooManyParts,
	} {
		r := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		if _, err := strict.Authenticate(r.Context(), r); err == nil || err.Error() != want || statusOf(err) != http.StatusUnauthorized {
			t.Errorf("RequireHeader, %q: err = %v, want 401 %q", header, err, want)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	if p, err := strict.Authenticate(r.Context(), r); err != nil || p.ID != "42" {
		t.Errorf("RequireHeader, a good token: %v, %v", p, err)
	}
	sc := st.SecurityScheme()
	if sc.Type != "http" || sc.Scheme != "bearer" || sc.BearerFormat != "JWT" {
		t.Fatalf("SecurityScheme = %+v", sc)
	}
}

// FuzzAuthenticate feeds the strategy Authorization headers: whatever
// they hold, the answer is a profile of the one token the service signed,
// "not mine", or a 401 that does not quote the header; never a panic.
func FuzzAuthenticate(f *testing.F) {
	s := mustNew(f, jwt.Config{Secret: secret})
	st := jwt.NewStrategy(s)
	token, err := s.Generate(alice)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"Bearer " + token, "Bearer " + token + "x", "Bearer eyJhbGciOiJub25lIn0.eyJpZCI6IjQyIn0.",
		"Bearer a.b.c", "Bearer ..", "Bearer", "Bearer  x", "Basic Zm9vOmJhcg==", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{header}
		p, err := st.Authenticate(r.Context(), r)
		switch {
		case err != nil:
			if statusOf(err) != http.StatusUnauthorized {
				t.Fatalf("error %v is not a 401", err)
			}
			if _, tok, _ := strings.Cut(header, " "); len(tok) > 8 && strings.Contains(err.Error(), tok) {
				t.Fatalf("the error quotes the token")
			}
		case p != nil:
			if p.ID != alice.ID || p.Name != alice.Name {
				t.Fatalf("%q verified as %+v", header, p)
			}
		}
	})
}
