package context

import (
	stdctx "context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/loomhq/loom/internal/reqmem"
)

// RouteInfo is what the request context knows of the matched route. The
// actions package's route satisfies it; context itself imports no other
// package of Loom's API, so it names only what every route has.
type RouteInfo interface {
	// Method is the HTTP method the route answers, upper case.
	Method() string
	// Template is the route's path in OpenAPI form, such as /todos/{id}.
	Template() string
	// OperationID is <Controller>.<method>, such as TodoController.create.
	OperationID() string
}

// Param is one path parameter captured by the router.
type Param struct {
	Name  string
	Value string
}

// Params are the path parameters of the matched route, in template order.
type Params []Param

// Get returns the value of the named parameter and whether it was captured.
func (ps Params) Get(name string) (string, bool) {
	for i := range ps {
		if ps[i].Name == name {
			return ps[i].Value, true
		}
	}
	return "", false
}

// RequestContext is the state of one request as it flows through the
// sequence: the request, the response writer, the matched route, its path
// parameters, the parsed arguments, the handler's result and request-scoped
// values. It satisfies [context.Context] with the request's deadline,
// cancellation and values, so handlers and repositories can take it as one.
//
// Its deadline is the one set with [RequestContext.SetTimeout] or, when
// earlier, the *http.Request context's: the REST server sets its
// RequestTimeout before the sequence runs, and findRoute replaces it with
// the matched route's. Done and Err report both, and the request's
// cancellation (the client went away, the server is stopping).
//
// A RequestContext belongs to one request; do not keep it after the
// request's handler has returned. The REST server reuses it for a later
// request once the request is answered, unless its Done channel was
// taken, which every goroutine that waits for the request's end does
// first, or net/http middleware were handed it. Work that outlives the
// request starts from context.WithoutCancel(rc.Request.Context()), not
// from rc.
type RequestContext struct {
	// Request is the incoming HTTP request.
	Request *http.Request
	// Response writes the answer and records its status and size.
	Response *ResponseWriter
	// Route is the matched route, nil until findRoute has run.
	Route RouteInfo
	// PathParams are the route's path parameters, set by findRoute.
	PathParams Params
	// Args is the parsed input of the route's handler, set by parseParams.
	Args any
	// Result is the handler's result, set by invoke.
	Result any

	response  ResponseWriter
	paramsBuf [4]Param // PathParams' first backing array: most routes fit
	// argsBuf holds Args when the input has no pointers and fits (see
	// internal/reqmem): most inputs of numeric ids.
	argsBuf [reqmem.Size / 8]uint64
	values  map[any]any

	// bindings are the application's request-scoped bindings, which
	// Key.Resolve runs; resolving are those running now, to tell a cycle.
	bindings     *RequestBindings
	resolving    []*RequestBinding
	resolvingBuf [2]*RequestBinding // resolving's first array: nesting is shallow

	// base is the context of the request the server received: the
	// deadline, cancellation and values below every middleware's.
	base stdctx.Context
	// overlay is the context of the request the last middleware passed on
	// (see [RequestContext.Adopt]), derived from bound; nil while no
	// middleware has run.
	overlay stdctx.Context
	// bound is the context middleware derive from: rc, without overlay,
	// so that a derived context's lookups end at rc instead of looping.
	bound boundary
	// chained is the request handed to middleware, whose context is bound
	// or derives from it; made once.
	chained *http.Request

	// The request's own deadline, epoch+started+timeout. No timer runs
	// until someone asks for Done: until then Err compares it with the
	// clock.
	started time.Duration // since epoch, when the first timeout was set
	timeout time.Duration // 0: none
	timed   atomic.Pointer[timedContext]

	// shared is set once rc may be held beyond its request: its Done
	// channel was taken or middleware were handed it. release then
	// leaves it to the garbage collector instead of reusing it.
	shared atomic.Bool
}

func init() {
	reqmem.Release = func(p unsafe.Pointer) { (*RequestContext)(p).release() }
	reqmem.Input = func(p unsafe.Pointer, size uintptr) unsafe.Pointer {
		rc := (*RequestContext)(p)
		clear(rc.argsBuf[:(size+7)/8])
		return unsafe.Pointer(&rc.argsBuf)
	}
}

// requestContexts holds request contexts released for reuse.
var requestContexts = sync.Pool{New: func() any { return new(RequestContext) }}

// epoch is the monotonic origin of request start times, which keeps them
// a third of a time.Time's size.
var epoch = time.Now()

// timedContext is the request's context with the own deadline, made when
// first needed.
type timedContext struct {
	stdctx.Context
	cancel   stdctx.CancelFunc
	deadline time.Time
}

// NewRequestContext returns the context of one request answered through w.
// It may be one the REST server released for reuse.
func NewRequestContext(w http.ResponseWriter, r *http.Request) *RequestContext {
	rc := requestContexts.Get().(*RequestContext)
	rc.Request, rc.base = r, r.Context()
	rc.response.w = w
	rc.Response = &rc.response
	rc.PathParams = rc.paramsBuf[:0]
	rc.bound.rc = rc
	return rc
}

