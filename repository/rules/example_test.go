package rules_test

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/loomhq/loom/repository/rules"
)

func Example() {
	type Todo struct {
		Title string   `json:"title" validate:"required,max=5"`
		Tags  []string `json:"tags" validate:"max=3,dive,min=2"`
	}
	plan, err := rules.Of(reflect.TypeFor[Todo]())
	if err != nil {
		panic(err)
	}
	tags := plan.Field("tags").Rules
	fmt.Println("tags:", tags.Keywords(), "items:", tags.Elem.Keywords())

	// Every failure is reported, with the keyword the schema documents.
	todo := Todo{Title: "Buy milk", Tags: []string{"x", "home"}}
	for _, d := range plan.Validate(reflect.ValueOf(todo), "", nil) {
		b, _ := json.Marshal(d)
		fmt.Println(string(b))
	}
	// Output:
	// tags: [{maxItems 3}] items: [{minLength 2}]
	// {"path":"/title","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}}
	// {"path":"/tags/0","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}
}
