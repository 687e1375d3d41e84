package rest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type listFilter struct {
	Order []string `json:"order"`
}

type listInput struct {
	Filter *listFilter `query:"filter"`
	IDs    []int       `query:"ids"`
}

// listController answers how many order keys and ids it was given.
type listController struct{}

func (listController) Routes() []controller.Route {
	return []controller.Route{controller.Get("/items", listItems)}
}

func listItems(ctx context.Context, in listInput) (map[string]int, error) {
	n := 0
	if in.Filter != nil {
		n = len(in.Filter.Order)
	}
	return map[string]int{"order": n, "ids": len(in.IDs)}, nil
}

func startListApp(t *testing.T, cfg rest.Config) *resttest.App {
	cfg.Host = "127.0.0.1"
	return resttest.Start(t, rest.WithConfig(cfg), rest.WithController(func() listController { return listController{} }))
}

// repeatPairs is n copies of kv joined by &.
func repeatPairs(kv string, n int) string {
	return strings.TrimSuffix(strings.Repeat(kv+"&", n), "&")
}

func checkEnvelope(t *testing.T, got *resttest.Response, status int, want string) {
	t.Helper()
	if got.Status != status || got.Text() != want {
		t.Errorf("got %d %s\nwant %d %s", got.Status, got.Text(), status, want)
	}
}

// wideHeaders lets a URL of up to a megabyte through the header limit, so
// that the query's own caps are what refuses it.
const wideHeaders = 1 << 20

func TestQueryLimits_FiftyThousandArrayKeysAreRefusedAndTheServerServesOn(t *testing.T) {
	app := startListApp(t, rest.Config{MaxHeaderBytes: wideHeaders})
	resp := app.Get("/items?" + repeatPairs("filter[order][]=id", 50_000))
	checkEnvelope(t, resp, 400,
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"The query string has more than 1000 parameters.","code":"TOO_MANY_QUERY_PARAMETERS"}}`)
	checkEnvelope(t, app.Get("/items?filter[order][]=id&filter[order][]=title"), 200, `{"ids":0,"order":2}`)
}

func TestQueryLimits_DefaultsAllowAThousandOfEach(t *testing.T) {
	app := startListApp(t, rest.Config{MaxHeaderBytes: wideHeaders})
	checkEnvelope(t, app.Get("/items?"+repeatPairs("filter[order][]=id", 1000)), 200, `{"ids":0,"order":1000}`)
	checkEnvelope(t, app.Get("/items?ids="+strings.Repeat("1,", 999)+"1"), 200, `{"ids":1000,"order":0}`)
	checkEnvelope(t, app.Get("/items?ids="+strings.Repeat("1,", 1000)+"1"), 400,
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,…\" for parameter \"ids\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"maxItems","message":"must NOT have more than 1000 items","info":{"limit":1000}}]}}`)
}

func TestQueryLimits_ComeFromTheConfig(t *testing.T) {
	app := startListApp(t, rest.Config{MaxQueryParams: 4, MaxQueryArrayItems: 2})
	checkEnvelope(t, app.Get("/items?filter[order][]=a&filter[order][]=b&ids=1&ids=2"), 200, `{"ids":2,"order":2}`)
	checkEnvelope(t, app.Get("/items?filter[order][]=a&filter[order][]=b&ids=1&ids=2&x"), 400,
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"The query string has more than 4 parameters.","code":"TOO_MANY_QUERY_PARAMETERS"}}`)
	checkEnvelope(t, app.Get("/items?filter[order][]=a&filter[order][]=b&filter[order][]=c"), 400,
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"filter[…]\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"/order","code":"maxItems","message":"must NOT have more than 2 items","info":{"limit":2}}]}}`)
}
