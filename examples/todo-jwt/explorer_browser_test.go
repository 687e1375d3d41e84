package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"golang.org/x/crypto/bcrypt"

	"github.com/loomhq/loom/examples/todo-jwt/internal/browsertest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// whoAmIBlock is GET /whoAmI's block in Swagger UI.
const whoAmIBlock = `//div[contains(@class,"opblock-get")][.//*[@data-path="/whoAmI"]]`

// TestExplorer_AuthorizeSendsTheTokenInHeadlessChromium drives the API
// Explorer in a real browser: a token typed into the jwt scheme's field
// of the Authorize dialog goes with "Try it out" to an operation that
// needs it, and without it (before authorizing, or after a reload) the
// same request is refused. .ci/run installs
// chromium and chromium-driver and sets LOOM_REQUIRE_CHROMIUM.
func TestExplorer_AuthorizeSendsTheTokenInHeadlessChromium(t *testing.T) {
	browser := browsertest.Open(t)

	// Given the example started on a free port, a user signed up and
	// logged in over HTTP, and the page's requests to /whoAmI recorded,
	app, err := NewApplication(Config{Host: "127.0.0.1", JWTSecret: testSecret, BcryptCost: bcrypt.MinCost},
		rest.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	c := &client{App: resttest.Adopt(t, app), t: t}
	id, token := c.signUpAndLogIn(email, password)
	var mu sync.Mutex
	var sent []string // the Authorization header of each GET /whoAmI
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/whoAmI" {
			mu.Lock()
			sent = append(sent, r.Header.Get("Authorization"))
			mu.Unlock()
		}
		app.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// when the explorer executes GET /whoAmI without authorizing,
	browser.Navigate(srv.URL + "/explorer/")
	status, body := execute(browser)
	t.Logf("without a token the page shows %q %q", status, body)
	// then the page shows the 401 of a missing token,
	if !strings.HasPrefix(status, "401") || !strings.Contains(body, "UnauthorizedError") {
		t.Errorf("without a token the page shows %q %q, want a 401", status, body)
	}

	// and when, in a new page, the token is typed into the jwt scheme's
	// bearer field of the Authorize dialog, authorized, the dialog closed,
	// and the request executed again,
	browser.Navigate(srv.URL + "/explorer/")
	browser.Find("button.btn.authorize").Click()
	jwtScheme := browser.FindXPath(`//div[contains(@class,"modal-ux")]//div[contains(@class,"auth-container")][.//h4[contains(normalize-space(.),"jwt")]]`)
	jwtScheme.Find(`input[aria-label="auth-bearer-value"]`).SendKeys(token)
	jwtScheme.Find("button.modal-btn.authorize").Click()
	if got := jwtScheme.Find("h6").Text(); got != "Authorized" {
		t.Errorf("after Authorize the jwt scheme says %q, want Authorized", got)
	}
	jwtScheme.Find("button.btn-done").Click()
	status, body = execute(browser)
	t.Logf("with the token the page shows %q %q", status, body)

	// then the page shows the 200 and the user's id,
	if !strings.HasPrefix(status, "200") || body != id {
		t.Errorf("with the token the page shows %q %q, want 200 %q", status, body, id)
	}

	// and when the page is loaded again, the token is forgotten: the page
	// keeps it in memory only (no persistAuthorization),
	browser.Navigate(srv.URL + "/explorer/")
	status, body = execute(browser)
	t.Logf("after a reload the page shows %q %q", status, body)
	if !strings.HasPrefix(status, "401") {
		t.Errorf("after a reload the page shows %q %q, want a 401", status, body)
	}

	// and the server received the token, as a bearer token, with the
	// authorized request only.
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 3 || sent[0] != "" || sent[1] != "Bearer "+token || sent[2] != "" {
		t.Errorf("GET /whoAmI received Authorization %q, want none, the bearer token, none", sent)
	}
}

// execute expands GET /whoAmI in the explorer's page, tries it out and
// answers the status and body the page shows.
func execute(browser *browsertest.Session) (status, body string) {
	op := browser.FindXPath(whoAmIBlock)
	op.Find("button.opblock-summary-control").Click()
	op.Find("button.try-out__btn").Click()
	op.Find("button.execute").Click()
	live := op.Find(".live-responses-table .response")
	return live.Find(".response-col_status").Text(), live.Find(".response-col_description pre").Text()
}
