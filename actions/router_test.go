package actions

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	loomctx "github.com/loomhq/loom/context"
)

// testRoute is one route of a test router: verb, template and the label
// lookup should return for it.
type testRoute struct {
	verb, template, label string
}

// todoRoutes exercise literals against parameters at several depths,
// different parameter names at one position, escaping, trailing slashes
// and verbs.
var todoRoutes = []testRoute{
	{"GET", "/", "root"},
	{"GET", "/todos", "list"},
	{"POST", "/todos", "create"},
	{"OPTIONS", "/todos", "options"},
	{"GET", "/todos/count", "count"},
	{"GET", "/todos/{id}", "get"},
	{"PUT", "/todos/{id}", "put"},
	{"PATCH", "/todos/{id}", "patch"},
	{"DELETE", "/todos/{id}", "delete"},
	{"GET", "/todos/{id}/exists", "exists"},
	{"GET", "/a/{x}/c", "a-x-c"},
	{"GET", "/a/b/{y}", "a-b-y"},
	{"GET", "/p/{x}/{y}/q", "p-x-y-q"},
	{"GET", "/p/{x}/r/{w}", "p-x-r-w"},
	{"GET", "/p/s/{y}/{z}", "p-s-y-z"},
	{"GET", "/users/{id}", "user"},
	{"GET", "/users/{userId}/posts", "posts"},
	{"GET", "/users/{uid}/likes/{lid}", "like"},
	{"GET", "/files/{name}", "file"},
	{"GET", "/café", "cafe"},
	{"GET", "/bang!", "bang"},
	{"GET", "/dir/", "dir"},
	{"GET", "/h", "get-h"},
	{"HEAD", "/h", "head-h"},
	{"post", "/lower", "lower"},
}

// newTestRouter returns a router holding routes, failing t on any error.
func newTestRouter(tb testing.TB, strict bool, routes []testRoute) *router[string] {
	tb.Helper()
	rt := newRouter[string](strict)
	for _, r := range routes {
		if err := rt.add(r.verb, r.template, r.label); err != nil {
			tb.Fatalf("add(%s %s): %v", r.verb, r.template, err)
		}
	}
	return rt
}

// lookupCase is one lookup and what it should give.
type lookupCase struct {
	name      string
	method    string
	path      string
	want      string // label; "" for a miss
	params    loomctx.Params
	wantAllow string
}

// runLookupCases runs cases against rt.
func runLookupCases(t *testing.T, rt *router[string], cases []lookupCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps loomctx.Params
			got, allow, ok := rt.lookup(tc.method, tc.path, &ps)
			if ok != (tc.want != "") || got != tc.want {
				t.Fatalf("lookup(%s %s) = %q, ok=%v; want %q", tc.method, tc.path, got, ok, tc.want)
			}
			if allow != tc.wantAllow {
				t.Errorf("allow = %q; want %q", allow, tc.wantAllow)
			}
			if !slices.Equal(ps, tc.params) {
				t.Errorf("params = %v; want %v", ps, tc.params)
			}
		})
	}
}

// p builds Params from name, value pairs.
func p(kv ...string) loomctx.Params {
	var ps loomctx.Params
	for i := 0; i < len(kv); i += 2 {
		ps = append(ps, loomctx.Param{Name: kv[i], Value: kv[i+1]})
	}
	return ps
}

