package memory_test

import (
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

// A scoped uniqueness keys each tuple of values: two tuples whose texts
// run together the same way, across a NUL, are still two.
func TestUniqueTuplesDoNotRunTogether(t *testing.T) {
	stores, err := repository.NewCrudRepository[repotest.Store, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []repotest.Store{
		// whichever of code and city the key holds first
		{Name: "A", Code: repotest.Ptr("x\x00sy"), City: repotest.Ptr("z")},
		{Name: "B", Code: repotest.Ptr("x"), City: repotest.Ptr("y\x00sz")},
		{Name: "C", City: repotest.Ptr("u\x00sv"), Code: repotest.Ptr("w")},
		{Name: "D", City: repotest.Ptr("u"), Code: repotest.Ptr("v\x00sw")},
	} {
		if _, err := stores.Create(t.Context(), s); err != nil {
			t.Fatalf("create %s: %v", s.Name, err)
		}
	}
}
