package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/token"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
)

// The codes of the user API's errors, LoopBack 3's.
const (
	CodeLoginFailed                 = "LOGIN_FAILED"
	CodeLoginFailedEmailNotVerified = "LOGIN_FAILED_EMAIL_NOT_VERIFIED"
	CodeUsernameEmailRequired       = "USERNAME_EMAIL_REQUIRED"
	CodeEmailRequired               = "EMAIL_REQUIRED"
	CodeUserNotFound                = "USER_NOT_FOUND"
	CodeInvalidToken                = "INVALID_TOKEN"
	// CodePasswordChangeNotAllowed is LoopBack 3's 400 to a password in
	// a patch or replace when [Options.RejectPasswordChangesViaPatchOrReplace]
	// is set.
	CodePasswordChangeNotAllowed = "PASSWORD_CHANGE_NOT_ALLOWED"
	// CodeCredentialsNotChangeable is the 400 to a password or an email
	// in a write of users it does not name (updateAll).
	CodeCredentialsNotChangeable = "CREDENTIALS_NOT_CHANGEABLE"
)

// maxBody caps the body of the user API's methods: credentials are
// small.
const maxBody = 16 << 10

// AccessToken is the answer of a login: LoopBack 3's AccessToken, with
// the user's id of its own type and, with ?include=user, the user.
type AccessToken[T any, ID any] struct {
	// ID is the token, which the client sends back.
	ID string `json:"id"`
	// TTL is how long it lives, in seconds.
	TTL int64 `json:"ttl"`
	// Created is when it was issued.
	Created time.Time `json:"created"`
	// UserID is the id of the user it was issued to.
	UserID ID `json:"userId"`
	// User is the user, when the login asked for it with ?include=user.
	User *T `json:"user,omitempty"`
}

// MarshalJSON writes the token as LoopBack 3 does, created with its
// milliseconds always written (2026-01-02T03:04:05.060Z).
func (t AccessToken[T, ID]) MarshalJSON() ([]byte, error) {
	type plain AccessToken[T, ID]
	return json.Marshal(struct {
		plain
		Created string `json:"created"`
	}{plain(t), t.Created.UTC().Format("2006-01-02T15:04:05.000Z07:00")})
}

// Credentials are the body of a login, as the API document shows it.
type Credentials struct {
	// Email or Username names the user.
	Email    string `json:"email,omitempty"`
	Username string `json:"username,omitempty"`
	// Realm is the user's realm, when the users have realms.
	Realm string `json:"realm,omitempty"`
	// Password is the user's password.
	Password string `json:"password"`
	// TTL is how long the token should live, in seconds: two weeks when
	// absent, a year at most.
	TTL int64 `json:"ttl,omitempty"`
}

// PasswordChange is the body of a password change.
type PasswordChange struct {
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"`
}

// ResetRequest is the body of a password reset request.
type ResetRequest struct {
	Email string `json:"email"`
	Realm string `json:"realm,omitempty"`
}

// NewPassword is the body of setting a password with a reset token.
type NewPassword struct {
	NewPassword string `json:"newPassword"`
}

// The inputs of the methods.
type (
	bodyArgs struct {
		Body json.RawMessage `body:"json"`
		Req  *http.Request   `context:"req"`
	}
	loginArgs struct {
		Body    json.RawMessage `body:"json"`
		Include string          `query:"include"`
		Req     *http.Request   `context:"req"`
	}
	reqArgs struct {
		Req *http.Request `context:"req"`
	}
	confirmArgs struct {
		UID      string        `query:"uid"`
		Token    string        `query:"token"`
		Redirect string        `query:"redirect"`
		Req      *http.Request `context:"req"`
	}
	verifyArgs struct {
		ID  string        `path:"id"`
		Req *http.Request `context:"req"`
	}
)

