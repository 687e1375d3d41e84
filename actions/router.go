package actions

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	loomctx "github.com/loomhq/loom/context"
)

// router maps a verb and a request path to a value of type V. Templates are
// in OpenAPI form (/todos/{id}); matching follows LoopBack 4's TrieRouter:
//
//   - a literal segment beats a parameter at the same position, so
//     GET /todos/count, GET /todos/{id} and GET /todos/{id}/exists each
//     reach their own value; between two parameterised templates that both
//     match, the one with a literal at the first position where they differ
//     wins (/a/b/c picks /a/b/{y} over /a/{x}/c);
//   - templates without parameters are found with one map lookup;
//   - path parameter values are percent-decoded (decodeURIComponent);
//   - unless strict, a path that does not match is retried with its trailing
//     slash toggled (/todos/ finds /todos and the other way round).
//
// On top of LoopBack, a GET route answers HEAD when no HEAD route matches,
// and a miss reports the verbs the path does answer, for a 405 and its Allow
// header.
//
// Routes live in one segment tree per verb: a node's literal children
// are tried before its parameter child, backtracking on a dead end, so the
// first match found is the most specific one. A lookup allocates nothing.
//
// A router is built with add and then only read: lookup is safe for
// concurrent use once the last add has returned; add is not.
type router[V any] struct {
	// strict disables the trailing-slash retry.
	strict bool
	// routes are the registered routes; a route's index is its identity.
	routes []routeEntry[V]
	// tables holds the routes of each verb.
	tables map[string]*verbTable
	// verbList are the keys of tables, sorted.
	verbList []string
	// common are the tables of the usual verbs, by commonVerb, found
	// without hashing the method.
	common [len(commonVerbs)]*verbTable
	// shapes maps verb + " " + shape to the index of the route with that
	// shape, to reject templates that match exactly the same paths.
	shapes map[string]int
}

// routeEntry is one registered route with what lookup needs of it,
// computed once by add.
type routeEntry[V any] struct {
	// verb is the HTTP method, upper case.
	verb string
	// template is the OpenAPI template as registered.
	template string
	// value is what lookup returns for the route.
	value V
	// names are the parameter names in template order.
	names []string
	// spec has one byte per segment, 'a' for a literal and 'b' for a
	// parameter. Two routes that match one path have specs of equal length,
	// and the smaller spec has a literal where the other has its first
	// parameter that differs: smaller is more specific.
	spec string
}

// verbTable holds the routes of one verb.
type verbTable struct {
	// verb is the HTTP method of every route in the table.
	verb string
	// root is the tree of the table's templates, one node per segment.
	root node
}

// maxParams is the most parameters a template may have: a lookup keeps
// their values in an array of this size on its stack.
const maxParams = 32

// node is a segment of the templates of one verb: its literal children,
// its parameter child, and the route whose template ends here.
type node struct {
	// lits are the literal children, when few; litMap holds them when
	// there are more than maxLits.
	lits   []litEdge
	litMap map[string]*node
	// param is the child of a {name} segment, whatever its name.
	param *node
	// route is the index of the route whose template ends here; -1: none.
	route int
}

// litEdge is a literal child of a node.
type litEdge struct {
	seg   string // canonical, as in the template
	child *node
}

// maxLits is how many literal children a node scans before it hashes.
const maxLits = 8

func newNode() *node { return &node{route: -1} }

// child returns n's literal child seg, nil when none.
func (n *node) child(seg string) *node {
	if n.litMap != nil {
		return n.litMap[seg]
	}
	for i := range n.lits {
		if n.lits[i].seg == seg {
			return n.lits[i].child
		}
	}
	return nil
}

// insert adds the route idx, whose template path is in httprouter syntax
// (:name for a parameter), below n.
func (n *node) insert(path string, idx int) {
	for _, seg := range strings.Split(path[1:], "/") {
		if strings.HasPrefix(seg, ":") {
			if n.param == nil {
				n.param = newNode()
			}
			n = n.param
			continue
		}
		c := n.child(seg)
		if c == nil {
			c = newNode()
			n.lits = append(n.lits, litEdge{seg: seg, child: c})
			if len(n.lits) > maxLits {
				if n.litMap == nil {
					n.litMap = make(map[string]*node, len(n.lits))
				}
				for _, e := range n.lits {
					n.litMap[e.seg] = e.child
				}
			}
		}
		n = c
	}
	n.route = idx
}

