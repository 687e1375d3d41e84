package memory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func ExampleNew() {
	dir, _ := os.MkdirTemp("", "loom-memory")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "db.json")
	ctx := context.Background()

	db := memory.New(memory.Options{File: file})
	if err := db.Start(ctx); err != nil {
		panic(err)
	}
	todos, _ := repository.NewCrudRepository[Todo, int](db)
	_, _ = todos.Create(ctx, Todo{Title: "Take over the galaxy"})
	_ = db.Stop(ctx)

	b, _ := os.ReadFile(file)
	fmt.Print(string(b))
	// Output:
	// {
	//   "ids": {
	//     "Todo": 2
	//   },
	//   "models": {
	//     "Todo": {
	//       "1": "{\"id\":1,\"title\":\"Take over the galaxy\"}"
	//     }
	//   }
	// }
}
