package user_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/rest/resttest"
)

// noRedirect is a client of f that does not follow redirects.
func noRedirect(f *fixture) *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestSignupRefusals(t *testing.T) {
	f := startApp(t, setup{})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret", "username": "ann"})

	r := f.Post("/api/Customers", map[string]any{"email": "ann@example.com", "password": "x"})
	wantStatus(t, r, 422)
	if !strings.Contains(r.Text(), "Email already exists") || !strings.Contains(r.Text(), `"uniqueness"`) {
		t.Fatalf("duplicate email: %s", r.Body)
	}
	r = f.Post("/api/Customers", map[string]any{"email": "bob@example.com", "password": "x", "username": "ann"})
	wantStatus(t, r, 422)
	if !strings.Contains(r.Text(), "User already exists") {
		t.Fatalf("duplicate username: %s", r.Body)
	}
	r = f.Post("/api/Customers", map[string]any{"email": "not an address", "password": "x"})
	wantStatus(t, r, 422)
	if !strings.Contains(r.Text(), `"custom.email"`) || !strings.Contains(r.Text(), "is invalid") {
		t.Fatalf("invalid email: %s", r.Body)
	}
	wantError(t, f.Post("/api/Customers", map[string]any{"email": "c@example.com", "password": ""}), 422, user.CodeInvalidPassword, "Invalid password.")
	wantError(t, f.Post("/api/Customers", map[string]any{"email": "c@example.com", "password": strings.Repeat("x", 73)}), 422, user.CodePasswordTooLong, "")
	r = f.Post("/api/Customers", map[string]any{"email": "c@example.com"})
	wantStatus(t, r, 422)
	if !strings.Contains(r.Text(), `"password":["presence"]`) {
		t.Fatalf("missing password: %s", r.Body)
	}
	r = f.Post("/api/Customers", map[string]any{"email": "d@example.com", "password": "pw", "emailVerified": true})
	wantStatus(t, r, 200)
	if !strings.Contains(r.Text(), `"emailVerified":false`) {
		t.Fatalf("a client verified itself: %s", r.Body)
	}
}

func TestUpdatesHashThePasswordAndKeepEmailVerified(t *testing.T) {
	f := startApp(t, setup{})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	other := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	r := f.Patch("/api/Customers/"+strconv.Itoa(id), map[string]any{"password": "changed", "emailVerified": true}, auth(a.ID)...)
	wantStatus(t, r, 200)
	if strings.Contains(r.Text(), "changed") || strings.Contains(r.Text(), "emailVerified") {
		t.Fatalf("PATCH answered %s", r.Body)
	}
	f.login(t, map[string]any{"email": "ann@example.com", "password": "changed"})
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret"}), 401, user.CodeLoginFailed, "")
	wantStatus(t, f.self(id, a.ID), 200)
	wantStatus(t, f.self(id, other.ID), 401) // the password change revoked the other session
	wantError(t, f.Patch("/api/Customers/"+strconv.Itoa(id), map[string]any{"verificationToken": "x"}, auth(a.ID)...), 422, "", "")
}

func TestLogoutKillsTheTokenOnEveryInstance(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			conn := store(t)
			one := startApp(t, setup{conn: conn})
			id := one.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			a := one.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			instances := []*fixture{one}
			if name == "postgres" {
				instances = append(instances, startApp(t, setup{conn: conn}))
			}
			last := instances[len(instances)-1]
			wantStatus(t, last.self(id, a.ID), 200)
			wantStatus(t, last.Post("/api/Customers/logout", nil, auth(a.ID)...), 204)
			for _, in := range instances {
				wantStatus(t, in.self(id, a.ID), 401)
				wantError(t, in.Post("/api/Customers/logout", nil, auth(a.ID)...), 401, "", "accessToken is required to logout")
			}
			wantError(t, one.Post("/api/Customers/logout", nil), 401, "", "accessToken is required to logout")
			b := one.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			wantStatus(t, one.Get("/api/Customers/logout?access_token="+b.ID), 204) // ALL /logout
		})
	}
}

