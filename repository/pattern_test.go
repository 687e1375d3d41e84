package repository_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestPlainLikePatternsMatchAsTheirRegexp(t *testing.T) {
	for _, pat := range []string{"%chore%", "a%b%c", "alpha", "%", ""} {
		p, err := repository.CompileLike(pat, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, literal := p.Literal(); !literal {
			t.Fatalf("%q is not matched as text", pat)
		}
		re, _ := repository.LikeRegexp(pat, false)
		for _, s := range []string{"charlie chore", "abc", "axbyc", "alpha task", "", "cba"} {
			if got, _ := p.Match(s, nil); got != re.MatchString(s) {
				t.Errorf("like %q on %q: text %v, regexp %v", pat, s, got, re.MatchString(s))
			}
		}
	}
	p, err := repository.CompileLike("a_c", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, literal := p.Literal(); literal {
		t.Fatal("_ must go through the regexp")
	}
}

func TestAPatternOverItsBudgetFailsBeforeItRuns(t *testing.T) {
	// given a like of 999 _ then z, and 1 MB of text
	p, err := repository.CompileLike(strings.Repeat("_", 999)+"z", false)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 1<<20)

	// when it is matched within the default budget
	_, err = p.Match(text, repository.NewWorkBudget(repository.DefaultLimits().MaxMatchWork))

	// then it is refused as too costly
	var wl *repository.WorkLimitError
	if !errors.As(err, &wl) || wl.StatusCode() != 400 || wl.ErrorCode() != repository.CodeQueryTooCostly {
		t.Fatalf("got %v", err)
	}
}
