package actions

import (
	"encoding"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/loomhq/loom/actions/sse"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
)

// MediaTypeMarshaler is a result that writes itself as a media type other
// than JSON: a route that declares controller.Produces("text/csv")
// answers with MarshalMediaType("text/csv") when the request prefers CSV.
// The media type is the one the route declares, as written there. A
// result that is a string, []byte or io.Reader needs no method: it is
// written as it is; an encoding.TextMarshaler is written as text/plain.
type MediaTypeMarshaler interface {
	MarshalMediaType(mediaType string) ([]byte, error)
}

// offerKind says how a result is written as a media type.
type offerKind uint8

const (
	offerBody   offerKind = iota // the result's own bytes, or a marshaler's
	offerJSON                    // WriteJSON
	offerStream                  // an *sse.Stream
)

// mediaOffer is one media type a route answers with, computed at start-up.
type mediaOffer struct {
	mediaType   string   // as the route declares it: text/csv
	typ, sub    string   // lower case, without parameters
	bare        string   // typ/sub
	contentType []string // the Content-Type header value
	kind        offerKind
}

// negotiation is a route's offers, the preferred first, and their
// media types as the route declares them.
type negotiation struct {
	offers []mediaOffer
	types  []string
}

var (
	streamType    = reflect.TypeFor[*sse.Stream]()
	stringType    = reflect.TypeFor[string]()
	bytesType     = reflect.TypeFor[[]byte]()
	readerType    = reflect.TypeFor[io.Reader]()
	noContentType = reflect.TypeFor[controller.NoContent]()
)

// defaultProduces is the media type a result type implies; nil when its
// values are written by their dynamic type (an interface) or have no body.
func defaultProduces(out reflect.Type) []string {
	switch {
	case out == noContentType || out == reflect.PointerTo(noContentType):
		return nil
	case out == streamType:
		return []string{sse.MediaType}
	case out == stringType:
		return []string{"text/plain"}
	case out == bytesType || out.Implements(readerType):
		return []string{"application/octet-stream"}
	case out.Kind() == reflect.Interface:
		return nil
	}
	return []string{"application/json"}
}

// newNegotiation compiles the media types the route declares, or those
// its result type implies; nil when the route has none.
func newNegotiation(cr controller.Route) (*negotiation, error) {
	types := cr.Output.Produces
	if len(types) == 0 {
		types = defaultProduces(cr.OutputType())
	}
	if len(types) == 0 {
		return nil, nil
	}
	n := &negotiation{types: types, offers: make([]mediaOffer, 0, len(types))}
	for _, t := range types {
		mt, params, err := mime.ParseMediaType(t)
		if err != nil {
			return nil, fmt.Errorf("produces %q, which is not a media type: %w", t, err)
		}
		typ, sub, _ := strings.Cut(mt, "/")
		if typ == "*" || sub == "*" {
			return nil, fmt.Errorf("produces %q: a route declares the media types it answers with, not a range", t)
		}
		o := mediaOffer{mediaType: t, typ: typ, sub: sub, bare: mt, contentType: []string{t}}
		switch {
		case mt == "application/json":
			o.kind = offerJSON
			if len(params) == 0 {
				o.contentType = applicationJSON
			}
		case strings.HasSuffix(sub, "+json"):
			o.kind = offerJSON
		case mt == sse.MediaType:
			o.kind = offerStream
		case mt == "application/octet-stream" && len(params) == 0:
			o.contentType = octetStream
		case mt == "text/plain" && len(params) == 0:
			o.contentType = textPlain
		case typ == "text" && params["charset"] == "":
			o.contentType = []string{t + "; charset=utf-8"}
		}
		n.offers = append(n.offers, o)
	}
	return n, nil
}

// Produces are the media types the route answers with, the preferred
// first: those it declares (controller.Produces), else the one its result
// type implies. Empty for a route whose result has no body, or whose
// result type is an interface (each result is written by its own type).
func (r *Route) Produces() []string {
	if r.negotiation == nil {
		return nil
	}
	return r.negotiation.types
}

