package rest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type envelope struct {
	Error struct {
		StatusCode int             `json:"statusCode"`
		Name       string          `json:"name"`
		Message    string          `json:"message"`
		Code       string          `json:"code"`
		Details    json.RawMessage `json:"details"`
		Stack      string          `json:"stack"`
	} `json:"error"`
}

func decodeEnvelope(t *testing.T, body string) envelope {
	t.Helper()
	var env envelope
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("body is not an error envelope: %v: %s", err, body)
	}
	return env
}

func TestRoutes_LiteralSegmentsAndParametersEachReachTheirOwnHandler(t *testing.T) {
	app := startApp(t, newTodoController())
	cases := []struct{ path, want string }{
		{"/todos/count", `{"count":3}`},
		{"/todos/5", `{"id":5,"title":"found","isComplete":false}`},
		{"/todos/5/exists", `{"exists":true}`},
		{"/todos/7/exists", `{"exists":false}`},
		{"/todos/5/", `{"id":5,"title":"found","isComplete":false}`},
	}
	for _, c := range cases {
		status, _, body := call(t, "GET", app.URL()+c.path, "")
		if status != 200 || body != c.want {
			t.Errorf("GET %s = %d %s, want 200 %s", c.path, status, body, c.want)
		}
	}
}

func TestErrors_AreAnsweredInLoopBacksEnvelope(t *testing.T) {
	app := startApp(t, newTodoController())
	big := `{"title":"x","desc":"` + strings.Repeat("a", 1<<20) + `"}`
	cases := []struct {
		name        string
		method      string
		path        string
		body        string
		contentType string
		status      int
		errName     string
		code        string
		message     string
		details     string // a substring of the details JSON
	}{
		{name: "unknown path", method: "GET", path: "/nope", status: 404, errName: "NotFoundError",
			message: `Endpoint "GET /nope" not found.`},
		{name: "known path, other verb", method: "PUT", path: "/todos/count", status: 405,
			errName: "MethodNotAllowedError"},
		{name: "path parameter of the wrong type", method: "GET", path: "/todos/abc", status: 400,
			errName: "BadRequestError", code: "INVALID_PARAMETER_VALUE", message: `Invalid data "abc" for parameter "id".`},
		{name: "required query parameter missing", method: "GET", path: "/search", status: 400,
			errName: "BadRequestError", code: "MISSING_REQUIRED_PARAMETER", message: "Required parameter q is missing!"},
		{name: "query parameter out of range", method: "GET", path: "/search?q=a&limit=101", status: 400,
			code: "INVALID_PARAMETER_VALUE"},
		{name: "malformed JSON query object", method: "GET", path: "/todos/count?where={bad", status: 400,
			code: "INVALID_PARAMETER_VALUE", details: "syntaxError"},
		{name: "body without required property", method: "POST", path: "/todos", body: `{"desc":"d"}`, status: 422,
			errName: "UnprocessableEntityError", code: "VALIDATION_FAILED", details: `"missingProperty":"title"`},
		{name: "body with a value of the wrong type", method: "POST", path: "/todos", body: `{"title":"t","isComplete":"yes"}`,
			status: 422, code: "VALIDATION_FAILED", details: `"path":"/isComplete"`},
		{name: "body with an unknown property", method: "POST", path: "/todos", body: `{"title":"t","id":3}`, status: 422,
			code: "VALIDATION_FAILED", details: `"additionalProperty":"id"`},
		{name: "body with a duplicate key", method: "POST", path: "/todos", body: `{"title":"a","title":"b"}`, status: 422,
			code: "VALIDATION_FAILED"},
		{name: "body with a key in another case", method: "POST", path: "/todos", body: `{"title":"a","TITLE":"b"}`, status: 422,
			code: "VALIDATION_FAILED"},
		{name: "body failing a validator rule", method: "POST", path: "/todos", body: `{"title":"` + strings.Repeat("x", 21) + `"}`,
			status: 422, code: "VALIDATION_FAILED", details: `"path":"/title"`},
		{name: "malformed JSON body", method: "POST", path: "/todos", body: `{"title":`, status: 400, errName: "SyntaxError"},
		{name: "__proto__ in the body", method: "POST", path: "/todos", body: `{"title":"t","__proto__":{"x":1}}`, status: 400,
			message: `JSON string cannot contain "__proto__" key.`},
		{name: "constructor.prototype in the body", method: "POST", path: "/todos", body: `{"title":"t","constructor":{"prototype":{}}}`,
			status: 400},
		{name: "body of an undeclared media type", method: "POST", path: "/todos", body: `title=x`, contentType: "text/plain",
			status: 415, errName: "UnsupportedMediaTypeError", code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "body over the limit", method: "POST", path: "/todos", body: big, status: 413, errName: "PayloadTooLargeError"},
		{name: "error with a code and no status", method: "GET", path: "/todos/7", status: 404, errName: "NotFoundError",
			code: "ENTITY_NOT_FOUND", message: "Entity not found: Todo with id 7"},
		{name: "error with its own status and code", method: "GET", path: "/gone", status: 410, errName: "GoneError", code: "GONE"},
		{name: "plain error", method: "GET", path: "/fail", status: 500, message: "Internal Server Error"},
		{name: "panic in a handler", method: "GET", path: "/boom", status: 500, message: "Internal Server Error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := []string{}
			if c.contentType != "" {
				hdr = append(hdr, "Content-Type", c.contentType)
			}
			status, h, body := call(t, c.method, app.URL()+c.path, c.body, hdr...)
			if status != c.status {
				t.Fatalf("status = %d, want %d; body %s", status, c.status, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options missing")
			}
			env := decodeEnvelope(t, body)
			e := env.Error
			if e.StatusCode != c.status {
				t.Errorf("statusCode = %d, want %d", e.StatusCode, c.status)
			}
			if c.errName != "" && e.Name != c.errName {
				t.Errorf("name = %q, want %q", e.Name, c.errName)
			}
			if e.Code != c.code {
				t.Errorf("code = %q, want %q", e.Code, c.code)
			}
			if c.message != "" && e.Message != c.message {
				t.Errorf("message = %q, want %q", e.Message, c.message)
			}
			if c.details != "" && !strings.Contains(string(e.Details), c.details) {
				t.Errorf("details = %s, want them to contain %s", e.Details, c.details)
			}
			if c.status >= 500 && (e.Name != "" || e.Stack != "" || len(e.Details) != 0) {
				t.Errorf("a 5xx leaks internals: %s", body)
			}
		})
	}
}

