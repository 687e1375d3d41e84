package rest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A stopping server answers every request that reached it. net/http's
// Shutdown alone loses three kinds: connections still in the kernel's
// accept queue are reset when the listener closes; a request read once
// Shutdown has begun is dropped unanswered (conn.serve checks
// shuttingDown after readRequest); and closeIdleConns closes a keep-alive
// connection whose next request has arrived but is not parsed yet. So the
// server drains first, on its own, and calls Shutdown only once no
// connection is left:
//
//  1. every response from then on says Connection: close;
//  2. the listener accepts what the kernel has queued, then closes;
//  3. a connection waiting for its next request is closed only when
//     nothing of one has arrived: no byte read since its last response
//     went out, none waiting in the socket. The goroutine that reads it
//     decides, so no byte can be read between the check and the close.
//
// Keep-alives stay enabled: with SetKeepAlivesEnabled(false), conn.serve
// returns right after a response, dropping a next request the client
// sent before it could see the change.

// drainListener is the server's listener: it counts the connections it
// accepted, so a stop can wait for the ones the kernel had queued, and
// wraps each so the stop can tell whether a request is arriving on it.
type drainListener struct {
	*net.TCPListener
	// headersTooLarge is the 431 a connection writes instead of net/http's.
	headersTooLarge []byte
	accepted        atomic.Int64
	closeOnce       sync.Once
	closeErr        error
}

func (l *drainListener) Accept() (net.Conn, error) {
	c, err := l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	return &trackedConn{TCPConn: c, headersTooLarge: l.headersTooLarge}, nil
}

// Close closes the listener once; net/http closes it again on its way out.
func (l *drainListener) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.TCPListener.Close() })
	return l.closeErr
}

// drainRounds bounds how often the accept queue is measured again:
// connections keep arriving while it drains, and those that come after
// the stop began need not be waited for.
const drainRounds = 4

// drain waits until the connections queued in the kernel when it began
// (and those that completed their handshake meanwhile) are accepted, then
// closes the listener. Where the queue's length cannot be read, it closes
// at once. ctx bounds the wait.
func (l *drainListener) drain(ctx context.Context) {
	defer l.Close()
	p := newPoller()
	defer p.stop()
	for range drainRounds {
		base := l.accepted.Load()
		queued, ok := acceptQueueLen(l.TCPListener)
		if !ok || queued == 0 {
			return
		}
		for l.accepted.Load() < base+int64(queued) {
			if !p.wait(ctx) {
				return
			}
		}
	}
}

// trackedConn is an accepted connection. It records the bytes read since
// the server last wrote, which are the next request's once a response
// has gone out; with the bytes waiting in the socket, they tell whether a
// request is arriving. A stop interrupts its wait for a request, and the
// wait ends only when none is arriving: decided by the goroutine that
// reads, so that no byte is read between the decision and the close.
type trackedConn struct {
	*net.TCPConn
	// headersTooLarge replaces net/http's own 431 (see headerlimit.go).
	headersTooLarge []byte
	sinceWrite      atomic.Int64
	state           atomic.Int32 // the http.ConnState

	mu           sync.Mutex
	interrupted  bool      // the stop cut the wait for a request
	readDeadline time.Time // net/http's, kept while interrupted
}

func (c *trackedConn) Read(p []byte) (int, error) {
	for {
		n, err := c.TCPConn.Read(p)
		if n > 0 {
			c.sinceWrite.Add(int64(n))
			return n, err
		}
		if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) || !c.resume() {
			return n, err
		}
	}
}

