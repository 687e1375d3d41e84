package reqmem_test

import (
	"fmt"
	"reflect"

	"github.com/loomhq/loom/internal/reqmem"
)

func ExampleFits() {
	type byID struct {
		ID int `path:"id"`
	}
	type byName struct {
		Name string `path:"name"`
	}
	fmt.Println(reqmem.Fits(reflect.TypeFor[byID]()), reqmem.Fits(reflect.TypeFor[byName]()))
	// Output: true false
}
