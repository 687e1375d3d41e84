package jsontree_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/loomhq/loom/internal/jsontree"
	"github.com/loomhq/loom/repository"
)

type todo struct {
	ID    int    `json:"id" loom:"id"`
	Title string `json:"title"`
}

func ExampleDecode() {
	// The tree a json.Decoder with UseNumber gives.
	dec := json.NewDecoder(strings.NewReader(`{"where":{"title":"milk"},"limit":5}`))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		panic(err)
	}

	fmt.Println(jsontree.Reads(reflect.TypeFor[repository.Filter[todo]]()))
	var f repository.Filter[todo]
	if err := jsontree.Decode(&f, tree); err != nil {
		panic(err)
	}
	fmt.Println(f.Limit)
	// Output:
	// true
	// 5
}