// routes are the user methods.
func (k *kit[T, ID]) routes() []controller.Route {
	body := controller.BodyLimit(maxBody)
	routes := []controller.Route{
		modelapi.Remote("login", k.login, modelapi.HTTP("POST", "/login"),
			modelapi.RouteOptions(body, controller.RequestModelOf[Credentials](controller.ModelAsIs)),
			modelapi.Description("Login a user with username/email and password.")),
		modelapi.Remote("changePassword", k.changePassword, modelapi.HTTP("POST", "/change-password"),
			modelapi.RouteOptions(body, controller.RequestModelOf[PasswordChange](controller.ModelAsIs)),
			modelapi.Description("Change a user's password.")),
		modelapi.Remote("resetPassword", k.resetPassword, modelapi.HTTP("POST", "/reset"),
			modelapi.RouteOptions(body, controller.RequestModelOf[ResetRequest](controller.ModelAsIs)),
			modelapi.Description("Reset password for a user with email.")),
		modelapi.Remote("setPassword", k.setPassword, modelapi.HTTP("POST", "/reset-password"),
			modelapi.RouteOptions(body, controller.RequestModelOf[NewPassword](controller.ModelAsIs)),
			modelapi.Description("Reset user's password via a password-reset token.")),
		modelapi.Remote("confirm", k.confirm, modelapi.HTTP("GET", "/confirm"),
			modelapi.Description("Confirm a user registration with identity verification token.")),
		modelapi.Remote("prototype.verify", k.verify, modelapi.HTTP("POST", "/verify"),
			modelapi.Description("Trigger user's identity verification with configured verifyOptions.")),
	}
	for _, verb := range []string{"POST", "GET", "PUT", "PATCH", "DELETE"} {
		routes = append(routes, modelapi.Remote("logout", k.logout, modelapi.HTTP(verb, "/logout"),
			modelapi.Description("Logout a user with access token.")))
	}
	return routes
}

// deps are the container's parts; an error before the start.
func (k *kit[T, ID]) deps() (*deps[T, ID], error) {
	d := k.ready.Load()
	if d == nil {
		return nil, errors.New("user: the application has not started")
	}
	return d, nil
}

// readBody reads a method's JSON body as an object of raw values; an
// absent body is {}.
func readBody(raw json.RawMessage) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return map[string]json.RawMessage{}, nil
	}
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, httperr.BadRequest("Value is not an object.").WithName("Error")
	}
	return m, nil
}

