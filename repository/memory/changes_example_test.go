package memory_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func ExampleConnector_Watch() {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	db := memory.New(memory.Options{})
	todos, _ := repository.NewCrudRepository[Todo, int](db)

	changes, err := db.Watch(ctx, todos.Model())
	if err != nil {
		panic(err)
	}
	todo, _ := todos.Create(ctx, Todo{Title: "Take over the galaxy"})
	_ = todos.UpdateByID(ctx, todo.ID, repository.PatchOf[Todo](map[string]any{"title": "Rule the galaxy"}))
	_ = todos.DeleteByID(ctx, todo.ID)

	for range 3 {
		b, _ := json.Marshal(<-changes) // as LoopBack 3's change stream sends it
		fmt.Println(string(b))
	}
	// Output:
	// {"type":"create","target":1,"where":{"id":1},"data":{"id":1,"title":"Take over the galaxy"}}
	// {"type":"update","target":1,"where":{"id":1},"data":{"id":1,"title":"Rule the galaxy"}}
	// {"type":"remove","target":1,"where":{"id":1}}
}
