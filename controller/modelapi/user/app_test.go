package user_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, for sqltest's schemas

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Customer is the user model of the tests.
type Customer struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	user.Base
}

// clock is a settable clock, shared by the throttle and the token store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is an application with Customer as its user model.
type fixture struct {
	*resttest.App
	mail  *user.MemoryMailer
	clock *clock
	conn  func() (repository.Connector, error)
}

// setup configures an application; extra options come last.
type setup struct {
	conn     func() (repository.Connector, error)
	opts     user.Options
	clock    *clock
	mail     *user.MemoryMailer
	noMailer bool
	restOpts []rest.Option
	// noVerifyURL leaves Options.VerifyURL unset.
	noVerifyURL bool
	// modelOpts are more options of the model API.
	modelOpts []modelapi.Option
}

func memoryStore() func() (repository.Connector, error) {
	conn := memory.New(memory.Options{})
	return func() (repository.Connector, error) { return conn, nil }
}

// verifyBase is the public base URL of the tests' verification links.
const verifyBase = "http://app.example"

func startApp(t *testing.T, s setup) *fixture {
	t.Helper()
	if s.opts.VerifyURL == "" && !s.noVerifyURL {
		s.opts.VerifyURL = verifyBase + "/api/Customers/confirm"
	}
	if s.conn == nil {
		s.conn = memoryStore()
	}
	if s.clock == nil {
		s.clock = newClock()
	}
	if s.mail == nil {
		s.mail = &user.MemoryMailer{}
	}
	s.opts.Now = s.clock.Now
	if !s.noMailer {
		s.opts.Mailer = s.mail
	}
	s.opts.Cost = 4 // bcrypt.MinCost: the tests check behaviour, not strength
	opts := append([]rest.Option{
		rest.WithDataSource("db", s.conn),
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{Store: token.StoreOptions{Now: s.clock.Now}})),
		rest.WithModelAPI[Customer, int](append([]modelapi.Option{modelapi.Path("/api/Customers"), user.API[Customer, int](s.opts)}, s.modelOpts...)...),
	}, s.restOpts...)
	return &fixture{App: resttest.Start(t, opts...), mail: s.mail, clock: s.clock, conn: s.conn}
}

// stores are the stores the acceptance tests run on: memory and, with
// LOOM_TEST_POSTGRES_URL, a PostgreSQL schema of the test's own.
func stores(*testing.T) map[string]func(t *testing.T) func() (repository.Connector, error) {
	return map[string]func(t *testing.T) func() (repository.Connector, error){
		"memory": func(*testing.T) func() (repository.Connector, error) { return memoryStore() },
		"postgres": func(t *testing.T) func() (repository.Connector, error) {
			url := sqltest.PostgresURL(t, "usertest")
			return func() (repository.Connector, error) { return sql.FromURL(url, sql.Options{AutoMigrate: true}) }
		},
	}
}

// auth is the header pair that sends tok.
func auth(tok string) []string { return []string{"Authorization", tok} }

type errorBody struct {
	Error struct {
		StatusCode int    `json:"statusCode"`
		Name       string `json:"name"`
		Message    string `json:"message"`
		Code       string `json:"code"`
	} `json:"error"`
}

func wantError(t *testing.T, r *resttest.Response, status int, code, message string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	var e errorBody
	r.JSON(t, &e)
	if e.Error.Code != code || (message != "" && e.Error.Message != message) {
		t.Fatalf("error %+v, want code %q message %q", e.Error, code, message)
	}
}

func wantStatus(t *testing.T, r *resttest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

// signup creates a customer and answers its id.
func (f *fixture) signup(t *testing.T, body map[string]any) int {
	t.Helper()
	r := f.Post("/api/Customers", body)
	wantStatus(t, r, 200)
	var c struct {
		ID int `json:"id"`
	}
	r.JSON(t, &c)
	if strings.Contains(r.Text(), "password") {
		t.Fatalf("the signup answered the password: %s", r.Body)
	}
	return c.ID
}

type loginAnswer struct {
	ID      string          `json:"id"`
	TTL     int64           `json:"ttl"`
	Created string          `json:"created"`
	UserID  int             `json:"userId"`
	User    json.RawMessage `json:"user"`
}

// login logs in and answers the token.
func (f *fixture) login(t *testing.T, body map[string]any) loginAnswer {
	t.Helper()
	r := f.Post("/api/Customers/login", body)
	wantStatus(t, r, 200)
	var a loginAnswer
	r.JSON(t, &a)
	return a
}

// get sends a GET with tok, when not "".
func (f *fixture) get(path, tok string) *resttest.Response {
	if tok == "" {
		return f.Get(path)
	}
	return f.Get(path, auth(tok)...)
}

// self is GET /api/Customers/{id} with tok.
func (f *fixture) self(id int, tok string) *resttest.Response {
	return f.get("/api/Customers/"+strconv.Itoa(id), tok)
}

// tokens is a store over the application's data source, to look at the
// tokens it keeps.
func (f *fixture) tokens(t *testing.T) *token.Store {
	t.Helper()
	conn, err := f.conn()
	if err != nil {
		t.Fatal(err)
	}
	if sc, ok := conn.(*sql.Connector); ok {
		if err := sc.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sc.Stop(context.Background()) })
	}
	st, err := token.NewStore(conn, token.StoreOptions{Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// mailTo is the last mail sent to addr.
func (f *fixture) mailTo(t *testing.T, addr string) user.Message {
	t.Helper()
	m, ok := f.mail.Last(addr)
	if !ok {
		t.Fatalf("no mail was sent to %s", addr)
	}
	return m
}

var _ = http.StatusOK
