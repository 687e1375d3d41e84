package user

import (
	"net/http"
	"time"
)

// Options configure a user API (see [API]); the zero value is LoopBack
// 3's defaults.
type Options struct {
	// DataSource names the data source the user model is stored in, as
	// modelapi.DataSource does; "" is "db".
	DataSource string
	// Strategy names the token strategy registered with
	// rest.WithAuthentication (see [TokenStrategy]); "" is "token".
	Strategy string
	// RejectPasswordChangesViaPatchOrReplace refuses a password in a
	// patch, a replace or an upsert of an existing user with a 400
	// PASSWORD_CHANGE_NOT_ALLOWED, so that a password changes only with
	// the old one (POST /change-password) or a reset token (POST
	// /reset-password): LoopBack 3's option of that name. Off by default,
	// as in LoopBack 3: the owner may then set a new password with PATCH
	// /{id} without the old one, its other tokens revoked.
	RejectPasswordChangesViaPatchOrReplace bool
	// EmailVerificationRequired refuses logins of users whose email is
	// not verified: 401 LOGIN_FAILED_EMAIL_NOT_VERIFIED (LoopBack 3's
	// emailVerificationRequired).
	EmailVerificationRequired bool
	// Throttle limits failed logins; the zero value is its defaults.
	Throttle Throttle
	// ClientAddress is the address a login comes from, for the
	// throttle's per-address limit; nil is [RemoteAddress]. Behind a
	// proxy, use [ForwardedFor].
	ClientAddress func(*http.Request) string
	// Now is the clock of the throttle and the tokens; nil is time.Now.
	Now func() time.Time
	// Cost is the bcrypt cost of the password hashes; 0 is
	// [DefaultCost].
	Cost int
	// Mailer sends the reset and verification mail; nil is the
	// container's Mailer (provide one with rest.WithProviders). Without
	// any, a reset request sends nothing and verify is a 503.
	Mailer Mailer
	// From is the sender of the mail.
	From string
	// ResetTTL is how long a password reset token lives, in seconds; 0
	// is LoopBack 3's 900 (15 minutes).
	ResetTTL int64
	// ResetURL is the page of the application where a user sets a new
	// password: the reset mail links to it with ?access_token=<reset
	// token>, which the page sends to POST /reset-password.
	ResetURL string
	// ResetMessage composes the reset mail from the user's email, the
	// reset token and the link (ResetURL with the token; "" without
	// ResetURL); nil is a plain-text mail. An empty To or From is filled
	// in.
	ResetMessage func(email, token, link string) Message
	// VerifyMessage composes the verification mail from the user's email
	// and the link that confirms it; nil is LoopBack 3's text.
	VerifyMessage func(email, link string) Message
	// VerifyURL is the absolute URL of the model's GET /confirm, which
	// the verification mail links to with uid, token and redirect
	// (https://shop.example.com/api/Customers/confirm). Without it POST
	// /{id}/verify is a 503: the link is never built from the request's
	// Host header, which the client chooses.
	VerifyURL string
	// VerifyRedirect is where GET /confirm sends the user once verified,
	// passed in the mail's link; "" answers 204 without redirecting.
	VerifyRedirect string
	// RedirectOrigins are the origins (https://shop.example.com) GET
	// /confirm may redirect to besides paths of the application's own
	// host; any other redirect is a 400, so that the link cannot be made
	// to send a user elsewhere.
	RedirectOrigins []string
}

// DefaultResetTTL is LoopBack 3's resetPasswordTokenTTL, in seconds.
const DefaultResetTTL int64 = 900

func (o Options) withDefaults() Options {
	if o.DataSource == "" {
		o.DataSource = "db"
	}
	if o.Strategy == "" {
		o.Strategy = "token"
	}
	if o.ClientAddress == nil {
		o.ClientAddress = RemoteAddress
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ResetTTL <= 0 {
		o.ResetTTL = DefaultResetTTL
	}
	return o
}