func TestErrors_MethodNotAllowedListsTheAllowedVerbs(t *testing.T) {
	app := startApp(t, newTodoController())
	status, h, _ := call(t, "PATCH", app.URL()+"/todos/5", "")
	if status != http.StatusMethodNotAllowed {
		t.Fatalf("status = %d", status)
	}
	if got := h.Get("Allow"); got != "DELETE, GET, HEAD" {
		t.Errorf("Allow = %q, want %q", got, "DELETE, GET, HEAD")
	}
}

func TestBodyLimit_AcceptsExactlyTheLimit(t *testing.T) {
	app := startApp(t, newTodoController())
	prefix, suffix := `{"title":"x","desc":"`, `"}`
	body := prefix + strings.Repeat("a", 1<<20-len(prefix)-len(suffix)) + suffix
	if len(body) != 1<<20 {
		t.Fatalf("body is %d bytes", len(body))
	}
	if status, _, resp := call(t, "POST", app.URL()+"/todos", body); status != 200 {
		t.Fatalf("a body of exactly 1 MiB: status %d %s", status, resp)
	}
	if status, _, _ := call(t, "POST", app.URL()+"/todos", body[:len(body)-2]+`a"}`); status != 413 {
		t.Fatalf("a body one byte over 1 MiB: status %d, want 413", status)
	}
}

func TestPanic_IsA500AndTheServerKeepsServing(t *testing.T) {
	app := startApp(t, newTodoController())
	for i := 0; i < 3; i++ {
		if status, _, _ := call(t, "GET", app.URL()+"/boom", ""); status != 500 {
			t.Fatalf("panic: status %d, want 500", status)
		}
		if status, _, _ := call(t, "GET", app.URL()+"/todos/1", ""); status != 200 {
			t.Fatalf("the request after a panic: status %d, want 200", status)
		}
	}
}

func TestSend_WritesEachKindOfResult(t *testing.T) {
	app := startApp(t, newTodoController())
	cases := []struct {
		method, path, body string
		status             int
		contentType        string
		want               string
	}{
		{"GET", "/todos/1", "", 200, "application/json", `{"id":1,"title":"found","isComplete":false}`},
		{"GET", "/text", "", 200, "text/plain; charset=utf-8", "plain words"},
		{"GET", "/bytes", "", 200, "application/octet-stream", "\x00\x01\x02"},
		{"GET", "/stream", "", 200, "application/octet-stream", "streamed"},
		{"DELETE", "/todos/1", "", 204, "", ""},
		{"POST", "/created", `{"title":"new"}`, 201, "application/json", `{"id":2,"title":"new","isComplete":false}`},
	}
	for _, c := range cases {
		status, h, body := call(t, c.method, app.URL()+c.path, c.body)
		if status != c.status || h.Get("Content-Type") != c.contentType || body != c.want {
			t.Errorf("%s %s = %d %q %q, want %d %q %q", c.method, c.path, status, h.Get("Content-Type"), body,
				c.status, c.contentType, c.want)
		}
	}
}

func TestHead_IsAnsweredForGetRoutes(t *testing.T) {
	app := startApp(t, newTodoController())
	status, h, body := call(t, "HEAD", app.URL()+"/todos/1", "")
	if status != 200 || body != "" || h.Get("Content-Type") != "application/json" {
		t.Fatalf("HEAD = %d %q %q", status, h.Get("Content-Type"), body)
	}
}
