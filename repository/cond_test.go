package repository_test

import (
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestZeroCondMatchesAllAndDropsOutOfAnd(t *testing.T) {
	var all repository.Cond
	if !all.IsAll() || all.String() != "{}" {
		t.Fatalf("zero cond: %s", all)
	}
	if got := repository.And(all, repository.Eq("id", 1)).String(); got != `{"id":1}` {
		t.Fatalf("and with all: %s", got)
	}
	if got := repository.Or(all, repository.Eq("id", 1)); !got.IsAll() {
		t.Fatalf("or with all: %s", got)
	}
}

func TestNestedJunctionsOfOneKindFlatten(t *testing.T) {
	got := repository.Eq("a", 1).Or(repository.Eq("b", 2)).Or(repository.Eq("c", 3)).String()
	if got != `{"or":[{"a":1},{"b":2},{"c":3}]}` {
		t.Fatalf("got %s", got)
	}
}

func TestMatchReadsSlashFlags(t *testing.T) {
	c := repository.Match("title", "/^a/i")
	r := c.Value.(repository.Regexp)
	if r.Pattern != "^a" || r.Flags != "i" || repository.Match("t", "^a").Value.(repository.Regexp).Flags != "" {
		t.Fatalf("got %+v", r)
	}
	re, err := r.Compile()
	if err != nil || !re.MatchString("ABC") {
		t.Fatalf("compiled %v %v", re, err)
	}
}