// match finds the route for rest, the path after the '/' that led to n,
// trying a literal child before the parameter child. The values of the
// parameters it passed are vals[:nv] on entry; it returns the route's
// index (-1 when none matches) and the number of values.
func (n *node) match(rest string, vals *[maxParams]string, nv int) (int, int) {
	seg, tail, more := strings.Cut(rest, "/")
	if c := n.child(seg); c != nil {
		if !more {
			if c.route >= 0 {
				return c.route, nv
			}
		} else if idx, k := c.match(tail, vals, nv); idx >= 0 {
			return idx, k
		}
	}
	// An empty segment (/a//b against /a/{x}/b) is no parameter value.
	if p := n.param; p != nil && seg != "" && nv < maxParams {
		vals[nv] = seg
		if !more {
			if p.route >= 0 {
				return p.route, nv + 1
			}
		} else if idx, k := p.match(tail, vals, nv+1); idx >= 0 {
			return idx, k
		}
	}
	return -1, 0
}

// newRouter returns an empty router. With strict false a trailing slash is
// tolerated (/todos/ finds /todos and /todos finds /todos/); with strict true
// the path must match the template exactly.
func newRouter[V any](strict bool) *router[V] {
	return &router[V]{
		strict: strict,
		tables: make(map[string]*verbTable),
		shapes: make(map[string]int),
	}
}

// verbs returns the verbs that have at least one route, sorted. The slice
// is the router's own; do not modify it.
func (rt *router[V]) verbs() []string {
	return rt.verbList
}

// add registers v for verb (upper-cased) and template, an OpenAPI path
// template. It returns an error, and changes nothing, when:
//
//   - verb is empty or not an HTTP token;
//   - template does not start with '/' or has an empty segment (//) other
//     than a trailing slash;
//   - a segment mixes text and a parameter ({a}-{b}, x{id}) or has an
//     unbalanced brace;
//   - a parameter name does not match [A-Za-z0-9_]+ or appears twice;
//   - the template uses :name, * or a ':' or '*' anywhere (httprouter
//     syntax, not OpenAPI);
//   - a literal segment holds an invalid percent-escape;
//   - the verb already has the same template, or a template that matches
//     exactly the same paths (the same literals and parameters at the same
//     positions, only the parameter names differ); the message names both.
//
// Literal segments are stored percent-encoded in canonical form (see
// canonicalSegment), so /café matches the request path /caf%C3%A9.
// Different parameter names at one position in different templates
// (/todos/{id} and /todos/{todoId}/items) are fine.
func (rt *router[V]) add(verb, template string, v V) error {
	verb = strings.ToUpper(verb)
	if !isToken(verb) {
		return fmt.Errorf("router: %q %q: the verb is not an HTTP method token", verb, template)
	}
	pt, err := parseTemplate(template)
	if err != nil {
		return fmt.Errorf("router: %s %q: %w", verb, template, err)
	}
	shapeKey := verb + " " + pt.shape
	if prev, dup := rt.shapes[shapeKey]; dup {
		p := rt.routes[prev]
		if p.template == template {
			return &conflictError{prev: prev, msg: fmt.Sprintf("router: %s %q is registered twice (already registered as %s %q)", verb, template, p.verb, p.template)}
		}
		return &conflictError{prev: prev, msg: fmt.Sprintf("router: %s %q conflicts with %s %q registered before: both match exactly the same paths", verb, template, p.verb, p.template)}
	}

	if len(pt.names) > maxParams {
		return fmt.Errorf("router: %s %q: more than %d parameters", verb, template, maxParams)
	}
	t := rt.tables[verb]
	if t == nil {
		t = &verbTable{verb: verb, root: node{route: -1}}
		rt.tables[verb] = t
		if i := commonVerb(verb); i >= 0 {
			rt.common[i] = t
		}
		rt.verbList = append(rt.verbList, verb)
		slices.Sort(rt.verbList)
	}
	idx := len(rt.routes)
	t.root.insert(pt.path, idx)
	rt.shapes[shapeKey] = idx
	rt.routes = append(rt.routes, routeEntry[V]{
		verb:     verb,
		template: template,
		value:    v,
		names:    pt.names,
		spec:     pt.spec,
	})
	return nil
}

