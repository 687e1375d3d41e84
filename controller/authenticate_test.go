package controller

import (
	"context"
	"reflect"
	"testing"
)

type authenticated struct{ Func }

func (authenticated) Authentication() []string { return []string{"jwt", "basic"} }

func noop(context.Context, struct{}) (string, error) { return "", nil }

func TestRoutesOf_TheControllersAuthenticationIsEachRoutesDefault(t *testing.T) {
	c := authenticated{Func{Label: "C", List: []Route{
		Get("/default", noop, Name("byDefault")),
		Get("/own", noop, Name("own"), Authenticate("apiKey")),
		Get("/skipped", noop, Name("skipped"), SkipAuthentication()),
		Get("/reinstated", noop, Name("reinstated"), SkipAuthentication(), Authenticate("basic")),
		Get("/none", noop, Name("none"), Authenticate()),
	}}}
	want := map[string]struct {
		names []string
		skip  bool
	}{
		"byDefault":  {[]string{"jwt", "basic"}, false},
		"own":        {[]string{"apiKey"}, false},
		"skipped":    {[]string{"jwt", "basic"}, true},
		"reinstated": {[]string{"basic"}, false},
		"none":       {[]string{}, true},
	}
	routes := RoutesOf(c)
	for _, r := range routes {
		w := want[r.Name]
		if !reflect.DeepEqual(r.Authentication, w.names) || r.SkipAuthentication != w.skip {
			t.Errorf("%s: Authentication %v, skip %v; want %v, %v", r.Name, r.Authentication, r.SkipAuthentication, w.names, w.skip)
		}
	}
	// Each route has its own list: changing one changes no other.
	routes[0].Authentication[0] = "changed"
	if again := RoutesOf(c); again[0].Authentication[0] != "jwt" {
		t.Error("the routes share the controller's list")
	}
}

func TestRoutesOf_WithoutADefaultRoutesAreNotAuthenticated(t *testing.T) {
	r := RoutesOf(Func{Label: "C", List: []Route{Get("/x", noop)}})[0]
	if r.Authentication != nil || r.SkipAuthentication {
		t.Errorf("Authentication %v, skip %v", r.Authentication, r.SkipAuthentication)
	}
}