func TestRouterLookup(t *testing.T) {
	rt := newTestRouter(t, false, todoRoutes)
	const todoAllow = "DELETE, GET, HEAD, PATCH, PUT"
	runLookupCases(t, rt, []lookupCase{
		// The count / {id} / {id}/exists trio.
		{name: "given count and {id} when GET /todos/count then the literal wins", method: "GET", path: "/todos/count", want: "count"},
		{name: "given count and {id} when GET /todos/5 then {id}", method: "GET", path: "/todos/5", want: "get", params: p("id", "5")},
		{name: "given {id}/exists when GET /todos/5/exists then exists", method: "GET", path: "/todos/5/exists", want: "exists", params: p("id", "5")},
		{name: "given {id}/exists when GET /todos/count/exists then exists with id count", method: "GET", path: "/todos/count/exists", want: "exists", params: p("id", "count")},
		{name: "given PATCH {id} when PATCH /todos/7 then patch", method: "PATCH", path: "/todos/7", want: "patch", params: p("id", "7")},
		{name: "given GET /todos when GET /todos then list", method: "GET", path: "/todos", want: "list"},
		{name: "given GET / when GET / then root", method: "GET", path: "/", want: "root"},
		{name: "given GET / when GET empty path then root", method: "GET", path: "", want: "root"},

		// Literals against parameters at several depths.
		{name: "given /a/{x}/c and /a/b/{y} when GET /a/b/c then the earlier literal wins", method: "GET", path: "/a/b/c", want: "a-b-y", params: p("y", "c")},
		{name: "given /a/{x}/c and /a/b/{y} when GET /a/z/c then /a/{x}/c", method: "GET", path: "/a/z/c", want: "a-x-c", params: p("x", "z")},
		{name: "given /a/{x}/c and /a/b/{y} when GET /a/b/z then /a/b/{y}", method: "GET", path: "/a/b/z", want: "a-b-y", params: p("y", "z")},
		{name: "given three /p routes when GET /p/s/r/q then /p/s/{y}/{z}", method: "GET", path: "/p/s/r/q", want: "p-s-y-z", params: p("y", "r", "z", "q")},
		{name: "given three /p routes when GET /p/t/r/q then /p/{x}/r/{w}", method: "GET", path: "/p/t/r/q", want: "p-x-r-w", params: p("x", "t", "w", "q")},
		{name: "given three /p routes when GET /p/t/u/q then /p/{x}/{y}/q", method: "GET", path: "/p/t/u/q", want: "p-x-y-q", params: p("x", "t", "y", "u")},

		// Different parameter names at one position.
		{name: "given {id} and {userId}/posts when GET /users/1 then id", method: "GET", path: "/users/1", want: "user", params: p("id", "1")},
		{name: "given {id} and {userId}/posts when GET /users/1/posts then userId", method: "GET", path: "/users/1/posts", want: "posts", params: p("userId", "1")},
		{name: "given {uid}/likes/{lid} when GET /users/1/likes/2 then uid and lid", method: "GET", path: "/users/1/likes/2", want: "like", params: p("uid", "1", "lid", "2")},

		// Escaping.
		{name: "given /files/{name} when the value has %2F then it is decoded to a slash", method: "GET", path: "/files/a%2Fb", want: "file", params: p("name", "a/b")},
		{name: "given /files/{name} when the value is UTF-8 escaped then it is decoded", method: "GET", path: "/files/caf%C3%A9", want: "file", params: p("name", "café")},
		{name: "given /files/{name} when the value has a plus then it stays a plus", method: "GET", path: "/files/a+b%20c", want: "file", params: p("name", "a+b c")},
		{name: "given /files/{name} when the value has an invalid escape then not found", method: "GET", path: "/files/a%zz"},
		{name: "given /todos/count when the literal is escaped then the parameter matches as in LoopBack", method: "GET", path: "/todos/%63ount", want: "get", params: p("id", "count")},
		{name: "given /café when GET /caf%C3%A9 then cafe", method: "GET", path: "/caf%C3%A9", want: "cafe"},
		{name: "given /café when GET with lower-case hex then cafe", method: "GET", path: "/caf%c3%a9", want: "cafe"},
		{name: "given /bang! when GET /bang%21 then bang", method: "GET", path: "/bang%21", want: "bang"},
		{name: "given /bang! when GET /bang! then bang", method: "GET", path: "/bang!", want: "bang"},
		{name: "given no route when the path has an invalid escape then not found without allow", method: "GET", path: "/x%zz"},

		// Trailing slash.
		{name: "given /todos when GET /todos/ then list", method: "GET", path: "/todos/", want: "list"},
		{name: "given /todos/{id} when GET /todos/5/ then get", method: "GET", path: "/todos/5/", want: "get", params: p("id", "5")},
		{name: "given /todos/count when GET /todos/count/ then count", method: "GET", path: "/todos/count/", want: "count"},
		{name: "given /dir/ when GET /dir then dir", method: "GET", path: "/dir", want: "dir"},
		{name: "given /dir/ when GET /dir/ then dir", method: "GET", path: "/dir/", want: "dir"},
		{name: "given /todos when GET /todos// then not found", method: "GET", path: "/todos//"},

		// HEAD.
		{name: "given GET /todos/{id} when HEAD /todos/5 then the GET route answers", method: "HEAD", path: "/todos/5", want: "get", params: p("id", "5")},
		{name: "given GET /todos/count when HEAD /todos/count/ then the GET route answers", method: "HEAD", path: "/todos/count/", want: "count"},
		{name: "given HEAD /h and GET /h when HEAD /h then the HEAD route", method: "HEAD", path: "/h", want: "head-h"},
		{name: "given HEAD /h and GET /h when GET /h then the GET route", method: "GET", path: "/h", want: "get-h"},

		// Verbs and allow lists.
		{name: "given GET POST OPTIONS /todos when DELETE /todos then allow GET HEAD POST", method: "DELETE", path: "/todos", wantAllow: "GET, HEAD, POST"},
		{name: "given verbs on /todos/{id} when POST /todos/5 then allow lists them", method: "POST", path: "/todos/5", wantAllow: todoAllow},
		{name: "given verbs on /todos/{id} when POST /todos/5/ then allow lists them", method: "POST", path: "/todos/5/", wantAllow: todoAllow},
		{name: "given GET /todos/count and {id} when POST /todos/count then allow lists both", method: "POST", path: "/todos/count", wantAllow: todoAllow},
		{name: "given GET /todos/{id}/exists when PUT /todos/5/exists then allow GET HEAD", method: "PUT", path: "/todos/5/exists", wantAllow: "GET, HEAD"},
		{name: "given HEAD and GET /h when POST /h then allow GET HEAD once", method: "POST", path: "/h", wantAllow: "GET, HEAD"},
		{name: "given OPTIONS /todos when OPTIONS /todos then options", method: "OPTIONS", path: "/todos", want: "options"},
		{name: "given post /lower when POST /lower then the verb was upper-cased", method: "POST", path: "/lower", want: "lower"},
		{name: "given post /lower when GET /lower then allow POST", method: "GET", path: "/lower", wantAllow: "POST"},
		{name: "given a lower-case method when get /todos then not matched", method: "get", path: "/todos", wantAllow: "GET, HEAD, POST"},

		// Unknown paths.
		{name: "given the routes when GET /nope then not found", method: "GET", path: "/nope"},
		{name: "given /todos/{id}/exists when GET /todos/5/other then not found", method: "GET", path: "/todos/5/other"},
		{name: "given /users/{id} when GET /users//posts then an empty parameter does not match", method: "GET", path: "/users//posts"},
		{name: "given DELETE /todos/{id} when DELETE /todos/ then the empty parameter does not match and allow is that of /todos", method: "DELETE", path: "/todos/", wantAllow: "GET, HEAD, POST"},
		{name: "given the routes when the path lacks a slash then not found", method: "GET", path: "todos"},
		{name: "given the routes when the method is unknown then allow lists the verbs", method: "BREW", path: "/todos/5", wantAllow: todoAllow},
	})
}

