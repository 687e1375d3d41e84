package token_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/token"
	loomsql "github.com/loomhq/loom/repository/sql"
)

// codeOf is an error's status and code.
func codeOf(err error) (int, string) {
	var e interface {
		StatusCode() int
		ErrorCode() string
	}
	if errors.As(err, &e) {
		return e.StatusCode(), e.ErrorCode()
	}
	return 0, ""
}

func TestStrategyAuthenticate(t *testing.T) {
	ctx := t.Context()
	store := memoryStore(t, token.StoreOptions{})
	issued, err := store.Create(ctx, "42", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := token.NewStrategy(store, token.Options{})

	p, err := s.Authenticate(ctx, req("", h("Authorization", "Bearer "+b64(issued.ID))))
	if err != nil || p == nil || p.ID != "42" {
		t.Fatalf("Bearer base64: %+v, %v", p, err)
	}
	if got, ok := p.Attrs["token"].(*token.AccessToken); !ok || got.ID != issued.ID {
		t.Fatalf("Attrs = %+v", p.Attrs)
	}
	got, ok := token.TokenFrom(authentication.WithProfile(ctx, p))
	if !ok || got.ID != issued.ID {
		t.Fatalf("TokenFrom = %+v, %v", got, ok)
	}
	if _, ok := token.TokenFrom(ctx); ok {
		t.Fatal("TokenFrom of an anonymous context")
	}
	if _, ok := token.TokenFrom(authentication.WithProfile(ctx, &authentication.Profile{ID: "1"})); ok {
		t.Fatal("TokenFrom of another strategy's profile")
	}

	if p, err := s.Authenticate(ctx, req("", nil)); p != nil || err != nil {
		t.Fatalf("no token: %+v, %v; want not mine", p, err)
	}
	for name, r := range map[string]*http.Request{
		"unknown":            req("access_token="+tokA, nil),
		"not a token":        req("access_token=not%20a%20token", nil),
		"base64 of nonsense": req("", h("Authorization", "Bearer "+b64("not a token"))),
		"base64 of unknown":  req("", h("Authorization", "Bearer "+b64(tokA))),
	} {
		p, err := s.Authenticate(ctx, r)
		if status, code := codeOf(err); p != nil || status != 401 || code != token.CodeInvalidToken {
			t.Fatalf("%s: %+v, %v", name, p, err)
		}
	}
}

func TestStrategyResolve(t *testing.T) {
	ctx := t.Context()
	store := memoryStore(t, token.StoreOptions{})
	issued, _ := store.Create(ctx, "42", 0)
	s := token.NewStrategy(store, token.Options{})
	for _, id := range []string{issued.ID, b64(issued.ID)} {
		if got, err := s.Resolve(ctx, id); err != nil || got == nil || got.ID != issued.ID {
			t.Fatalf("Resolve(%q) = %+v, %v", id, got, err)
		}
	}
	for _, id := range []string{"", tokA, b64(tokA), b64(b64(issued.ID)), "%%%"} {
		if got, err := s.Resolve(ctx, id); err != nil || got != nil {
			t.Fatalf("Resolve(%q) = %+v, %v", id, got, err)
		}
	}
}

func TestStrategyProfile(t *testing.T) {
	ctx := t.Context()
	store := memoryStore(t, token.StoreOptions{})
	ann, _ := store.Create(ctx, "ann", 0)
	gone, _ := store.Create(ctx, "gone", 0)
	broken, _ := store.Create(ctx, "broken", 0)
	shared := map[string]any{"tenant": "t1"}
	s := token.NewStrategy(store, token.Options{Profile: func(_ context.Context, t *token.AccessToken) (*authentication.Profile, error) {
		switch t.UserID {
		case "ann":
			return &authentication.Profile{ID: "ann", Name: "Ann", Roles: []string{"admin"}, Attrs: shared}, nil
		case "broken":
			return nil, errors.New("the user repository is down")
		}
		return nil, nil
	}})

	p, err := s.Authenticate(ctx, req("access_token="+ann.ID, nil))
	if err != nil || p.Name != "Ann" || p.Attrs["tenant"] != "t1" || p.Attrs["token"] == nil {
		t.Fatalf("profile = %+v, %v", p, err)
	}
	if _, ok := shared["token"]; ok {
		t.Fatal("Authenticate wrote into the hook's Attrs")
	}
	_, err = s.Authenticate(ctx, req("access_token="+gone.ID, nil))
	if _, code := codeOf(err); code != token.CodeInvalidToken {
		t.Fatalf("a token whose user is gone: %v", err)
	}
	if _, err = s.Authenticate(ctx, req("access_token="+broken.ID, nil)); err == nil || err.Error() != "the user repository is down" {
		t.Fatalf("the hook's error: %v", err)
	}
}

func TestStrategySecurityScheme(t *testing.T) {
	var s authentication.Documented = token.NewStrategy(memoryStore(t, token.StoreOptions{}), token.Options{})
	sc := s.SecurityScheme()
	if sc.Type != "apiKey" || sc.In != "header" || sc.Name != "Authorization" {
		t.Fatalf("scheme = %+v", sc)
	}
}

// A store that cannot answer is a 500, not a 401 that would have the
// client drop a good token, and its error never holds the token.
func TestStrategyStoreFails(t *testing.T) {
	conn, err := loomsql.Open("sqlite::memory:", loomsql.Options{}) // never started
	if err != nil {
		t.Fatal(err)
	}
	store, err := token.NewStore(conn, token.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := token.NewStrategy(store, token.Options{})
	p, err := s.Authenticate(t.Context(), req("access_token="+tokA, nil))
	if status, _ := codeOf(err); p != nil || status != 500 || !errors.Is(err, loomsql.ErrNotStarted) {
		t.Fatalf("Authenticate = %+v, %v; want a 500 wrapping the store's error", p, err)
	}
	if strings.Contains(err.Error(), tokA) {
		t.Fatalf("the error holds the token: %v", err)
	}
}

func TestStrategyRefusesScopedTokens(t *testing.T) {
	ctx := t.Context()
	store := memoryStore(t, token.StoreOptions{})
	scoped, err := store.Create(ctx, "42", 0, "reset-password")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := store.Find(ctx, scoped.ID); err != nil || got == nil || !got.HasScope("reset-password") || got.HasScope("x") {
		t.Fatalf("stored scoped token = %+v, %v", got, err)
	}
	r := req("access_token="+scoped.ID, nil)
	p, err := token.NewStrategy(store, token.Options{}).Authenticate(ctx, r)
	if status, code := codeOf(err); p != nil || status != 401 || code != token.CodeInvalidToken {
		t.Fatalf("scoped token as a login token: %+v, %v", p, err)
	}
	p, err = token.NewStrategy(store, token.Options{AllowScoped: true}).Authenticate(ctx, r)
	if err != nil || p == nil || p.ID != "42" {
		t.Fatalf("scoped token allowed: %+v, %v", p, err)
	}
	if got, err := token.NewStrategy(store, token.Options{}).Resolve(ctx, scoped.ID); err != nil || got == nil {
		t.Fatalf("Resolve of a scoped token: %+v, %v", got, err)
	}
}
