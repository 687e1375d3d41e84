package authentication_test

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/rest"
)

type Me struct {
	ID string `json:"id"`
}

// WhoAmIController has one route, which only an authenticated user may
// call.
type WhoAmIController struct{}

func (c *WhoAmIController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/whoAmI", c.WhoAmI, controller.Authenticate("basic")),
	}
}

func (c *WhoAmIController) WhoAmI(ctx context.Context, _ struct{}) (Me, error) {
	p, _ := authentication.ProfileFrom(ctx)
	return Me{ID: p.ID}, nil
}

// Routes declare the strategies that authenticate them;
// rest.WithAuthentication registers the strategies and has the default
// sequence run the authenticate action.
func ExampleBasic() {
	verify := func(_ context.Context, user, password string) (*authentication.Profile, error) {
		u := subtle.ConstantTimeCompare([]byte(user), []byte("ann"))
		p := subtle.ConstantTimeCompare([]byte(password), []byte("secret"))
		if u&p != 1 {
			return nil, httperr.Unauthorized("Invalid user name or password")
		}
		return &authentication.Profile{ID: "ann"}, nil
	}
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithAuthentication(authentication.Basic(verify)),
		rest.WithController(func() *WhoAmIController { return &WhoAmIController{} }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, password := range []string{"secret", "guess", ""} {
		req := httptest.NewRequest(http.MethodGet, "/whoAmI", nil)
		if password != "" {
			req.SetBasicAuth("ann", password)
		}
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 {"id":"ann"}
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"Invalid user name or password"}}
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"User profile not returned from strategy's authenticate function","code":"USER_PROFILE_NOT_FOUND"}}
}
