package context_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

func newScopeRC() *loomctx.RequestContext {
	return loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// requestBindings builds the bindings options register, as an
// application does.
func requestBindings(t *testing.T, opts ...fx.Option) *loomctx.RequestBindings {
	t.Helper()
	var rb *loomctx.RequestBindings
	app := fx.New(fx.NopLogger, fx.Options(opts...),
		fx.Provide(fx.Annotate(loomctx.NewRequestBindings, fx.ParamTags(loomctx.RequestBindingsGroup))),
		fx.Populate(&rb))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	return rb
}

func TestResolve_RunsTheProviderOnceAndKeepsItsValue(t *testing.T) {
	key := loomctx.NewKey[int]("app.n")
	runs := 0
	rb := requestBindings(t, fx.Supply(40), loomctx.BindRequest(key, func(base int) loomctx.Provider[int] {
		return func(*loomctx.RequestContext) (int, error) { runs++; return base + runs, nil }
	}))
	rc := newScopeRC()
	rc.SetBindings(rb)
	for range 3 {
		if v, err := key.Resolve(rc); v != 41 || err != nil {
			t.Fatalf("got %d, %v", v, err)
		}
	}
	if v, ok := key.Get(rc); !ok || v != 41 || rc.Value(key) != 41 {
		t.Fatalf("the resolved value is not the request's: %d %v", v, ok)
	}
	rc2 := newScopeRC()
	rc2.SetBindings(rb)
	if v, _ := key.Resolve(rc2); v != 42 {
		t.Fatalf("another request got %d", v)
	}
}

func TestResolve_ASetValueWinsOverTheProvider(t *testing.T) {
	key := loomctx.NewKey[string]("app.s")
	rb := requestBindings(t, loomctx.BindRequest(key, loomctx.Provider[string](func(*loomctx.RequestContext) (string, error) {
		return "", errors.New("the provider ran")
	})))
	rc := newScopeRC()
	rc.SetBindings(rb)
	key.Set(rc, "given")
	if v, err := key.Resolve(rc); v != "given" || err != nil {
		t.Fatalf("got %q, %v", v, err)
	}
}

func TestResolve_AnErrorIsNotKept(t *testing.T) {
	key := loomctx.NewKey[string]("app.flaky")
	fail := true
	rb := requestBindings(t, loomctx.BindRequest(key, loomctx.Provider[string](func(*loomctx.RequestContext) (string, error) {
		if fail {
			return "", errors.New("down")
		}
		return "up", nil
	})))
	rc := newScopeRC()
	rc.SetBindings(rb)
	if _, err := key.Resolve(rc); err == nil || err.Error() != "down" {
		t.Fatalf("got %v", err)
	}
	fail = false
	if v, err := key.Resolve(rc); v != "up" || err != nil {
		t.Fatalf("got %q, %v", v, err)
	}
}

func TestResolve_AnUnboundKeyIsAnErrorNamingIt(t *testing.T) {
	rc := newScopeRC()
	_, err := loomctx.Resolve(rc, loomctx.NewKey[string]("app.missing"))
	if err == nil || !strings.Contains(err.Error(), `"app.missing"`) {
		t.Fatalf("got %v", err)
	}
	if _, err := loomctx.Resolve(t.Context(), loomctx.NewKey[string]("app.missing")); err == nil {
		t.Fatal("resolved outside a request")
	}
}

func TestResolve_AKeyOfAnotherTypeIsAnError(t *testing.T) {
	rb := requestBindings(t, loomctx.BindRequest(loomctx.NewKey[int]("app.n"),
		loomctx.Provider[int](func(*loomctx.RequestContext) (int, error) { return 1, nil })))
	rc := newScopeRC()
	rc.SetBindings(rb)
	_, err := loomctx.NewKey[string]("app.n").Resolve(rc)
	if err == nil || !strings.Contains(err.Error(), "is a int, not a string") {
		t.Fatalf("got %v", err)
	}
}

func TestResolve_AProviderThatNeedsItselfIsAnError(t *testing.T) {
	a := loomctx.NewKey[string]("app.a")
	b := loomctx.NewKey[string]("app.b")
	rb := requestBindings(t,
		loomctx.BindRequest(a, loomctx.Provider[string](func(rc *loomctx.RequestContext) (string, error) { return b.Resolve(rc) })),
		loomctx.BindRequest(b, loomctx.Provider[string](func(rc *loomctx.RequestContext) (string, error) { return a.Resolve(rc) })),
	)
	rc := newScopeRC()
	rc.SetBindings(rb)
	_, err := a.Resolve(rc)
	if err == nil || !strings.Contains(err.Error(), "app.a → app.b → app.a") {
		t.Fatalf("got %v", err)
	}
	// The failed attempt leaves nothing behind.
	key := loomctx.NewKey[string]("app.a")
	if _, ok := key.Get(rc); ok {
		t.Fatal("a value was kept")
	}
}

func TestBindRequest_RefusesWhatIsNotAProvider(t *testing.T) {
	key := loomctx.NewKey[string]("app.s")
	for name, c := range map[string]any{
		"a value":               "x",
		"a plain function":      func(*loomctx.RequestContext) string { return "" },
		"a wrong provider":      func() loomctx.Provider[int] { return nil },
		"a constructor's nil":   func() loomctx.Provider[string] { return nil },
		"a constructor's error": func() (loomctx.Provider[string], error) { return nil, errors.New("no store") },
	} {
		t.Run(name, func(t *testing.T) {
			app := fx.New(fx.NopLogger, loomctx.BindRequest(key, c),
				fx.Provide(fx.Annotate(loomctx.NewRequestBindings, fx.ParamTags(loomctx.RequestBindingsGroup))),
				fx.Invoke(func(*loomctx.RequestBindings) {}))
			if err := app.Err(); err == nil || !strings.Contains(err.Error(), "app.s") && !strings.Contains(err.Error(), "no store") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func ExampleBindRequest() {
	// A value computed for each request, when first asked for.
	localeKey := loomctx.NewKey[string]("app.locale")
	var bindings *loomctx.RequestBindings
	fx.New(fx.NopLogger,
		fx.Supply("en"), // the default locale, injected once
		loomctx.BindRequest(localeKey, func(fallback string) loomctx.Provider[string] {
			return func(rc *loomctx.RequestContext) (string, error) {
				fmt.Println("computing the locale")
				if l := rc.Request.Header.Get("Accept-Language"); l != "" {
					return l, nil
				}
				return fallback, nil
			}
		}),
		// The REST application does this, and hands the bindings to each
		// request's context.
		fx.Provide(fx.Annotate(loomctx.NewRequestBindings, fx.ParamTags(loomctx.RequestBindingsGroup))),
		fx.Populate(&bindings),
	)

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", "fr")
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), r)
	rc.SetBindings(bindings)

	first, _ := localeKey.Resolve(rc)
	again, _ := loomctx.Resolve(rc, localeKey) // any context.Context of the request
	fmt.Println(first, again)
	// Output:
	// computing the locale
	// fr fr
}
