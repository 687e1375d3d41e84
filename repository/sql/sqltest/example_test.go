package sqltest_test

import (
	"fmt"

	"github.com/loomhq/loom/repository/sql/sqltest"
)

func ExampleWithSearchPath() {
	fmt.Println(sqltest.WithSearchPath("postgres://postgres@127.0.0.1/test?sslmode=disable", "shoptest_3kq9"))
	fmt.Println(sqltest.WithSearchPath("postgres://postgres@127.0.0.1/test", "shoptest_3kq9"))
	// Output:
	// postgres://postgres@127.0.0.1/test?sslmode=disable&search_path=shoptest_3kq9
	// postgres://postgres@127.0.0.1/test?search_path=shoptest_3kq9
}
