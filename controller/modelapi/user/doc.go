// Package user is LoopBack 3's User model for the model API: sign-up,
// login and logout with access tokens, password change and reset, email
// verification, and login throttling.
//
// An application's user model embeds [Base] and its model API takes
// [API]; the token strategy, registered with [TokenStrategy], issues and
// checks the tokens:
//
//	type Customer struct {
//		ID int `json:"id,omitempty" loom:"id,generated"`
//		user.Base
//	}
//
//	rest.New(
//		rest.WithDataSource("db", openDB),
//		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
//		rest.WithModelAPI[Customer, int](modelapi.Path("/api/Customers"), user.API[Customer, int](user.Options{})),
//	)
//
// The model's API is then LoopBack 3's User API: POST /Customers signs
// up (the password is hashed with bcrypt, never answered; emailVerified
// cannot be set by the client), POST /Customers/login answers
// {id, ttl, created, userId}, ALL /Customers/logout revokes the token,
// POST /Customers/change-password, /reset and /reset-password change the
// password, GET /Customers/confirm and POST /Customers/{id}/verify verify
// the email. The ACLs are LoopBack 3's ([ACLs]): a user reads, changes and
// deletes only itself.
//
// # Errors
//
// LoopBack 3's: a wrong password and an unknown email are the same 401
// LOGIN_FAILED "login failed"; a login without email and username is a
// 400 USERNAME_EMAIL_REQUIRED; an empty password at sign-up a 422
// INVALID_PASSWORD, one past bcrypt's 72 bytes a 422 PASSWORD_TOO_LONG;
// a logout without a valid token a 401 "accessToken is required to
// logout"; a wrong current password a 400 INVALID_PASSWORD.
//
// # Throttling
//
// Failed logins are counted per account and per client address
// ([Throttle]): past the limits a login is a 429 LOGIN_THROTTLED with
// Retry-After. An unknown account costs the same bcrypt comparison as a
// known one, so that timing does not tell which exist.
//
// # Mail
//
// The reset token and the verification link are sent through a [Mailer]:
// [SMTP] in production, [MemoryMailer] in tests.
package user
