package context_test

import (
	stdctx "context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

type ctxKey struct{}

func TestRequestContext_IsAContextOfTheRequest(t *testing.T) {
	parent, cancel := stdctx.WithTimeout(stdctx.WithValue(stdctx.Background(), ctxKey{}, "v"), time.Minute)
	req := httptest.NewRequest("GET", "/", nil).WithContext(parent)
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), req)

	if _, ok := rc.Deadline(); !ok {
		t.Error("the request's deadline is lost")
	}
	if rc.Value(ctxKey{}) != "v" {
		t.Error("the request's values are lost")
	}
	cancel()
	<-rc.Done() // closed by the request's cancel; never closed meets go test's timeout
	if !errors.Is(rc.Err(), stdctx.Canceled) {
		t.Errorf("Err = %v", rc.Err())
	}
	derived, stop := stdctx.WithCancel(rc)
	defer stop()
	if got, ok := loomctx.FromContext(derived); !ok || got != rc {
		t.Error("FromContext does not find the RequestContext behind a derived context")
	}
}

func TestResponseWriter_RecordsStatusAndBytes(t *testing.T) {
	rec := httptest.NewRecorder()
	rw := loomctx.NewResponseWriter(rec)
	if rw.HeaderSent() {
		t.Fatal("nothing was sent yet")
	}
	rw.Write([]byte("hello"))
	rw.WriteHeader(http.StatusTeapot) // too late: ignored
	if rw.Status() != 200 || rw.Written() != 5 || rec.Code != 200 {
		t.Errorf("status %d written %d recorded %d", rw.Status(), rw.Written(), rec.Code)
	}
}

func TestResponseWriter_InformationalStatusIsNotTheResponsesStatus(t *testing.T) {
	rec := httptest.NewRecorder()
	rw := loomctx.NewResponseWriter(rec)
	rw.WriteHeader(http.StatusEarlyHints)
	if rw.HeaderSent() || rw.Status() != 0 {
		t.Fatalf("a 103 counts as the response: status %d", rw.Status())
	}
	rw.WriteHeader(http.StatusCreated)
	if rw.Status() != http.StatusCreated {
		t.Errorf("status %d, want 201", rw.Status())
	}
}

func TestKeys_OfOneNameAndDifferentTypes_AreDifferent(t *testing.T) {
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	loomctx.NewKey[string]("k").Set(rc, "text")
	loomctx.NewKey[int]("k").Set(rc, 7)
	s, _ := loomctx.NewKey[string]("k").Get(rc)
	n, _ := loomctx.NewKey[int]("k").Get(rc)
	if s != "text" || n != 7 {
		t.Errorf("got %q and %d", s, n)
	}
	if _, ok := loomctx.NewKey[string]("other").Get(rc); ok {
		t.Error("an unset key has a value")
	}
}

func TestOverride_OfANamedKey_ReachesConsumersInOtherModules(t *testing.T) {
	key := loomctx.NewKey[string]("greeting")
	var got string
	app := fx.New(fx.NopLogger,
		fx.Module("framework",
			loomctx.Bind(key, func() string { return "hello" }),
			fx.Invoke(fx.Annotate(func(s string) { got = s }, fx.ParamTags(`name:"greeting"`))),
		),
		fx.Module("user", loomctx.Override(key, func(prev string) string { return prev + " world" })),
	)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if got != "hello world" {
		t.Errorf("the framework sees %q, want %q", got, "hello world")
	}
}

func TestOverride_WithoutThePreviousValue_Replaces(t *testing.T) {
	key := loomctx.KeyOf[int]()
	var got int
	app := fx.New(fx.NopLogger,
		loomctx.Bind(key, func() int { return 1 }),
		loomctx.Override(key, func() int { return 2 }),
		loomctx.Override(key, func(prev int) int { return prev * 10 }),
		fx.Invoke(func(n int) { got = n }))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if got != 20 {
		t.Errorf("got %d, want 20", got)
	}
}

func TestOverride_ReturningAnError_FailsTheApp(t *testing.T) {
	key := loomctx.KeyOf[int]()
	app := fx.New(fx.NopLogger,
		loomctx.Bind(key, func() int { return 1 }),
		loomctx.Override(key, func(prev int) (int, error) { return 0, errors.New("no config") }),
		fx.Invoke(func(int) {}))
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), "no config") {
		t.Fatalf("err = %v", err)
	}
}

