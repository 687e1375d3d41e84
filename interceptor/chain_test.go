package interceptor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/interceptor"
)

// tracer returns an interceptor that records its name on the way in and out.
func tracer(name string, trail *[]string) interceptor.Interceptor {
	return func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		*trail = append(*trail, name+">")
		res, err := next()
		*trail = append(*trail, "<"+name)
		return res, err
	}
}

func TestChain_RunsInterceptorsOutermostFirstAndBack(t *testing.T) {
	var trail []string
	chain := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) {
		trail = append(trail, "target")
		return "done", nil
	}, tracer("a", &trail), tracer("b", &trail))
	res, err := chain.Invoke(interceptor.NewInvocationContext(context.Background(), "T", "m"))
	if res != "done" || err != nil {
		t.Fatalf("got %v %v", res, err)
	}
	if got := strings.Join(trail, " "); got != "a> b> target <b <a" {
		t.Errorf("trail = %q", got)
	}
}

func TestChain_AnInterceptorCanAnswerWithoutCallingNext(t *testing.T) {
	called := false
	chain := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) {
		called = true
		return "target", nil
	}, func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		return "cached", nil
	})
	res, _ := chain.Invoke(interceptor.NewInvocationContext(context.Background(), "T", "m"))
	if res != "cached" || called {
		t.Errorf("res %v, target called %v", res, called)
	}
}

func TestChain_AnInterceptorCanReplaceArgsAndTranslateErrors(t *testing.T) {
	boom := errors.New("boom")
	chain := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) {
		if ic.Args[0] != "rewritten" {
			return nil, fmt.Errorf("target saw %v", ic.Args[0])
		}
		return nil, boom
	}, func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		ic.Args[0] = "rewritten"
		_, err := next()
		if errors.Is(err, boom) {
			return "recovered", nil
		}
		return nil, err
	})
	res, err := chain.Invoke(interceptor.NewInvocationContext(context.Background(), "T", "m", "original"))
	if res != "recovered" || err != nil {
		t.Errorf("got %v %v", res, err)
	}
}

func TestChain_AnInterceptorMayCallNextAgainToRetry(t *testing.T) {
	attempts := 0
	chain := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) {
		attempts++
		if attempts < 3 {
			return nil, errors.New("flaky")
		}
		return attempts, nil
	}, func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		for {
			res, err := next()
			if err == nil || attempts >= 5 {
				return res, err
			}
		}
	})
	res, err := chain.Invoke(interceptor.NewInvocationContext(context.Background(), "T", "m"))
	if res != 3 || err != nil {
		t.Errorf("got %v %v", res, err)
	}
}

func TestRegistry_OrdersGlobalsByGroup_UnlistedGroupsFirst(t *testing.T) {
	var trail []string
	g := func(name, group string) interceptor.Global {
		return interceptor.NewGlobal(tracer(name, &trail), group, interceptor.Named(name))
	}
	reg := interceptor.NewRegistry([]interceptor.Global{
		g("caching", "caching"), g("auth", "auth"), g("free", ""), g("log1", "logging"), g("log2", "logging"), g("other", "zz"),
	}, interceptor.Options{OrderedGroups: []string{"logging", "auth", "caching"}})
	var names []string
	for _, gl := range reg.Globals() {
		names = append(names, gl.Name)
	}
	if got := strings.Join(names, " "); got != "free other log1 log2 auth caching" {
		t.Errorf("order = %q", got)
	}
}

func TestRegistry_ChainKeepsGlobalsToTheirSources(t *testing.T) {
	var trail []string
	reg := interceptor.NewRegistry([]interceptor.Global{
		interceptor.NewGlobal(tracer("routes", &trail), "", interceptor.ForSources(interceptor.FromRoute)),
		interceptor.NewGlobal(tracer("all", &trail), ""),
	}, interceptor.Options{})
	chain := reg.Chain(interceptor.FromProxy, func(ic *interceptor.InvocationContext) (any, error) { return nil, nil },
		tracer("local", &trail))
	chain.Invoke(interceptor.NewInvocationContext(context.Background(), "S", "m"))
	if got := strings.Join(trail, " "); got != "all> local> <local <all" {
		t.Errorf("trail = %q", got)
	}
}