// str reads m[key] as a string: "" when absent or null, ok false when it
// is something else.
func str(m map[string]json.RawMessage, key string) (string, bool) {
	raw, has := m[key]
	if !has || string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func loginFailed() error {
	return httperr.Unauthorized("login failed").WithName("Error").WithCode(CodeLoginFailed)
}

// login is LoopBack 3's User.login.
func (k *kit[T, ID]) login(ctx context.Context, in loginArgs) (*AccessToken[T, ID], error) {
	dp, err := k.deps()
	if err != nil {
		return nil, err
	}
	m, err := readBody(in.Body)
	if err != nil {
		return nil, err
	}
	email, ok := str(m, "email")
	if !ok {
		return nil, httperr.BadRequest("Invalid email").WithName("Error").WithCode("INVALID_EMAIL")
	}
	username, ok := str(m, "username")
	if !ok {
		return nil, httperr.BadRequest("Invalid username").WithName("Error").WithCode("INVALID_USERNAME")
	}
	realm, ok := str(m, "realm")
	if !ok {
		return nil, httperr.BadRequest("Invalid realm").WithName("Error").WithCode("INVALID_REALM")
	}
	if email == "" && username == "" {
		return nil, httperr.BadRequest("username or email is required").WithName("Error").WithCode(CodeUsernameEmailRequired)
	}
	password, _ := str(m, "password")
	var ttl int64
	if raw, has := m["ttl"]; has && string(raw) != "null" {
		f, err := strconv.ParseFloat(strings.Trim(string(raw), `"`), 64)
		if err != nil || f != float64(int64(f)) {
			return nil, httperr.BadRequest("ttl must be a whole number of seconds").WithName("Error").WithCode("INVALID_TTL")
		}
		ttl = int64(f)
	}
	where := repository.Eq("email", email)
	account := "e:" + email
	if email == "" {
		where, account = repository.Eq("username", username), "u:"+username
	}
	if realm != "" {
		where = repository.And(where, repository.Eq("realm", realm))
	}
	account = realm + "\x00" + account
	address := ""
	if in.Req != nil {
		address = addressKey(k.opts.ClientAddress(in.Req))
	}
	// The attempt is counted before the password is checked, so that
	// concurrent attempts cannot all pass the limit; a success gives it
	// back.
	now := k.opts.Now()
	if t := k.throttle.take(account, address, now); t != nil {
		return nil, t.httpError(ctx)
	}
	u, err := dp.repo.FindOne(ctx, &repository.Filter[T]{Where: where})
	if err != nil {
		k.throttle.accounts.release(account)
		k.throttle.addresses.release(address)
		return nil, err
	}
	hash, userKey := "", ""
	var id ID
	if u != nil {
		if id, err = k.idOf(u); err != nil {
			return nil, err
		}
		// The account itself has one budget, however it is named (email
		// or username, with or without its realm).
		userKey = accountKey(id)
		if wait, blocked := k.throttle.accounts.take(userKey, now); blocked {
			k.throttle.accounts.release(account)
			k.throttle.addresses.release(address)
			return nil, newThrottled(wait, CodeLoginThrottled).httpError(ctx)
		}
		hash = any(u).(Model).UserBase().Password
	}
	if !checkPasswordAt(hash, password, k.opts.Cost) {
		return nil, loginFailed()
	}
	// The password is right: the attempt is no guess.
	k.throttle.succeeded(address, account, userKey)
	b := any(u).(Model).UserBase()
	if k.opts.EmailVerificationRequired && (b.EmailVerified == nil || !*b.EmailVerified) {
		return nil, httperr.Unauthorized("login failed as the email has not been verified").WithName("Error").
			WithCode(CodeLoginFailedEmailNotVerified)
	}
	t, err := dp.store.Create(ctx, idString(id), ttl)
	if errors.Is(err, token.ErrInvalidTTL) {
		return nil, httperr.BadRequest("ttl must be a positive number of seconds").WithName("Error").WithCode("INVALID_TTL")
	}
	if err != nil {
		return nil, err
	}
	out := &AccessToken[T, ID]{ID: t.ID, TTL: t.TTL, Created: t.Created, UserID: id}
	if in.Include == "user" {
		out.User = u
	}
	return out, nil
}

// accountKey is the throttle's key of the user with id: its failed
// logins and password changes, however it was named.
func accountKey(id any) string { return "id\x00" + idString(id) }

// clientAddress is the throttle's key of the request's client address.
func (k *kit[T, ID]) clientAddress(r *http.Request) string {
	if r == nil {
		return ""
	}
	return addressKey(k.opts.ClientAddress(r))
}

// idOf is u's id.
func (k *kit[T, ID]) idOf(u *T) (ID, error) {
	var id ID
	dp, err := k.deps()
	if err != nil {
		return id, err
	}
	b, err := json.Marshal(u)
	if err != nil {
		return id, err
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal(b, &d); err != nil {
		return id, err
	}
	err = json.Unmarshal(d[dp.model.ID.Name], &id)
	return id, err
}

// requestToken is the valid token the request carries; nil when none.
func (k *kit[T, ID]) requestToken(ctx context.Context, r *http.Request) (*token.AccessToken, error) {
	dp, err := k.deps()
	if err != nil || r == nil {
		return nil, err
	}
	id, _ := dp.strategy.Where().Find(r)
	if id == "" {
		return nil, nil
	}
	return dp.strategy.Resolve(ctx, id)
}

// logout is LoopBack 3's User.logout: the request's token is revoked.
func (k *kit[T, ID]) logout(ctx context.Context, in reqArgs) (controller.NoContent, error) {
	t, err := k.requestToken(ctx, in.Req)
	if err != nil {
		return controller.NoContent{}, err
	}
	if t == nil || len(t.Scopes) > 0 {
		return controller.NoContent{}, httperr.Unauthorized("accessToken is required to logout").WithName("Error")
	}
	dp, _ := k.deps()
	_, err = dp.store.Delete(ctx, t.ID)
	return controller.NoContent{}, err
}

// setPasswordOf checks and stores a new password for the user with id,
// then revokes the user's tokens but keep.
func (k *kit[T, ID]) setPasswordOf(ctx context.Context, id ID, plain, keep string) error {
	dp, err := k.deps()
	if err != nil {
		return err
	}
	hash, err := HashPassword(plain, k.opts.Cost)
	if err != nil {
		return err
	}
	if err := dp.repo.UpdateByID(ctx, id, repository.PatchOf[T](map[string]any{"password": hash})); err != nil {
		return err
	}
	_, err = dp.store.DeleteUser(ctx, idString(id), keep)
	return err
}

// userNotFound is LoopBack 3's 401 for a token whose user is gone.
func userNotFound(id string) error {
	return httperr.Unauthorized(fmt.Sprintf("User %s not found", id)).WithName("Error").WithCode(CodeUserNotFound)
}

// changePassword is LoopBack 3's User.changePassword, for the logged-in
// user.
func (k *kit[T, ID]) changePassword(ctx context.Context, in bodyArgs) (controller.NoContent, error) {
	dp, err := k.deps()
	if err != nil {
		return controller.NoContent{}, err
	}
	p, ok := authentication.ProfileFrom(ctx)
	if !ok {
		return controller.NoContent{}, httperr.Unauthorized("Authorization Required").WithName("Error").WithCode(modelapi.CodeAuthorizationRequired)
	}
	m, err := readBody(in.Body)
	if err != nil {
		return controller.NoContent{}, err
	}
	oldPassword, _ := str(m, "oldPassword")
	newPassword, ok := str(m, "newPassword")
	if !ok || newPassword == "" {
		return controller.NoContent{}, httperr.BadRequest("newPassword is a required argument").WithName("Error")
	}
	id, ok := parseID[ID](p.ID)
	if !ok {
		return controller.NoContent{}, userNotFound(p.ID)
	}
	// Guessing the current password with a stolen token is throttled as
	// guessing it at login is.
	account, now := accountKey(id), k.opts.Now()
	if t := k.throttle.take(account, "", now); t != nil {
		return controller.NoContent{}, t.httpError(ctx)
	}
	u, err := dp.repo.FindByID(ctx, id, nil)
	if repository.IsNotFound(err) {
		return controller.NoContent{}, userNotFound(p.ID)
	}
	if err != nil {
		return controller.NoContent{}, err
	}
	if !checkPasswordAt(any(u).(Model).UserBase().Password, oldPassword, k.opts.Cost) {
		return controller.NoContent{}, httperr.BadRequest("Invalid current password").WithName("Error").WithCode(CodeInvalidPassword)
	}
	k.throttle.accounts.reset(account)
	keep := ""
	if t, ok := token.TokenFrom(ctx); ok {
		keep = t.ID
	}
	return controller.NoContent{}, k.setPasswordOf(ctx, id, newPassword, keep)
}

// resetPassword is LoopBack 3's User.resetPassword: a reset token is
// mailed to the user with the email. An unknown email is answered the
// same (LoopBack 3 answers 404, which tells who has an account).
func (k *kit[T, ID]) resetPassword(ctx context.Context, in bodyArgs) (controller.NoContent, error) {
	dp, err := k.deps()
	if err != nil {
		return controller.NoContent{}, err
	}
	m, err := readBody(in.Body)
	if err != nil {
		return controller.NoContent{}, err
	}
	email, ok := str(m, "email")
	if !ok || email == "" {
		return controller.NoContent{}, httperr.BadRequest("Email is required").WithName("Error").WithCode(CodeEmailRequired)
	}
	if t := k.throttle.mail("reset\x00"+email, k.clientAddress(in.Req), k.opts.Now()); t != nil {
		return controller.NoContent{}, t.httpError(ctx)
	}
	where := repository.Eq("email", email)
	if realm, _ := str(m, "realm"); realm != "" {
		where = repository.And(where, repository.Eq("realm", realm))
	}
	u, err := dp.repo.FindOne(ctx, &repository.Filter[T]{Where: where})
	if err != nil || u == nil || dp.mailer == nil {
		return controller.NoContent{}, err
	}
	b := any(u).(Model).UserBase()
	if k.opts.EmailVerificationRequired && (b.EmailVerified == nil || !*b.EmailVerified) {
		return controller.NoContent{}, nil
	}
	id, err := k.idOf(u)
	if err != nil {
		return controller.NoContent{}, err
	}
	t, err := dp.store.Create(ctx, idString(id), k.opts.ResetTTL, ResetScope)
	if err != nil {
		return controller.NoContent{}, err
	}
	link := k.opts.ResetURL
	if link != "" {
		link += sep(link) + "access_token=" + url.QueryEscape(t.ID)
	}
	var msg Message
	if k.opts.ResetMessage != nil {
		msg = k.opts.ResetMessage(b.Email, t.ID, link)
	} else {
		minutes := strconv.FormatInt(k.opts.ResetTTL/60, 10)
		msg = Message{Subject: "Password reset", Text: "Use this code to set a new password within " + minutes + " minutes: " + t.ID}
		if link != "" {
			msg.Text = "Open this link to set a new password within " + minutes + " minutes: " + link
		}
	}
	return controller.NoContent{}, k.send(ctx, dp.mailer, b.Email, msg)
}

// send sends m to the user whose email is to, filling in To and From.
func (k *kit[T, ID]) send(ctx context.Context, mailer Mailer, to string, m Message) error {
	if m.To == "" {
		m.To = to
	}
	if m.From == "" {
		m.From = k.opts.From
	}
	return mailer.Send(ctx, m)
}

// sep is ? or &, to add a query parameter to link.
func sep(link string) string {
	if strings.Contains(link, "?") {
		return "&"
	}
	return "?"
}

// setPassword is LoopBack 3's User.setPassword, authorized by a reset
// token: the new password is stored and every token of the user,
// the reset token with them, revoked.
func (k *kit[T, ID]) setPassword(ctx context.Context, in bodyArgs) (controller.NoContent, error) {
	t, err := k.requestToken(ctx, in.Req)
	if err != nil {
		return controller.NoContent{}, err
	}
	if t == nil || !t.HasScope(ResetScope) {
		return controller.NoContent{}, httperr.Unauthorized("Authorization Required").WithName("Error").WithCode(modelapi.CodeAuthorizationRequired)
	}
	m, err := readBody(in.Body)
	if err != nil {
		return controller.NoContent{}, err
	}
	newPassword, ok := str(m, "newPassword")
	if !ok || newPassword == "" {
		return controller.NoContent{}, httperr.BadRequest("newPassword is a required argument").WithName("Error")
	}
	uid := t.UserID
	id, ok := parseID[ID](uid)
	if !ok {
		return controller.NoContent{}, userNotFound(uid)
	}
	dp, _ := k.deps()
	if ok, err := dp.repo.Exists(ctx, id); err != nil || !ok {
		if err == nil {
			err = userNotFound(uid)
		}
		return controller.NoContent{}, err
	}
	// Every token of the user, the reset token with them, is revoked.
	return controller.NoContent{}, k.setPasswordOf(ctx, id, newPassword, "")
}

// confirm is LoopBack 3's User.confirm: the verification token of the
// mail's link verifies the user's email.
func (k *kit[T, ID]) confirm(ctx context.Context, in confirmArgs) (controller.NoContent, error) {
	dp, err := k.deps()
	if err != nil {
		return controller.NoContent{}, err
	}
	switch {
	case in.UID == "":
		return controller.NoContent{}, httperr.BadRequest("uid is a required argument").WithName("Error")
	case in.Token == "":
		return controller.NoContent{}, httperr.BadRequest("token is a required argument").WithName("Error")
	}
	if in.Redirect != "" && !k.redirectAllowed(in.Redirect) {
		return controller.NoContent{}, httperr.BadRequest("redirect must be a path of this application or an allowed origin").WithName("Error")
	}
	id, ok := parseID[ID](in.UID)
	var u *T
	if ok {
		u, err = dp.repo.FindByID(ctx, id, nil)
		if err != nil && !repository.IsNotFound(err) {
			return controller.NoContent{}, err
		}
	}
	if u == nil {
		return controller.NoContent{}, httperr.NotFound("User not found: " + in.UID).WithName("Error").WithCode(CodeUserNotFound)
	}
	b := any(u).(Model).UserBase()
	if b.VerificationToken == "" || !equalTokens(b.VerificationToken, in.Token) {
		return controller.NoContent{}, httperr.BadRequest("Invalid token: " + in.Token).WithName("Error").WithCode(CodeInvalidToken)
	}
	p := repository.PatchOf[T](map[string]any{"emailVerified": true}).Set("verificationToken", "")
	if err := dp.repo.UpdateByID(ctx, id, p); err != nil {
		return controller.NoContent{}, err
	}
	if in.Redirect != "" {
		if rc, ok := loomctx.FromContext(ctx); ok {
			rc.Response.Header().Set("Location", in.Redirect)
			rc.Response.WriteHeader(http.StatusFound)
		}
	}
	return controller.NoContent{}, nil
}

// equalTokens compares two tokens in constant time.
func equalTokens(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var x byte
	for i := 0; i < len(a); i++ {
		x |= a[i] ^ b[i]
	}
	return x == 0
}

// redirectAllowed reports whether confirm may redirect to target: a path
// on this host, or a URL of an allowed origin.
func (k *kit[T, ID]) redirectAllowed(target string) bool {
	u, err := url.Parse(target)
	if err != nil || unsafeRedirect(target) || unsafeRedirect(u.Path) || u.User != nil || u.Opaque != "" {
		return false
	}
	if u.Scheme == "" && u.Host == "" {
		// A path of this host: one leading slash, and not two once the
		// browser has dropped what it drops or cleaned the path.
		return strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, "//") &&
			!strings.HasPrefix(path.Clean(u.Path), "//") && !strings.HasPrefix(target, "//")
	}
	if u.Scheme == "" || u.Host == "" {
		return false
	}
	origin := u.Scheme + "://" + u.Host
	for _, o := range k.opts.RedirectOrigins {
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// unsafeRedirect reports whether s holds what browsers drop or read as a
// slash in a URL: control characters, whitespace, backslashes.
func unsafeRedirect(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r)
	})
}

