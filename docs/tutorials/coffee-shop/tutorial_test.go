// Package coffeeshop_test keeps the Coffee Shop tutorial honest: the code
// on its pages is the code under testdata/steps, the last step is
// examples/coffee-shop, and [TestTutorial] follows the pages as a reader does, in one folder, running only the
// commands they show.
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: models.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/models.go,
// where n is the number the page's name starts with. The checks are
// package tutorialtest's; the commands that send an access token are
// this package's ([withToken]).
package coffeeshop_test

import (
	"testing"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// pages are the tutorial's pages, in order.
var pages = []string{
	"1-create-the-app.md",
	"2-models.md",
	"3-datasource.md",
	"4-relations.md",
	"5-users.md",
	"6-access-controls.md",
	"7-remote-methods.md",
	"8-remote-hooks.md",
}

// tutorial is the Coffee Shop tutorial, as package tutorialtest checks
// it.
var tutorial = &tutorialtest.Tutorial{
	Pages:        pages,
	Example:      "examples/coffee-shop",
	ExampleSkips: []string{"README.md"},
	Serving:      serving,
	Prose:        prose,
}

// TestTutorial checks that each page shows every file its step adds or
// changes, exactly as it is kept under testdata/steps; that they are
// gofmt-ed; that the reader's folder after the last step holds
// examples/coffee-shop, tests and README aside; and, unless -short,
// follows the pages as a reader does, in one folder, then checks what
// they say in prose and runs the commands that send an access token (see
// [prose]).
func TestTutorial(t *testing.T) {
	tutorial.Test(t)
}
