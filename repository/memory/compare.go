package memory

import (
	"cmp"

	"github.com/loomhq/loom/repository"
)

// sortCompare orders two stored values for an order key; absent values
// (ok false) sort first.
func sortCompare(a any, aok bool, b any, bok bool) int {
	switch {
	case !aok && !bok:
		return 0
	case !aok:
		return -1
	case !bok:
		return 1
	}
	ra, rb := repository.TypeRank(a), repository.TypeRank(b)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	if ra == 4 {
		return 0
	}
	c, _ := repository.CompareValues(a, b)
	return c
}