func TestRouterStrict(t *testing.T) {
	rt := newTestRouter(t, true, todoRoutes)
	runLookupCases(t, rt, []lookupCase{
		{name: "given strict when GET /todos then list", method: "GET", path: "/todos", want: "list"},
		{name: "given strict when GET /todos/ then not found", method: "GET", path: "/todos/"},
		{name: "given strict when GET /todos/5/ then not found", method: "GET", path: "/todos/5/"},
		{name: "given strict when GET /dir then not found", method: "GET", path: "/dir"},
		{name: "given strict when GET /dir/ then dir", method: "GET", path: "/dir/", want: "dir"},
		{name: "given strict when POST /todos/5/ then no allow", method: "POST", path: "/todos/5/"},
		{name: "given strict when POST /todos/5 then allow", method: "POST", path: "/todos/5", wantAllow: "DELETE, GET, HEAD, PATCH, PUT"},
	})
}

func TestRouterTrailingSlashBothRegistered(t *testing.T) {
	rt := newTestRouter(t, false, []testRoute{
		{"GET", "/x", "no-slash"},
		{"GET", "/x/", "slash"},
		{"DELETE", "/y/", "del-y"},
	})
	runLookupCases(t, rt, []lookupCase{
		{name: "given /x and /x/ when GET /x then the exact one", method: "GET", path: "/x", want: "no-slash"},
		{name: "given /x and /x/ when GET /x/ then the exact one", method: "GET", path: "/x/", want: "slash"},
		{name: "given DELETE /y/ when GET /y then allow DELETE", method: "GET", path: "/y", wantAllow: "DELETE"},
	})
}

