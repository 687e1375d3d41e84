package repotest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
)

// seed is the data set of the filter cases: ids 1..6 in this order.
func seed() []Todo {
	day := func(d int) *time.Time { t := time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC); return &t }
	return []Todo{
		{Title: "alpha task", IsComplete: Ptr(false), Priority: Ptr(3), Score: Ptr(1.5), Due: day(1), Tags: []string{"home"}, Address: &Address{City: "Oslo"}},
		{Title: "bravo task", IsComplete: Ptr(true), Priority: Ptr(1), Score: Ptr(2.5), Due: day(2), Tags: []string{"work", "home"}},
		{Title: "charlie chore", IsComplete: Ptr(false), Priority: Ptr(2), Desc: Ptr("third"), Address: &Address{City: "Rome"}},
		{Title: "delta chore", IsComplete: Ptr(true), Desc: Ptr("fourth"), Due: day(4)},
		{Title: "echo errand", Priority: Ptr(5), Desc: Ptr("fifth"), Tags: []string{"work"}},
		{Title: "Foxtrot Errand", IsComplete: Ptr(false), Priority: Ptr(4), Score: Ptr(-1.0)},
	}
}

type filterCase struct {
	name   string
	filter string   // JSON
	want   []string // titles; in this order when ordered is set
	order  bool
}

