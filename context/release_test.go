package context

import (
	stdctx "context"
	"net/http/httptest"
	"testing"
	"time"
)

var secretKey = NewKey[string]("test.secret")

// reuse releases rc and takes new contexts until the pool hands rc back,
// which it does at once unless a collection or the race detector's
// random drops intervene; nil when it never does.
func reuse(rc *RequestContext) *RequestContext {
	r := httptest.NewRequest("GET", "/next", nil)
	rc.release()
	for range 200 {
		next := NewRequestContext(httptest.NewRecorder(), r)
		if next == rc {
			return next
		}
		next.release()
	}
	return nil
}

func TestRelease_ReusesAContextWithNothingOfItsLastRequest(t *testing.T) {
	for range 50 {
		rc := NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("POST", "/first", nil))
		secretKey.Set(rc, "the first request's")
		rc.SetTimeout(time.Second)
		rc.PathParams = append(rc.PathParams, Param{Name: "id", Value: "1"})
		rc.Args, rc.Result = 1, 2
		rc.Response.WriteHeader(201)
		next := reuse(rc)
		if next == nil {
			continue // dropped by the pool: try again
		}
		if v, ok := secretKey.Get(next); ok || next.Value(secretKey) != nil {
			t.Errorf("a reused context still holds %q", v)
		}
		if next.Request.URL.Path != "/next" || next.Timeout() != 0 || len(next.PathParams) != 0 ||
			next.Args != nil || next.Result != nil || next.Route != nil || next.Response.Status() != 0 {
			t.Errorf("a reused context kept its last request's state: %+v", next)
		}
		if _, ok := next.Deadline(); ok {
			t.Error("a reused context kept its last request's deadline")
		}
		return
	}
	t.Fatal("the pool never handed a released context back")
}

func TestRelease_LeavesAContextWhoseDoneWasTakenToTheCollector(t *testing.T) {
	rc := NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	rc.SetTimeout(time.Minute)
	done := rc.Done()
	if reuse(rc) != nil {
		t.Fatal("a context whose Done channel was taken was reused")
	}
	select {
	case <-done:
		t.Fatal("its Done channel closed")
	default:
	}
}

func TestRelease_LeavesAContextDerivedFromToTheCollector(t *testing.T) {
	rc := NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	_, cancel := stdctx.WithCancel(rc)
	defer cancel()
	if reuse(rc) != nil {
		t.Fatal("a context with a cancelable child was reused")
	}
}

func TestRelease_LeavesAContextHandedToMiddlewareToTheCollector(t *testing.T) {
	rc := NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	_ = rc.HTTPRequest()
	if reuse(rc) != nil {
		t.Fatal("a context handed to middleware was reused")
	}
}
