// Package jwt authenticates requests with JSON Web Tokens, the way
// LoopBack 4's @loopback/authentication-jwt does: a [Service] signs a
// user's profile into a token that expires (21600 seconds by default)
// and verifies the tokens it is sent; the strategy [NewStrategy], named
// "jwt", reads them from "Authorization: Bearer <token>".
//
// A token's claims are LoopBack's: id, name and email, with iat and exp.
// A service signs with one algorithm only, pinned to its key: HS256 with
// a shared secret, or RS256 with an RSA key pair. A token of any other
// algorithm, "none" included, is refused before its signature is looked
// at, so a public RSA key can never be used as an HMAC secret.
//
// Tokens are parsed and checked by github.com/golang-jwt/jwt/v5; the
// errors answered are LoopBack's ("Error verifying token : jwt expired")
// and never repeat the token.
package jwt