func TestAnExpiredTokenIsRefusedAndDeleted(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			f := startApp(t, setup{conn: store(t)})
			id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret", "ttl": 60})
			if a.TTL != 60 {
				t.Fatalf("ttl %d, want 60", a.TTL)
			}
			long := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret", "ttl": 1e9})
			if long.TTL != 31556926 {
				t.Fatalf("ttl %d, want the year it is capped at", long.TTL)
			}
			wantStatus(t, f.self(id, a.ID), 200)
			f.clock.Add(61 * time.Second)
			wantStatus(t, f.self(id, a.ID), 401)
			if ok, err := f.tokens(t).Tokens.Exists(t.Context(), a.ID); err != nil || ok {
				t.Fatalf("the expired token is still stored (%v, %v)", ok, err)
			}
			wantStatus(t, f.self(id, long.ID), 200)
		})
	}
}

func TestChangePasswordRevokesTheOtherTokens(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			f := startApp(t, setup{conn: store(t)})
			id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			b := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			wantError(t, f.Post("/api/Customers/change-password", map[string]any{"oldPassword": "secret", "newPassword": "new"}), 401, "AUTHORIZATION_REQUIRED", "")
			wantError(t, f.Post("/api/Customers/change-password", map[string]any{"oldPassword": "wrong", "newPassword": "new"}, auth(a.ID)...),
				400, user.CodeInvalidPassword, "Invalid current password")
			wantStatus(t, f.Post("/api/Customers/change-password", map[string]any{"oldPassword": "secret", "newPassword": "new"}, auth(a.ID)...), 204)
			wantStatus(t, f.self(id, a.ID), 200)
			wantStatus(t, f.self(id, b.ID), 401)
			f.login(t, map[string]any{"email": "ann@example.com", "password": "new"})
			wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret"}), 401, user.CodeLoginFailed, "")
		})
	}
}

var resetToken = regexp.MustCompile(`access_token=([A-Za-z0-9]+)`)

func TestResetPasswordThroughTheMailer(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			f := startApp(t, setup{conn: store(t), opts: user.Options{ResetURL: "https://shop.example.com/reset", From: "shop@example.com"}})
			id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			old := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})

			wantError(t, f.Post("/api/Customers/reset", map[string]any{}), 400, user.CodeEmailRequired, "Email is required")
			wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "nobody@example.com"}), 204)
			if len(f.mail.Sent()) != 0 {
				t.Fatalf("mail sent for an unknown address: %+v", f.mail.Sent())
			}
			wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
			m := f.mailTo(t, "ann@example.com")
			match := resetToken.FindStringSubmatch(m.Text)
			if match == nil || m.From != "shop@example.com" {
				t.Fatalf("the reset mail %+v has no link with a token", m)
			}
			reset := match[1]

			// The reset token sets a password and does nothing else.
			wantStatus(t, f.self(id, reset), 401)
			wantError(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "x"}, auth(old.ID)...), 401, "AUTHORIZATION_REQUIRED", "")
			wantError(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "x"}), 401, "AUTHORIZATION_REQUIRED", "")
			wantStatus(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "renewed"}, auth(reset)...), 204)
			wantError(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "again"}, auth(reset)...), 401, "AUTHORIZATION_REQUIRED", "")
			wantStatus(t, f.self(id, old.ID), 401)
			f.login(t, map[string]any{"email": "ann@example.com", "password": "renewed"})

			// A reset token expires.
			wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
			late := resetToken.FindStringSubmatch(f.mailTo(t, "ann@example.com").Text)[1]
			f.clock.Add(time.Duration(user.DefaultResetTTL+1) * time.Second)
			wantStatus(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "late"}, auth(late)...), 401)
		})
	}
}

var confirmLink = regexp.MustCompile(`http://\S+/confirm\?\S+`)

