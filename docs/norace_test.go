//go:build !race

package docs_test

// raceBuild is true when the tests are built with -race.
const raceBuild = false
