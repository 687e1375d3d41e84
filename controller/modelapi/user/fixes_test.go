package user_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Concurrent wrong logins are counted before bcrypt runs: however they
// interleave, no more than the limit reach the password check.
func TestConcurrentLoginsCannotPassTheLimit(t *testing.T) {
	const limit, n = 5, 60
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: limit, PerAddress: -1, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "wrong" + strconv.Itoa(i)}).Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[401] != limit || count[429] != n-limit {
		t.Fatalf("answers %v, want %d×401 and the rest 429", count, limit)
	}
}

func TestConfirmRefusesRedirectsElsewhere(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{RedirectOrigins: []string{"https://shop.example.com"}}})
	for _, target := range []string{
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example", "/%09/evil.example",
		"//evil.example", "/\\evil.example", "\\\\evil.example", "/%2F/evil.example", "/%5Cevil.example",
		"https:evil.example", "javascript:alert(1)", "evil.example", "https://evil.example/",
		"https://evil.example@shop.example.com/", "https://shop.example.com\t/", "/\u00a0/evil.example",
	} {
		q := url.Values{"uid": {"999999"}, "token": {"x"}, "redirect": {target}}
		wantError(t, f.Get("/api/Customers/confirm?"+q.Encode()), 400, "", "redirect must be a path of this application or an allowed origin")
	}
	for _, target := range []string{"/welcome", "/welcome?x=1#top", "https://shop.example.com/welcome"} {
		q := url.Values{"uid": {"999999"}, "token": {"x"}, "redirect": {target}}
		wantError(t, f.Get("/api/Customers/confirm?"+q.Encode()), 404, user.CodeUserNotFound, "") // past the redirect check
	}
}

func TestVerificationLinkIgnoresTheHostHeader(t *testing.T) {
	f := startApp(t, setup{})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	req, err := http.NewRequest("POST", f.URL()+"/api/Customers/"+strconv.Itoa(id)+"/verify", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 204 {
		t.Fatalf("verify answered %d", resp.StatusCode)
	}
	text := f.mailTo(t, "ann@example.com").Text
	if strings.Contains(text, "evil.example") || !strings.Contains(text, verifyBase+"/api/Customers/confirm?") {
		t.Fatalf("the link does not use VerifyURL: %s", text)
	}

	// Without VerifyURL, verify refuses rather than trust the Host.
	g := startApp(t, setup{noVerifyURL: true})
	gid := g.signup(t, map[string]any{"email": "bob@example.com", "password": "secret"})
	wantStatus(t, g.Post("/api/Customers/"+strconv.Itoa(gid)+"/verify", nil), 503)
	if n := len(g.mail.Sent()); n != 0 {
		t.Fatalf("%d mails sent without VerifyURL", n)
	}
}

func TestPaddedIDsDoNotGetPastTheVerifyThrottle(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 2, Window: time.Minute}}})
	id := strconv.Itoa(f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"}))
	wantStatus(t, f.Post("/api/Customers/"+id+"/verify", nil), 204)
	wantStatus(t, f.Post("/api/Customers/"+id+"/verify", nil), 204)
	for _, padded := range []string{"%20" + id, id + "%20", "%09" + id, id + ".0", "0" + id, "%2B" + id} {
		if r := f.Post("/api/Customers/"+padded+"/verify", nil); r.Status == 204 {
			t.Fatalf("%q got a third mail", padded)
		}
	}
	wantError(t, f.Post("/api/Customers/"+id+"/verify", nil), 429, user.CodeMailThrottled, "")
	if n := len(f.mail.Sent()); n != 2 {
		t.Fatalf("%d mails sent, want 2", n)
	}
}

func TestEmailAndUsernameShareTheAccountsBudget(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 2, PerAddress: -1, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "username": "ann", "realm": "shop", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "guess1"}), 401)
	wantStatus(t, f.Post("/api/Customers/login", map[string]any{"username": "ann", "password": "guess2"}), 401)
	for _, body := range []map[string]any{
		{"username": "ann", "realm": "shop", "password": "secret"},
		{"email": "ann@example.com", "realm": "shop", "password": "secret"},
	} {
		wantError(t, f.Post("/api/Customers/login", body), 429, user.CodeLoginThrottled, "")
	}
	f.clock.Add(time.Minute)
	f.login(t, map[string]any{"username": "ann", "realm": "shop", "password": "secret"})
}

func TestMailsAreLimitedPerAddress(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{Throttle: user.Throttle{PerAccount: 100, PerAddress: 2, Window: time.Minute}}})
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "a@example.com"}), 204)
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "b@example.com"}), 204)
	wantError(t, f.Post("/api/Customers/reset", map[string]any{"email": "c@example.com"}), 429, user.CodeMailThrottled, "")
}

func TestIPv6ClientsAreThrottledBySlash64(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{ClientAddress: user.ForwardedFor("X-Forwarded-For", 1),
		Throttle: user.Throttle{PerAccount: 100, PerAddress: 2, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	login := func(addr string) *resttest.Response {
		return f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "wrong"}, "X-Forwarded-For", addr)
	}
	wantStatus(t, login("2001:db8:0:1::1"), 401)
	wantStatus(t, login("2001:db8:0:1::2"), 401)
	wantError(t, login("2001:db8:0:1:abcd::3"), 429, user.CodeLoginThrottled, "")
	wantStatus(t, login("2001:db8:0:2::1"), 401) // another /64
}