// release ends rc's use: once the request's handler and everything that
// ran in its sequence has returned, the server may hand rc to a later
// request, which saves every request an allocation. A context whose Done
// channel was taken, or that middleware were handed, is left to the
// garbage collector instead, since a goroutine may still wait on it. The
// REST server calls it through internal/reqmem.
func (rc *RequestContext) release() {
	if rc.shared.Load() {
		return
	}
	if t := rc.timed.Load(); t != nil {
		// Made for a Value lookup: nobody holds its Done channel.
		t.cancel()
		rc.timed.Store(nil)
	}
	// Field by field rather than one assignment of the zero value: while
	// the collector runs, clearing the whole struct costs a write barrier
	// per word.
	// Each pointer written costs a write barrier then, so the fields most
	// requests leave nil are tested first.
	rc.Request, rc.Response, rc.Route, rc.PathParams = nil, nil, nil, nil
	rc.Args, rc.Result = nil, nil
	rc.response = ResponseWriter{}
	for i := range rc.paramsBuf {
		if rc.paramsBuf[i] == (Param{}) {
			break
		}
		rc.paramsBuf[i] = Param{}
	}
	if len(rc.values) > 0 {
		clear(rc.values)
	}
	if rc.bindings != nil {
		rc.bindings = nil
	}
	if rc.resolving != nil {
		rc.resolving, rc.resolvingBuf = nil, [2]*RequestBinding{}
	}
	if rc.overlay != nil || rc.chained != nil {
		rc.overlay, rc.chained = nil, nil
	}
	rc.base = nil
	rc.started, rc.timeout = 0, 0
	requestContexts.Put(rc)
}

// HTTPRequest is the request to hand to net/http middleware: rc.Request,
// with a context that is, or derives from, rc, so that middleware find rc
// with [FromContext] and see its deadline and request-scoped values. The
// request is made once per request context, on first use.
func (rc *RequestContext) HTTPRequest() *http.Request {
	if rc.chained != nil && rc.chained == rc.Request {
		return rc.chained
	}
	if rc.overlay != nil {
		// The request a middleware passed on already derives from rc.
		return rc.Request
	}
	rc.share()
	rc.chained = rc.Request.WithContext(&rc.bound)
	return rc.chained
}

// Adopt makes w and r, as a chain of net/http middleware passed them on,
// the request and response the rest of the sequence works with: values,
// deadlines and cancellation the middleware added to r's context become
// rc's, and a writer a middleware wrapped (compression, say) is written
// through. r must be, or derive from, the request [RequestContext.HTTPRequest]
// gave. The REST server calls it at the end of every middleware chain.
func (rc *RequestContext) Adopt(w http.ResponseWriter, r *http.Request) {
	if r != nil && r != rc.Request {
		rc.Request = r
		if ctx := r.Context(); ctx != stdctx.Context(&rc.bound) {
			rc.overlay = ctx
		}
	}
	if w != nil && w != http.ResponseWriter(rc.Response) {
		rc.Response = NewResponseWriter(w)
	}
}

// boundary is rc as the parent of the contexts middleware derive: it
// answers from rc's own values and the server's request context, never
// from the contexts derived from it.
type boundary struct{ rc *RequestContext }

func (b *boundary) Deadline() (time.Time, bool) { return b.rc.baseDeadline() }
func (b *boundary) Done() <-chan struct{}       { return b.rc.baseDone() }
func (b *boundary) Err() error                  { return b.rc.baseErr() }
func (b *boundary) Value(key any) any {
	if key == (requestContextKey{}) {
		return b.rc
	}
	if v, ok := b.rc.values[key]; ok {
		return v
	}
	return b.rc.baseValue(key)
}

type requestContextKey struct{}

// FromContext returns the RequestContext that ctx is, or is derived from.
func FromContext(ctx stdctx.Context) (*RequestContext, bool) {
	if rc, ok := ctx.(*RequestContext); ok {
		return rc, true
	}
	rc, ok := ctx.Value(requestContextKey{}).(*RequestContext)
	return rc, ok
}

// SetTimeout gives the request its own deadline, d after the first call to
// SetTimeout, which the REST server makes as the request arrives; a
// later call (findRoute's, with the route's timeout) moves the deadline
// but keeps that start. d <= 0 removes it. Call it from the request's own
// goroutine, before the context is shared; a Done channel taken before a
// later call keeps the deadline it was taken with.
//
// The start is read from a clock that a busy server reads once a
// millisecond or so (see startClock), so a deadline may come that much
// early; no request pays for a clock reading of its own.
func (rc *RequestContext) SetTimeout(d time.Duration) {
	if rc.started == 0 {
		rc.started = startClock.since()
	}
	rc.timeout = max(d, 0)
}

// coarseClock is the time since epoch as last read, for request start
// times: reading the clock costs more than some whole handlers. A reading
// is kept for a millisecond, after which a timer clears it and the next
// request reads the clock again; an idle server's timer stays stopped.
type coarseClock struct {
	now   atomic.Int64 // the last reading, as a time.Duration; 0: none
	armed atomic.Bool  // the timer will clear now
	timer *time.Timer
}