// lookup finds the value for method and path.
//
// path is the escaped request path, as r.URL.EscapedPath() returns it,
// with any base path already stripped; an empty path means "/". A path not
// starting with '/' matches nothing. Literal segments are compared with the
// path as given first; when nothing matches and the path holds a
// percent-escape, it is retried once in canonical form (see
// canonicalSegment), so /a%21b finds the template /a!b. Parameter values
// are percent-decoded with url.PathUnescape (%2F gives '/', '+' stays '+');
// a value with an invalid escape, or an empty value, does not match.
// method is compared as given (HTTP methods are case-sensitive).
//
// On a match, the parameters are appended to *params, in template order,
// reusing its capacity (pass (*params)[:0] to reuse a slice), and ok is
// true. A HEAD request with no matching HEAD route takes a matching GET
// route. Unless the router is strict, a path that matches nothing for
// method is retried with its trailing slash toggled.
//
// On a miss, *params is unchanged and ok is false. allow lists the verbs
// the path answers ("DELETE, GET, HEAD, PATCH"; sorted, comma and space
// separated, HEAD whenever GET is there, OPTIONS never), for a 405 and its
// Allow header; allow is empty when no verb answers the path (a 404).
//
// A lookup allocates nothing, but url.PathUnescape's result for a value
// that holds a '%'. A miss may allocate.
func (rt *router[V]) lookup(method, path string, params *loomctx.Params) (v V, allow string, ok bool) {
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		return v, "", false
	}
	var vals [maxParams]string
	idx, nv := rt.match(method, path, &vals)
	if idx < 0 {
		paths := []string{path}
		if strings.IndexByte(path, '%') >= 0 {
			canon, err := canonicalPath(path)
			if err != nil {
				return v, "", false
			}
			if canon != path {
				idx, nv = rt.match(method, canon, &vals)
				paths = append(paths, canon)
			}
		}
		if idx < 0 {
			return v, rt.allowed(paths), false
		}
	}
	route := &rt.routes[idx]
	start := len(*params)
	for j, val := range vals[:nv] {
		if strings.IndexByte(val, '%') >= 0 {
			dec, err := url.PathUnescape(val)
			if err != nil {
				*params = (*params)[:start]
				return v, "", false
			}
			val = dec
		}
		*params = append(*params, loomctx.Param{Name: route.names[j], Value: val})
	}
	return route.value, "", true
}

// match finds the route for method and path: the path as given, with a
// GET route answering HEAD, then, unless strict, the path with its
// trailing slash toggled. It returns the route's index, -1 when none
// matches, and the number of raw parameter values it left in vals.
func (rt *router[V]) match(method, path string, vals *[maxParams]string) (idx, nv int) {
	if idx, nv = rt.matchMethod(method, path, vals); idx >= 0 || rt.strict {
		return idx, nv
	}
	if alt, ok := toggleSlash(path); ok {
		return rt.matchMethod(method, alt, vals)
	}
	return -1, 0
}

// matchMethod finds the route of method for exactly path, falling back to
// GET for HEAD.
func (rt *router[V]) matchMethod(method, path string, vals *[maxParams]string) (int, int) {
	if t := rt.table(method); t != nil {
		if idx, nv := t.root.match(path[1:], vals, 0); idx >= 0 {
			return idx, nv
		}
	}
	if method == http.MethodHead {
		if t := rt.common[0]; t != nil {
			return t.root.match(path[1:], vals, 0)
		}
	}
	return -1, 0
}

// commonVerbs are the verbs whose tables are found without a map lookup;
// GET comes first.
var commonVerbs = [...]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// commonVerb is verb's index in commonVerbs, or -1.
func commonVerb(verb string) int {
	for i, v := range commonVerbs {
		if v == verb {
			return i
		}
	}
	return -1
}

// table is the table of method's routes, nil when it has none.
func (rt *router[V]) table(method string) *verbTable {
	if i := commonVerb(method); i >= 0 {
		return rt.common[i]
	}
	return rt.tables[method]
}

// matches reports whether t has a route for path, which starts with '/'.
func (t *verbTable) matches(path string) bool {
	var vals [maxParams]string
	idx, _ := t.root.match(path[1:], &vals, 0)
	return idx >= 0
}

// allowed returns the Allow list for a miss on any of paths: the verbs
// other than OPTIONS that match one of them (with the trailing slash
// toggled unless strict), plus HEAD when GET is there, sorted and joined
// with ", ".
func (rt *router[V]) allowed(paths []string) string {
	var verbs []string
	for _, verb := range rt.verbList {
		if verb == http.MethodOptions {
			continue
		}
		t := rt.tables[verb]
		for _, p := range paths {
			if t.matches(p) {
				verbs = append(verbs, verb)
				break
			}
			if rt.strict {
				continue
			}
			if alt, ok := toggleSlash(p); ok {
				if t.matches(alt) {
					verbs = append(verbs, verb)
					break
				}
			}
		}
	}
	if slices.Contains(verbs, http.MethodGet) && !slices.Contains(verbs, http.MethodHead) {
		verbs = append(verbs, http.MethodHead)
		slices.Sort(verbs)
	}
	return strings.Join(verbs, ", ")
}