func TestOverride_OfAnUnboundKey_FailsNamingIt(t *testing.T) {
	app := fx.New(fx.NopLogger,
		loomctx.Override(loomctx.NewKey[int]("limits.max"), func() int { return 2 }))
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), `"limits.max"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestBind_WithAConstructorOfAnotherType_Fails(t *testing.T) {
	app := fx.New(fx.NopLogger, loomctx.Bind(loomctx.KeyOf[int](), func() string { return "" }))
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), "must return int") {
		t.Fatalf("err = %v", err)
	}
}

func newRC(parent stdctx.Context) *loomctx.RequestContext {
	req := httptest.NewRequest("GET", "/", nil).WithContext(parent)
	return loomctx.NewRequestContext(httptest.NewRecorder(), req)
}

func TestSetTimeout_ClosesDoneAtTheDeadline(t *testing.T) {
	rc := newRC(stdctx.Background())
	rc.SetTimeout(time.Millisecond)
	select {
	case <-rc.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done is not closed past the deadline")
	}
	if !errors.Is(rc.Err(), stdctx.DeadlineExceeded) || !errors.Is(stdctx.Cause(rc), stdctx.DeadlineExceeded) {
		t.Errorf("Err = %v, Cause = %v", rc.Err(), stdctx.Cause(rc))
	}
}

func TestSetTimeout_ErrReportsTheDeadlineWithoutDone(t *testing.T) {
	rc := newRC(stdctx.Background())
	rc.SetTimeout(time.Millisecond)
	for end := time.Now().Add(10 * time.Second); rc.Err() == nil; {
		if time.Now().After(end) {
			t.Fatal("Err stays nil past the deadline")
		}
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(rc.Err(), stdctx.DeadlineExceeded) {
		t.Errorf("Err = %v", rc.Err())
	}
}

func TestSetTimeout_KeepsTheRequestsCancellation(t *testing.T) {
	parent, cancel := stdctx.WithCancelCause(stdctx.Background())
	rc := newRC(parent)
	rc.SetTimeout(time.Hour)
	done := rc.Done()
	derived, stop := stdctx.WithCancel(rc)
	defer stop()
	stopping := errors.New("the server is stopping")
	cancel(stopping)
	<-done
	<-derived.Done()
	if !errors.Is(rc.Err(), stdctx.Canceled) || stdctx.Cause(rc) != stopping || stdctx.Cause(derived) != stopping {
		t.Errorf("Err = %v, Cause = %v, derived's Cause = %v", rc.Err(), stdctx.Cause(rc), stdctx.Cause(derived))
	}
}

func TestSetTimeout_DeadlineIsTheEarlierOfTheRequestsAndItsOwn(t *testing.T) {
	parent, cancel := stdctx.WithTimeout(stdctx.Background(), time.Hour)
	defer cancel()
	rc := newRC(parent)
	want, _ := parent.Deadline()
	if got, ok := rc.Deadline(); !ok || !got.Equal(want) {
		t.Errorf("without a timeout, Deadline = %v, want the request's %v", got, want)
	}
	rc.SetTimeout(time.Minute)
	if got, _ := rc.Deadline(); !got.Before(want) || rc.Timeout() != time.Minute {
		t.Errorf("with a 1m timeout, Deadline = %v, Timeout = %v", got, rc.Timeout())
	}
	rc.SetTimeout(2 * time.Hour)
	if got, _ := rc.Deadline(); !got.Equal(want) {
		t.Errorf("with a 2h timeout, Deadline = %v, want the request's %v", got, want)
	}
}

func TestSetTimeout_NegativeRemovesIt(t *testing.T) {
	rc := newRC(stdctx.Background())
	rc.SetTimeout(time.Nanosecond)
	rc.SetTimeout(-1)
	if _, ok := rc.Deadline(); ok || rc.Err() != nil || rc.Done() != nil || rc.Timeout() != 0 {
		t.Errorf("after SetTimeout(-1): Deadline ok=%v Err=%v Timeout=%v", ok, rc.Err(), rc.Timeout())
	}
}

func TestSetTimeout_CountsFromTheFirstCall(t *testing.T) {
	rc := newRC(stdctx.Background())
	rc.SetTimeout(time.Hour)
	first, _ := rc.Deadline()
	rc.SetTimeout(2 * time.Hour)
	if second, _ := rc.Deadline(); second.Sub(first) != time.Hour {
		t.Errorf("the second deadline is %v after the first, want 1h", second.Sub(first))
	}
}

func TestDone_FromManyGoroutines_IsOneChannel(t *testing.T) {
	rc := newRC(stdctx.Background())
	rc.SetTimeout(time.Hour)
	chans := make(chan (<-chan struct{}), 8)
	for range 8 {
		go func() { chans <- rc.Done() }()
	}
	first := <-chans
	for range 7 {
		if <-chans != first {
			t.Fatal("Done returned two channels for one deadline")
		}
	}
}
