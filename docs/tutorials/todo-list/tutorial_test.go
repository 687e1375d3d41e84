// Package todolist_test keeps the TodoList tutorial honest: the code on
// its pages is the code under testdata/steps, the reader's folder after
// the last step is examples/todo-list, and [TestTutorial] follows the
// pages as a reader does, in a copy of the finished Todo tutorial, running
// only the commands they show.
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: models.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/models.go,
// where n is the number the page's name starts with. A page removes a file
// with an rm command of its ```sh blocks.
package todolist_test

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pages are the tutorial's steps, in order.
var pages = []string{
	"1-start-from-todo.md",
	"2-model.md",
	"3-repository.md",
	"4-relation-controllers.md",
	"5-has-one.md",
	"6-database.md",
}

// todoSteps is where the Todo tutorial keeps its steps, and todoPages how
// many it has: the TodoList tutorial starts from its last.
const (
	todoSteps = "../todo/testdata/steps"
	todoPages = 8
)

// stepFiles reads testdata/steps/<n>: the files step n adds or changes,
// by slash-separated path.
func stepFiles(t *testing.T, n int) map[string][]byte {
	t.Helper()
	return readStep(t, filepath.Join("testdata", "steps", strconv.Itoa(n)))
}

// readStep reads the files of one step's folder, by slash-separated path.
func readStep(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("%s holds no files", dir)
	}
	return files
}

// todoFiles is the folder of the finished Todo tutorial: every step's
// files, later steps replacing earlier ones.
func todoFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for i := 1; i <= todoPages; i++ {
		maps.Copy(files, readStep(t, filepath.Join(todoSteps, strconv.Itoa(i))))
	}
	return files
}

// filesUpTo is the reader's folder after step n: the Todo tutorial's
// files, less those the pages remove, with every step's files, later
// steps replacing earlier ones.
func filesUpTo(t *testing.T, n int) map[string][]byte {
	t.Helper()
	files := todoFiles(t)
	for i := 1; i <= n; i++ {
		for _, name := range removed(t, pages[i-1]) {
			delete(files, name)
		}
		maps.Copy(files, stepFiles(t, i))
	}
	return files
}

// removed lists the files the rm commands of a page's ```sh blocks
// remove.
func removed(t *testing.T, page string) []string {
	t.Helper()
	var names []string
	for _, b := range blocks(t, page) {
		if b.info != "sh" || b.notRun != "" {
			continue
		}
		for _, line := range strings.Split(string(b.body), "\n") {
			words := strings.Fields(line)
			if len(words) > 1 && words[0] == "rm" {
				names = append(names, words[1:]...)
			}
		}
	}
	return names
}

// block is a fenced code block of a page.
type block struct {
	info string // what follows the opening fence: go, sh, json, …
	line int    // of the opening fence, or of the marker before it
	body []byte
	// file is the name a "<!-- file: name -->" marker gives the block.
	file string
	// notRun is the reason a "<!-- not run: reason -->" marker gives for
	// leaving an sh block out of TestTutorial.
	notRun string
	// follows is whether only blank lines part the block from the one
	// before it: an output block follows the commands that print it.
	follows bool
}

const (
	fileMarker   = "<!-- file: "
	notRunMarker = "<!-- not run: "
)

// blocks returns the page's fenced blocks, failing on a marker not
// followed by a fence or a fence that is never closed.
func blocks(t *testing.T, page string) []block {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var found []block
	blank := false // only blank lines since the last block closed
	for i := 0; i < len(lines); i++ {
		var b block
		for _, m := range []struct {
			prefix string
			value  *string
		}{{fileMarker, &b.file}, {notRunMarker, &b.notRun}} {
			rest, ok := strings.CutPrefix(lines[i], m.prefix)
			if !ok {
				continue
			}
			value, ok := strings.CutSuffix(rest, " -->")
			if !ok || value == "" {
				t.Errorf("%s:%d: malformed marker %q", page, i+1, lines[i])
			} else if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
				t.Errorf("%s:%d: the marker %q is not followed by a fence", page, i+1, lines[i])
			} else {
				*m.value = value
				b.line = i + 1
				i++
			}
		}
		if !strings.HasPrefix(lines[i], "```") {
			blank = blank && strings.TrimSpace(lines[i]) == ""
			continue
		}
		if b.line == 0 {
			b.line = i + 1
		}
		b.info = strings.TrimPrefix(lines[i], "```")
		b.follows = blank && b.file == "" && b.notRun == ""
		start := i + 1
		end := start
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		if end == len(lines) {
			t.Fatalf("%s:%d: the block is never closed", page, i+1)
		}
		b.body = []byte(strings.Join(lines[start:end], "\n") + "\n")
		found = append(found, b)
		i = end
		blank = true
	}
	return found
}

