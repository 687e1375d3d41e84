package authorization_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor/authorization"
	"github.com/loomhq/loom/rest"
)

type reportController struct{}

type report struct {
	Title string `json:"title"`
}

func (reportController) Authentication() []string { return []string{"basic"} }

func (reportController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/reports", func(context.Context, struct{}) ([]report, error) {
			return []report{{Title: "Q3"}}, nil
		}, authorization.AllowRoles("accountant", "admin")),
	}
}

func Example() {
	verify := func(_ context.Context, user, password string) (*authentication.Profile, error) {
		roles := map[string][]string{"ann": {"accountant"}, "bob": {"sales"}}[user]
		if password != "pw" {
			return nil, fmt.Errorf("Invalid user name or password")
		}
		return &authentication.Profile{ID: user, Roles: roles}, nil
	}
	app, err := rest.New(
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithLogger(zap.NewNop()),
		rest.WithAuthentication(authentication.Basic(verify)),
		rest.WithAuthorization(authorization.Options{}),
		rest.WithController(func() reportController { return reportController{} }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := app.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(context.Background())

	for _, user := range []string{"ann", "bob"} {
		req, _ := http.NewRequest("GET", app.URL()+"/reports", nil)
		req.SetBasicAuth(user, "pw")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(user, res.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// ann 200 [{"title":"Q3"}]
	// bob 403 {"error":{"statusCode":403,"name":"Error","message":"Access denied"}}
}