var filterCases = []filterCase{
	{"no filter: every entity by id", `{}`, []string{"alpha task", "bravo task", "charlie chore", "delta chore", "echo errand", "Foxtrot Errand"}, true},
	{"where equality", `{"where":{"title":"bravo task"}}`, []string{"bravo task"}, false},
	{"where eq operator", `{"where":{"title":{"eq":"bravo task"}}}`, []string{"bravo task"}, false},
	{"where boolean coerced from text", `{"where":{"isComplete":"true"}}`, []string{"bravo task", "delta chore"}, false},
	{"where number coerced from text", `{"where":{"priority":"2"}}`, []string{"charlie chore"}, false},
	{"implicit and of several properties", `{"where":{"isComplete":false,"priority":{"gt":2}}}`, []string{"alpha task", "Foxtrot Errand"}, false},
	{"eq null matches absent", `{"where":{"desc":null}}`, []string{"alpha task", "bravo task", "Foxtrot Errand"}, false},
	{"neq: absent values match", `{"where":{"isComplete":{"neq":true}}}`, []string{"alpha task", "charlie chore", "echo errand", "Foxtrot Errand"}, false},
	{"neq null: present values", `{"where":{"desc":{"neq":null}}}`, []string{"charlie chore", "delta chore", "echo errand"}, false},
	{"gt on numbers; absent never matches", `{"where":{"priority":{"gt":3}}}`, []string{"echo errand", "Foxtrot Errand"}, false},
	{"gte", `{"where":{"priority":{"gte":3}}}`, []string{"alpha task", "echo errand", "Foxtrot Errand"}, false},
	{"lt", `{"where":{"priority":{"lt":2}}}`, []string{"bravo task"}, false},
	{"lte", `{"where":{"priority":{"lte":2}}}`, []string{"bravo task", "charlie chore"}, false},
	{"gte and lte together both hold", `{"where":{"priority":{"gte":2,"lte":4}}}`, []string{"alpha task", "charlie chore", "Foxtrot Errand"}, false},
	{"gt on floats", `{"where":{"score":{"gt":0}}}`, []string{"alpha task", "bravo task"}, false},
	{"gt on strings is byte-wise", `{"where":{"title":{"gt":"c"}}}`, []string{"charlie chore", "delta chore", "echo errand"}, false},
	{"gt on dates", `{"where":{"due":{"gt":"2024-01-02T00:00:00Z"}}}`, []string{"bravo task", "delta chore"}, false},
	{"eq on a date", `{"where":{"due":"2024-01-04T12:00:00Z"}}`, []string{"delta chore"}, false},
	{"inq", `{"where":{"id":{"inq":[1,3]}}}`, []string{"alpha task", "charlie chore"}, false},
	{"inq of strings", `{"where":{"title":{"inq":["bravo task","echo errand","zulu"]}}}`, []string{"bravo task", "echo errand"}, false},
	{"inq of text coerced", `{"where":{"id":{"inq":["2","4"]}}}`, []string{"bravo task", "delta chore"}, false},
	{"inq of one value", `{"where":{"id":{"inq":"2"}}}`, []string{"bravo task"}, false},
	{"empty inq matches nothing", `{"where":{"id":{"inq":[]}}}`, nil, false},
	{"nin: absent values match", `{"where":{"priority":{"nin":[1,2,3]}}}`, []string{"delta chore", "echo errand", "Foxtrot Errand"}, false},
	{"empty nin matches everything", `{"where":{"id":{"nin":[]}}}`, []string{"alpha task", "bravo task", "charlie chore", "delta chore", "echo errand", "Foxtrot Errand"}, false},
	{"between is inclusive", `{"where":{"id":{"between":[2,4]}}}`, []string{"bravo task", "charlie chore", "delta chore"}, false},
	{"between dates", `{"where":{"due":{"between":["2024-01-01T00:00:00Z","2024-01-02T23:00:00Z"]}}}`, []string{"alpha task", "bravo task"}, false},
	{"exists true", `{"where":{"desc":{"exists":true}}}`, []string{"charlie chore", "delta chore", "echo errand"}, false},
	{"exists false", `{"where":{"address":{"exists":false}}}`, []string{"bravo task", "delta chore", "echo errand", "Foxtrot Errand"}, false},
	{"like with %", `{"where":{"title":{"like":"%chore%"}}}`, []string{"charlie chore", "delta chore"}, false},
	{"like with _", `{"where":{"title":{"like":"a_pha%"}}}`, []string{"alpha task"}, false},
	{"like is case-sensitive", `{"where":{"title":{"like":"%CHORE%"}}}`, nil, false},
	{"nlike: absent values match", `{"where":{"desc":{"nlike":"f%"}}}`, []string{"alpha task", "bravo task", "charlie chore", "Foxtrot Errand"}, false},
	{"ilike ignores case", `{"where":{"title":{"ilike":"%ERRAND"}}}`, []string{"echo errand", "Foxtrot Errand"}, false},
	{"nilike", `{"where":{"title":{"nilike":"%TASK%"}}}`, []string{"charlie chore", "delta chore", "echo errand", "Foxtrot Errand"}, false},
	{"regexp pattern", `{"where":{"title":{"regexp":"^bravo"}}}`, []string{"bravo task"}, false},
	{"regexp /pattern/flags", `{"where":{"title":{"regexp":"/^FOX/i"}}}`, []string{"Foxtrot Errand"}, false},
	{"or", `{"where":{"or":[{"title":"alpha task"},{"isComplete":true}]}}`, []string{"alpha task", "bravo task", "delta chore"}, false},
	{"and", `{"where":{"and":[{"isComplete":false},{"priority":{"lt":3}}]}}`, []string{"charlie chore"}, false},
	{"and of or, nested", `{"where":{"and":[{"or":[{"title":{"like":"%task%"}},{"desc":"fifth"}]},{"isComplete":{"neq":true}}]}}`, []string{"alpha task", "echo errand"}, false},
	{"or of and of or", `{"where":{"or":[{"and":[{"or":[{"id":1},{"id":2}]},{"isComplete":true}]},{"id":6}]}}`, []string{"bravo task", "Foxtrot Errand"}, false},
	{"dotted key into an object", `{"where":{"address.city":"Rome"}}`, []string{"charlie chore"}, false},
	{"array property matches an element", `{"where":{"tags":"work"}}`, []string{"bravo task", "echo errand"}, false},
	{"order string DESC", `{"order":"title DESC"}`, []string{"echo errand", "delta chore", "charlie chore", "bravo task", "alpha task", "Foxtrot Errand"}, true},
	{"order lower-case direction", `{"order":"priority desc","limit":2}`, []string{"echo errand", "Foxtrot Errand"}, true},
	{"order without direction is ASC", `{"order":"priority","where":{"priority":{"exists":true}}}`, []string{"bravo task", "charlie chore", "alpha task", "Foxtrot Errand", "echo errand"}, true},
	{"order comma list", `{"order":"isComplete DESC,title DESC","limit":3}`, []string{"delta chore", "bravo task", "charlie chore"}, true},
	{"order array", `{"order":["isComplete DESC","title ASC"],"limit":3}`, []string{"bravo task", "delta chore", "Foxtrot Errand"}, true},
	{"absent values sort first ASC", `{"order":"desc ASC"}`, []string{"alpha task", "bravo task", "Foxtrot Errand", "echo errand", "delta chore", "charlie chore"}, true},
	{"absent values sort last DESC", `{"order":"desc DESC"}`, []string{"charlie chore", "delta chore", "echo errand", "alpha task", "bravo task", "Foxtrot Errand"}, true},
	{"limit", `{"limit":2}`, []string{"alpha task", "bravo task"}, true},
	{"skip", `{"skip":4}`, []string{"echo errand", "Foxtrot Errand"}, true},
	{"offset is skip", `{"offset":5}`, []string{"Foxtrot Errand"}, true},
	{"skip past the end", `{"skip":10}`, nil, true},
	{"where, order, skip and limit", `{"where":{"isComplete":false},"order":["title DESC"],"skip":1,"limit":2}`, []string{"alpha task", "Foxtrot Errand"}, true},
}

