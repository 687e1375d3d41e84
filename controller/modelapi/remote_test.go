package modelapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// point is a geographic point that reads itself as LoopBack 3's GeoPoint
// does: {"lat":..,"lng":..}, [lat, lng] or "lat,lng", with its own
// messages.
type point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func (p *point) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case string:
		lat, lng, ok := strings.Cut(t, ",")
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(lng), 64)
		if !ok || err1 != nil || err2 != nil {
			return errors.New(`must provide a "lat,lng" string when creating a GeoPoint with string`)
		}
		return p.set(a, b)
	case []any:
		a, ok1 := t[0].(float64)
		b, ok2 := t[len(t)-1].(float64)
		if len(t) != 2 || !ok1 || !ok2 {
			return errors.New("must provide an array of two numbers")
		}
		return p.set(a, b)
	case map[string]any:
		lat, hasLat := t["lat"]
		lng, hasLng := t["lng"]
		if !hasLat || !hasLng {
			return errors.New("must provide a lat and lng object when creating a GeoPoint")
		}
		a, ok := lat.(float64)
		if !ok {
			return errors.New("lat must be a number when creating a GeoPoint")
		}
		b, ok := lng.(float64)
		if !ok {
			return errors.New("lng must be a number when creating a GeoPoint")
		}
		return p.set(a, b)
	}
	return errors.New("must provide a GeoPoint")
}

func (p *point) set(lat, lng float64) error {
	if lat > 90 {
		return errors.New("lat must be <= 90")
	}
	if lat < -90 {
		return errors.New("lat must be >= -90")
	}
	p.Lat, p.Lng = lat, lng
	return nil
}

// textPoint reads itself from text only.
type textPoint struct {
	X int `json:"x"`
	Y int `json:"y"`
}

func (p *textPoint) UnmarshalText(b []byte) error {
	x, y, ok := strings.Cut(string(b), ":")
	var err1, err2 error
	p.X, err1 = strconv.Atoi(x)
	p.Y, err2 = strconv.Atoi(y)
	if !ok || err1 != nil || err2 != nil {
		return errors.New("want x:y")
	}
	return nil
}

type statusArgs struct {
	Hour *int `query:"hour"`
}

type nearbyArgs struct {
	Here point    `query:"here" validate:"required"`
	Max  *float64 `query:"max"`
}

type shop struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type verifyArgs struct {
	ID    int    `path:"id"`
	Token string `form:"token" validate:"required"`
	Count *int   `form:"count"`
}

type echoArgs struct {
	Req   *http.Request `context:"req"`
	Agent string        `header:"User-Agent"`
	Tile  *textPoint    `query:"tile"`
}

type coffeeShops struct{}

func (coffeeShops) Status(ctx context.Context, in statusArgs) (string, error) {
	hour := 12
	if in.Hour != nil {
		hour = *in.Hour
	}
	if hour < 0 || hour > 23 {
		return "", httperr.BadRequest("hour must be an integer between 0 and 23").WithCode("INVALID_HOUR")
	}
	if hour >= 6 && hour < 20 {
		return "We are open for business.", nil
	}
	return "Sorry, we are closed. Open daily from 6am to 8pm.", nil
}

func (coffeeShops) Nearby(ctx context.Context, in nearbyArgs) ([]shop, error) {
	max := 50.0
	if in.Max != nil {
		max = *in.Max
	}
	return []shop{{ID: 1, Name: fmt.Sprintf("%.4f,%.4f within %g", in.Here.Lat, in.Here.Lng, max)}}, nil
}

func (coffeeShops) Verify(ctx context.Context, in verifyArgs) (map[string]any, error) {
	out := map[string]any{"id": in.ID, "token": in.Token}
	if in.Count != nil {
		out["count"] = *in.Count
	}
	return out, nil
}

