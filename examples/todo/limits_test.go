package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// The requests below are the ones that once cost seconds of CPU, hundreds
// of megabytes or a frozen store. Each must now get its answer from the
// caps of docs/concepts/limits.md and leave the server serving others.

// Codes a client reads in the envelope of a refused request.
const (
	codeTooManyQueryParameters = "TOO_MANY_QUERY_PARAMETERS"
	codeInvalidParameter       = "INVALID_PARAMETER_VALUE"
	codeQueryTooCostly         = "QUERY_TOO_COSTLY"
)

// codesOf503 are the codes a request cut by a deadline may carry: the
// request's own deadline, or PostgreSQL's statement timeout.
var codesOf503 = []string{"REQUEST_TIMEOUT", "QUERY_TIMEOUT"}

// TestLimits sends each costly request to the Todo example on every store.
func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, store)
	}{
		{"RefusesFiftyThousandArrayKeysInOneQuery", limitsRefusesFiftyThousandArrayKeysInOneQuery},
		{"RefusesTwentyThousandArrayKeysInOneQuery", limitsRefusesTwentyThousandArrayKeysInOneQuery},
		{"RefusesALikeOverAMegabyteOfTextAsTooCostly", limitsRefusesALikeOverAMegabyteOfTextAsTooCostly},
		{"ServesReadsAndWritesWhileCostlyLikesRun", limitsServesReadsAndWritesWhileCostlyLikesRun},
		{"RefusesAThousandOrderKeysAsJSON", limitsRefusesAThousandOrderKeysAsJSON},
		{"RefusesAThousandOrderKeysExploded", limitsRefusesAThousandOrderKeysExploded},
		{"RefusesFiftyThousandOrderKeys", limitsRefusesFiftyThousandOrderKeys},
		{"OrdersByAThousandCopiesOfOneKeyAsByOne", limitsOrdersByAThousandCopiesOfOneKeyAsByOne},
		{"RefusesAWhereOfMoreThanTenThousandValues", limitsRefusesAWhereOfMoreThanTenThousandValues},
		{"RefusesAMegabyteInqList", limitsRefusesAMegabyteInqList},
		{"RefusesAnOrOfAQuarterMillionEmptyConditions", limitsRefusesAnOrOfAQuarterMillionEmptyConditions},
		{"AnswersAWhereOfAThousandConditions", limitsAnswersAWhereOfAThousandConditions},
		{"AnswersAWhereOfTenThousandValues", limitsAnswersAWhereOfTenThousandValues},
		{"AnswersAWhereAtTheCapsOnANestedProperty", limitsAnswersAWhereAtTheCapsOnANestedProperty},
		{"RefusesMoreThan256FieldsAsJSON", limitsRefusesMoreThan256FieldsAsJSON},
		{"RefusesMoreThan256FieldsExploded", limitsRefusesMoreThan256FieldsExploded},
		{"SelectsFieldsNamedManyTimesOnce", limitsSelectsFieldsNamedManyTimesOnce},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			t.Run("RefusesAURLPastTheHeaderLimit", func(t *testing.T) { limitsRefusesAURLPastTheHeaderLimit(t, s) })
			// The requests below are larger than the 16 KiB of headers a
			// server allows by default; one that allows a megabyte must
			// still refuse them, by the caps further in.
			s.opts = []rest.Option{wideHeaders}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, s) })
			}
		})
	}
}

// wideHeaders is the server configured with a megabyte of headers, so a
// megabyte of URL, as rest.Config.MaxHeaderBytes once was by default.
var wideHeaders = rest.WithConfig(rest.Config{Host: "127.0.0.1", MaxHeaderBytes: 1 << 20})