func TestVerifyAndConfirm(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			f := startApp(t, setup{conn: store(t), opts: user.Options{EmailVerificationRequired: true,
				RedirectOrigins: []string{"https://shop.example.com"}}})
			id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret"}),
				401, user.CodeLoginFailedEmailNotVerified, "login failed as the email has not been verified")

			wantStatus(t, f.Post("/api/Customers/"+strconv.Itoa(id)+"/verify", nil), 204)
			link := confirmLink.FindString(f.mailTo(t, "ann@example.com").Text)
			u, err := url.Parse(link)
			if link == "" || err != nil {
				t.Fatalf("the verification mail has no link: %+v", f.mail.Sent())
			}
			q := u.Query()
			if q.Get("uid") != strconv.Itoa(id) || q.Get("token") == "" {
				t.Fatalf("link %s", link)
			}
			bad := url.Values{"uid": {q.Get("uid")}, "token": {"nope"}}
			wantError(t, f.Get("/api/Customers/confirm?"+bad.Encode()), 400, user.CodeInvalidToken, "Invalid token: nope")
			wantError(t, f.Get("/api/Customers/confirm?uid=999999&token=x"), 404, user.CodeUserNotFound, "User not found: 999999")
			wantStatus(t, f.Get("/api/Customers/confirm?uid="+q.Get("uid")), 400)
			elsewhere := url.Values{"uid": {q.Get("uid")}, "token": {q.Get("token")}, "redirect": {"https://evil.example.com/"}}
			wantStatus(t, f.Get("/api/Customers/confirm?"+elsewhere.Encode()), 400)

			q.Set("redirect", "https://shop.example.com/welcome")
			resp, err := noRedirect(f).Get(f.URL() + "/api/Customers/confirm?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://shop.example.com/welcome" {
				t.Fatalf("confirm answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			wantError(t, f.Get("/api/Customers/confirm?"+q.Encode()), 400, user.CodeInvalidToken, "") // used up
			a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			if got := f.self(id, a.ID).Text(); !strings.Contains(got, `"emailVerified":true`) {
				t.Fatalf("GET self after confirm: %s", got)
			}

			// Without a redirect, confirm answers 204.
			wantStatus(t, f.Post("/api/Customers/"+strconv.Itoa(id)+"/verify", nil), 204)
			wantStatus(t, f.Get(strings.TrimPrefix(confirmLink.FindString(f.mailTo(t, "ann@example.com").Text), verifyBase)), 204)
		})
	}
}

func TestLoginThrottling(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 2, PerAddress: 5, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	f.signup(t, map[string]any{"email": "bob@example.com", "password": "secret"})
	ann := func(pw string) *resttest.Response {
		return f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": pw})
	}

	// A success clears the account's failures.
	wantStatus(t, ann("wrong"), 401)
	wantStatus(t, ann("secret"), 200)
	wantStatus(t, ann("wrong"), 401)
	wantStatus(t, ann("wrong"), 401)
	r := ann("secret")
	wantError(t, r, 429, user.CodeLoginThrottled, "")
	if r.Header.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Another account is not throttled.
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "bob@example.com", "password": "secret"}), 200)
	f.clock.Add(30 * time.Second)
	if r := ann("secret"); r.Status != 429 || r.Header.Get("Retry-After") != "30" {
		t.Fatalf("half-way: %d %q", r.Status, r.Header.Get("Retry-After"))
	}
	f.clock.Add(30 * time.Second)
	wantStatus(t, ann("secret"), 200)

	// Per address: failures on many accounts add up.
	for i := range 5 {
		wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "x" + strconv.Itoa(i) + "@example.com", "password": "x"}), 401)
	}
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "y@example.com", "password": "x"}), 429)
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "bob@example.com", "password": "secret"}), 429)
	f.clock.Add(time.Minute)
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "bob@example.com", "password": "secret"}), 200)
}

func TestChangingTheEmailUnverifiesItAndRevokesTheOtherTokens(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{EmailVerificationRequired: true}})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/"+strconv.Itoa(id)+"/verify", nil), 204)
	wantStatus(t, f.Get(strings.TrimPrefix(confirmLink.FindString(f.mailTo(t, "ann@example.com").Text), verifyBase)), 204)
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	b := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})

	wantStatus(t, f.Patch("/api/Customers/"+strconv.Itoa(id), map[string]any{"email": "ann@example.com", "username": "ann"}, auth(a.ID)...), 200)
	wantStatus(t, f.self(id, b.ID), 200) // the same email: nothing revoked

	r := f.Patch("/api/Customers/"+strconv.Itoa(id), map[string]any{"email": "anne@example.com"}, auth(a.ID)...)
	wantStatus(t, r, 200)
	if !strings.Contains(r.Text(), `"emailVerified":false`) {
		t.Fatalf("a changed email is still verified: %s", r.Body)
	}
	wantStatus(t, f.self(id, a.ID), 200)
	wantStatus(t, f.self(id, b.ID), 401)
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "anne@example.com", "password": "secret"}), 401, user.CodeLoginFailedEmailNotVerified, "")
}

