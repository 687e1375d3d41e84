package coffeeshop_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// serving are the commands that serve until Ctrl-C, by what the page
// types after its environment variables, with the address the page gives
// them.
var serving = map[string]string{
	"go run .": "127.0.0.1:3000",
}

// tokenMarker leaves out of the reader's commands a block that sends the
// access token login answered, as $TOKEN: the token is new at each login,
// so [withToken] runs the block with it.
const tokenMarker = "<!-- not run: $TOKEN is the id login answered -->"

// withToken runs the page's blocks marked with tokenMarker, with the id
// of the access token that the page's login printed in place of $TOKEN
// (the one command that contains "secret"}' and /login), and checks what
// each block's last command prints against the output block right after
// it, as the reader's own commands are checked. A marked block with no
// output block after it is run and not checked.
func withToken(r *tutorialtest.Reader, page string) {
	t := r.T()
	var token struct {
		ID string `json:"id"`
	}
	login := r.PrintedBy(`"secret"}' http://127.0.0.1:3000/api/Reviewers/login`)
	if err := json.Unmarshal([]byte(login), &token); err != nil || token.ID == "" {
		t.Fatalf("%s: login printed no access token: %s", page, login)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	ran := 0
	for i := 0; i < len(lines); i++ {
		if lines[i] != tokenMarker {
			continue
		}
		commands, next := fenced(lines, i+1)
		if commands == nil {
			t.Fatalf("%s:%d: the marker is not followed by a fence", page, i+1)
		}
		var last string
		for _, c := range commands {
			if strings.TrimSpace(c) == "" {
				continue
			}
			// The page quotes the header with " so that the shell
			// expands $TOKEN.
			last = r.Run(strings.ReplaceAll(c, `"Authorization: $TOKEN"`, "'Authorization: "+token.ID+"'"))
			ran++
		}
		j := next
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		want, after := fenced(lines, j)
		if want == nil {
			i = next - 1
			continue
		}
		expect(r, page, j+1, last, strings.Join(want, "\n"))
		i = after - 1
	}
	if ran == 0 {
		t.Errorf("%s has no block marked %q", page, tokenMarker)
	}
}

// fenced returns the lines of the fenced block that opens at lines[i] and
// the index of the line after its closing fence; nil if no fence opens
// there.
func fenced(lines []string, i int) ([]string, int) {
	if i >= len(lines) || !strings.HasPrefix(lines[i], "```") {
		return nil, i
	}
	var body []string
	for j := i + 1; j < len(lines); j++ {
		if lines[j] == "```" {
			if body == nil {
				body = []string{}
			}
			return body, j + 1
		}
		body = append(body, lines[j])
	}
	return nil, i
}

// expect compares what a command printed with an output block of a
// page: an indented JSON block as JSON, any other as text.
func expect(r *tutorialtest.Reader, page string, line int, got, want string) {
	got = strings.TrimSuffix(got, "\n")
	if got == want {
		return
	}
	if strings.Contains(want, "\n") {
		var g, w any
		if json.Unmarshal([]byte(got), &g) == nil && json.Unmarshal([]byte(want), &w) == nil && reflect.DeepEqual(g, w) {
			return
		}
	}
	r.T().Errorf("%s:%d: the command printed\n%s\nthe page shows\n%s", page, line, got, want)
}

// started is when the test started, before any page ran: a date the
// server sets is after it.
var started = time.Now()

// prose checks what the pages say in sentences rather than in output
// blocks, by step, and runs the blocks that send an access token. It runs
// after the page's commands, while what they started still serves.
var prose = map[int]func(r *tutorialtest.Reader){
	1: func(r *tutorialtest.Reader) {
		r.StopAll()
		r.LogHas("127.0.0.1:3000", "server is running", "server stopped")
	},
	3: func(r *tutorialtest.Reader) {
		// "migrate prints nothing and exits with status 0; the folder
		// data and the file data/shop.db are made for you."
		r.Expect(r.PrintedBy("go run . migrate"), "")
		if _, err := os.Stat(filepath.Join(r.Home(), "coffee-shop", "data", "shop.db")); err != nil {
			r.T().Errorf("migrate made no data/shop.db: %v", err)
		}
	},
	5: func(r *tutorialtest.Reader) { withToken(r, pages[4]) },
	6: func(r *tutorialtest.Reader) { withToken(r, pages[5]) },
	8: func(r *tutorialtest.Reader) {
		withToken(r, pages[7])
		// "The server dated it now": the date of the review is the
		// server's, not the client's, and within the test's run.
		created := r.PrintedBy(`"publisherId":7}'`)
		var review struct {
			Date        string `json:"date"`
			PublisherID int    `json:"publisherId"`
		}
		if err := json.Unmarshal([]byte(created), &review); err != nil || review.PublisherID != 1 {
			r.T().Errorf("the review signed as reviewer 7: %s, want publisherId 1", created)
		}
		if date, err := time.Parse(time.RFC3339Nano, review.Date); err != nil || date.Before(started) || date.After(time.Now()) {
			r.T().Errorf("the review's date %q is not the time it was created", review.Date)
		}
	},
}