// The first cap a long URL meets is the server's: 16 KiB of request line
// and headers, as Node's, answered 431 in the envelope.
func limitsRefusesAURLPastTheHeaderLimit(t *testing.T, s store) {
	app, _ := s.start(t)
	env := expectEnvelope(t, app.Get("/todos?"+repeatQuery("filter[order][]=id", 1000)), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE")
	if !strings.Contains(env.Error.Message, "16384") {
		t.Errorf("message %q does not name the limit", env.Error.Message)
	}
	expectServing(t, app)
}

// expectEnvelope checks that r is LoopBack's error envelope with status
// and one of codes, every field a client reads filled in.
func expectEnvelope(t *testing.T, r *resttest.Response, status int, codes ...string) envelope {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d %v: %.500s", r.Status, status, codes, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	env := decode[envelope](t, r)
	e := env.Error
	if e.StatusCode != status || e.Name == "" || e.Message == "" || !slices.Contains(codes, e.Code) {
		t.Fatalf("envelope %.500s, want statusCode %d, a name, a message and a code in %v", r.Body, status, codes)
	}
	return env
}

// expectLimitDetail checks that env's details name the cap a filter went
// past: a detail with AJV's keyword and {"limit": limit} in its info.
func expectLimitDetail(t *testing.T, env envelope, keywords []string, limit int) {
	t.Helper()
	var details []struct {
		Code string         `json:"code"`
		Info map[string]any `json:"info"`
	}
	if err := json.Unmarshal(env.Error.Details, &details); err != nil {
		t.Fatalf("details %s: %v", env.Error.Details, err)
	}
	for _, d := range details {
		if slices.Contains(keywords, d.Code) && d.Info["limit"] == float64(limit) {
			return
		}
	}
	t.Errorf("details %s, want a %v detail with limit %d", env.Error.Details, keywords, limit)
}

// expectServing checks that the server still answers GET /todos/1 with
// the first seed todo.
func expectServing(t *testing.T, app *resttest.App) {
	t.Helper()
	r := app.Get("/todos/1")
	expectStatus(t, r, 200)
	if got := decode[map[string]any](t, r); got["title"] != "Take over the galaxy" {
		t.Errorf("GET /todos/1 afterwards = %s", r.Body)
	}
}

// repeatQuery is n copies of pair joined by &.
func repeatQuery(pair string, n int) string {
	return strings.TrimSuffix(strings.Repeat(pair+"&", n), "&")
}

// jsonParam is v as JSON, with only what a URL cannot carry escaped (",
// space, %, &, + and #), so that large filters stay as short as a client
// would send them.
func jsonParam(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer(`%`, "%25", `"`, "%22", " ", "%20", "&", "%26", "+", "%2B", "#", "%23").Replace(string(b))
}

// orderKeys are n distinct keys into the tag property: tag.a0, tag.a1, …
// with dir appended when it is not empty.
func orderKeys(n int, dir string) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "tag.a" + strconv.Itoa(i)
		if dir != "" {
			keys[i] += " " + dir
		}
	}
	return keys
}

