package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	"golang.org/x/crypto/bcrypt"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/jwt"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

var testSecret = []byte("the acceptance tests' secret, 32+ bytes")

// store is where a run of the acceptance tests keeps users and todos.
type store struct {
	name string
	// url is the DATABASE_URL for a test; "" means memory.
	url func(t testing.TB) string
}

// stores are the memory connector, SQLite and, when
// LOOM_TEST_POSTGRES_URL names a server, PostgreSQL.
var stores = []store{
	{name: "memory", url: func(testing.TB) string { return "" }},
	{name: "sqlite", url: func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "todo-jwt.db") }},
	{name: "postgres", url: func(t testing.TB) string { return sqltest.PostgresURL(t, "todojwttest") }},
}

// client is a started application, every log line it wrote, and every
// response body it answered.
type client struct {
	*resttest.App
	t      *testing.T
	logs   *observer.ObservedLogs
	bodies []string
}

// start starts the application on a free port with a store of its own
// and its log captured at the debug level.
func (s store) start(t *testing.T) *client {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	cfg := Config{Host: "127.0.0.1", DatabaseURL: s.url(t), JWTSecret: testSecret, BcryptCost: bcrypt.MinCost}
	if cfg.DatabaseURL != "" {
		if err := Migrate(t.Context(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	app, err := NewApplication(cfg, rest.WithLogger(zap.New(core)))
	if err != nil {
		t.Fatal(err)
	}
	return &client{App: resttest.Adopt(t, app), t: t, logs: logs}
}

// do sends a request with the token, if any, and keeps the body.
func (c *client) do(method, path string, body any, token string) *resttest.Response {
	c.t.Helper()
	var h []string
	if token != "" {
		h = []string{"Authorization", "Bearer " + token}
	}
	r := c.Do(method, path, body, h...)
	c.bodies = append(c.bodies, string(r.Body))
	return r
}

func expectStatus(t testing.TB, r *resttest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

type envelope struct {
	Error struct {
		StatusCode int    `json:"statusCode"`
		Name       string `json:"name"`
		Message    string `json:"message"`
	} `json:"error"`
}

// expectError checks a LoopBack error envelope.
func expectError(t testing.TB, r *resttest.Response, status int, message string) {
	t.Helper()
	expectStatus(t, r, status)
	var e envelope
	r.JSON(t, &e)
	if e.Error.StatusCode != status || (message != "" && e.Error.Message != message) {
		t.Fatalf("error = %+v, want %d %q", e.Error, status, message)
	}
}

const (
	email    = "testuser2@abc.com"
	password = "testuser2-password"
)

// signUpAndLogIn signs a user up and logs them in; it returns the user's
// id and a token.
func (c *client) signUpAndLogIn(email, password string) (id, token string) {
	c.t.Helper()
	r := c.do("POST", "/signup", map[string]any{"email": email, "password": password}, "")
	expectStatus(c.t, r, 200)
	var u map[string]any
	r.JSON(c.t, &u)
	id, _ = u["id"].(string)
	r = c.do("POST", "/users/login", map[string]any{"email": email, "password": password}, "")
	expectStatus(c.t, r, 200)
	var login map[string]any
	r.JSON(c.t, &login)
	token, _ = login["token"].(string)
	if id == "" || token == "" {
		c.t.Fatalf("signup %v, login %v", u, login)
	}
	return id, token
}

// TestTodoJWT runs the acceptance tests, LoopBack's todo.acceptance.ts
// and more, on every store.
func TestTodoJWT(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, *client)
	}{
		{"TodosNeedALogin", todosNeedALogin},
		{"SignsUpWithoutAnsweringThePassword", signsUpWithoutAnsweringThePassword},
		{"RefusesADuplicateEmail", refusesADuplicateEmail},
		{"ValidatesTheSignup", validatesTheSignup},
		{"LogsInWithATokenOfLoopBacksClaims", logsInWithATokenOfLoopBacksClaims},
		{"RefusesWrongPasswordsAndUnknownEmailsAlike", refusesWrongPasswordsAndUnknownEmailsAlike},
		{"WhoAmIAnswersTheUsersID", whoAmIAnswersTheUsersID},
		{"WhoAmIRefusesMissingBadAndExpiredTokens", whoAmIRefusesMissingBadAndExpiredTokens},
		{"TodosCRUDWithAToken", todosCRUDWithAToken},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					c := s.start(t)
					tc.run(t, c)
					c.expectNoSecrets(t)
				})
			}
		})
	}
}

