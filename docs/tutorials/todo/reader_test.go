package tutorial_test

import (
	"encoding/json"
	"strings"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// serving are the commands that serve until Ctrl-C, by what the page
// types after its environment variables, with the address the page gives
// them.
var serving = map[string]string{
	"go run .": "127.0.0.1:3000",
	"go run github.com/loomhq/loom/docs/tutorials/todo/geocoder": "127.0.0.1:3001",
}

// prose checks what the pages say in sentences rather than in output
// blocks, by step. It runs after the page's commands, while what they
// started still serves.
var prose = map[int]func(r *tutorialtest.Reader){
	1: func(r *tutorialtest.Reader) {
		r.Expect(r.Run("curl http://127.0.0.1:3000/ping"),
			`{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /ping\" not found."}}`)
		r.StopAll()
		r.LogHas("127.0.0.1:3000", "server is running\t{\"listen\": ", // the test sets HOST and PORT
			"stopping\t{\"signal\": \"interrupt signal received\"}", "server stopped")
	},
	5: func(r *tutorialtest.Reader) {
		r.Expect(r.PrintedBy(`"desc":"Build the Todo tutorial"`),
			`{"id":5,"title":"Learn Loom","desc":"Build the Todo tutorial"}`)
		r.Expect(r.PrintedBy("-X PATCH"), "")
		r.Expect(r.PrintedBy("/todos/count"), `{"count":1}`)
	},
	6: func(r *tutorialtest.Reader) {
		if home := r.Run("curl http://127.0.0.1:3000/"); !strings.Contains(home, `href="./explorer/"`) {
			r.T().Errorf("the home page links to no API Explorer:\n%s", home)
		}
		r.StopAll()
		r.LogHas("127.0.0.1:3000", `"url": "/todos/1", "status": 200`)
	},
	7: func(r *tutorialtest.Reader) {
		var todo map[string]any
		created := r.PrintedBy("Visit IBM")
		if err := json.Unmarshal([]byte(created), &todo); err != nil || todo["remindAtGeo"] != "41.1101,-73.7215" {
			r.T().Errorf("the todo with a reminder address: %s, want remindAtGeo 41.1101,-73.7215", created)
		}
		// Offline, "go run . alone" answers a 500 and logs why; here
		// GEOCODER_URL is an address where nothing answers, as offline.
		r.StopAll()
		r.Run("go run .")
		r.Expect(r.Run(`curl -H 'Content-Type: application/json' -d '{"title":"Visit IBM","remindAtAddress":"1 New Orchard Road, Armonk, 10504"}' http://127.0.0.1:3000/todos`),
			`{"error":{"statusCode":500,"message":"Internal Server Error"}}`)
		r.StopAll()
		r.LogHas("127.0.0.1:3000", "request failed", `"error": "geocoder: Get \"`)
	},
	8: func(r *tutorialtest.Reader) {
		// "It prints nothing and exits with status 0; run it again and it
		// finds nothing to do", then "start it again with the same
		// DATABASE_URL: GET /todos/1 still answers the todo".
		r.Expect(r.PrintedBy("go run . migrate"), "")
		r.StopAll()
		r.Expect(r.Run("DATABASE_URL=sqlite:data/todo.db go run . migrate"), "")
		r.Run("DATABASE_URL=sqlite:data/todo.db go run .")
		r.Expect(r.Run("curl http://127.0.0.1:3000/todos/1"),
			`{"id":1,"title":"Learn Loom","desc":"Keep the todos in SQLite"}`)
	},
}
