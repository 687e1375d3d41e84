package modelapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
)

// A model whose ACLs let everyone read and only logged-in users write;
// HTTP Basic says who calls, and a request without credentials is served
// as anonymous. The ACLs are checked before the remote hook: a denied
// call does not run it.
func ExampleACLs() {
	verify := func(_ context.Context, user, password string) (*authentication.Profile, error) {
		if user != "ann" || password != "secret" {
			return nil, errors.New("Invalid user name or password")
		}
		return &authentication.Profile{ID: "1"}, nil
	}
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithDataSource("db", func() repository.Connector { return memory.New(memory.Options{}) }),
		rest.WithAuthentication(authentication.Basic(verify)),
		rest.WithInterceptors(interceptor.Before("Note.create", func(*interceptor.InvocationContext) error {
			fmt.Println("  before create")
			return nil
		})),
		rest.WithModelAPI[Note, int](
			modelapi.Authenticate("basic"),
			modelapi.ACLs(
				acl.Entry{PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
				acl.Entry{AccessType: acl.Read, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
				acl.Entry{AccessType: acl.Write, PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
			),
		),
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

	do := func(method, path, body, user string) {
		req, _ := http.NewRequest(method, app.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		who := "anonymous"
		if user != "" {
			req.SetBasicAuth(user, "secret")
			who = user
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(method, path, "by", who+":", resp.StatusCode, string(b))
	}
	do("POST", "/Notes", `{"title":"Buy milk"}`, "")
	do("POST", "/Notes", `{"title":"Buy milk"}`, "bob")
	do("POST", "/Notes", `{"title":"Buy milk"}`, "ann")
	do("GET", "/Notes/count", "", "")
	// Output:
	// POST /Notes by anonymous: 401 {"error":{"statusCode":401,"name":"Error","message":"Authorization Required","code":"AUTHORIZATION_REQUIRED"}}
	// POST /Notes by bob: 401 {"error":{"statusCode":401,"name":"Error","message":"Authorization Required","code":"AUTHORIZATION_REQUIRED"}}
	//   before create
	// POST /Notes by ann: 200 {"id":1,"title":"Buy milk"}
	// GET /Notes/count by anonymous: 200 {"count":1}
}