// expectNoSecrets checks that no response body but a login's holds a
// password or a token, and that no log line holds either.
func (c *client) expectNoSecrets(t *testing.T) {
	t.Helper()
	secrets := []string{password, "another-password", "wrong-password"}
	tokens := 0
	for _, b := range c.bodies {
		var login struct{ Token string }
		if json.Unmarshal([]byte(b), &login) == nil && login.Token != "" {
			secrets = append(secrets, login.Token)
			tokens++
		}
	}
	for _, b := range c.bodies {
		for _, s := range secrets {
			if strings.Contains(b, s) && b != fmt.Sprintf(`{"token":%q}`, s) {
				t.Errorf("a response body holds a secret: %s", b)
			}
		}
		if strings.Contains(b, "$2a$") {
			t.Errorf("a response body holds a password hash: %s", b)
		}
	}
	lines := c.logs.All()
	if len(lines) == 0 {
		t.Fatal("no log line captured: the logger is not the application's")
	}
	for _, e := range lines {
		line := fmt.Sprint(e.Message, e.ContextMap())
		for _, s := range secrets {
			if strings.Contains(line, s) {
				t.Errorf("a log line holds a secret: %s", line)
			}
		}
	}
}

func todosNeedALogin(t *testing.T, c *client) {
	for _, r := range []*resttest.Response{
		c.do("GET", "/todos", nil, ""),
		c.do("POST", "/todos", map[string]any{"title": "t"}, ""),
		c.do("GET", "/todos/1", nil, ""),
		c.do("DELETE", "/todos/1", nil, ""),
		c.do("GET", "/todos/count", nil, ""),
	} {
		expectError(t, r, 401, jwt.MessageNoHeader)
		if got := r.Header.Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("WWW-Authenticate = %q, want Bearer", got)
		}
	}
}

func signsUpWithoutAnsweringThePassword(t *testing.T, c *client) {
	for _, path := range []string{"/signup", "/users/signup"} {
		addr := strings.Trim(path, "/") + "@example.com"
		addr = strings.ReplaceAll(addr, "/", ".")
		r := c.do("POST", path, map[string]any{"email": addr, "password": password, "username": "alice"}, "")
		expectStatus(t, r, 200)
		var u map[string]any
		r.JSON(t, &u)
		if u["email"] != addr || u["username"] != "alice" || u["id"] == "" {
			t.Fatalf("%s answered %v", path, u)
		}
		for k := range u {
			if k != "id" && k != "email" && k != "username" {
				t.Errorf("%s answered property %q: %v", path, k, u)
			}
		}
	}
}

func refusesADuplicateEmail(t *testing.T, c *client) {
	c.signUpAndLogIn(email, password)
	r := c.do("POST", "/signup", map[string]any{"email": email, "password": "another-password"}, "")
	expectError(t, r, 409, MessageEmailTaken)
	// The first password still logs in; the second does not.
	expectStatus(t, c.do("POST", "/users/login", map[string]any{"email": email, "password": password}, ""), 200)
	expectError(t, c.do("POST", "/users/login", map[string]any{"email": email, "password": "another-password"}, ""), 401, MessageInvalidCredentials)
}

func validatesTheSignup(t *testing.T, c *client) {
	for _, body := range []map[string]any{
		{"email": "not an email", "password": password},
		{"email": email, "password": "short"},
		{"email": email, "password": strings.Repeat("p", MaxPassword+1)},
		{"password": password},
		{"email": email},
	} {
		r := c.do("POST", "/signup", body, "")
		expectStatus(t, r, 422)
	}
	expectStatus(t, c.do("POST", "/signup", "{", ""), 400)
}

