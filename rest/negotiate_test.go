package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// report writes itself as CSV.
type report struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func (r report) MarshalMediaType(mediaType string) ([]byte, error) {
	if mediaType != "text/csv" {
		return nil, fmt.Errorf("no %s", mediaType)
	}
	return fmt.Appendf(nil, "name,count\n%s,%d\n", r.Name, r.Count), nil
}

// version writes itself as text.
type version struct{ Major, Minor int }

func (v version) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "v%d.%d", v.Major, v.Minor), nil
}

type negotiationController struct{}

func (negotiationController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/report", func(ctx context.Context, in struct{}) (report, error) {
			return report{Name: "cups", Count: 3}, nil
		}, controller.Produces("application/json", "text/csv")),
		controller.Get("/version", func(ctx context.Context, in struct{}) (version, error) {
			return version{1, 2}, nil
		}, controller.Produces("application/json", "text/plain")),
		controller.Get("/motto", func(ctx context.Context, in struct{}) (string, error) {
			return "keep weaving", nil
		}),
		controller.Post("/reports", func(ctx context.Context, in struct{}) (report, error) {
			return report{Name: "new", Count: 1}, nil
		}, controller.Status(http.StatusCreated), controller.Produces("application/json", "text/csv")),
	}
}

func startNegotiation(t *testing.T) *resttest.App {
	t.Helper()
	return resttest.Start(t, rest.WithLogger(zap.NewNop()),
		rest.WithController(func() negotiationController { return negotiationController{} }))
}

const (
	reportJSON = `{"name":"cups","count":3}`
	reportCSV  = "name,count\ncups,3\n"
)

func TestNegotiation_AnswersTheMediaTypeTheAcceptHeaderPrefers(t *testing.T) {
	app := startNegotiation(t)
	cases := []struct {
		name, accept, contentType, body string
	}{
		{"no Accept: the first declared", "", "application/json", reportJSON},
		{"any type: the first declared", "*/*", "application/json", reportJSON},
		{"exactly CSV", "text/csv", "text/csv; charset=utf-8", reportCSV},
		{"a type range", "text/*", "text/csv; charset=utf-8", reportCSV},
		{"the higher q-value wins", "text/csv;q=0.5, application/json", "application/json", reportJSON},
		{"the higher q-value wins, in any order", "application/json;q=0.2, text/csv;q=0.9", "text/csv; charset=utf-8", reportCSV},
		{"the more specific range sets the q-value", "text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5", "application/json", reportJSON},
		{"on equal q the more specific range wins", "*/*, text/csv", "text/csv; charset=utf-8", reportCSV},
		{"on equal q the earlier range wins", "text/csv, application/json", "text/csv; charset=utf-8", reportCSV},
		{"a browser's Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json", reportJSON},
		{"ranges that cannot be read are ignored", "garbage, text/csv;q=2, text/csv", "text/csv; charset=utf-8", reportCSV},
		{"nothing readable is no Accept", "garbage", "application/json", reportJSON},
		{"case does not matter", "TEXT/CSV", "text/csv; charset=utf-8", reportCSV},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var resp *resttest.Response
			if c.accept == "" {
				resp = app.Get("/report")
			} else {
				resp = app.Get("/report", "Accept", c.accept)
			}
			if resp.Status != 200 || resp.Header.Get("Content-Type") != c.contentType || resp.Text() != c.body {
				t.Errorf("Accept %q: got %d %q %q, want 200 %q %q", c.accept, resp.Status, resp.Header.Get("Content-Type"), resp.Body, c.contentType, c.body)
			}
			if v := resp.Header.Values("Vary"); !contains(v, "Accept") {
				t.Errorf("Vary = %q, want Accept: the answer depends on it", v)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), s) {
				return true
			}
		}
	}
	return false
}