func TestRouterParamsAppend(t *testing.T) {
	rt := newTestRouter(t, false, todoRoutes)
	backing := make(loomctx.Params, 1, 8)
	backing[0] = loomctx.Param{Name: "keep", Value: "me"}
	ps := backing

	_, _, ok := rt.lookup("GET", "/users/1/likes/2", &ps)
	if !ok {
		t.Fatal("given a like route when looked up then it should match")
	}
	if want := p("keep", "me", "uid", "1", "lid", "2"); !slices.Equal(ps, want) {
		t.Errorf("given existing params when a route matches then values are appended: got %v, want %v", ps, want)
	}
	if &ps[0] != &backing[0] {
		t.Error("given spare capacity when params are appended then the backing array is reused")
	}

	ps = ps[:1]
	if _, _, ok := rt.lookup("GET", "/files/a%zz", &ps); ok || len(ps) != 1 {
		t.Errorf("given an invalid escape when looked up then params are unchanged: ok=%v params=%v", ok, ps)
	}
	if _, _, ok := rt.lookup("GET", "/nope", &ps); ok || len(ps) != 1 {
		t.Errorf("given a miss when looked up then params are unchanged: ok=%v params=%v", ok, ps)
	}
}

func TestRouterAddErrors(t *testing.T) {
	cases := []struct {
		name     string
		verb     string
		template string
		wantErr  string
	}{
		{"given no leading slash when added then an error", "GET", "todos", "must start with '/'"},
		{"given an empty template when added then an error", "GET", "", "must start with '/'"},
		{"given two params in a segment when added then an error", "GET", "/x/{a}-{b}", "mixes text"},
		{"given text before a param when added then an error", "GET", "/x{id}", "mixes text"},
		{"given text after a param when added then an error", "GET", "/{id}.json", "mixes text"},
		{"given an unbalanced brace when added then an error", "GET", "/x/{id", "mixes text"},
		{"given a modifier when added then an error", "GET", "/x/{id}?", "mixes text"},
		{"given a bad param name when added then an error", "GET", "/x/{my-id}", "must match [A-Za-z0-9_]+"},
		{"given an empty param name when added then an error", "GET", "/x/{}", "must match [A-Za-z0-9_]+"},
		{"given a repeated param name when added then an error", "GET", "/x/{id}/y/{id}", "appears twice"},
		{"given :name syntax when added then an error", "GET", "/x/:id", ":name syntax"},
		{"given a catch-all when added then an error", "GET", "/x/*rest", "'*'"},
		{"given a colon inside a literal when added then an error", "GET", "/x/a:b", "':'"},
		{"given an escaped colon when added then an error", "GET", "/x/a%3Ab", "':'"},
		{"given an invalid escape when added then an error", "GET", "/x/100%", "invalid URL escape"},
		{"given an empty segment when added then an error", "GET", "/x//y", "empty segment"},
		{"given an empty verb when added then an error", "", "/x", "not an HTTP method"},
		{"given a verb with a space when added then an error", "GE T", "/x", "not an HTTP method"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRouter[int](false)
			err := rt.add(tc.verb, tc.template, 1)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("add(%q, %q) = %v; want an error containing %q", tc.verb, tc.template, err, tc.wantErr)
			}
			if len(rt.routes) != 0 || len(rt.verbs()) != 0 {
				t.Errorf("a failed add changed the router: %d routes, verbs %v", len(rt.routes), rt.verbs())
			}
		})
	}
}