func logsInWithATokenOfLoopBacksClaims(t *testing.T, c *client) {
	id, token := c.signUpAndLogIn(email, password)
	claims := gojwt.MapClaims{}
	if _, err := gojwt.NewParser().Parse(token, func(*gojwt.Token) (any, error) { return testSecret, nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := gojwt.NewParser().ParseUnverified(token, claims); err != nil {
		t.Fatal(err)
	}
	if claims["id"] != id || claims["email"] != email {
		t.Fatalf("claims = %v, want id %s and email %s", claims, id, email)
	}
	exp, _ := claims.GetExpirationTime()
	iat, _ := claims.GetIssuedAt()
	if exp == nil || iat == nil || exp.Sub(iat.Time) != jwt.DefaultExpiresIn {
		t.Fatalf("iat %v, exp %v: want 21600 s apart", iat, exp)
	}
}

func refusesWrongPasswordsAndUnknownEmailsAlike(t *testing.T, c *client) {
	c.signUpAndLogIn(email, password)
	wrong := c.do("POST", "/users/login", map[string]any{"email": email, "password": "wrong-password"}, "")
	unknown := c.do("POST", "/users/login", map[string]any{"email": "nobody@abc.com", "password": password}, "")
	expectError(t, wrong, 401, MessageInvalidCredentials)
	expectError(t, unknown, 401, MessageInvalidCredentials)
	if string(wrong.Body) != string(unknown.Body) {
		t.Fatalf("a wrong password answers %s, an unknown email %s", wrong.Body, unknown.Body)
	}
	expectStatus(t, c.do("POST", "/users/login", map[string]any{"email": email}, ""), 422)
}

func whoAmIAnswersTheUsersID(t *testing.T, c *client) {
	id, token := c.signUpAndLogIn(email, password)
	r := c.do("GET", "/whoAmI", nil, token)
	expectStatus(t, r, 200)
	if r.Text() != id || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("whoAmI = %q (%s), want %q as text", r.Body, r.Header.Get("Content-Type"), id)
	}
	// Another user's token answers another id.
	id2, token2 := c.signUpAndLogIn("other@abc.com", password)
	if r := c.do("GET", "/whoAmI", nil, token2); r.Text() != id2 || id2 == id {
		t.Fatalf("whoAmI = %q, want %q", r.Body, id2)
	}
}

func whoAmIRefusesMissingBadAndExpiredTokens(t *testing.T, c *client) {
	id, token := c.signUpAndLogIn(email, password)
	expectError(t, c.do("GET", "/whoAmI", nil, ""), 401, jwt.MessageNoHeader)
	expectError(t, c.do("GET", "/whoAmI", nil, "not-a-token"), 401, "Error verifying token : jwt malformed")
	expectError(t, c.do("GET", "/whoAmI", nil, "not.a.token"), 401, "Error verifying token : invalid token")
	forger, err := jwt.New(jwt.Config{Secret: []byte("not the application's secret, 32+ bytes")})
	if err != nil {
		t.Fatal(err)
	}
	forged, err := forger.Generate(&authentication.Profile{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, c.do("GET", "/whoAmI", nil, forged), 401, "Error verifying token : invalid signature")

	past, err := jwt.New(jwt.Config{Secret: testSecret, Now: func() time.Time { return time.Now().Add(-7 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	expired, err := past.Generate(&authentication.Profile{ID: id, Email: email})
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, c.do("GET", "/whoAmI", nil, expired), 401, "Error verifying token : jwt expired")

	none, err := gojwt.NewWithClaims(gojwt.SigningMethodNone, gojwt.MapClaims{"id": id, "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString(gojwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, c.do("GET", "/whoAmI", nil, none), 401, "Error verifying token : jwt signature is required")
	hs512, err := gojwt.NewWithClaims(gojwt.SigningMethodHS512, gojwt.MapClaims{"id": id, "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, c.do("GET", "/whoAmI", nil, hs512), 401, "Error verifying token : invalid algorithm")

	r := c.Do("GET", "/whoAmI", nil, "Authorization", "Basic dGVzdDp0ZXN0")
	expectError(t, r, 401, jwt.MessageNotBearer)
	r = c.Do("GET", "/whoAmI", nil, "Authorization", "Bearer "+token+" more")
	expectError(t, r, 401, jwt.MessageTooManyParts)
	c.bodies = append(c.bodies, string(r.Body))
}

func todosCRUDWithAToken(t *testing.T, c *client) {
	_, token := c.signUpAndLogIn(email, password)
	r := c.do("POST", "/todos", map[string]any{"title": "Take over the galaxy", "desc": "MWAHAHA"}, token)
	expectStatus(t, r, 200)
	var created Todo
	r.JSON(t, &created)
	if created.ID == 0 || created.Title != "Take over the galaxy" {
		t.Fatalf("created %+v", created)
	}
	path := fmt.Sprintf("/todos/%d", created.ID)

	r = c.do("GET", "/todos", nil, token)
	expectStatus(t, r, 200)
	var all []Todo
	r.JSON(t, &all)
	if len(all) != 1 || all[0].ID != created.ID {
		t.Fatalf("find = %+v", all)
	}
	expectStatus(t, c.do("PATCH", path, map[string]any{"isComplete": true}, token), 204)
	r = c.do("GET", path, nil, token)
	expectStatus(t, r, 200)
	var got Todo
	r.JSON(t, &got)
	if got.IsComplete == nil || !*got.IsComplete {
		t.Fatalf("after PATCH: %+v", got)
	}
	expectStatus(t, c.do("PUT", path, map[string]any{"title": "replaced"}, token), 204)
	r = c.do("GET", "/todos/count", nil, token)
	expectStatus(t, r, 200)
	if strings.TrimSpace(r.Text()) != `{"count":1}` {
		t.Fatalf("count = %s", r.Body)
	}
	r = c.do("PATCH", "/todos", map[string]any{"desc": "all"}, token)
	expectStatus(t, r, 200)
	expectStatus(t, c.do("DELETE", path, nil, token), 204)
	expectError(t, c.do("GET", path, nil, token), 404, "")
	// A token that stops verifying stops the todos too.
	expectError(t, c.do("GET", "/todos", nil, token+"x"), 401, "Error verifying token : invalid signature")
}