func TestWithoutAMailerVerifyIs503AndResetSendsNothing(t *testing.T) {
	f := startApp(t, setup{noMailer: true})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/"+strconv.Itoa(id)+"/verify", nil), 503)
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
}

func TestResetAndVerifyMailsAreThrottled(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 2, Window: time.Minute}}})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	for _, email := range []string{"ann@example.com", "nobody@example.com"} {
		wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": email}), 204)
		wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": email}), 204)
		r := f.Post("/api/Customers/reset", map[string]any{"email": email})
		wantError(t, r, 429, user.CodeMailThrottled, "")
		if r.Header.Get("Retry-After") != "60" {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	}
	if n := len(f.mail.Sent()); n != 2 {
		t.Fatalf("%d mails sent, want 2", n)
	}
	verify := "/api/Customers/" + strconv.Itoa(id) + "/verify"
	wantStatus(t, f.Post(verify, nil), 204)
	wantStatus(t, f.Post(verify, nil), 204)
	wantError(t, f.Post(verify, nil), 429, user.CodeMailThrottled, "")
	f.clock.Add(time.Minute)
	wantStatus(t, f.Post(verify, nil), 204)
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
}

func TestLoginArguments(t *testing.T) {
	f := startApp(t, setup{})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret", "realm": "shop", "username": "ann"})
	wantError(t, f.Post("/api/Customers/login", map[string]any{"username": "ann", "realm": "other", "password": "secret"}), 401, user.CodeLoginFailed, "")
	f.login(t, map[string]any{"username": "ann", "realm": "shop", "password": "secret"})
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret", "ttl": -1}), 400, "INVALID_TTL", "")
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret", "ttl": "abc"}), 400, "INVALID_TTL", "")
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": 7, "password": "secret"}), 400, "INVALID_EMAIL", "Invalid email")
	wantError(t, f.Post("/api/Customers/login", map[string]any{"username": true, "password": "secret"}), 400, "INVALID_USERNAME", "Invalid username")
	wantError(t, f.Post("/api/Customers/login", "[1]"), 400, "", "Value is not an object.")
	wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": strings.Repeat("x", 20<<10)}), 413, "", "")
	if a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret", "ttl": "120"}); a.TTL != 120 {
		t.Fatalf("a numeric string ttl: %d", a.TTL)
	}
}

func TestMessagesOfOnesOwn(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{From: "shop@example.com",
		ResetMessage: func(email, token, link string) user.Message {
			return user.Message{Subject: "Forgot your password?", Text: "code " + token, HTML: "<b>" + token + "</b>"}
		},
		VerifyMessage: func(email, link string) user.Message {
			return user.Message{From: "hello@example.com", Subject: "Welcome", Text: link}
		}}})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
	if m := f.mailTo(t, "ann@example.com"); m.Subject != "Forgot your password?" || m.From != "shop@example.com" || !strings.HasPrefix(m.Text, "code ") {
		t.Fatalf("reset mail %+v", m)
	}
	wantStatus(t, f.Post("/api/Customers/"+strconv.Itoa(id)+"/verify", nil), 204)
	if m := f.mailTo(t, "ann@example.com"); m.Subject != "Welcome" || m.From != "hello@example.com" || !confirmLink.MatchString(m.Text) {
		t.Fatalf("verify mail %+v", m)
	}
}

func TestGuessingTheCurrentPasswordIsThrottled(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 2, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	change := func(old string) *resttest.Response {
		return f.Post("/api/Customers/change-password", map[string]any{"oldPassword": old, "newPassword": "new"}, auth(a.ID)...)
	}
	wantStatus(t, change("guess1"), 400)
	wantStatus(t, change("guess2"), 400)
	wantError(t, change("secret"), 429, user.CodeLoginThrottled, "")
	f.clock.Add(time.Minute)
	wantStatus(t, change("secret"), 204)
}

func TestDeletingAUserRevokesItsTokens(t *testing.T) {
	f := startApp(t, setup{})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	b := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	r := f.Delete("/api/Customers/"+strconv.Itoa(id), auth(a.ID)...)
	wantStatus(t, r, 200)
	if r.Text() != `{"count":1}` {
		t.Fatalf("DELETE answered %s", r.Body)
	}
	for _, tok := range []string{a.ID, b.ID} {
		wantError(t, f.Post("/api/Customers/logout", nil, auth(tok)...), 401, "", "accessToken is required to logout")
	}
}