func TestARefusedWriteRevokesNothing(t *testing.T) {
	f := startApp(t, setup{})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	f.signup(t, map[string]any{"email": "bob@example.com", "password": "secret"})
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	b := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	path := "/api/Customers/" + strconv.Itoa(id)
	wantStatus(t, f.Patch(path, map[string]any{"email": "bob@example.com", "password": "new"}, auth(a.ID)...), 422)
	wantStatus(t, f.Put(path, map[string]any{"email": "bob@example.com", "password": "new"}, auth(a.ID)...), 422)
	wantStatus(t, f.self(id, b.ID), 200)
	f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	// A stored change still revokes the other tokens.
	wantStatus(t, f.Patch(path, map[string]any{"password": "new"}, auth(a.ID)...), 200)
	wantStatus(t, f.self(id, a.ID), 200)
	wantStatus(t, f.self(id, b.ID), 401)
}

func TestUpdateAllCannotChangeCredentials(t *testing.T) {
	f := startApp(t, setup{modelOpts: []modelapi.Option{modelapi.ACLs(acl.Entry{PrincipalType: acl.Role, PrincipalID: acl.Everyone,
		Permission: acl.Allow, Property: "updateAll"})}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	where := "/api/Customers/update?where=" + url.QueryEscape(`{"email":"ann@example.com"}`)
	for _, body := range []map[string]any{{"password": "new"}, {"email": "anne@example.com"}} {
		wantError(t, f.Post(where, body), 400, user.CodeCredentialsNotChangeable, "")
	}
	wantStatus(t, f.Post(where, map[string]any{"username": "ann"}), 200)
	f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
}

var resetCode = regexp.MustCompile(`[A-Za-z0-9]{64}`)

func TestAResetTokenIsNoLoginToken(t *testing.T) {
	f := startApp(t, setup{})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/reset", map[string]any{"email": "ann@example.com"}), 204)
	reset := resetCode.FindString(f.mailTo(t, "ann@example.com").Text)
	if reset == "" {
		t.Fatalf("no reset token in %+v", f.mail.Sent())
	}
	wantStatus(t, f.self(id, reset), 401)
	wantError(t, f.Post("/api/Customers/logout", nil, auth(reset)...), 401, "", "accessToken is required to logout")
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "new"}, auth(a.ID)...), 401)
	wantStatus(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "new"}, auth(reset)...), 204)
	wantStatus(t, f.Post("/api/Customers/reset-password", map[string]any{"newPassword": "again"}, auth(reset)...), 401) // revoked
	wantStatus(t, f.self(id, a.ID), 401)
	f.login(t, map[string]any{"email": "ann@example.com", "password": "new"})
}

func TestRejectPasswordChangesViaPatchOrReplace(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{RejectPasswordChangesViaPatchOrReplace: true}})
	id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	a := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	path := "/api/Customers/" + strconv.Itoa(id)
	wantError(t, f.Patch(path, map[string]any{"password": "new"}, auth(a.ID)...), 400, user.CodePasswordChangeNotAllowed, "")
	wantError(t, f.Put(path, map[string]any{"email": "ann@example.com", "password": "new"}, auth(a.ID)...), 400, user.CodePasswordChangeNotAllowed, "")
	wantStatus(t, f.Patch(path, map[string]any{"username": "ann"}, auth(a.ID)...), 200)
	wantStatus(t, f.Post("/api/Customers/change-password", map[string]any{"oldPassword": "secret", "newPassword": "new"}, auth(a.ID)...), 204)
	f.login(t, map[string]any{"email": "ann@example.com", "password": "new"})

	// Off, LoopBack 3's default: the owner may patch its password.
	g := startApp(t, setup{})
	gid := g.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	b := g.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	wantStatus(t, g.Patch("/api/Customers/"+strconv.Itoa(gid), map[string]any{"password": "new"}, auth(b.ID)...), 200)
	g.login(t, map[string]any{"email": "ann@example.com", "password": "new"})
}

// StrMember is a user model with string ids, which a client may choose.
type StrMember struct {
	ID string `json:"id" loom:"id"`
	user.Base
}

func TestAnIDLikeAResetMarkerIsNoResetToken(t *testing.T) {
	conn := memoryStore()
	app := resttest.Start(t,
		rest.WithDataSource("db", conn),
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
		rest.WithModelAPI[StrMember, string](modelapi.Path("/api/StrMembers"), user.API[StrMember, string](user.Options{Cost: 4, Mailer: &user.MemoryMailer{}})),
	)
	wantStatus(t, app.Post("/api/StrMembers", map[string]any{"id": "5", "email": "victim@example.com", "password": "secret"}), 200)
	wantStatus(t, app.Post("/api/StrMembers", map[string]any{"id": "reset:5", "email": "mallory@example.com", "password": "mine"}), 200)
	r := app.Post("/api/StrMembers/login", map[string]any{"email": "mallory@example.com", "password": "mine"})
	wantStatus(t, r, 200)
	var a loginAnswer2
	r.JSON(t, &a)
	wantStatus(t, app.Post("/api/StrMembers/reset-password", map[string]any{"newPassword": "taken"}, auth(a.ID)...), 401)
	wantStatus(t, app.Post("/api/StrMembers/login", map[string]any{"email": "victim@example.com", "password": "secret"}), 200)
	wantStatus(t, app.Get("/api/StrMembers/reset:5", auth(a.ID)...), 200) // an ordinary login token of its own
}

type loginAnswer2 struct {
	ID     string `json:"id"`
	UserID string `json:"userId"`
}

func TestAnUnverifiedUsersRightPasswordIsNoFailure(t *testing.T) {
	f := startApp(t, setup{opts: user.Options{EmailVerificationRequired: true,
		Throttle: user.Throttle{PerAccount: 2, PerAddress: 2, Window: time.Minute}}})
	f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret"})
	for range 5 {
		wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret"}),
			401, user.CodeLoginFailedEmailNotVerified, "")
	}
}