// Negotiate returns the media type among offered that the request's
// Accept header prefers: the highest q-value, then the most specific
// range (text/csv before text/* before */*), then the range the header
// lists first, then the order of offered. A request without an Accept
// header, or with none that can be read, gets the first. With no offered,
// the matched route's media types are offered (see [Route.Produces]).
// When none is acceptable the error is 406 NOT_ACCEPTABLE, naming them.
//
// A send override answering in a format of its own calls it:
//
//	switch mt, err := actions.Negotiate(rc, "application/json", "text/csv"); {
//	case err != nil:
//		return err
//	case mt == "text/csv":
//		// write CSV, with actions.StatusOf(rc, result)
//	}
//	return next(rc, result)
func Negotiate(rc *loomctx.RequestContext, offered ...string) (string, error) {
	if len(offered) == 0 {
		r, ok := rc.Route.(*Route)
		if !ok || r.negotiation == nil {
			return "", nil
		}
		i := chooseOffer(rc.Request.Header["Accept"], r.negotiation.offers)
		if i < 0 {
			return "", httperr.NotAcceptable(r.negotiation.types)
		}
		return r.negotiation.types[i], nil
	}
	var buf [8]mediaOffer
	offers := buf[:0]
	for _, t := range offered {
		mt, _, _ := strings.Cut(t, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		typ, sub, _ := strings.Cut(mt, "/")
		offers = append(offers, mediaOffer{mediaType: t, typ: typ, sub: sub, bare: mt})
	}
	i := chooseOffer(rc.Request.Header["Accept"], offers)
	if i < 0 {
		return "", httperr.NotAcceptable(offered)
	}
	return offered[i], nil
}

// match is how one offer fares against the Accept header.
type match struct {
	q     int // thousandths
	spec  int // -1: no range matches; 0: */*, 1: type/*, 2: type/subtype
	index int // of the range in the header
}

// maxAcceptRanges bounds the ranges read from a request's Accept header;
// those after it are ignored.
const maxAcceptRanges = 64

// chooseOffer returns the index of the offer accept prefers, or -1 when
// it accepts none; 0 when accept has no range that can be read. It
// allocates nothing for up to eight offers.
func chooseOffer(accept []string, offers []mediaOffer) int {
	if len(accept) == 0 || len(offers) == 0 {
		return 0
	}
	if len(accept) == 1 {
		// The headers most clients send: one type, as written.
		switch a := accept[0]; a {
		case "", "*/*":
			return 0
		default:
			for i := range offers {
				if offers[i].bare == a {
					return i
				}
			}
		}
	}
	var buf [8]match
	matches := buf[:0]
	for range offers {
		matches = append(matches, match{spec: -1})
	}
	ranges := 0
	for _, header := range accept {
		for header != "" && ranges < maxAcceptRanges {
			var part string
			part, header, _ = strings.Cut(header, ",")
			typ, sub, q, ok := parseRange(part)
			if !ok {
				continue
			}
			index := ranges
			ranges++
			for i := range offers {
				spec := specificity(typ, sub, &offers[i])
				if spec > matches[i].spec {
					// The most specific range that matches sets the q-value.
					matches[i] = match{q: q, spec: spec, index: index}
				}
			}
		}
	}
	if ranges == 0 {
		return 0
	}
	best := -1
	for i, m := range matches {
		if m.spec < 0 || m.q == 0 {
			continue
		}
		if best < 0 || better(m, matches[best]) {
			best = i
		}
	}
	return best
}

// better reports whether a beats b: a higher q, a more specific range,
// an earlier range; on a tie the earlier offer stays.
func better(a, b match) bool {
	if a.q != b.q {
		return a.q > b.q
	}
	if a.spec != b.spec {
		return a.spec > b.spec
	}
	return a.index < b.index
}

// specificity is how specifically the range typ/sub names o: -1 when it
// does not.
func specificity(typ, sub string, o *mediaOffer) int {
	switch {
	case typ == "*":
		return 0
	case !strings.EqualFold(typ, o.typ):
		return -1
	case sub == "*":
		return 1
	case strings.EqualFold(sub, o.sub):
		return 2
	}
	return -1
}

// parseRange reads one media range of an Accept header: its type,
// subtype and q-value in thousandths. Parameters other than q are
// ignored; a range that cannot be read is reported !ok. A lone * (which
// some clients send) is */*.
func parseRange(s string) (typ, sub string, q int, ok bool) {
	mt, params, _ := strings.Cut(s, ";")
	mt = strings.TrimSpace(mt)
	if mt == "*" {
		typ, sub = "*", "*"
	} else {
		typ, sub, ok = strings.Cut(mt, "/")
		if !ok || !token(typ) || !token(sub) || typ == "*" && sub != "*" {
			return "", "", 0, false
		}
	}
	q = 1000
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		if q, ok = parseQ(strings.TrimSpace(value)); !ok {
			return "", "", 0, false
		}
		break // what follows q are accept extensions
	}
	return typ, sub, q, true
}

