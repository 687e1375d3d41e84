// Package tutorial_test keeps the Todo tutorial honest: the code on its
// pages is the code under testdata/steps, the last step is examples/todo,
// and [TestTutorial] follows the pages as a reader does, in one folder,
// running only the commands they show.
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: controller.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/controller.go,
// where n is the number the page's name starts with. The checks are
// package tutorialtest's.
package tutorial_test

import (
	"testing"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// tutorial is the Todo tutorial, as package tutorialtest checks it.
var tutorial = &tutorialtest.Tutorial{
	Pages: []string{
		"1-create-the-app.md",
		"2-model.md",
		"3-datasource.md",
		"4-repository.md",
		"5-controller.md",
		"6-putting-it-together.md",
		"7-geocoding.md",
		"8-database.md",
	},
	Example: "examples/todo",
	Serving: serving,
	// GEOCODER_URL is an address where nothing answers unless a command
	// sets it, so the test never reaches the Census geocoder.
	Env:   []string{"GEOCODER_URL=http://127.0.0.1:1"},
	Prose: prose,
}

// TestTutorial checks that each page shows every file its step adds or
// changes, exactly as it is kept under testdata/steps; that they are
// gofmt-ed; that the reader's folder after the last step holds
// examples/todo, tests aside; and, unless -short, follows the pages as a
// reader does, in one folder, then checks what they say in prose (see
// [prose]).
func TestTutorial(t *testing.T) {
	tutorial.Test(t)
}
