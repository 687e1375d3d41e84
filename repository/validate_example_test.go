package repository_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/rules"
)

// Cafe declares LoopBack 3's validations: a unique name of 3 to 60
// characters.
type Cafe struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name,omitempty" validate:"required"`
}

func (Cafe) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name"),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
	}
}

func Example_validations() {
	ctx := context.Background()
	cafes, err := repository.NewCrudRepository[Cafe, int](memory.New(memory.Options{}))
	if err != nil {
		panic(err)
	}
	if _, err := cafes.Create(ctx, Cafe{Name: "Bean"}); err != nil {
		panic(err)
	}
	for _, c := range []Cafe{{}, {Name: "Bean"}, {Name: "A name much longer than sixty characters, far too long for a sign"}} {
		_, err := cafes.Create(ctx, c)
		fmt.Println(err)
	}
	// A patch is validated on what it sends.
	err = cafes.UpdateByID(ctx, 1, repository.Patch[Cafe]{}.Set("name", "ab"))
	details, _ := json.Marshal(err.(*repository.ValidationError).ErrorDetails())
	fmt.Println(string(details))
	// Output:
	// The `Cafe` instance is not valid. Details: `name` can't be blank (value: undefined); `name` is blank (value: undefined).
	// The `Cafe` instance is not valid. Details: `name` is not unique (value: "Bean").
	// The `Cafe` instance is not valid. Details: `name` too long (value: "A name much longer than s...ign").
	// {"context":"Cafe","codes":{"name":["length.min"]},"messages":{"name":["too short"]}}
}
