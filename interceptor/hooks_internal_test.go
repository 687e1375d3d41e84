package interceptor

import "testing"

// Hook patterns match as LoopBack 3's do: * is any run within a segment,
// ** any run across segments, and the rest is literal.
func TestHookPatternsMatchAsLoopBack3s(t *testing.T) {
	names := []struct{ target, method string }{
		{"CoffeeShop", "find"}, {"CoffeeShop", "findById"}, {"CoffeeShop", "status"},
		{"CoffeeShop", "prototype.__get__reviews"}, {"Review", "find"}, {"Review", "create"},
	}
	for _, tc := range []struct {
		pattern string
		want    []string // the names it matches
	}{
		{"**", []string{"CoffeeShop.find", "CoffeeShop.findById", "CoffeeShop.status", "CoffeeShop.prototype.__get__reviews", "Review.find", "Review.create"}},
		{"CoffeeShop.status", []string{"CoffeeShop.status"}},
		{"CoffeeShop.*", []string{"CoffeeShop.find", "CoffeeShop.findById", "CoffeeShop.status"}},
		{"CoffeeShop.**", []string{"CoffeeShop.find", "CoffeeShop.findById", "CoffeeShop.status", "CoffeeShop.prototype.__get__reviews"}},
		{"CoffeeShop.prototype.*", []string{"CoffeeShop.prototype.__get__reviews"}},
		{"*.find", []string{"CoffeeShop.find", "Review.find"}},
		{"*.find*", []string{"CoffeeShop.find", "CoffeeShop.findById", "Review.find"}},
		{"Coffee*.*", []string{"CoffeeShop.find", "CoffeeShop.findById", "CoffeeShop.status"}},
		{"*.prototype.__get__*", []string{"CoffeeShop.prototype.__get__reviews"}},
		{"**.create", []string{"Review.create"}},
		{"*.*", []string{"CoffeeShop.find", "CoffeeShop.findById", "CoffeeShop.status", "Review.find", "Review.create"}},
	} {
		p, err := compilePattern(tc.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tc.pattern, err)
		}
		var got []string
		for _, n := range names {
			if p.matches(&InvocationContext{Target: n.target, Method: n.method}) {
				got = append(got, n.target+"."+n.method)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s matches %q, want %q", tc.pattern, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s matches %q, want %q", tc.pattern, got, tc.want)
				break
			}
		}
	}
}

func TestAMalformedHookPatternIsAnError(t *testing.T) {
	for _, p := range []string{"", "CoffeeShop", "CoffeeShop.", ".find", "Coffee..find", "Coffee Shop.find", "a.b(c)"} {
		if _, err := compilePattern(p); err == nil {
			t.Errorf("%q compiled", p)
		}
		g := Before(p, func(*InvocationContext) error { return nil })
		if g.Err() == nil {
			t.Errorf("Before(%q) has no error", p)
		}
	}
}
