package params_test

import (
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"

	"github.com/loomhq/loom/actions/params"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

type updateTodo struct {
	ID    int    `path:"id"`
	Title string `json:"title" validate:"required,max=20"`
	Done  bool   `json:"isComplete"`
}

func ExampleCompile() {
	dec, err := params.Compile(reflect.TypeFor[updateTodo](), params.Options{})
	if err != nil {
		panic(err)
	}
	path := loomctx.Params{{Name: "id", Value: "7"}}

	r := httptest.NewRequest("PATCH", "/todos/7", strings.NewReader(`{"title":"milk","isComplete":true}`))
	var in updateTodo
	fmt.Println(dec.Decode(r, path, &in), in)

	r = httptest.NewRequest("PATCH", "/todos/7", strings.NewReader(`{"title":"milk","TITLE":"beer"}`))
	err = dec.Decode(r, path, &updateTodo{})
	fmt.Println(httperr.StatusOf(err), httperr.CodeOf(err), httperr.DetailsOf(err))
	// Output:
	// <nil> {7 milk true}
	// 422 VALIDATION_FAILED [{ additionalProperties must NOT have additional properties map[additionalProperty:TITLE]}]
}