// verify is LoopBack 3's User.prototype.verify: a new verification token
// is stored and the link that confirms it mailed to the user.
func (k *kit[T, ID]) verify(ctx context.Context, in verifyArgs) (controller.NoContent, error) {
	dp, err := k.deps()
	if err != nil {
		return controller.NoContent{}, err
	}
	if dp.mailer == nil {
		return controller.NoContent{}, httperr.ServiceUnavailable("No mailer is configured to send the verification mail.").WithName("Error")
	}
	if k.opts.VerifyURL == "" {
		// The link is never built from the request's Host, which the
		// client chooses.
		return controller.NoContent{}, httperr.ServiceUnavailable("No VerifyURL is configured to link the verification mail to.").WithName("Error")
	}
	id, ok := parseID[ID](in.ID)
	if !ok {
		return controller.NoContent{}, httperr.NotFound("could not find a model with id " + in.ID).WithName("Error").WithCode(modelapi.CodeModelNotFound)
	}
	// The throttle keys on the id's canonical text, so that spelling it
	// differently gains nothing.
	if t := k.throttle.mail("verify\x00"+idString(id), k.clientAddress(in.Req), k.opts.Now()); t != nil {
		return controller.NoContent{}, t.httpError(ctx)
	}
	u, err := dp.repo.FindByID(ctx, id, nil)
	if err != nil && !repository.IsNotFound(err) {
		return controller.NoContent{}, err
	}
	if u == nil {
		return controller.NoContent{}, httperr.NotFound("could not find a model with id " + in.ID).WithName("Error").WithCode(modelapi.CodeModelNotFound)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return controller.NoContent{}, err
	}
	tok := hex.EncodeToString(raw[:])
	if err := dp.repo.UpdateByID(ctx, id, repository.PatchOf[T](map[string]any{"verificationToken": tok})); err != nil {
		return controller.NoContent{}, err
	}
	link := k.opts.VerifyURL
	q := url.Values{"uid": {idString(id)}, "token": {tok}}
	if k.opts.VerifyRedirect != "" {
		q.Set("redirect", k.opts.VerifyRedirect)
	}
	link += sep(link) + q.Encode()
	b := any(u).(Model).UserBase()
	m := Message{Subject: "Thanks for Registering", Text: "Please verify your email by opening this link in a web browser:\n\t" + link}
	if k.opts.VerifyMessage != nil {
		m = k.opts.VerifyMessage(b.Email, link)
	}
	return controller.NoContent{}, k.send(ctx, dp.mailer, b.Email, m)
}