func runFilters(t *testing.T, newConn NewConnector) {
	f := newFixture(t, newConn)
	if _, err := f.todos.CreateAll(f.ctx, seed()); err != nil {
		t.Fatal(err)
	}
	for _, c := range filterCases {
		t.Run(c.name, func(t *testing.T) {
			var filter repository.Filter[Todo]
			if err := json.Unmarshal([]byte(c.filter), &filter); err != nil {
				t.Fatalf("given %s: %v", c.filter, err)
			}
			got, err := f.todos.Find(f.ctx, &filter)
			if err != nil {
				t.Fatalf("find %s: %v", c.filter, err)
			}
			titles := make([]string, len(got))
			for i, e := range got {
				titles[i] = e.Title
			}
			want := slices.Clone(c.want)
			if !c.order {
				slices.Sort(titles)
				slices.Sort(want)
			}
			if !slices.Equal(titles, want) {
				t.Fatalf("find %s\n got %q\nwant %q", c.filter, titles, want)
			}
			n, err := f.todos.Count(f.ctx, filter.Where)
			if err != nil {
				t.Fatal(err)
			}
			if filter.Limit == 0 && filter.Skip == 0 && n.Count != len(c.want) {
				t.Fatalf("count %s = %d, want %d", c.filter, n.Count, len(c.want))
			}
		})
	}
	for _, c := range filterChecks() {
		t.Run(c.name, func(t *testing.T) { c.run(t, f) })
	}
}

// filterChecks are the filter cases written as code, over the seeded
// fixture they share with filterCases.
func filterChecks() []suiteCase {
	return []suiteCase{
		{"fields inclusion", func(t *testing.T, f *fixture) {
			got, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{Fields: repository.Fields{"title": true, "id": true}, Limit: 1})
			f.must(err)
			if s := jsonOf(t, got); s != `[{"id":1,"title":"alpha task"}]` {
				t.Fatalf("got %s", s)
			}
		}},
		{"fields exclusion", func(t *testing.T, f *fixture) {
			var filter repository.Filter[Todo]
			f.must(json.Unmarshal([]byte(`{"fields":{"desc":false,"address":false,"due":false,"tags":false,"score":false},"limit":1}`), &filter))
			got, err := f.todos.Find(f.ctx, &filter)
			f.must(err)
			if s := jsonOf(t, got); s != `[{"id":1,"title":"alpha task","isComplete":false,"priority":3}]` {
				t.Fatalf("got %s", s)
			}
		}},
		{"a filter built in code", func(t *testing.T, f *fixture) {
			got, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{
				Where: repository.Or(repository.Like("title", "%chore"), repository.Inq("priority", 4, 5)).
					And(repository.Exists("desc", true)),
				Order: []repository.Order{repository.Desc("priority"), repository.Asc("title")},
			})
			f.must(err)
			if titles := titlesOf(got); strings.Join(titles, ",") != "echo errand,charlie chore,delta chore" {
				t.Fatalf("got %q", titles)
			}
		}},
		{"an unknown property in code is a 400", func(t *testing.T, f *fixture) {
			_, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{Where: repository.Eq("titel", "x")})
			expectStatus(t, err, 400, repository.CodeInvalidFilter)
			_, err = f.todos.Count(f.ctx, repository.Gt("priority", "high"))
			expectStatus(t, err, 400, repository.CodeInvalidFilter)
		}},
		{"include without relations is a 400", func(t *testing.T, f *fixture) {
			_, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{Include: []repository.Inclusion{{Relation: "owner"}}})
			expectStatus(t, err, 400, repository.CodeInvalidInclusion)
		}},
	}
}

func titlesOf(ts []Todo) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Title
	}
	return out
}
