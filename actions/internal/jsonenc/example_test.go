package jsonenc_test

import (
	"fmt"
	"reflect"

	"github.com/loomhq/loom/actions/internal/jsonenc"
)

type todo struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Desc  string `json:"desc,omitempty"`
}

func ExampleFor() {
	enc := jsonenc.For(reflect.TypeFor[[]todo]()) // once, at start-up
	todos := []todo{{ID: 1, Title: "milk"}, {ID: 2, Title: "bread", Desc: "<fresh>"}}

	body, ok := enc.Append(nil, todos)
	fmt.Println(string(body), ok)

	titles, ok := enc.AppendFields(nil, todos, func(name string) bool { return name == "title" })
	fmt.Println(string(titles), ok)
	// Output:
	// [{"id":1,"title":"milk"},{"id":2,"title":"bread","desc":"<fresh>"}] true
	// [{"title":"milk"},{"title":"bread"}] true
}
