package rest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/julienschmidt/httprouter"
	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// BenchmarkGetFilter runs one GET whose filter query parameter is a
// LoopBack filter in JSON (where, order, limit, fields) through Loom's
// pipeline, beside a hand-written httprouter + encoding/json handler that
// parses the same JSON into a plain struct and checks it by hand. The data
// access is the same function on both sides: a small fixed slice, filtered
// in memory. Compare the two in one run as bench_test.go says.
func BenchmarkGetFilter(b *testing.B) {
	loom, hand := filterAnswer(b, loomFilterHandler(b)), filterAnswer(b, handWrittenFilterHandler())
	if loom != hand {
		b.Fatalf("the two answers differ:\nloom: %s\nhand: %s", loom, hand)
	}
	x := func() *exchange { return newExchange("GET", benchFilterURL, "") }
	b.Run("impl=handwritten", func(b *testing.B) { run(b, handWrittenFilterHandler(), x()) })
	b.Run("impl=loom", func(b *testing.B) { run(b, loomFilterHandler(b), x()) })
	b.Run("impl=interleaved", func(b *testing.B) { interleave(b, loomFilterHandler(b), handWrittenFilterHandler(), x()) })
}

// filterItem is the model the filter is checked against.
type filterItem struct {
	ID    int    `json:"id" loom:"id"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

const benchFilterJSON = `{"where":{"done":false,"title":{"like":"a%"}},"order":["title ASC"],"limit":10,"fields":{"id":true,"title":true}}`

var benchFilterURL = "/items?filter=" + url.QueryEscape(benchFilterJSON)

// filterItems is the fixed data both handlers read.
var filterItems = func() []filterItem {
	titles := []string{"apple", "banana", "avocado", "cherry", "apricot", "almond", "blueberry",
		"acai", "date", "anise", "arugula", "fig", "artichoke", "asparagus", "grape", "aubergine"}
	out := make([]filterItem, len(titles))
	for i, t := range titles {
		out[i] = filterItem{ID: i + 1, Title: t, Done: i%5 == 4}
	}
	return out
}()

// findFilterItems is the data access of both sides: the items not done
// whose title starts with prefix, by title, at most limit of them, with
// only id and title kept.
func findFilterItems(prefix string, limit int) []filterItem {
	out := make([]filterItem, 0, limit)
	for _, it := range filterItems {
		if !it.Done && strings.HasPrefix(it.Title, prefix) {
			out = append(out, filterItem{ID: it.ID, Title: it.Title})
		}
	}
	slices.SortFunc(out, func(a, b filterItem) int { return strings.Compare(a.Title, b.Title) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

type filterController struct{}

func (filterController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/items", func(ctx context.Context, in struct {
			Filter *repository.Filter[filterItem] `query:"filter"`
		}) ([]filterItem, error) {
			limit := 100
			if in.Filter != nil && in.Filter.Limit > 0 {
				limit = in.Filter.Limit
			}
			return findFilterItems("a", limit), nil
		}),
	}
}

func loomFilterHandler(b *testing.B) http.Handler {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() filterController { return filterController{} }))
	if err != nil {
		b.Fatal(err)
	}
	return app
}

// idTitle is a filterItem with only the fields the filter keeps.
type idTitle struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

// handFilter is the filter's JSON as a plain struct.
type handFilter struct {
	Where struct {
		Done  *bool `json:"done"`
		Title *struct {
			Like string `json:"like"`
		} `json:"title"`
	} `json:"where"`
	Order  []string        `json:"order"`
	Limit  int             `json:"limit"`
	Skip   int             `json:"skip"`
	Fields map[string]bool `json:"fields"`
}

func handWrittenFilterHandler() http.Handler {
	known := map[string]bool{"id": true, "title": true, "done": true}
	r := httprouter.New()
	r.GET("/items", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		var f handFilter
		if s := req.URL.Query().Get("filter"); s != "" {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&f); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		if f.Limit < 0 || f.Skip < 0 {
			http.Error(w, "bad limit or skip", http.StatusBadRequest)
			return
		}
		for _, o := range f.Order {
			prop, dir, _ := strings.Cut(o, " ")
			if !known[prop] || dir != "" && dir != "ASC" && dir != "DESC" {
				http.Error(w, "bad order", http.StatusBadRequest)
				return
			}
		}
		for k := range f.Fields {
			if !known[k] {
				http.Error(w, "bad fields", http.StatusBadRequest)
				return
			}
		}
		limit := 100
		if f.Limit > 0 {
			limit = f.Limit
		}
		// As the filter's fields ask: only id and title, as Loom writes them.
		found := findFilterItems("a", limit)
		out := make([]idTitle, len(found))
		for i, it := range found {
			out[i] = idTitle{it.ID, it.Title}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	return r
}

// filterAnswer is h's body for the benchmark's request.
func filterAnswer(b *testing.B, h http.Handler) string {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", benchFilterURL, nil))
	if w.Code != http.StatusOK {
		b.Fatalf("status %d: %s", w.Code, w.Body)
	}
	return strings.TrimSpace(w.Body.String())
}
