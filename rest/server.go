package rest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/internal/reqmem"
	"github.com/loomhq/loom/sequence"
)

// Server is LoopBack's RestServer: the http.Server that runs every request
// through the bound Sequence. It is a life-cycle observer in the "server"
// group, so it starts after every other group and stops first, draining
// the requests in flight within the configured grace period.
//
// Each request gets the configured RequestTimeout as its deadline, which a
// route may replace with its own (controller.Timeout).
type Server struct {
	cfg      Config
	sequence sequence.Sequence
	reject   actions.Reject
	log      *zap.Logger
	bindings *loomctx.RequestBindings
	docs     *apiDocs // the API document and explorer; nil when disabled
	headers  headerLimit
	// cors and edgeDocs are the built-in middleware while they lead the
	// server chain, run directly (else cors is disabled and edgeDocs nil);
	// chain is the rest of the server chain, nil when empty. See
	// buildChain.
	cors     cors
	edgeDocs *apiDocs
	chain    http.Handler

	inFlight inFlight
	conns    connSet
	stopping atomic.Bool // responses say Connection: close
	// stopCh is closed when Stop begins; requests see it through
	// loomctx.Stopping.
	stopCh chan struct{}

	mu       sync.Mutex
	http     *http.Server
	listener *drainListener
	url      string
	serveErr chan error
	// cancel ends the context of every request on the listener's
	// connections, with the cause they are answered with.
	cancel context.CancelCauseFunc
}

// ServerParams are the Server's injected dependencies.
type ServerParams struct {
	fx.In

	Config   Config
	Sequence sequence.Sequence
	Reject   actions.Reject
	Logger   *zap.Logger
	// Routes are documented at /openapi.json; without them, no document
	// is served.
	Routes *actions.RouteTable `optional:"true"`
	// Strategies are the authentication strategies, whose documented
	// schemes the document lists (see rest.WithAuthentication).
	Strategies *authentication.Strategies `optional:"true"`
	// Middleware are the registered middleware (see [WithMiddleware]).
	Middleware []MiddlewareSpec `group:"loom.middleware"`
	// Bindings are the request-scoped bindings every request's context
	// resolves (see [WithRequestBinding]).
	Bindings *loomctx.RequestBindings `optional:"true"`
}

// NewServer builds the server and its API document; it listens only when
// started. A route the document cannot describe fails here, naming it.
func NewServer(p ServerParams) (*Server, error) {
	docs, err := newAPIDocs(p.Config, p.Routes, p.Strategies)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      p.Config,
		sequence: p.Sequence,
		reject:   p.Reject,
		log:      p.Logger,
		bindings: p.Bindings,
		cors:     newCORS(p.Config.CORS),
		docs:     docs,
		headers:  newHeaderLimit(p.Config.MaxHeaderBytes),
	}
	if err := s.buildChain(p.Middleware, p.Config.Middleware); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP answers one request through the server chain: by default
// CORS, then the API document and explorer (before routing, as LoopBack's
// middleware), then the application's middleware, then the sequence. A
// panic in a middleware or the sequence becomes a 500 through reject, and
// the server keeps serving; http.ErrAbortHandler still aborts the
// connection.
//
// Every response says X-Content-Type-Options: nosniff, so that no browser
// runs a JSON or text answer as a script or a page. A request whose head
// is longer than Config.MaxHeaderBytes is answered 431.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["X-Content-Type-Options"] = nosniff
	if s.stopping.Load() {
		// The client must not send another request on this connection.
		h.Set("Connection", "close")
	}
	if s.headers.refuse(w, r) {
		return
	}
	if s.cors.apply(w, r) {
		return
	}
	if s.edgeDocs != nil && s.edgeDocs.serve(w, r) {
		return
	}
	rc := loomctx.NewRequestContext(w, r)
	defer s.finish(rc)
	rc.SetBindings(s.bindings)
	if s.cfg.RequestTimeout > 0 {
		rc.SetTimeout(s.cfg.RequestTimeout)
	}
	if s.chain != nil {
		s.chain.ServeHTTP(rc.Response, rc.HTTPRequest())
		return
	}
	s.sequence.Handle(rc)
}

// finish ends rc's request, deferred: a panic becomes a 500 through
// reject, http.ErrAbortHandler still aborts the connection, and rc is
// released for a later request.
func (s *Server) finish(rc *loomctx.RequestContext) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			reqmem.Release(unsafe.Pointer(rc))
			panic(v)
		}
		s.reject(rc, actions.NewPanicError(v))
	}
	reqmem.Release(unsafe.Pointer(rc))
}

// serveCounted serves one request of the listener, counted, so that Stop
// can wait for the handlers still running after it closed their
// connections.
func (s *Server) serveCounted(w http.ResponseWriter, r *http.Request) {
	s.inFlight.begin()
	defer s.inFlight.end()
	s.ServeHTTP(w, r)
}

// ObserverName names the server in life-cycle messages.
func (s *Server) ObserverName() string { return "rest.Server" }