// toggleSlash returns path with its trailing slash removed, or added when
// it has none; "/" has no alternative.
func toggleSlash(path string) (string, bool) {
	switch {
	case path == "/" || path == "":
		return "", false
	case path[len(path)-1] == '/':
		return path[:len(path)-1], true
	default:
		return path + "/", true
	}
}

// parsedTemplate is what add needs of a template.
type parsedTemplate struct {
	// path is the template with canonical literals and :name for each
	// parameter, as node.insert reads it.
	path string
	// shape is the template with canonical literals and every parameter
	// written {}: two templates of one shape match the same paths.
	shape string
	// names are the parameter names in order.
	names []string
	// spec is routeEntry.spec.
	spec string
}

// parseTemplate validates an OpenAPI path template and converts it; see
// add for the rules.
func parseTemplate(template string) (parsedTemplate, error) {
	var pt parsedTemplate
	if template == "" || template[0] != '/' {
		return pt, fmt.Errorf("a template must start with '/'")
	}
	segs := strings.Split(template[1:], "/")
	var path, shape strings.Builder
	spec := make([]byte, 0, len(segs))
	for i, seg := range segs {
		path.WriteByte('/')
		shape.WriteByte('/')
		switch {
		case seg == "":
			if i != len(segs)-1 {
				return pt, fmt.Errorf("empty segment (//)")
			}
			spec = append(spec, 'a')
		case seg[0] == '{' && seg[len(seg)-1] == '}' && strings.Count(seg, "{") == 1 && strings.Count(seg, "}") == 1:
			name := seg[1 : len(seg)-1]
			if !isParamName(name) {
				return pt, fmt.Errorf("parameter name %q must match [A-Za-z0-9_]+", name)
			}
			if slices.Contains(pt.names, name) {
				return pt, fmt.Errorf("parameter {%s} appears twice", name)
			}
			pt.names = append(pt.names, name)
			path.WriteString(":" + name)
			shape.WriteString("{}")
			spec = append(spec, 'b')
		case strings.ContainsAny(seg, "{}"):
			return pt, fmt.Errorf("segment %q mixes text and a parameter or has an unbalanced brace; a segment is either literal text or one {name}", seg)
		case seg[0] == ':':
			return pt, fmt.Errorf("segment %q uses :name syntax; write {%s}", seg, seg[1:])
		case strings.ContainsAny(seg, ":*"):
			return pt, fmt.Errorf("segment %q holds ':' or '*', which templates do not allow", seg)
		default:
			lit, err := canonicalSegment(seg)
			if err != nil {
				return pt, fmt.Errorf("segment %q: %w", seg, err)
			}
			if strings.ContainsAny(lit, ":*") {
				return pt, fmt.Errorf("segment %q holds ':' or '*', which templates do not allow", seg)
			}
			path.WriteString(lit)
			shape.WriteString(lit)
			spec = append(spec, 'a')
		}
	}
	pt.path, pt.shape, pt.spec = path.String(), shape.String(), string(spec)
	return pt, nil
}

// isParamName reports whether name matches [A-Za-z0-9_]+.
func isParamName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isToken reports whether s is a non-empty HTTP token (RFC 9110 §5.6.2),
// which a method must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// isPchar reports whether c may stand unescaped in a canonical path
// segment: RFC 3986 unreserved characters, sub-delims, ':' and '@'.
func isPchar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	switch c {
	case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@':
		return true
	}
	return false
}

// canonicalSegment returns seg in the router's canonical encoding: decoded,
// then with every byte that is not a pchar (see isPchar) written as %XX in
// upper-case hex. '/' (from %2F) and '%' (from %25) stay escaped. A segment
// that is already canonical comes back unchanged, without allocating; an
// invalid escape is an error.
func canonicalSegment(seg string) (string, error) {
	canonical := true
	for i := 0; i < len(seg); i++ {
		if !isPchar(seg[i]) {
			canonical = false
			break
		}
	}
	if canonical {
		return seg, nil
	}
	dec, err := url.PathUnescape(seg)
	if err != nil {
		return "", err
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(dec) + 8)
	for i := 0; i < len(dec); i++ {
		c := dec[i]
		if isPchar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String(), nil
}

// canonicalPath applies canonicalSegment to every segment of path.
func canonicalPath(path string) (string, error) {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		c, err := canonicalSegment(seg)
		if err != nil {
			return "", err
		}
		segs[i] = c
	}
	return strings.Join(segs, "/"), nil
}

// conflictError is a template that matches the same paths as the route
// registered at index prev, so the caller can name that route's handler.
type conflictError struct {
	prev int
	msg  string
}

func (e *conflictError) Error() string { return e.msg }