// markedBlocks returns the page's blocks that a file marker names.
func markedBlocks(t *testing.T, page string) []block {
	t.Helper()
	var marked []block
	for _, b := range blocks(t, page) {
		if b.file != "" {
			marked = append(marked, b)
		}
	}
	return marked
}

// TestPagesShowTheStepFiles checks that each page shows every file its step
// adds or changes, exactly as it is kept under testdata/steps.
func TestPagesShowTheStepFiles(t *testing.T) {
	for i, page := range pages {
		n := i + 1
		if !strings.HasPrefix(page, strconv.Itoa(n)+"-") {
			t.Fatalf("page %s is listed as step %d", page, n)
		}
		want := stepFiles(t, n)
		shown := map[string]bool{}
		for _, b := range markedBlocks(t, page) {
			if shown[b.file] {
				t.Errorf("%s:%d: %s is shown twice", page, b.line, b.file)
			}
			shown[b.file] = true
			file, ok := want[b.file]
			if !ok {
				t.Errorf("%s:%d: %s is not a file of testdata/steps/%d", page, b.line, b.file, n)
				continue
			}
			if !bytes.Equal(b.body, file) {
				t.Errorf("%s:%d: the block differs from testdata/steps/%d/%s:\n%s",
					page, b.line, n, b.file, firstDifference(b.body, file))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(want)) {
			if !shown[name] {
				t.Errorf("%s never shows testdata/steps/%d/%s", page, n, name)
			}
		}
	}
}

// firstDifference describes where two texts part, line by line.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d of the block:\n\tpage: %q\n\tfile: %q", i+1, gl, wl)
		}
	}
	return "(same lines)"
}

// TestStepFilesAreGofmt checks that every Go file the pages show is
// formatted.
func TestStepFilesAreGofmt(t *testing.T) {
	for n := 1; n <= len(pages); n++ {
		for name, src := range stepFiles(t, n) {
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			formatted, err := format.Source(src)
			if err != nil {
				t.Errorf("steps/%d/%s: %v", n, name, err)
			} else if !bytes.Equal(formatted, src) {
				t.Errorf("steps/%d/%s is not gofmt-ed", n, name)
			}
		}
	}
}

// repoRoot is the root of the Loom module, found from the working
// directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.HasPrefix(mod, []byte("module github.com/loomhq/loom\n")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no github.com/loomhq/loom go.mod above the working directory")
		}
		dir = parent
	}
}

// withoutDocComment drops what comes before the package clause: main.go's
// doc comment names the reader's folder in one and the repository's in the
// other.
func withoutDocComment(src []byte) []byte {
	if i := bytes.Index(src, []byte("\npackage ")); i >= 0 && !bytes.HasPrefix(src, []byte("package ")) {
		return src[i+1:]
	}
	return src
}

// TestLastStepIsTheExample checks that the reader's folder after the last
// step holds examples/todo-list, tests and README aside.
func TestLastStepIsTheExample(t *testing.T) {
	example := filepath.Join(repoRoot(t), "examples", "todo-list")
	want := map[string][]byte{}
	err := filepath.WalkDir(example, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, "_test.go") || path == filepath.Join(example, "README.md") {
			return nil
		}
		rel, err := filepath.Rel(example, path)
		if err != nil {
			return err
		}
		if filepath.Dir(rel) == "data" && d.Name() != "seed.json" {
			return nil // what running the example writes (git-ignored)
		}
		want[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := filesUpTo(t, len(pages))
	for _, name := range slices.Sorted(maps.Keys(want)) {
		src, ok := got[name]
		if !ok {
			t.Errorf("examples/todo-list/%s is not in the tutorial", name)
			continue
		}
		if !bytes.Equal(withoutDocComment(src), withoutDocComment(want[name])) {
			t.Errorf("the tutorial's %s differs from examples/todo-list/%s:\n%s",
				name, name, firstDifference(withoutDocComment(src), withoutDocComment(want[name])))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("the tutorial's %s is not in examples/todo-list", name)
		}
	}
}
