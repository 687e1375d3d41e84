package actions

import (
	"net/http"
	"time"

	"github.com/loomhq/loom/actions/sse"
	loomctx "github.com/loomhq/loom/context"
)

// serveStream writes s as the response: the headers alone for HEAD, else
// every event until the stream ends (see sse.Stream.Serve). The request
// has been read by now, so its read deadline is lifted: net/http would
// otherwise take its passing for the client's leaving.
func serveStream(rc *loomctx.RequestContext, status int, s *sse.Stream) error {
	if rc.Request.Method == http.MethodHead {
		sse.WriteHeader(rc.Response, status)
		return nil
	}
	http.NewResponseController(rc.Response).SetReadDeadline(time.Time{})
	return s.Serve(rc, rc.Response, status)
}

// setWriteTimeout replaces the server's write deadline with d from now;
// d < 0 sets none. A writer that cannot take deadlines keeps its own.
func setWriteTimeout(rc *loomctx.RequestContext, d time.Duration) {
	var deadline time.Time
	if d > 0 {
		deadline = time.Now().Add(d)
	}
	http.NewResponseController(rc.Response).SetWriteDeadline(deadline)
}
