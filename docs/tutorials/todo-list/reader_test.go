package todolist_test

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/loomhq/loom/docs/internal/tutorialtest"
)

// serving are the commands that serve until Ctrl-C, by what the page
// types after its environment variables, with the address the page gives
// them.
var serving = map[string]string{
	"go run .": "127.0.0.1:3000",
}

// prose checks what the pages say in sentences rather than in output
// blocks, by step. It runs after the page's commands, while what they
// started still serves.
var prose = map[int]func(r *tutorialtest.Reader){
	1: func(r *tutorialtest.Reader) {
		r.Expect(r.PrintedBy("go vet ."), "")
	},
	6: func(r *tutorialtest.Reader) {
		// "migrate prints nothing", and "the first three commands print
		// what they create".
		r.Expect(r.PrintedBy("go run . migrate"), "")
		r.Expect(r.PrintedBy(`'{"title":"Learn Loom"}'`), `{"id":1,"title":"Learn Loom"}`)
		r.Expect(r.PrintedBy("Read the relations page"), `{"id":1,"title":"Read the relations page","todoListId":1}`)
		r.Expect(r.PrintedBy("loom.png"), `{"id":1,"value":"loom.png","todoListId":1}`)
	},
}

// finishTodo makes ~/src/todo, the folder of the finished Todo tutorial:
// the files of its last step, and the module its first page makes.
func finishTodo(r *tutorialtest.Reader) {
	t := r.T()
	t.Helper()
	dir := filepath.Join(r.Home(), "todo")
	for name, body := range todoFiles(t) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"mod", "init", "example.com/todo"},
		{"mod", "edit", "-replace", "github.com/loomhq/loom=../loom"},
		{"mod", "tidy"},
	} {
		if out, err := r.Go(dir, args...); err != nil {
			t.Fatalf("the Todo tutorial's folder: go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