// Write forgets what was read before it: reset before the bytes leave, so
// a request the client sends once it has the response is counted. It
// writes the envelope instead of net/http's plain-text 431.
func (c *trackedConn) Write(p []byte) (int, error) {
	c.sinceWrite.Store(0)
	if len(p) == len(netHTTP431) && c.headersTooLarge != nil && string(p) == netHTTP431 &&
		http.ConnState(c.state.Load()) != http.StateHijacked {
		if _, err := c.TCPConn.Write(c.headersTooLarge); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.TCPConn.Write(p)
}

// ReadFrom keeps net/http's sendfile path, resetting as Write does.
func (c *trackedConn) ReadFrom(r io.Reader) (int64, error) {
	c.sinceWrite.Store(0)
	return c.TCPConn.ReadFrom(r)
}

// SetReadDeadline records net/http's deadline; an interrupted
// connection keeps the past one until it resumes.
func (c *trackedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDeadline = t
	if c.interrupted {
		return nil
	}
	return c.TCPConn.SetReadDeadline(t)
}

// SetDeadline sets both deadlines, as net.Conn's does.
func (c *trackedConn) SetDeadline(t time.Time) error {
	if err := c.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

// interrupt makes a Read waiting for a request return, through a deadline
// already past; the Read then decides, in resume.
func (c *trackedConn) interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.interrupted {
		c.interrupted = true
		c.TCPConn.SetReadDeadline(time.Unix(1, 0))
	}
}

// resume is called by a Read that timed out. It reports false to let the
// Read fail, which closes the connection: the timeout was net/http's own,
// or the stop interrupted a wait for a request of which nothing has
// arrived. Else it puts net/http's deadline back, to read on.
func (c *trackedConn) resume() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.interrupted || c.quiet() {
		return false
	}
	c.interrupted = false
	if !c.readDeadline.IsZero() && !time.Now().Before(c.readDeadline) {
		return false
	}
	c.TCPConn.SetReadDeadline(c.readDeadline)
	return true
}

// quiet reports whether the connection waits for a request of which
// nothing has arrived: no byte read since the last response, none unread.
func (c *trackedConn) quiet() bool {
	switch http.ConnState(c.state.Load()) {
	case http.StateNew, http.StateIdle:
	default:
		return false
	}
	if c.sinceWrite.Load() != 0 {
		return false
	}
	n, ok := unreadBytes(c.TCPConn)
	return ok && n == 0
}

// connSet holds the server's open connections, from the ConnState hook.
type connSet struct {
	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

// track is the http.Server's ConnState hook.
func (s *connSet) track(nc net.Conn, state http.ConnState) {
	c, ok := nc.(*trackedConn)
	if !ok {
		return
	}
	c.state.Store(int32(state))
	switch state {
	case http.StateNew:
		s.mu.Lock()
		if s.conns == nil {
			s.conns = make(map[*trackedConn]struct{})
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
	case http.StateClosed, http.StateHijacked:
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}
}

// interruptWaiting interrupts the connections waiting for a request, and
// returns how many connections are still open.
func (s *connSet) interruptWaiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		switch http.ConnState(c.state.Load()) {
		case http.StateNew, http.StateIdle:
			c.interrupt()
		}
	}
	return len(s.conns)
}

// settle interrupts the connections waiting for a request until none is
// left open, or ctx ends; done, when not nil, must also report true. It
// reports whether the connections all closed.
func (s *connSet) settle(ctx context.Context, done func() bool) bool {
	p := newPoller()
	defer p.stop()
	for {
		if s.interruptWaiting() == 0 && (done == nil || done()) {
			return true
		}
		if !p.wait(ctx) {
			return false
		}
	}
}

// poller waits between checks as http.Server.Shutdown does: from 1ms,
// doubling up to 50ms.
type poller struct {
	timer *time.Timer
	next  time.Duration
}

func newPoller() *poller {
	return &poller{timer: time.NewTimer(time.Hour), next: time.Millisecond}
}

// wait sleeps for the next interval; false when ctx ended first.
func (p *poller) wait(ctx context.Context) bool {
	p.timer.Reset(p.next)
	if p.next *= 2; p.next > 50*time.Millisecond {
		p.next = 50 * time.Millisecond
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.timer.C:
		return true
	}
}

func (p *poller) stop() { p.timer.Stop() }
