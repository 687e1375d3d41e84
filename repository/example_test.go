package repository_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func ExampleNewCrudRepository() {
	type Todo struct {
		ID         int     `json:"id,omitempty" loom:"id,generated"`
		Title      string  `json:"title" validate:"required"`
		IsComplete *bool   `json:"isComplete,omitempty"`
		Desc       *string `json:"desc,omitempty"`
	}
	ctx := context.Background()
	todos, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		panic(err)
	}
	for _, title := range []string{"Take over the galaxy", "destroy alderaan", "play space invaders"} {
		if _, err := todos.Create(ctx, Todo{Title: title}); err != nil {
			panic(err)
		}
	}

	// A PATCH body: isComplete set to false, everything else kept.
	var patch repository.Patch[Todo]
	_ = json.Unmarshal([]byte(`{"isComplete":false}`), &patch)
	_ = todos.UpdateByID(ctx, 2, patch)

	// A filter as a request sends it, checked and coerced against Todo.
	var filter repository.Filter[Todo]
	_ = json.Unmarshal([]byte(`{"where":{"isComplete":"false"},"fields":{"id":true,"title":true,"isComplete":true}}`), &filter)
	found, _ := todos.Find(ctx, &filter)
	out, _ := json.Marshal(found)
	fmt.Println(string(out))

	// The same in code.
	found, _ = todos.Find(ctx, &repository.Filter[Todo]{
		Where: repository.Like("title", "%a%").And(repository.Neq("id", 2)),
		Order: []repository.Order{repository.Desc("title")},
		Limit: 1,
	})
	fmt.Println(found[0].Title)

	_, err = todos.FindByID(ctx, 7, nil)
	fmt.Println(err)
	// Output:
	// [{"id":2,"title":"destroy alderaan","isComplete":false}]
	// play space invaders
	// Entity not found: Todo with id 7
}