func TestRouterDuplicates(t *testing.T) {
	cases := []struct {
		name          string
		first, second testRoute
		wantErr       []string // substrings; nil for no error
	}{
		{"given GET /todos/{id} when added twice then an error naming both",
			testRoute{"GET", "/todos/{id}", "a"}, testRoute{"GET", "/todos/{id}", "b"},
			[]string{`GET "/todos/{id}" is registered twice`, `already registered as GET "/todos/{id}"`}},
		{"given GET /todos when added twice then an error",
			testRoute{"GET", "/todos", "a"}, testRoute{"get", "/todos", "b"},
			[]string{"registered twice"}},
		{"given GET /todos/{id} when GET /todos/{key} is added then a conflict naming both",
			testRoute{"GET", "/todos/{id}", "a"}, testRoute{"GET", "/todos/{key}", "b"},
			[]string{`GET "/todos/{key}" conflicts with GET "/todos/{id}"`}},
		{"given GET /café when GET /caf%C3%A9 is added then a duplicate",
			testRoute{"GET", "/café", "a"}, testRoute{"GET", "/caf%C3%A9", "b"},
			[]string{"conflicts with"}},
		{"given GET /todos/{id} when PUT /todos/{id} is added then no error",
			testRoute{"GET", "/todos/{id}", "a"}, testRoute{"PUT", "/todos/{id}", "b"}, nil},
		{"given GET /todos/{id} when GET /todos/{todoId}/items is added then no error",
			testRoute{"GET", "/todos/{id}", "a"}, testRoute{"GET", "/todos/{todoId}/items", "b"}, nil},
		{"given GET /todos when GET /todos/ is added then no error",
			testRoute{"GET", "/todos", "a"}, testRoute{"GET", "/todos/", "b"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := newTestRouter(t, false, []testRoute{tc.first})
			err := rt.add(tc.second.verb, tc.second.template, tc.second.label)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("add: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("add succeeded; want an error")
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			var ps loomctx.Params
			if v, _, _ := rt.lookup(tc.first.verb, "/todos/1", &ps); tc.first.template == "/todos/{id}" && v != "a" {
				t.Errorf("after the failed add, lookup = %q; want the first route", v)
			}
		})
	}
}

func TestRouterBacktracksToTheMostSpecific(t *testing.T) {
	// Every route has a literal where another has its parameter; lookup
	// must backtrack out of the literal branches to find each one.
	rt := newRouter[string](true)
	for i := range 6 {
		tpl := "/m"
		for j := range 6 {
			if j == i {
				tpl += fmt.Sprintf("/{p%d}", i)
			} else {
				tpl += "/" + string(rune('a'+j))
			}
		}
		if err := rt.add("GET", tpl, tpl); err != nil {
			t.Fatal(err)
		}
	}
	runLookupCases(t, rt, []lookupCase{
		// The all-literal path matches every route; the one whose
		// parameter comes last is the most specific.
		{name: "given six one-param routes when every segment is the literal then the latest param wins", method: "GET", path: "/m/a/b/c/d/e/f", want: "/m/a/b/c/d/e/{p5}", params: p("p5", "f")},
		{name: "given six one-param routes when position 0 differs then the route with its param there", method: "GET", path: "/m/z/b/c/d/e/f", want: "/m/{p0}/b/c/d/e/f", params: p("p0", "z")},
		{name: "given six one-param routes when position 3 differs then the route with its param there", method: "GET", path: "/m/a/b/c/z/e/f", want: "/m/a/b/c/{p3}/e/f", params: p("p3", "z")},
	})
}

func TestRouterAllocs(t *testing.T) {
	rt := newTestRouter(t, false, todoRoutes)
	ps := make(loomctx.Params, 0, 4)
	static := testing.AllocsPerRun(100, func() {
		ps = ps[:0]
		rt.lookup("GET", "/todos/count", &ps)
	})
	if static != 0 {
		t.Errorf("given a static route when looked up then no allocation; got %v", static)
	}
	param := testing.AllocsPerRun(100, func() {
		ps = ps[:0]
		rt.lookup("GET", "/todos/42", &ps)
	})
	if param != 0 {
		t.Errorf("given a one-param route when looked up then no allocation; got %v", param)
	}
}

// fuzzRoutes are plain-ASCII routes for FuzzRouterLookup, so that a simple
// segment matcher can serve as the oracle.
var fuzzRoutes = []testRoute{
	{"GET", "/", "root"},
	{"GET", "/todos", "list"},
	{"POST", "/todos", "create"},
	{"GET", "/todos/count", "count"},
	{"GET", "/todos/{id}", "get"},
	{"DELETE", "/todos/{id}", "delete"},
	{"GET", "/todos/{id}/exists", "exists"},
	{"GET", "/a/{x}/c", "a-x-c"},
	{"GET", "/a/b/{y}", "a-b-y"},
	{"GET", "/a/b/c/", "a-b-c-slash"},
	{"GET", "/p/{x}/{y}/q", "p-x-y-q"},
	{"GET", "/p/{x}/r/{w}", "p-x-r-w"},
	{"GET", "/p/s/{y}/{z}", "p-s-y-z"},
	{"GET", "/users/{id}", "user"},
	{"GET", "/users/{userId}/posts", "posts"},
	{"HEAD", "/users/{uid}/posts", "head-posts"},
	{"GET", "/{first}", "first"},
	{"PUT", "/{first}/{second}", "second"},
}

// oracleMatch is a slow reference for a strict router on paths without
// '%': split into segments, literals must be equal, parameters non-empty,
// the smallest spec wins; HEAD falls back to GET.
func oracleMatch(method, path string) (string, loomctx.Params, bool) {
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		return "", nil, false
	}
	try := func(verb string) (string, loomctx.Params, bool) {
		best, bestSpec := "", ""
		var bestPs loomctx.Params
		for _, r := range fuzzRoutes {
			if r.verb != verb {
				continue
			}
			tsegs := strings.Split(r.template[1:], "/")
			psegs := strings.Split(path[1:], "/")
			if len(tsegs) != len(psegs) {
				continue
			}
			spec := ""
			var ps loomctx.Params
			ok := true
			for i, ts := range tsegs {
				if strings.HasPrefix(ts, "{") {
					if psegs[i] == "" {
						ok = false
						break
					}
					spec += "b"
					ps = append(ps, loomctx.Param{Name: ts[1 : len(ts)-1], Value: psegs[i]})
				} else {
					if ts != psegs[i] {
						ok = false
						break
					}
					spec += "a"
				}
			}
			if ok && (best == "" || spec < bestSpec) {
				best, bestSpec, bestPs = r.label, spec, ps
			}
		}
		return best, bestPs, best != ""
	}
	if l, ps, ok := try(method); ok {
		return l, ps, true
	}
	if method == "HEAD" {
		return try("GET")
	}
	return "", nil, false
}

