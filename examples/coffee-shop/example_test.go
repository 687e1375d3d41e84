package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// A reviewer signs up, logs in and publishes a review: the review is
// signed with the reviewer's id, whatever the client sent.
func ExampleNewApplication() {
	app, err := NewApplication(Config{Host: "127.0.0.1", PasswordCost: 4}, rest.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		panic(err)
	}
	defer app.Stop(ctx)

	call := func(path, body, token string) map[string]any {
		req, _ := http.NewRequest("POST", app.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(b, &out)
		return out
	}
	reviewer := call("/api/Reviewers", `{"email": "ann@example.com", "password": "secret"}`, "")
	token := call("/api/Reviewers/login", `{"email": "ann@example.com", "password": "secret"}`, "")
	review := call("/api/Reviews", `{"coffeeShopId": 1, "comments": "Great espresso", "publisherId": 99}`, token["id"].(string))
	fmt.Println(reviewer["id"], token["userId"], review["publisherId"])
	// Output:
	// 1 1 1
}
