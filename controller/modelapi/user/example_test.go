package user_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
)

// Member is a user model: it embeds user.Base.
type Member struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	user.Base
}

// A user model signs up and logs in; the password is never answered.
func ExampleAPI() {
	app, err := rest.New(
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithLogger(zap.NewNop()),
		rest.WithDataSource("db", func() (repository.Connector, error) { return memory.New(memory.Options{}), nil }),
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
		rest.WithModelAPI[Member, int](modelapi.Path("/api/Members"), user.API[Member, int](user.Options{})),
	)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		panic(err)
	}
	defer app.Stop(ctx)

	post := func(path, body string) string {
		resp, err := http.Post(app.URL()+path, "application/json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return fmt.Sprint(resp.StatusCode, " ", string(b))
	}
	fmt.Println(post("/api/Members", `{"email": "ann@example.com", "password": "secret"}`))
	fmt.Println(post("/api/Members/login", `{"email": "ann@example.com", "password": "wrong"}`))
	// Output:
	// 200 {"id":1,"email":"ann@example.com"}
	// 401 {"error":{"statusCode":401,"name":"Error","message":"login failed","code":"LOGIN_FAILED"}}
}
