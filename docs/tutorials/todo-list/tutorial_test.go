// Package todolist_test keeps the TodoList tutorial honest: the code on
// its pages is the code under testdata/steps, the reader's folder after
// the last step is examples/todo-list, and [TestTutorial] follows the
// pages as a reader does, in a copy of the finished Todo tutorial, running
// only the commands they show.
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: models.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/models.go,
// where n is the number the page's name starts with. A page removes a file
// with an rm command of its ```sh blocks. The checks are package
// tutorialtest's.
package todolist_test

import (
	"maps"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// todoSteps is where the Todo tutorial keeps its steps, and todoPages how
// many it has: the TodoList tutorial starts from its last.
const (
	todoSteps = "../todo/testdata/steps"
	todoPages = 8
)

// tutorial is the TodoList tutorial, as package tutorialtest checks it:
// its reader starts from the finished Todo tutorial.
var tutorial = &tutorialtest.Tutorial{
	Pages: []string{
		"1-start-from-todo.md",
		"2-model.md",
		"3-repository.md",
		"4-relation-controllers.md",
		"5-has-one.md",
		"6-database.md",
	},
	Base:         todoFiles,
	Example:      "examples/todo-list",
	ExampleSkips: []string{"README.md"},
	Serving:      serving,
	Setup:        finishTodo,
	Prose:        prose,
}

// todoFiles is the folder of the finished Todo tutorial: every step's
// files, later steps replacing earlier ones.
func todoFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for i := 1; i <= todoPages; i++ {
		maps.Copy(files, tutorialtest.ReadStep(t, filepath.Join(todoSteps, strconv.Itoa(i))))
	}
	return files
}

// TestTutorial checks that each page shows every file its step adds or
// changes, exactly as it is kept under testdata/steps; that they are
// gofmt-ed; that the reader's folder after the last step holds
// examples/todo-list, tests and README aside; and, unless -short, follows
// the pages as a reader does: it first makes the folder the Todo tutorial
// leaves, ~/src/todo, its last step's files and the go.mod its first page
// makes ([finishTodo]), then follows the pages in it and checks what they
// say in prose (see [prose]).
func TestTutorial(t *testing.T) {
	tutorial.Test(t)
}
