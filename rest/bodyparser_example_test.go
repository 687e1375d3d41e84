package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// linesParser reads text/x-lines bodies, one name per line, into a JSON
// array of strings.
type linesParser struct{}

func (linesParser) Name() string                   { return "lines" }
func (linesParser) MediaTypes() []string           { return []string{"text/x-lines"} }
func (linesParser) Supports(mediaType string) bool { return mediaType == "text/x-lines" }
func (linesParser) Parse(r *http.Request, data []byte) (any, error) {
	out, err := json.Marshal(strings.Fields(string(data)))
	return json.RawMessage(out), err
}

func ExampleWithBodyParser() {
	greet := controller.Post("/greetings", func(ctx context.Context, in struct {
		Names []string `body:"json" validate:"required,max=3"`
	}) (string, error) {
		return "Hello, " + strings.Join(in.Names, " and ") + "!", nil
	})
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithController(func() controller.Func { return controller.Func{List: []controller.Route{greet}} }),
		rest.WithBodyParser(func() params.BodyParser { return linesParser{} }),
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

	post := func(contentType, body string) {
		resp, err := http.Post(app.URL()+"/greetings", contentType, strings.NewReader(body))
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		text, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(text))
	}
	post("text/x-lines", "Ada\nGrace\n")
	post("application/json", `["Ada","Grace"]`)
	post("application/xml", `<names/>`)
	// Output:
	// 200 Hello, Ada and Grace!
	// 200 Hello, Ada and Grace!
	// 415 {"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type application/xml does not match [application/json,text/x-lines,application/x-www-form-urlencoded].","code":"UNSUPPORTED_MEDIA_TYPE"}}
}
