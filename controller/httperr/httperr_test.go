package httperr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/loomhq/loom/controller/httperr"
)

type repoNotFound struct{}

func (repoNotFound) Error() string     { return "Entity not found: Todo with id 7" }
func (repoNotFound) ErrorCode() string { return "ENTITY_NOT_FOUND" }

func TestEnvelopeOf(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"a 4xx keeps its name, message, code and details",
			httperr.BadRequest("bad").WithCode("C").WithDetails(map[string]int{"a": 1}),
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"bad","code":"C","details":{"a":1}}}`},
		{"a code without a status takes the code's status",
			fmt.Errorf("wrapped: %w", repoNotFound{}),
			`{"error":{"statusCode":404,"name":"NotFoundError","message":"wrapped: Entity not found: Todo with id 7","code":"ENTITY_NOT_FOUND"}}`},
		{"a plain error is a 500 that hides its message",
			errors.New("secret"),
			`{"error":{"statusCode":500,"message":"Internal Server Error"}}`},
		{"a 5xx hides its message too",
			httperr.Internal("secret"),
			`{"error":{"statusCode":500,"message":"Internal Server Error"}}`},
		{"a 503 says what the server could not do",
			httperr.DeadlineExceeded(30 * time.Second),
			`{"error":{"statusCode":503,"name":"ServiceUnavailableError","message":"The request did not finish within its 30s deadline.","code":"REQUEST_TIMEOUT"}}`},
		{"a stopping server's 503",
			fmt.Errorf("cut: %w", httperr.ServerStopping()),
			`{"error":{"statusCode":503,"name":"ServiceUnavailableError","message":"cut: The server stopped before the request finished.","code":"SERVER_STOPPING"}}`},
		{"a 500 wrapping a 503 still hides its message",
			httperr.Internal("secret").WithCause(httperr.ServiceUnavailable("x")),
			`{"error":{"statusCode":500,"message":"Internal Server Error"}}`},
		{"a renamed error keeps its new name",
			httperr.BadRequest("x").WithName("SyntaxError"),
			`{"error":{"statusCode":400,"name":"SyntaxError","message":"x"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, _ := json.Marshal(httperr.EnvelopeOf(c.err, false))
			if string(b) != c.want {
				t.Errorf("got  %s\nwant %s", b, c.want)
			}
		})
	}
}

func TestEnvelopeOf_InDebug_KeepsTheMessageOf5xx(t *testing.T) {
	env := httperr.EnvelopeOf(errors.New("secret"), true)
	if env.Error.Message != "secret" {
		t.Errorf("message = %q", env.Error.Message)
	}
}

func TestWith_ReturnsCopies(t *testing.T) {
	base := httperr.NotFound("x")
	_ = base.WithCode("C")
	if base.ErrorCode() != "" {
		t.Error("WithCode changed the original")
	}
	cause := errors.New("cause")
	if !errors.Is(base.WithCause(cause), cause) || !errors.Is(httperr.Wrap(400, cause), cause) {
		t.Error("the cause is lost")
	}
}

func TestNameOf_UnknownStatus_IsError(t *testing.T) {
	if httperr.NameOf(299) != "Error" || httperr.NameOf(404) != "NotFoundError" {
		t.Error("wrong names")
	}
}

func ExampleEnvelopeOf() {
	err := httperr.NotFound("Todo 7 not found").WithCode("ENTITY_NOT_FOUND")
	b, _ := json.Marshal(httperr.EnvelopeOf(err, false))
	fmt.Println(string(b))
	// Output:
	// {"error":{"statusCode":404,"name":"NotFoundError","message":"Todo 7 not found","code":"ENTITY_NOT_FOUND"}}
}

func TestInvalidParameter_ALongValueIsClippedInTheMessage(t *testing.T) {
	long := `"` + strings.Repeat("é", 600) + `"`
	msg := httperr.InvalidParameter("filter", long, nil).Error()
	if len(msg) > 600 {
		t.Fatalf("message of %d bytes repeats the whole value", len(msg))
	}
	if !strings.HasPrefix(msg, `Invalid data "éé`) || !strings.HasSuffix(msg, `é… for parameter "filter".`) {
		t.Fatalf("message = %q, want the value's start, an ellipsis and the parameter", msg)
	}
	if !utf8.ValidString(msg) {
		t.Fatal("clipped message is not valid UTF-8")
	}
}

func TestInvalidParameter_AShortValueIsRepeatedWhole(t *testing.T) {
	if got, want := httperr.InvalidParameter("id", `"abc"`, nil).Error(), `Invalid data "abc" for parameter "id".`; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
}
