package memory

import (
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestPlainLikePatternsMatchAsTheirRegexp(t *testing.T) {
	for _, pat := range []string{"%chore%", "a%b%c", "alpha", "%", ""} {
		lit, ok := literalLike(pat)
		if !ok {
			t.Fatalf("%q has no literal matcher", pat)
		}
		re, _ := repository.LikeRegexp(pat, false)
		for _, s := range []string{"charlie chore", "abc", "axbyc", "alpha task", "", "cba"} {
			if lit(s) != re.MatchString(s) {
				t.Errorf("like %q on %q: literal %v, regexp %v", pat, s, lit(s), re.MatchString(s))
			}
		}
	}
	if _, ok := literalLike("a_c"); ok {
		t.Fatal("_ must go through the regexp")
	}
}

func TestDottedPathsFanOutOverArrays(t *testing.T) {
	vals := map[string]any{"addresses": []any{map[string]any{"city": "Oslo"}, map[string]any{"city": "Rome"}}}
	m, err := compile(repository.Eq("addresses.city", "Rome"))
	if err != nil || !m(vals) {
		t.Fatalf("no match: %v", err)
	}
}