func TestNegotiation_NoAcceptableType_Is406InTheEnvelope(t *testing.T) {
	app := startNegotiation(t)
	for _, accept := range []string{"text/html", "application/json;q=0, text/csv;q=0", "image/*"} {
		resp := app.Get("/report", "Accept", accept)
		var env struct {
			Error struct {
				StatusCode int    `json:"statusCode"`
				Name       string `json:"name"`
				Message    string `json:"message"`
				Code       string `json:"code"`
			} `json:"error"`
		}
		resp.JSON(t, &env)
		e := env.Error
		if resp.Status != 406 || e.StatusCode != 406 || e.Name != "NotAcceptableError" || e.Code != "NOT_ACCEPTABLE" ||
			!strings.Contains(e.Message, "application/json,text/csv") {
			t.Errorf("Accept %q: got %d %s, want 406 NOT_ACCEPTABLE naming application/json,text/csv", accept, resp.Status, resp.Body)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Accept %q: the error is %q, want it in JSON whatever Accept says", accept, ct)
		}
	}
}

func TestNegotiation_AStringResultIsTextPlainAndOnlyThat(t *testing.T) {
	app := startNegotiation(t)
	if resp := app.Get("/motto", "Accept", "text/plain"); resp.Status != 200 || resp.Text() != "keep weaving" ||
		resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("text/plain: got %d %q %q", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
	}
	if resp := app.Get("/motto", "Accept", "application/json"); resp.Status != 406 {
		t.Errorf("application/json: got %d %s, want 406", resp.Status, resp.Body)
	}
	if resp := app.Get("/motto"); resp.Status != 200 || resp.Text() != "keep weaving" {
		t.Errorf("no Accept: got %d %s, want the text", resp.Status, resp.Body)
	}
}

func TestNegotiation_ATextMarshalerIsWrittenAsTextPlain(t *testing.T) {
	app := startNegotiation(t)
	if resp := app.Get("/version", "Accept", "text/plain"); resp.Status != 200 || resp.Text() != "v1.2" {
		t.Errorf("got %d %q %q, want v1.2", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
	}
	if resp := app.Get("/version"); resp.Status != 200 || resp.Text() != `"v1.2"` {
		t.Errorf("no Accept: got %d %s, want the JSON string", resp.Status, resp.Body)
	}
}

func TestNegotiation_KeepsTheRoutesDeclaredStatus(t *testing.T) {
	app := startNegotiation(t)
	for _, accept := range []string{"application/json", "text/csv"} {
		if resp := app.Post("/reports", nil, "Accept", accept); resp.Status != 201 {
			t.Errorf("Accept %s: got %d %s, want 201", accept, resp.Status, resp.Body)
		}
	}
}

func TestNegotiation_HEAD_NegotiatesAsGETWithoutABody(t *testing.T) {
	app := startNegotiation(t)
	resp := app.Do(http.MethodHead, "/report", nil, "Accept", "text/csv")
	if resp.Status != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(resp.Body) != 0 {
		t.Errorf("text/csv: got %d %q %q, want 200 text/csv and no body", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
	}
	if resp := app.Do(http.MethodHead, "/report", nil, "Accept", "text/html"); resp.Status != 406 || len(resp.Body) != 0 {
		t.Errorf("text/html: got %d %q, want 406 and no body", resp.Status, resp.Body)
	}
}

func TestNegotiation_AnInvalidDeclaredMediaTypeFailsTheStart(t *testing.T) {
	for _, mt := range []string{"not a type", "text/*"} {
		c := controller.Func{Label: "BadController", List: []controller.Route{
			controller.Get("/bad", func(ctx context.Context, in struct{}) (report, error) { return report{}, nil },
				controller.Produces("application/json", mt)),
		}}
		_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(func() controller.Func { return c }))
		if err == nil || !strings.Contains(err.Error(), "/bad") || !strings.Contains(err.Error(), mt) {
			t.Errorf("Produces(%q): err = %v, want one naming the route and the type", mt, err)
		}
	}
}
