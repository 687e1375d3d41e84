//go:build race

package docs_test

// raceBuild is true when the tests are built with -race: go list then
// asks for the same build, so the packages the tests already compiled
// come from the build cache instead of being compiled a second time.
const raceBuild = true
