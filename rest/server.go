package rest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
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
	cors     cors
	docs     *apiDocs // the API document and explorer; nil when disabled

	inFlight inFlight

	mu       sync.Mutex
	http     *http.Server
	url      string
	serveErr chan error
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
}

// NewServer builds the server and its API document; it listens only when
// started. A route the document cannot describe fails here, naming it.
func NewServer(p ServerParams) (*Server, error) {
	docs, err := newAPIDocs(p.Config, p.Routes)
	if err != nil {
		return nil, err
	}
	return &Server{
		cfg:      p.Config,
		sequence: p.Sequence,
		reject:   p.Reject,
		log:      p.Logger,
		cors:     newCORS(p.Config.CORS),
		docs:     docs,
	}, nil
}

// ServeHTTP answers one request: CORS, then the API document and
// explorer (before routing, as LoopBack's middleware), then the sequence.
// A panic in the sequence becomes a 500 through reject, and the server
// keeps serving; http.ErrAbortHandler still aborts the connection.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cors.apply(w, r) {
		return
	}
	if s.docs != nil && s.docs.serve(w, r) {
		return
	}
	rc := loomctx.NewRequestContext(w, r)
	if s.cfg.RequestTimeout > 0 {
		rc.SetTimeout(s.cfg.RequestTimeout)
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.reject(rc, actions.NewPanicError(v))
		}
	}()
	s.sequence.Handle(rc)
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
	srv := &http.Server{
		Handler:           http.HandlerFunc(s.serveCounted),
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
	}
	serveErr := make(chan error, 1)
	s.mu.Lock()
	s.http = srv
	s.url = urlOf(ln.Addr(), s.cfg.BasePath)
	s.serveErr = serveErr
	s.mu.Unlock()
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		serveErr <- err
	}()
	s.log.Info("server is running", zap.String("url", s.URL()))
	return nil
}

// Stop stops accepting connections and waits for the requests in flight,
// up to the grace period (or ctx's deadline, if sooner); then it closes the
// connections still open.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, serveErr := s.http, s.serveErr
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	graceCtx, cancel := context.WithTimeout(ctx, s.cfg.GracePeriod)
	defer cancel()
	err := srv.Shutdown(graceCtx)
	if err != nil {
		s.log.Warn("grace period over; closing the connections still open", zap.Error(err))
		err = srv.Close()
		// Close does not wait for handlers; the data sources stop after
		// the server, so a handler still running must finish first.
		if werr := s.inFlight.wait(ctx); werr != nil {
			s.log.Error("handlers still running when the stop timed out", zap.Int("handlers", s.inFlight.count()))
			err = errors.Join(err, werr)
		}
	}
	if serr := <-serveErr; serr != nil && err == nil {
		err = serr
	}
	s.log.Info("server stopped")
	return err
}

// URL is the server's address once started, such as
// http://127.0.0.1:3000/api; empty before.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// urlOf reports an unspecified listen address as 127.0.0.1, as LoopBack does.
func urlOf(addr net.Addr, basePath string) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + trimSlash(basePath)
}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}
