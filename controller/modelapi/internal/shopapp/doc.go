// Package shopapp is LoopBack 3's Coffee Shop Reviews application: the
// CoffeeShop, Review, Reviewer and Tag models exposed with one line each,
// their relations, validations and GeoPoints, the status and nearby
// remote methods, the remote hooks, the ACLs, the Reviewer's sign-up and
// login (a LoopBack 3 User, package controller/modelapi/user) with its
// access tokens, and the seed data. Its tests start it on a random port on
// each store and speak HTTP to it, with the black-box suite that records
// what LoopBack 3 answers.
package shopapp