func (coffeeShops) Echo(ctx context.Context, in echoArgs) (map[string]any, error) {
	rc, ok := loomctx.FromContext(ctx)
	out := map[string]any{
		"method": in.Req.Method, "agent": in.Agent, "sameRequest": ok && rc.Request == in.Req,
	}
	if in.Tile != nil {
		out["tile"] = *in.Tile
	}
	return out, nil
}

func (coffeeShops) Ping(ctx context.Context, in struct{}) (string, error) { return "pong", nil }

func (c coffeeShops) routes() []controller.Route {
	return []controller.Route{
		modelapi.Remote("status", c.Status, modelapi.HTTP("get", "/status"), modelapi.Returns("status"),
			modelapi.Description("Tells whether the shops are open."), modelapi.Notes("By the server's clock without hour.")),
		modelapi.Remote("nearby", c.Nearby, modelapi.HTTP("GET", "/nearby"), modelapi.ReturnsRoot()),
		modelapi.Remote("prototype.verify", c.Verify, modelapi.HTTP("POST", "/verify")),
		modelapi.Remote("echo", c.Echo, modelapi.HTTP("GET", "/echo")),
		modelapi.Remote("ping", c.Ping, modelapi.Returns("answer")),
	}
}

// startShops serves the remote methods under /CoffeeShops, as the model
// API mounts them, with hooks given.
func startShops(t *testing.T, hooks ...interceptor.Global) *resttest.App {
	t.Helper()
	c := coffeeShops{}
	routes := c.routes()
	for i := range routes {
		routes[i].Path = "/CoffeeShops" + routes[i].Path
	}
	return resttest.Start(t, rest.WithLogger(zap.NewNop()),
		rest.WithController(func() controller.Controller { return controller.Func{Label: "CoffeeShop", List: routes} }),
		rest.WithInterceptors(hooks...))
}

type envelope struct {
	Error struct {
		StatusCode int              `json:"statusCode"`
		Message    string           `json:"message"`
		Code       string           `json:"code"`
		Details    []httperr.Detail `json:"details"`
	} `json:"error"`
}

func errorOf(t *testing.T, r *resttest.Response) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("not an error envelope: %d %s", r.Status, r.Body)
	}
	return e
}

func TestRemote_ReturnsWrapsTheResultAndRootDoesNot(t *testing.T) {
	app := startShops(t)
	if r := app.Get("/CoffeeShops/status?hour=7"); r.Status != 200 || r.Text() != `{"status":"We are open for business."}` {
		t.Errorf("status: %d %s", r.Status, r.Body)
	}
	r := app.Get("/CoffeeShops/nearby?here[lat]=49.2838&here[lng]=-123.1123&max=80")
	if r.Status != 200 || r.Text() != `[{"id":1,"name":"49.2838,-123.1123 within 80"}]` {
		t.Errorf("nearby: %d %s", r.Status, r.Body)
	}
	// Without HTTP: POST /<name>.
	if r := app.Post("/CoffeeShops/ping", nil); r.Status != 200 || r.Text() != `{"answer":"pong"}` {
		t.Errorf("ping: %d %s", r.Status, r.Body)
	}
	if r := app.Get("/CoffeeShops/ping"); r.Status != 405 {
		t.Errorf("GET ping: %d %s", r.Status, r.Body)
	}
}