func FuzzRouterLookup(f *testing.F) {
	for _, s := range []string{
		"/", "", "/todos", "/todos/", "/todos/count", "/todos/5", "/todos/5/exists",
		"/a/b/c", "/a/b/c/", "/p/s/r/q", "/p/t/r/q", "/users/1/posts", "/users//posts",
		"/files/a%2Fb", "/x%zz", "/%", "//", "/todos/%63ount", "todos", "/caf%C3%A9/",
	} {
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE"} {
			f.Add(m, s)
		}
	}
	lenient := newTestRouter(f, false, fuzzRoutes)
	strict := newTestRouter(f, true, fuzzRoutes)
	names := map[string]int{}
	for _, r := range fuzzRoutes {
		names[r.label] = strings.Count(r.template, "{")
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		for _, rt := range []*router[string]{lenient, strict} {
			var ps loomctx.Params
			v, allow, ok := rt.lookup(method, path, &ps)
			if ok && allow != "" {
				t.Fatalf("lookup(%q, %q): ok with allow %q", method, path, allow)
			}
			if ok && len(ps) != names[v] {
				t.Fatalf("lookup(%q, %q) = %q with params %v; want %d params", method, path, v, ps, names[v])
			}
			if !ok && (v != "" || len(ps) != 0) {
				t.Fatalf("lookup(%q, %q): miss returned %q, params %v", method, path, v, ps)
			}
			if allow != "" && slices.ContainsFunc(strings.Split(allow, ", "), func(v string) bool { return v == "OPTIONS" || v == method }) {
				t.Fatalf("lookup(%q, %q): allow %q", method, path, allow)
			}
		}
		if strings.Contains(path, "%") {
			return
		}
		var ps loomctx.Params
		v, _, ok := strict.lookup(method, path, &ps)
		wantV, wantPs, wantOK := oracleMatch(method, path)
		if ok != wantOK || v != wantV || !slices.Equal(ps, wantPs) {
			t.Fatalf("strict lookup(%q, %q) = %q %v %v; oracle %q %v %v", method, path, v, ps, ok, wantV, wantPs, wantOK)
		}
	})
}

