package main

import (
	"time"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/sequence"
)

// MySequence is the example's sequence: the default one, which runs the
// authenticate action, with one access log line per request. The line
// holds no header, so never a token.
type MySequence struct {
	*sequence.DefaultSequence
	log *zap.Logger
}

// NewMySequence wraps the default sequence; the logger is injected, so a
// test can redirect the access log.
func NewMySequence(d *sequence.DefaultSequence, log *zap.Logger) sequence.Sequence {
	return &MySequence{DefaultSequence: d, log: log.Named("access")}
}

// maxLoggedURL is how much of a URL the access log keeps: a URL may be as
// long as the server's header limit allows, and a log line should not be.
const maxLoggedURL = 2048

// Handle runs the default sequence and logs the outcome, rejected requests
// included. A URL longer than maxLoggedURL bytes is cut, marked with "…",
// and its whole length logged as urlBytes.
func (s *MySequence) Handle(rc *loomctx.RequestContext) {
	start := time.Now()
	s.DefaultSequence.Handle(rc)
	url, length := rc.Request.URL.RequestURI(), zap.Skip()
	if len(url) > maxLoggedURL {
		url, length = url[:maxLoggedURL]+"…", zap.Int("urlBytes", len(url))
	}
	s.log.Info("request",
		zap.String("method", rc.Request.Method),
		zap.String("url", url),
		length,
		zap.Int("status", rc.Response.Status()),
		zap.Int64("bytes", rc.Response.Written()),
		zap.Duration("took", time.Since(start)),
		zap.String("remote", rc.Request.RemoteAddr))
}
