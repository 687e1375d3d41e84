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

// Shop declares LoopBack 3's validations of its properties.
type Shop struct {
	ID   int     `json:"id"`
	Name string  `json:"name"`
	City *string `json:"city,omitempty"`
}

func (Shop) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name", rules.ScopedTo("city")),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
		rules.InclusionOf("city", []any{"Seattle", "Portland"}, rules.AllowNull()),
	}
}

func ExampleUniquenessOf() {
	plan, err := rules.Of(reflect.TypeFor[Shop]())
	if err != nil {
		panic(err) // an unknown property, a wrong kind or a bad option
	}
	// The store makes the scope and the property unique together.
	fmt.Println("unique:", plan.Unique())
	for _, c := range plan.Field("name").Checks {
		fmt.Println(c.Code, c.Keywords, "required:", c.Required)
	}

	// Checks run on a property's JSON value, nil when it is unset, and
	// report juggler's codes and messages.
	for _, raw := range []json.RawMessage{nil, json.RawMessage(`"ab"`)} {
		for _, c := range plan.Field("name").Checks {
			for _, d := range c.Run(raw, "/name") {
				fmt.Println(d.Path, d.Code, d.Message)
			}
		}
	}
	for _, d := range plan.Field("city").Checks[0].Run(json.RawMessage(`"Nowhere"`), "/city") {
		fmt.Println(d.Path, d.Code, d.Message)
	}
	// Output:
	// unique: [[city name]]
	// uniqueness [] required: false
	// length [{minLength 3} {maxLength 60}] required: true
	// /name length.blank is blank
	// /name length.min too short
	// /city inclusion is not included in the list
}