// coarseFor is how long a reading is used.
const coarseFor = time.Millisecond

// startClock is the clock of request start times.
var startClock = newCoarseClock()

func newCoarseClock() *coarseClock {
	c := &coarseClock{}
	c.timer = time.AfterFunc(time.Hour, c.expire)
	c.timer.Stop()
	return c
}

// since is the time since epoch, at most about coarseFor ago (more if the
// timer runs late), and never 0.
func (c *coarseClock) since() time.Duration {
	if n := c.now.Load(); n != 0 {
		return time.Duration(n)
	}
	n := max(time.Since(epoch), 1)
	c.now.Store(int64(n))
	// Whoever arms the timer after it cleared now sees now again: armed
	// is cleared before now, and set after now is stored.
	if c.armed.CompareAndSwap(false, true) {
		c.timer.Reset(coarseFor)
	}
	return n
}

// expire forgets the reading.
func (c *coarseClock) expire() {
	c.armed.Store(false)
	c.now.Store(0)
}

// Timeout is the request's own timeout, as last set with SetTimeout; 0
// when it has none.
func (rc *RequestContext) Timeout() time.Duration { return rc.timeout }

// ownDeadline is the deadline set with SetTimeout; zero when none.
func (rc *RequestContext) ownDeadline() time.Time {
	if rc.timeout == 0 {
		return time.Time{}
	}
	return epoch.Add(rc.started + rc.timeout)
}

// Deadline returns the request's deadline: its own or, when earlier, the
// one of the request's context.
func (rc *RequestContext) Deadline() (time.Time, bool) {
	if rc.overlay != nil {
		return rc.overlay.Deadline()
	}
	return rc.baseDeadline()
}

func (rc *RequestContext) baseDeadline() (time.Time, bool) {
	d, ok := rc.base.Deadline()
	if own := rc.ownDeadline(); !own.IsZero() && (!ok || own.Before(d)) {
		return own, true
	}
	return d, ok
}

// Done is closed when the request's deadline passes or the request is
// cancelled: the client went away, or the server is stopping past its
// grace period.
func (rc *RequestContext) Done() <-chan struct{} {
	rc.share()
	if rc.overlay != nil {
		return rc.overlay.Done()
	}
	return rc.baseDone()
}

func (rc *RequestContext) baseDone() <-chan struct{} {
	if rc.timeout == 0 {
		return rc.base.Done()
	}
	return rc.timedContext().Done()
}

// Err says why Done was closed: context.DeadlineExceeded once the deadline
// has passed, even when nobody asked for Done.
func (rc *RequestContext) Err() error {
	if rc.overlay != nil {
		return rc.overlay.Err()
	}
	return rc.baseErr()
}

func (rc *RequestContext) baseErr() error {
	if rc.timeout == 0 {
		return rc.base.Err()
	}
	if t := rc.timed.Load(); t != nil && t.deadline.Equal(rc.ownDeadline()) {
		return t.Err()
	}
	if err := rc.base.Err(); err != nil {
		return err
	}
	if time.Since(epoch) >= rc.started+rc.timeout {
		return stdctx.DeadlineExceeded
	}
	return nil
}

// Value returns the request-scoped value stored under key (see [Key.Set]),
// else the value the request's own context carries, middleware's values
// included.
func (rc *RequestContext) Value(key any) any {
	if key == (requestContextKey{}) {
		return rc
	}
	if v, ok := rc.values[key]; ok {
		return v
	}
	if rc.overlay != nil {
		return rc.overlay.Value(key) // ends at rc.bound
	}
	return rc.baseValue(key)
}

func (rc *RequestContext) baseValue(key any) any {
	if rc.timeout == 0 {
		return rc.base.Value(key)
	}
	// Through the timed context, so that context.Cause and the contexts
	// derived from rc see the deadline's cancellation.
	return rc.timedContext().Value(key)
}

// timedContext returns the request's context bounded by the own deadline,
// made on first use; Done may be called from several goroutines.
func (rc *RequestContext) timedContext() *timedContext {
	own := rc.ownDeadline()
	if t := rc.timed.Load(); t != nil && t.deadline.Equal(own) {
		return t
	}
	ctx, cancel := stdctx.WithDeadline(rc.base, own)
	t := &timedContext{Context: ctx, cancel: cancel, deadline: own}
	for {
		old := rc.timed.Load()
		if old != nil && old.deadline.Equal(own) {
			cancel() // another goroutine made it first
			return old
		}
		// A context of an earlier deadline stays as it was for those
		// who hold it; the request's end releases it.
		if rc.timed.CompareAndSwap(old, t) {
			return t
		}
	}
}

// share records that rc may be held beyond its request, so that release
// does not reuse it.
func (rc *RequestContext) share() {
	if !rc.shared.Load() {
		rc.shared.Store(true)
	}
}

func (rc *RequestContext) set(key, value any) {
	if rc.values == nil {
		rc.values = make(map[any]any, 4)
	}
	rc.values[key] = value
}

func (rc *RequestContext) get(key any) (any, bool) {
	v, ok := rc.values[key]
	return v, ok
}