// BenchmarkRouterLookup measures lookups on the todo routes.
func BenchmarkRouterLookup(b *testing.B) {
	rt := newTestRouter(b, false, todoRoutes)
	for _, bc := range []struct{ name, method, path string }{
		{"static", "GET", "/todos/count"},
		{"one-param", "GET", "/todos/42"},
		{"param-then-literal", "GET", "/todos/42/exists"},
		{"two-trees", "GET", "/a/b/c"},
		{"escaped-param", "GET", "/files/caf%C3%A9"},
		{"trailing-slash", "GET", "/todos/"},
		{"method-not-allowed", "POST", "/todos/42"},
		{"not-found", "GET", "/nope/nothing"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			ps := make(loomctx.Params, 0, 4)
			for b.Loop() {
				ps = ps[:0]
				rt.lookup(bc.method, bc.path, &ps)
			}
		})
	}
}

func TestEscapedPath_MatchesTheURLsOwn(t *testing.T) {
	for _, raw := range []string{"/todos/1", "/a%20b", "/caf%C3%A9", "/a!b", "/x$&+,:;=@y", "/a%2Fb", "/~u/_-.", "/a'b(c)*"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := escapedPath(u), u.EscapedPath(); got != want {
			t.Errorf("escapedPath(%q) = %q, want %q", raw, got, want)
		}
	}
	u := &url.URL{Path: "/café et thé"}
	if got, want := escapedPath(u), u.EscapedPath(); got != want {
		t.Errorf("escapedPath(%q) = %q, want %q", u.Path, got, want)
	}
}