// parseQ reads a q-value, 0 to 1 with up to three decimals, as
// thousandths; a missing leading 0 (.5) is tolerated.
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole != "0" && whole != "1" && (whole != "" || !dot) {
		return 0, false
	}
	if len(frac) > 3 {
		return 0, false
	}
	q := 0
	if whole == "1" {
		q = 1000
	}
	scale := 100
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

// token reports whether s is a non-empty RFC 9110 token.
func token(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return true
}

// tokenChar holds the characters of an RFC 9110 token.
var tokenChar = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c)
	}
	return t
}()

// vary is the Vary value of a route offering several media types.
var vary = "Accept"

// writeNegotiated writes result as the offer the request prefers among
// the route's, or returns 406.
func writeNegotiated(rc *loomctx.RequestContext, n *negotiation, status int, result any) error {
	w := rc.Response
	if len(n.offers) > 1 {
		h := w.Header()
		h["Vary"] = append(h["Vary"], vary)
	}
	i := chooseOffer(rc.Request.Header["Accept"], n.offers)
	if i < 0 {
		return httperr.NotAcceptable(n.types)
	}
	o := &n.offers[i]
	switch o.kind {
	case offerJSON:
		return writeResultJSON(rc, status, o.contentType, result)
	case offerStream:
		s, ok := result.(*sse.Stream)
		if !ok {
			return fmt.Errorf("actions: %s produces %s, but its result is a %T, not an *sse.Stream", operationOf(rc), o.mediaType, result)
		}
		return serveStream(rc, status, s)
	}
	switch v := result.(type) {
	case []byte:
		return writeBytes(w, status, o.contentType, v)
	case string:
		setContentType(w, o.contentType)
		w.WriteHeader(status)
		_, err := io.WriteString(w, v)
		return err
	case io.Reader:
		return copyReader(w, status, o.contentType, v)
	case MediaTypeMarshaler:
		body, err := v.MarshalMediaType(o.mediaType)
		if err != nil {
			return fmt.Errorf("actions: %s cannot write its %T result as %s: %w", operationOf(rc), result, o.mediaType, err)
		}
		return writeBytes(w, status, o.contentType, body)
	case encoding.TextMarshaler:
		if o.typ == "text" && o.sub == "plain" {
			body, err := v.MarshalText()
			if err != nil {
				return fmt.Errorf("actions: %s cannot write its %T result as %s: %w", operationOf(rc), result, o.mediaType, err)
			}
			return writeBytes(w, status, o.contentType, body)
		}
	}
	return fmt.Errorf("actions: %s produces %s, but its %T result is neither a string, []byte, io.Reader nor an actions.MediaTypeMarshaler",
		operationOf(rc), o.mediaType, result)
}

func operationOf(rc *loomctx.RequestContext) string {
	if rc.Route == nil {
		return "the route"
	}
	return rc.Route.OperationID()
}

// copyReader streams r as the body, closing it when it is a Closer.
func copyReader(w http.ResponseWriter, status int, contentType []string, r io.Reader) error {
	setContentType(w, contentType)
	w.WriteHeader(status)
	_, err := io.Copy(w, r)
	if c, ok := r.(io.Closer); ok {
		c.Close()
	}
	return err
}

// streams reports whether the route may answer with an event stream.
func (n *negotiation) streams() bool {
	if n == nil {
		return false
	}
	for _, o := range n.offers {
		if o.kind == offerStream {
			return true
		}
	}
	return false
}
