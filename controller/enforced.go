package controller

// Enforced is a declaration that does nothing unless something enforces
// it, as interceptor/authorization's: served unenforced, it would let
// through what it refuses, so the application refuses to start instead
// (see actions.Enforces). Two kinds of declarations say so:
//
//   - a key of [Route.Metadata] whose type implements Enforced: the route
//     declares it;
//   - a controller's exported method without parameters (as
//     authorization.Authorized's Authorization) whose result type, not an
//     interface, implements Enforced: the controller declares it for its
//     routes.
//
// The methods describe the kind of declaration, not one value: they are
// called on the key, or on the zero value of the result type.
type Enforced interface {
	// Declares names what is declared, for a start-up error, such as
	// "authorization".
	Declares() string
	// EnforcedBy names what enforces the declaration, as the option an
	// application installs, such as "rest.WithAuthorization". Whatever
	// enforces it registers this name with actions.Enforces.
	EnforcedBy() string
}
