package repotest_test

import (
	"fmt"
	"strings"

	"github.com/loomhq/loom/repository/repotest"
)

// A connector's test runs the whole suite with repotest.Run; Cases names
// what it runs, so that go test -run can pick one case.
func ExampleCases() {
	for _, name := range repotest.Cases() {
		if strings.HasPrefix(name, "crud/create assigns") {
			fmt.Println(name)
			fmt.Printf("go test -run 'TestSuite/%s'\n", strings.ReplaceAll(name, " ", "_"))
		}
	}
	// Output:
	// crud/create assigns sequential ids per model
	// go test -run 'TestSuite/crud/create_assigns_sequential_ids_per_model'
}