func TestHooks_MatchTheirPatterns(t *testing.T) {
	cases := []struct {
		pattern, target, method string
		want                    bool
	}{
		{"**", "TodoController", "create", true},
		{"TodoController.*", "TodoController", "create", true},
		{"TodoController.*", "UserController", "create", false},
		{"*.create", "UserController", "create", true},
		{"*.create", "UserController", "find", false},
		{"TodoController.find", "TodoController", "find", true},
		{"TodoController.find", "TodoController", "findById", false},
	}
	for _, c := range cases {
		ran := false
		g := interceptor.Before(c.pattern, func(ic *interceptor.InvocationContext) error { ran = true; return nil })
		interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) { return nil, nil }, g.Interceptor).
			Invoke(interceptor.NewInvocationContext(context.Background(), c.target, c.method))
		if ran != c.want {
			t.Errorf("%s on %s.%s: ran %v, want %v", c.pattern, c.target, c.method, ran, c.want)
		}
	}
}

func TestBeforeHook_ErrorStopsTheCall(t *testing.T) {
	denied := errors.New("denied")
	g := interceptor.Before("**", func(ic *interceptor.InvocationContext) error { return denied })
	called := false
	_, err := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) { called = true; return nil, nil },
		g.Interceptor).Invoke(interceptor.NewInvocationContext(context.Background(), "T", "m"))
	if !errors.Is(err, denied) || called {
		t.Errorf("err %v, target called %v", err, called)
	}
}

// GeocoderService is a plain service, called outside HTTP.
type GeocoderService struct{ calls int }

func (s *GeocoderService) Geocode(ctx context.Context, address string) (string, error) {
	s.calls++
	if address == "" {
		return "", errors.New("address not found")
	}
	return "52.5,13.4", nil
}

func TestWrap_RunsAServiceMethodThroughTheChainWithoutHTTP(t *testing.T) {
	var trail []string
	var seen *interceptor.InvocationContext
	reg := interceptor.NewRegistry([]interceptor.Global{
		interceptor.NewGlobal(func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
			seen = ic
			return next()
		}, ""),
	}, interceptor.Options{})
	svc := &GeocoderService{}
	cache := map[string]any{}
	caching := func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		key := ic.Args[0].(string)
		if v, ok := cache[key]; ok {
			trail = append(trail, "hit "+key)
			return v, nil
		}
		v, err := next()
		if err == nil {
			cache[key] = v
		}
		return v, err
	}
	geocode := interceptor.Wrap(reg, "GeocoderService", "geocode", svc.Geocode, caching)

	for range 3 {
		got, err := geocode(context.Background(), "Berlin")
		if got != "52.5,13.4" || err != nil {
			t.Fatalf("geocode = %q %v", got, err)
		}
	}
	if svc.calls != 1 || len(trail) != 2 {
		t.Errorf("service called %d times, cache hits %v", svc.calls, trail)
	}
	if seen.Request != nil || seen.Source != interceptor.FromProxy || seen.TargetName() != "GeocoderService.geocode" {
		t.Errorf("invocation context = %+v", seen)
	}
	if _, err := geocode(context.Background(), ""); err == nil {
		t.Error("the service's error is lost")
	}
}

func TestWrap_AnInterceptorPassingTheWrongArgumentType_IsAnError(t *testing.T) {
	bad := func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		ic.Args[0] = 42
		return next()
	}
	geocode := interceptor.Wrap(nil, "GeocoderService", "geocode", (&GeocoderService{}).Geocode, bad)
	if _, err := geocode(context.Background(), "Berlin"); err == nil || !strings.Contains(err.Error(), "int") {
		t.Errorf("err = %v", err)
	}
}

func TestAfterErrorHook_SeesFailuresOnlyAndMayReplaceTheError(t *testing.T) {
	failed := errors.New("failed")
	friendly := errors.New("try again later")
	var seen []error
	replace := interceptor.AfterError("*.find*", func(ic *interceptor.InvocationContext, err error) error {
		seen = append(seen, err)
		if ic.Method == "findById" {
			return friendly
		}
		return nil // keeps the error
	})
	call := func(method string, err error) error {
		_, got := interceptor.Compose(func(ic *interceptor.InvocationContext) (any, error) { return "ok", err },
			replace.Interceptor).Invoke(interceptor.NewInvocationContext(context.Background(), "CoffeeShop", method))
		return got
	}
	if err := call("find", nil); err != nil || len(seen) != 0 {
		t.Fatalf("a success: err %v, hook saw %v", err, seen)
	}
	if err := call("find", failed); !errors.Is(err, failed) || len(seen) != 1 {
		t.Fatalf("kept: err %v, hook saw %v", err, seen)
	}
	if err := call("findById", failed); !errors.Is(err, friendly) {
		t.Fatalf("replaced: err %v", err)
	}
	if err := call("create", failed); !errors.Is(err, failed) || len(seen) != 2 {
		t.Fatalf("another method: err %v, hook saw %v", err, seen)
	}
}
