package rest

import (
	"net/http"
	"strconv"
	"strings"
)

// cors applies a CORSConfig to responses, computed once.
type cors struct {
	disabled    bool
	origin      []string // a shared header value: no allocation per request
	methods     string
	maxAge      string
	credentials bool
}

func newCORS(c CORSConfig) cors {
	return cors{
		disabled:    c.Disabled,
		origin:      []string{c.Origin},
		methods:     strings.Join(c.Methods, ","),
		maxAge:      strconv.Itoa(int(c.MaxAge.Seconds())),
		credentials: !c.NoCredentials,
	}
}

// apply sets the CORS headers on w and answers a preflight, reporting
// whether it did (then the request is done).
//
// Only a request with an Origin header is a CORS request: a browser sends
// one with every cross-origin request and every preflight. A request
// without one (a server, curl, a same-origin page) gets no CORS headers,
// and an OPTIONS request without one is routed like any other. Every
// response says Vary: Origin, so that a cache never hands the answer to a
// request without Origin, which lacks the CORS headers, to a browser's
// cross-origin request.
func (c *cors) apply(w http.ResponseWriter, r *http.Request) bool {
	if c.disabled {
		return false
	}
	h := w.Header()
	h["Vary"] = varyOrigin
	if _, ok := r.Header["Origin"]; !ok {
		return false
	}
	h["Access-Control-Allow-Origin"] = c.origin
	if c.credentials {
		h["Access-Control-Allow-Credentials"] = trueValue
	}
	if r.Method != http.MethodOptions {
		return false
	}
	h.Set("Access-Control-Allow-Methods", c.methods)
	if reqHeaders := r.Header.Get("Access-Control-Request-Headers"); reqHeaders != "" {
		h.Set("Access-Control-Allow-Headers", reqHeaders)
		h.Add("Vary", "Access-Control-Request-Headers")
	}
	h.Set("Access-Control-Max-Age", c.maxAge)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
	return true
}

var (
	trueValue  = []string{"true"}
	varyOrigin = []string{"Origin"} // no spare capacity: Header.Add copies it
)
