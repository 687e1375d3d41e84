// Package reqmem holds the hooks through which the REST server and the
// default parseParams action reach the request context's memory, which
// package context keeps to itself: the server releases a request's
// context for a later request, and parseParams places a route's parsed
// input inside it instead of allocating it. No API of Loom's changes.
//
// It also reads an interface value's two words ([TypeWord], [DataWord]),
// for the code compiled at start-up that checks a value's type and
// reaches its memory without reflection per request.
package reqmem