func TestRemote_CoercesArgumentsAsStrongRemoting(t *testing.T) {
	app := startShops(t)
	for _, tc := range []struct{ query, want string }{
		{"hour=07", "We are open for business."},
		{"hour=5", "Sorry, we are closed. Open daily from 6am to 8pm."},
		{"hour=", "We are open for business."}, // empty: absent, the default 12
		{"", "We are open for business."},
	} {
		r := app.Get("/CoffeeShops/status?" + tc.query)
		if want := `{"status":"` + tc.want + `"}`; r.Status != 200 || r.Text() != want {
			t.Errorf("%s: %d %s, want %s", tc.query, r.Status, r.Body, want)
		}
	}
	for _, q := range []string{"hour=abc", "hour=true", "hour=7&hour=8", "hour=7.5"} {
		r := app.Get("/CoffeeShops/status?" + q)
		e := errorOf(t, r)
		want := httperr.Detail{Path: "", Code: "type", Message: "must be integer",
			Info: map[string]any{"type": "integer", "parameter": "hour", "in": "query"}}
		if r.Status != 400 || e.Error.Code != httperr.CodeInvalidParameterValue || len(e.Error.Details) != 1 ||
			!reflect.DeepEqual(e.Error.Details[0], want) {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
	r := app.Get("/CoffeeShops/nearby?here=1,1&max=abc")
	if e := errorOf(t, r); r.Status != 400 || len(e.Error.Details) != 1 || e.Error.Details[0].Info["type"] != "number" ||
		e.Error.Details[0].Info["parameter"] != "max" {
		t.Errorf("max=abc: %d %s", r.Status, r.Body)
	}
}

func TestRemote_MissingRequiredArgumentNamesItAndItsType(t *testing.T) {
	app := startShops(t)
	for _, q := range []string{"", "?here=", "?max=3"} {
		r := app.Get("/CoffeeShops/nearby" + q)
		e := errorOf(t, r)
		want := httperr.Detail{Path: "", Code: "required", Message: "must have required property 'here'",
			Info: map[string]any{"missingProperty": "here", "in": "query", "type": "object"}}
		if r.Status != 400 || e.Error.Code != httperr.CodeMissingRequiredParameter || len(e.Error.Details) != 1 ||
			!reflect.DeepEqual(e.Error.Details[0], want) {
			t.Errorf("%q: %d %s", q, r.Status, r.Body)
		}
	}
}

func TestRemote_HandlerErrorKeepsItsStatusAndCode(t *testing.T) {
	app := startShops(t)
	for _, h := range []string{"24", "-1"} {
		r := app.Get("/CoffeeShops/status?hour=" + h)
		e := errorOf(t, r)
		if r.Status != 400 || e.Error.Code != "INVALID_HOUR" || e.Error.Message != "hour must be an integer between 0 and 23" {
			t.Errorf("hour=%s: %d %s", h, r.Status, r.Body)
		}
	}
}

func TestRemote_PointArgumentInEveryForm(t *testing.T) {
	app := startShops(t)
	want := `[{"id":1,"name":"49.2838,-123.1123 within 5"}]`
	for _, q := range []string{
		"here[lat]=49.2838&here[lng]=-123.1123&max=5",
		"here=49.2838,-123.1123&max=5",
		"here=" + url.QueryEscape(`{"lat":49.2838,"lng":-123.1123}`) + "&max=5",
		"here=" + url.QueryEscape(`[49.2838,-123.1123]`) + "&max=5",
		"here[lat]=049.2838&here[lng]=-123.1123&max=5",
	} {
		if r := app.Get("/CoffeeShops/nearby?" + q); r.Status != 200 || r.Text() != want {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
	for q, msg := range map[string]string{
		"here[lat]=abc&here[lng]=1": "lat must be a number when creating a GeoPoint",
		"here[lat]=1":               "must provide a lat and lng object when creating a GeoPoint",
		"here=abc":                  `must provide a "lat,lng" string when creating a GeoPoint with string`,
		"here=91,1":                 "lat must be <= 90",
		"here[lat]=-91&here[lng]=1": "lat must be >= -90",
	} {
		r := app.Get("/CoffeeShops/nearby?" + q)
		e := errorOf(t, r)
		if r.Status != 400 || e.Error.Code != httperr.CodeInvalidParameterValue || len(e.Error.Details) != 1 ||
			e.Error.Details[0].Message != msg {
			t.Errorf("%s: %d %s, want the detail %q", q, r.Status, r.Body, msg)
		}
	}
	if r := app.Get("/CoffeeShops/nearby?here=1,1&here=2,2"); r.Status != 400 {
		t.Errorf("a repeated here: %d %s", r.Status, r.Body)
	}
}

func TestRemote_TextArgumentAcceptsTextDeepObjectAndJSON(t *testing.T) {
	app := startShops(t)
	for _, q := range []string{"tile=3:4", "tile[x]=3&tile[y]=4", "tile=" + url.QueryEscape(`{"x":3,"y":4}`)} {
		r := app.Get("/CoffeeShops/echo?"+q, "User-Agent", "probe")
		if r.Status != 200 || r.Text() != `{"agent":"probe","method":"GET","sameRequest":true,"tile":{"x":3,"y":4}}` {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
	for _, q := range []string{"tile=3", "tile[x]=a&tile[y]=4", "tile[z]=1"} {
		if r := app.Get("/CoffeeShops/echo?" + q); r.Status != 400 {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}
}

func TestRemote_InstanceMethodReadsFormAndJSONBodies(t *testing.T) {
	app := startShops(t)
	form := func(body string) *resttest.Response {
		return app.Do("POST", "/CoffeeShops/7/verify", strings.NewReader(body), "Content-Type", "application/x-www-form-urlencoded")
	}
	if r := form("token=abc&count=07"); r.Status != 200 || r.Text() != `{"count":7,"id":7,"token":"abc"}` {
		t.Errorf("form: %d %s", r.Status, r.Body)
	}
	if r := app.Post("/CoffeeShops/7/verify", `{"token":"abc","count":3,"other":{"x":1}}`); r.Status != 200 ||
		r.Text() != `{"count":3,"id":7,"token":"abc"}` {
		t.Errorf("JSON: %d %s", r.Status, r.Body)
	}
	if r := app.Post("/CoffeeShops/7/verify", `{"token":"abc","count":null}`); r.Status != 200 || r.Text() != `{"id":7,"token":"abc"}` {
		t.Errorf("JSON null: %d %s", r.Status, r.Body)
	}
	for name, r := range map[string]*resttest.Response{
		"missing":       form("count=1"),
		"missing JSON":  app.Post("/CoffeeShops/7/verify", `{"count":1}`),
		"empty body":    app.Post("/CoffeeShops/7/verify", nil),
		"empty in form": form("token=&count=1"),
	} {
		if e := errorOf(t, r); r.Status != 400 || e.Error.Code != httperr.CodeMissingRequiredParameter ||
			e.Error.Details[0].Info["in"] != "form" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	for name, tc := range map[string]struct {
		r      *resttest.Response
		status int
	}{
		"count=abc":      {form("token=a&count=abc"), 400},
		"count twice":    {form("token=a&count=1&count=2"), 400},
		"count true":     {app.Post("/CoffeeShops/7/verify", `{"token":"a","count":true}`), 400},
		"a JSON array":   {app.Post("/CoffeeShops/7/verify", `[1]`), 400},
		"malformed JSON": {app.Post("/CoffeeShops/7/verify", `{"token":`), 400},
		"__proto__":      {app.Post("/CoffeeShops/7/verify", `{"token":"a","__proto__":{}}`), 400},
		"text/plain":     {app.Do("POST", "/CoffeeShops/7/verify", strings.NewReader("token=a"), "Content-Type", "text/plain"), 415},
	} {
		if tc.r.Status != tc.status {
			t.Errorf("%s: %d %s, want %d", name, tc.r.Status, tc.r.Body, tc.status)
		}
	}
}

func TestRemote_FormBodyIsCappedByTheBodyLimit(t *testing.T) {
	c := coffeeShops{}
	route := modelapi.Remote("prototype.verify", c.Verify, modelapi.HTTP("POST", "/verify"), modelapi.RouteOptions(controller.BodyLimit(64)))
	app := resttest.Start(t, rest.WithLogger(zap.NewNop()),
		rest.WithController(func() controller.Controller { return controller.Func{Label: "Shop", List: []controller.Route{route}} }))
	big := "token=" + strings.Repeat("a", 64)
	r := app.Do("POST", "/7/verify", strings.NewReader(big), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != 413 {
		t.Errorf("a form over the limit: %d %s", r.Status, r.Body)
	}
	r = app.Do("POST", "/7/verify", strings.NewReader("token=a"+strings.Repeat("&x=1", 12)), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != 200 {
		t.Errorf("a form under the limit: %d %s", r.Status, r.Body)
	}
}

func TestRemote_HooksMatchModelDotMethod(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	before := interceptor.Before("CoffeeShop.status", func(ic *interceptor.InvocationContext) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, "before "+ic.Target+"."+ic.Method)
		return nil
	})
	after := interceptor.After("CoffeeShop.prototype.*", func(ic *interceptor.InvocationContext, result any) (any, error) {
		rc, _ := loomctx.FromContext(ic)
		rc.Response.Header().Set("X-Hook", "after")
		return result, nil
	})
	app := startShops(t, before, after)
	if r := app.Get("/CoffeeShops/status?hour=7"); r.Status != 200 || r.Header.Get("X-Hook") != "" {
		t.Errorf("status: %d %v", r.Status, r.Header)
	}
	if r := app.Post("/CoffeeShops/3/verify", `{"token":"a"}`); r.Status != 200 || r.Header.Get("X-Hook") != "after" {
		t.Errorf("verify: %d %v", r.Status, r.Header)
	}
	if r := app.Get("/CoffeeShops/nearby?here=1,1"); r.Status != 200 {
		t.Errorf("nearby: %d", r.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seen) != "[before CoffeeShop.status]" {
		t.Errorf("before hooks ran for %v", seen)
	}
}

func TestRemote_APIDocumentShowsWrappedAnswersAndFormBodies(t *testing.T) {
	app := startShops(t)
	r := app.Get("/openapi.json")
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Summary     string `json:"summary"`
			Description string `json:"description"`
			Parameters  []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]any `json:"properties"`
						Required   []string       `json:"required"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
			Responses map[string]struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	r.JSON(t, &doc)
	status := doc.Paths["/CoffeeShops/status"]["get"]
	got, _ := json.Marshal(status.Responses["200"].Content["application/json"].Schema)
	if want := `{"additionalProperties":false,"properties":{"status":{"type":"string"}},"type":"object"}`; string(got) != want {
		t.Errorf("status answer schema %s, want %s", got, want)
	}
	if status.OperationID != "CoffeeShop.status" || status.Summary != "Tells whether the shops are open." ||
		status.Description != "By the server's clock without hour." {
		t.Errorf("status: %+v", status)
	}
	nearby, _ := json.Marshal(doc.Paths["/CoffeeShops/nearby"]["get"].Responses["200"].Content["application/json"].Schema)
	if want := `{"items":{"$ref":"#/components/schemas/shop"},"type":"array"}`; string(nearby) != want {
		t.Errorf("nearby answer schema %s, want %s", nearby, want)
	}
	verify := doc.Paths["/CoffeeShops/{id}/verify"]["post"]
	for _, ct := range []string{"application/x-www-form-urlencoded", "application/json"} {
		body := verify.RequestBody.Content[ct].Schema
		if len(body.Properties) != 2 || body.Properties["token"] == nil || fmt.Sprint(body.Required) != "[token]" {
			t.Errorf("verify %s body: %+v", ct, body)
		}
	}
	if len(verify.Parameters) != 1 || verify.Parameters[0].Name != "id" || verify.Parameters[0].In != "path" {
		t.Errorf("verify parameters: %+v", verify.Parameters)
	}
	for _, p := range doc.Paths["/CoffeeShops/echo"]["get"].Parameters {
		if p.Name == "req" || p.Name == "Req" {
			t.Errorf("the request field is documented as a parameter: %+v", p)
		}
	}
}
