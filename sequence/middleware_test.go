package sequence_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
)

func TestDefaultSequence_InvokesMiddlewareAfterFindRouteAndBeforeAuthenticate(t *testing.T) {
	var trail []string
	seq := tracing(&trail, "")
	seq.Authenticate = func(rc *loomctx.RequestContext) (*authentication.Profile, error) {
		trail = append(trail, "authenticate")
		return nil, nil
	}
	seq.InvokeMiddleware = actions.NewInvokeMiddleware(actions.InvokeMiddlewareParams{
		Chain: actions.SequenceMiddleware{func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				trail = append(trail, "middleware")
				next.ServeHTTP(w, r)
				trail = append(trail, "after")
			})
		}},
	})
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	seq.Handle(rc)
	want := "findRoute middleware authenticate parseParams invoke send result:args after"
	if got := strings.Join(trail, " "); got != want {
		t.Fatalf("trail %q, want %q", got, want)
	}
}

func TestNewInvokeMiddleware_IsNilWithoutMiddleware(t *testing.T) {
	if actions.NewInvokeMiddleware(actions.InvokeMiddlewareParams{}) != nil {
		t.Fatal("an empty chain must leave the sequence a direct call")
	}
}