// ids are the numbers 1 to n.
func ids(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func count(t *testing.T, r *resttest.Response) int {
	t.Helper()
	expectStatus(t, r, 200)
	return decode[map[string]int](t, r)["count"]
}

// The query string: Express's qs stops at 1,000 parameters and LoopBack at
// 1,000 array items; parsing more once cost seconds, quadratically.

func limitsRefusesFiftyThousandArrayKeysInOneQuery(t *testing.T, s store) {
	app, _ := s.start(t)
	q := repeatQuery("filter[order][]=id", 50_000) // 950 KB, under MaxHeaderBytes
	env := expectEnvelope(t, app.Get("/todos?"+q), 400, codeTooManyQueryParameters)
	if !strings.Contains(env.Error.Message, "1000") {
		t.Errorf("message %q does not name the limit", env.Error.Message)
	}
	expectServing(t, app)
}

func limitsRefusesTwentyThousandArrayKeysInOneQuery(t *testing.T, s store) {
	app, _ := s.start(t)
	expectEnvelope(t, app.Get("/todos?"+repeatQuery("filter[order][]=id", 20_000)), 400, codeTooManyQueryParameters)
	expectServing(t, app)
}

// like and regexp: matching costs text size times pattern size, and one
// megabyte of stored text times a 1,000-byte pattern is seconds of CPU.

// costlyLikeQuery is GET /todos/count with a like of 999 _ and a z, the
// longest pattern a filter may hold, on the title.
var costlyLikeQuery = "/todos/count?where=" + url.QueryEscape(`{"title":{"like":"`+strings.Repeat("_", 999)+`z"}}`)

// createMegabyteTodo stores a todo whose title is a megabyte of a, just
// under the 1 MiB body limit.
func createMegabyteTodo(t testing.TB, app *resttest.App) {
	t.Helper()
	r := app.Post("/todos", map[string]any{"title": strings.Repeat("a", 1_000_000)})
	if r.Status != 200 {
		t.Fatalf("create a 1 MB todo: %d %.300s", r.Status, r.Body)
	}
}

// expectCostlyLikeAnswer checks the answer to costlyLikeQuery: refused as
// too costly where the framework matches in Go (memory, SQLite); on
// PostgreSQL, which matches in the server, the right count (no title ends
// in z) or a statement timeout.
func expectCostlyLikeAnswer(t *testing.T, s store, status int, body []byte) {
	t.Helper()
	r := &resttest.Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if s.name != "postgres" {
		expectEnvelope(t, r, 400, codeQueryTooCostly)
		return
	}
	if status == 503 {
		expectEnvelope(t, r, 503, codesOf503...)
		return
	}
	if n := count(t, r); n != 0 {
		t.Errorf("count %d, want 0", n)
	}
}

func limitsRefusesALikeOverAMegabyteOfTextAsTooCostly(t *testing.T, s store) {
	app, _ := s.start(t)
	createMegabyteTodo(t, app)
	r := app.Get(costlyLikeQuery)
	expectCostlyLikeAnswer(t, s, r.Status, r.Body)
	expectServing(t, app)
}

// Four costly likes at once once filled SQLite's pool and froze the memory
// store's writers; reads and writes from other clients must still be
// served while they run.
func limitsServesReadsAndWritesWhileCostlyLikesRun(t *testing.T, s store) {
	app, _ := s.start(t)
	createMegabyteTodo(t, app)
	type answer struct {
		status int
		body   []byte
		err    error
	}
	answers := make(chan answer)
	for range 4 {
		go func() {
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			resp, err := client.Get(app.URL() + costlyLikeQuery)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			answers <- answer{resp.StatusCode, body, err}
		}()
	}

	expectServing(t, app)
	expectStatus(t, app.Patch("/todos/1", map[string]any{"isComplete": true}), 204)
	if got := decode[map[string]any](t, app.Get("/todos/1")); got["isComplete"] != true {
		t.Errorf("after PATCH: %v", got)
	}

	for range 4 {
		a := <-answers
		if a.err != nil {
			// The error quotes the URL: its end says what went wrong.
			msg := a.err.Error()
			t.Errorf("costly like: …%s", msg[max(0, len(msg)-200):])
			continue
		}
		expectCostlyLikeAnswer(t, s, a.status, a.body)
	}
}

// order: each key is a sort term (PostgreSQL accepts 1,664 in all), so the
// keys are capped at 32 once duplicates are dropped.

func limitsRefusesAThousandOrderKeysAsJSON(t *testing.T, s store) {
	app, _ := s.start(t)
	f := jsonParam(t, map[string]any{"order": orderKeys(1000, "ASC")})
	env := expectEnvelope(t, app.Get("/todos?filter="+f), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 32)
	expectServing(t, app)
}

func limitsRefusesAThousandOrderKeysExploded(t *testing.T, s store) {
	app, _ := s.start(t)
	var q strings.Builder
	for i, k := range orderKeys(1000, "ASC") {
		if i > 0 {
			q.WriteByte('&')
		}
		fmt.Fprintf(&q, "filter[order][%d]=%s", i, url.QueryEscape(k))
	}
	env := expectEnvelope(t, app.Get("/todos?"+q.String()), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 32)
	expectServing(t, app)
}

func limitsRefusesFiftyThousandOrderKeys(t *testing.T, s store) {
	app, _ := s.start(t)
	// Without directions, 50,000 keys are a 700 KB URL, under the 1 MiB
	// of MaxHeaderBytes. The query's array cap (1000) refuses them before
	// the filter is decoded.
	f := jsonParam(t, map[string]any{"order": orderKeys(50_000, "")})
	env := expectEnvelope(t, app.Get("/todos?filter="+f), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 1000)
	expectServing(t, app)
}

func limitsOrdersByAThousandCopiesOfOneKeyAsByOne(t *testing.T, s store) {
	app, _ := s.start(t)
	f := jsonParam(t, map[string]any{"order": slices.Repeat([]string{"title DESC"}, 1000)})
	got := titles(t, app.Get("/todos?filter="+f))
	if fmt.Sprint(got) != "[play space invaders destroy alderaan crush rebels Take over the galaxy]" {
		t.Errorf("titles %q, want them by title, descending", got)
	}
}

// where: MaxConds 1,000 conditions, MaxInq 1,000 values per list and
// MaxValues 10,000 values in all, below what SQLite and PostgreSQL accept
// in one statement.

// inqs is a where clause of n conditions on prop, each an inq of 1 to
// size.
func inqs(prop string, n, size int) map[string]any {
	conds := make([]any, n)
	for i := range conds {
		conds[i] = map[string]any{prop: map[string]any{"inq": ids(size)}}
	}
	return map[string]any{"and": conds}
}

// equalities is a where clause of n conditions prop = 1 … n in an or.
func equalities(prop string, n int) map[string]any {
	conds := make([]any, n)
	for i := range conds {
		conds[i] = map[string]any{prop: i + 1}
	}
	return map[string]any{"or": conds}
}

func limitsRefusesAWhereOfMoreThanTenThousandValues(t *testing.T, s store) {
	app, _ := s.start(t)
	where := jsonParam(t, inqs("id", 20, 1000)) // 20,000 values, each list at MaxInq
	env := expectEnvelope(t, app.Get("/todos/count?where="+where), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 10_000)
	f := jsonParam(t, map[string]any{"where": inqs("id", 20, 1000)})
	env = expectEnvelope(t, app.Get("/todos?filter="+f), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 10_000)
	expectServing(t, app)
}

// megabyteInq is a count whose where is one inq of 500,000 values, a
// 1 MB URL.
var megabyteInq = "/todos/count?where={%22id%22:{%22inq%22:[" + strings.Repeat("1,", 499_999) + "1]}}"

func limitsRefusesAMegabyteInqList(t *testing.T, s store) {
	app, _ := s.start(t)
	env := expectEnvelope(t, app.Get(megabyteInq), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems"}, 1000)
	expectServing(t, app)
}

// emptyConditions is a count whose where is an or of 250,000 empty
// conditions, a 750 KB URL: none is a comparison, but each is work.
var emptyConditions = "/todos/count?where={%22or%22:[" + strings.Repeat("{},", 249_999) + "{}]}"

func limitsRefusesAnOrOfAQuarterMillionEmptyConditions(t *testing.T, s store) {
	app, _ := s.start(t)
	env := expectEnvelope(t, app.Get(emptyConditions), 400, codeInvalidParameter)
	expectLimitDetail(t, env, []string{"maxItems", "maxProperties"}, 1000)
	expectServing(t, app)
}

func limitsAnswersAWhereOfAThousandConditions(t *testing.T, s store) {
	app, _ := s.start(t)
	if n := count(t, app.Get("/todos/count?where="+jsonParam(t, equalities("id", 1000)))); n != 4 {
		t.Errorf("count %d, want the 4 seed todos", n)
	}
}

func limitsAnswersAWhereOfTenThousandValues(t *testing.T, s store) {
	app, _ := s.start(t)
	if n := count(t, app.Get("/todos/count?where="+jsonParam(t, inqs("id", 10, 1000)))); n != 4 {
		t.Errorf("count %d, want the 4 seed todos", n)
	}
}

// A nested property is matched through JSON functions, which take more
// statement parameters per value than a column does.
func limitsAnswersAWhereAtTheCapsOnANestedProperty(t *testing.T, s store) {
	app, _ := s.start(t)
	create(t, app, map[string]any{"title": "tagged", "tag": map[string]any{"a": 7}})
	for _, where := range []map[string]any{equalities("tag.a", 1000), inqs("tag.a", 10, 1000)} {
		if n := count(t, app.Get("/todos/count?where="+jsonParam(t, where))); n != 1 {
			t.Errorf("count %d, want the 1 tagged todo", n)
		}
	}
}

// fields: at most 256 entries once repeats are dropped, so that a
// selection costs no more to read than a model can have properties. The
// Todo has seven, so only names it lacks can go past the cap: the cap must
// refuse them before the names are looked up.

// manyFields is n distinct names, f0 to f(n-1).
func manyFields(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "f" + strconv.Itoa(i)
	}
	return out
}

// fieldsCapKeywords are AJV's keywords for too many entries: of a list,
// of an object.
var fieldsCapKeywords = []string{"maxItems", "maxProperties"}

func limitsRefusesMoreThan256FieldsAsJSON(t *testing.T, s store) {
	app, _ := s.start(t)
	list := jsonParam(t, map[string]any{"fields": manyFields(257)})
	object := map[string]bool{}
	for _, f := range manyFields(257) {
		object[f] = true
	}
	for _, path := range []string{
		"/todos?filter=" + list,
		"/todos/1?filter=" + list,
		"/todos?filter=" + jsonParam(t, map[string]any{"fields": object}),
	} {
		env := expectEnvelope(t, app.Get(path), 400, codeInvalidParameter)
		expectLimitDetail(t, env, fieldsCapKeywords, 256)
	}
	expectServing(t, app)
}

func limitsRefusesMoreThan256FieldsExploded(t *testing.T, s store) {
	app, _ := s.start(t)
	var q strings.Builder
	for i, f := range manyFields(257) {
		if i > 0 {
			q.WriteByte('&')
		}
		fmt.Fprintf(&q, "filter[fields][%d]=%s", i, f)
	}
	env := expectEnvelope(t, app.Get("/todos?"+q.String()), 400, codeInvalidParameter)
	expectLimitDetail(t, env, fieldsCapKeywords, 256)
	expectServing(t, app)
}

func limitsSelectsFieldsNamedManyTimesOnce(t *testing.T, s store) {
	app, _ := s.start(t)
	f := jsonParam(t, map[string]any{"fields": slices.Repeat([]string{"title"}, 1000)})
	r := app.Get("/todos/1?filter=" + f)
	expectStatus(t, r, 200)
	if r.Text() != `{"title":"Take over the galaxy"}` {
		t.Errorf("got %s", r.Body)
	}
}
