package sql_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/sql"
)

type Todo struct {
	ID         int     `json:"id,omitempty" loom:"id,generated"`
	Title      string  `json:"title" validate:"required"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
}

func ExampleOpen() {
	ctx := context.Background()
	db, err := sql.Open("sqlite::memory:", sql.Options{})
	if err != nil {
		panic(err)
	}
	if err := db.Start(ctx); err != nil {
		panic(err)
	}
	defer db.Stop(ctx)

	todos, _ := repository.NewCrudRepository[Todo, int](db)
	if err := db.Migrate(ctx, todos.Model()); err != nil {
		panic(err)
	}
	done := true
	_, _ = todos.CreateAll(ctx, []Todo{{Title: "Take over the galaxy"}, {Title: "Walk the dog", IsComplete: &done}})
	open, _ := todos.Find(ctx, &repository.Filter[Todo]{
		Where: repository.Neq("isComplete", true).And(repository.Like("title", "%galaxy%")),
	})
	for _, t := range open {
		fmt.Println(t.ID, t.Title)
	}
	// Output:
	// 1 Take over the galaxy
}

func ExampleConnector_Transaction() {
	ctx := context.Background()
	db, _ := sql.Open("sqlite::memory:", sql.Options{AutoMigrate: true})
	if err := db.Start(ctx); err != nil {
		panic(err)
	}
	defer db.Stop(ctx)
	todos, _ := repository.NewCrudRepository[Todo, int](db)

	err := db.Transaction(ctx, func(ctx context.Context) error {
		if _, err := todos.Create(ctx, Todo{Title: "never stored"}); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	n, _ := todos.Count(ctx, nil)
	fmt.Println(err, n.Count)
	// Output:
	// changed my mind 0
}

func ExampleFromURL() {
	for _, url := range []string{"", "sqlite::memory:"} {
		conn, err := sql.FromURL(url, sql.Options{})
		fmt.Printf("%q: %T %v\n", url, conn, err)
	}
	// Output:
	// "": *memory.Connector <nil>
	// "sqlite::memory:": *sql.Connector <nil>
}
