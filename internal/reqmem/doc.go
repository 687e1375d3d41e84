// Package reqmem holds the hooks through which the REST server and the
// default parseParams action reach the request context's memory, which
// package context keeps to itself: the server releases a request's
// context for a later request, and parseParams places a route's parsed
// input inside it instead of allocating it. No API of Loom's changes.
package reqmem