// Start listens on the configured host and port and serves in the
// background. A port that cannot be bound fails the start.
func (s *Server) Start(ctx context.Context) error {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("rest: listen on %s: %w", addr, err)
	}
	dl := &drainListener{TCPListener: ln.(*net.TCPListener), headersTooLarge: s.headers.raw}
	base, cancel := context.WithCancelCause(context.Background())
	stopping := make(chan struct{})
	base = loomctx.WithStopping(base, stopping)
	srv := &http.Server{
		Handler:           http.HandlerFunc(s.serveCounted),
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.headers.netHTTPMax(),
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
		BaseContext:       func(net.Listener) context.Context { return base },
		ConnState:         s.conns.track,
	}
	serveErr := make(chan error, 1)
	s.mu.Lock()
	s.http, s.listener, s.cancel, s.stopCh = srv, dl, cancel, stopping
	s.url = urlOf(ln.Addr(), s.cfg.BasePath)
	s.serveErr = serveErr
	s.mu.Unlock()
	s.stopping.Store(false)
	go func() {
		err := srv.Serve(dl)
		if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
			err = nil // the stop closed the listener
		}
		serveErr <- err
	}()
	// Where it listens and where to try it differ when it listens on
	// every interface: log both.
	s.log.Info("server is running",
		zap.String("listen", listenOf(ln.Addr(), s.cfg.Host)), zap.String("url", s.URL()))
	return nil
}

// Stop answers every request that reached the server, then closes.
// When it begins, the channel loomctx.Stopping returns to every request
// closes, so handlers that run until their client leaves (event streams)
// end rather than hold the stop for its grace period.
//
// Within the grace period: every response says Connection: close; the
// connections the kernel had queued are accepted before the listener
// closes; a connection is closed only while no request is arriving on
// it. Once the grace period is over, every request still running has its
// context cancelled (its client gets 503 SERVER_STOPPING), and Stop waits
// for those handlers for half the time ctx has left, keeping the other
// half for the observers that stop after the server, such as data
// sources. A handler still running then is reported in the error.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, ln, serveErr, cancelRequests, stopCh := s.http, s.listener, s.serveErr, s.cancel, s.stopCh
	s.http = nil // a second Stop has nothing to do
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	defer cancelRequests(nil)
	s.stopping.Store(true)
	close(stopCh) // handlers that run until their client leaves end now

	graceCtx, cancel := context.WithTimeout(ctx, s.gracePeriod(ctx))
	defer cancel()
	ln.drain(graceCtx)
	var err error
	select {
	case err = <-serveErr:
		// Every connection accepted is now in s.conns.
	case <-graceCtx.Done():
	}
	if s.conns.settle(graceCtx, nil) {
		// Nothing is left for Shutdown to lose.
		if serr := srv.Shutdown(graceCtx); serr != nil && !errors.Is(serr, net.ErrClosed) {
			err = errors.Join(err, serr)
		}
		s.log.Info("server stopped")
		return err
	}

	s.log.Warn("grace period over; cancelling the requests still running",
		zap.Int("handlers", s.inFlight.count()))
	cancelRequests(httperr.ServerStopping())
	waitCtx, cancelWait := context.WithDeadline(ctx, halfLeft(ctx))
	defer cancelWait()
	// Their 503s go out before the connections close.
	s.conns.settle(waitCtx, func() bool { return s.inFlight.count() == 0 })
	err = errors.Join(err, srv.Close())
	if n := s.inFlight.count(); n > 0 {
		s.log.Error("handlers still running when the stop gave up on them", zap.Int("handlers", n))
		err = errors.Join(err, fmt.Errorf("rest: requests still running after the stop cancelled them: %d", n))
	}
	s.log.Info("server stopped")
	return err
}

// gracePeriod is the configured one, or three quarters of the time ctx
// has left when that is shorter, so that the requests cancelled after it
// and the observers stopping later have time too.
func (s *Server) gracePeriod(ctx context.Context) time.Duration {
	grace := s.cfg.GracePeriod
	if grace <= 0 {
		grace = 10 * time.Second
	}
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) * 3 / 4; left < grace {
			grace = left
		}
	}
	return grace
}

// halfLeft is the moment half of ctx's remaining time is used; far away
// when ctx has no deadline.
func halfLeft(ctx context.Context) time.Time {
	dl, ok := ctx.Deadline()
	if !ok {
		return time.Now().Add(24 * time.Hour)
	}
	return time.Now().Add(time.Until(dl) / 2)
}

// URL is the server's address once started, such as
// http://127.0.0.1:3000/api; empty before.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// listenOf is the address the server listens on, as net.Listen takes it:
// ":3000" for every interface, when Config.Host is empty.
func listenOf(addr net.Addr, host string) string {
	if host != "" {
		return addr.String()
	}
	_, port, _ := net.SplitHostPort(addr.String())
	return ":" + port
}

// urlOf is the URL to try the server at from this machine: an address
// that means every interface is dialled as 127.0.0.1, as LoopBack does.
func urlOf(addr net.Addr, basePath string) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + trimSlash(basePath)
}

// nosniff is the X-Content-Type-Options value, shared so that setting it
// costs no allocation; a Header.Add on it copies it first, since it has
// no spare capacity.
var nosniff = []string{"nosniff"}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}
