package tutorialtest

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

// Tutorial describes a tutorial: its pages, the code kept for them under
// testdata/steps, the example its last step makes, and what following it
// needs. The test's working directory is the tutorial's folder.
type Tutorial struct {
	// Pages are the tutorial's steps, in order; page n's name starts
	// with "n-".
	Pages []string
	// Base is the reader's folder before the first step, by
	// slash-separated path; nil for an empty folder.
	Base func(t *testing.T) map[string][]byte
	// Example is the folder, from the repository's root and
	// slash-separated, that the reader's folder after the last step
	// holds, tests, testdata and the data it writes aside.
	Example string
	// ExampleSkips are files of Example, slash-separated, that the
	// tutorial does not make.
	ExampleSkips []string

	// Serving maps the commands that serve until Ctrl-C, by what the page
	// types after its environment variables, to the address the page
	// gives them.
	Serving map[string]string
	// Env is added to the reader's environment, which holds none of the
	// application's variables (HOST, PORT, DATA_FILE, DATABASE_URL,
	// GEOCODER_URL).
	Env []string
	// Setup, if not nil, prepares the reader's ~/src before the first
	// page, as the tutorial's prerequisites ask.
	Setup func(r *Reader)
	// Prose checks what the pages say in sentences rather than in output
	// blocks, by step. A check runs after the page's commands, while what
	// they started still serves.
	Prose map[int]func(r *Reader)
}

// StepFiles reads testdata/steps/<n>: the files step n adds or changes,
// by slash-separated path.
func StepFiles(t *testing.T, n int) map[string][]byte {
	t.Helper()
	return ReadStep(t, filepath.Join("testdata", "steps", strconv.Itoa(n)))
}

// ReadStep reads the files of one step's folder, by slash-separated path,
// and fails if it holds none.
func ReadStep(t *testing.T, dir string) map[string][]byte {
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

// FilesUpTo is the reader's folder after step n: the Base files, less
// those the pages remove, with every step's files, later steps replacing
// earlier ones.
func (tu *Tutorial) FilesUpTo(t *testing.T, n int) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	if tu.Base != nil {
		files = tu.Base(t)
	}
	for i := 1; i <= n; i++ {
		for _, name := range removed(t, tu.Pages[i-1]) {
			delete(files, name)
		}
		maps.Copy(files, StepFiles(t, i))
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
	// leaving an sh block out of [Tutorial.Follow].
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

// CheckPagesShowTheStepFiles checks that each page shows every file its
// step adds or changes, exactly as it is kept under testdata/steps.
func (tu *Tutorial) CheckPagesShowTheStepFiles(t *testing.T) {
	for i, page := range tu.Pages {
		n := i + 1
		if !strings.HasPrefix(page, strconv.Itoa(n)+"-") {
			t.Fatalf("page %s is listed as step %d", page, n)
		}
		want := StepFiles(t, n)
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

// CheckStepFilesAreGofmt checks that every Go file the pages show is
// formatted.
func (tu *Tutorial) CheckStepFilesAreGofmt(t *testing.T) {
	for n := 1; n <= len(tu.Pages); n++ {
		for name, src := range StepFiles(t, n) {
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

// RepoRoot is the root of the Loom module, found from the working
// directory.
func RepoRoot(t *testing.T) string {
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

// CheckLastStepIsTheExample checks that the reader's folder after the
// last step holds Example, tests, testdata, ExampleSkips and the data the
// example writes aside.
func (tu *Tutorial) CheckLastStepIsTheExample(t *testing.T) {
	example := filepath.Join(RepoRoot(t), filepath.FromSlash(tu.Example))
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
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(example, path)
		if err != nil {
			return err
		}
		if slices.Contains(tu.ExampleSkips, filepath.ToSlash(rel)) {
			return nil
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
	got := tu.FilesUpTo(t, len(tu.Pages))
	for _, name := range slices.Sorted(maps.Keys(want)) {
		src, ok := got[name]
		if !ok {
			t.Errorf("%s/%s is not in the tutorial", tu.Example, name)
			continue
		}
		if !bytes.Equal(withoutDocComment(src), withoutDocComment(want[name])) {
			t.Errorf("the tutorial's %s differs from %s/%s:\n%s",
				name, tu.Example, name, firstDifference(withoutDocComment(src), withoutDocComment(want[name])))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("the tutorial's %s is not in %s", name, tu.Example)
		}
	}
}

// Test runs every check of the tutorial, each as a subtest:
// PagesShowTheStepFiles, StepFilesAreGofmt, LastStepIsTheExample, then
// Reader ([Tutorial.Follow]), which -short skips.
func (tu *Tutorial) Test(t *testing.T) {
	t.Run("PagesShowTheStepFiles", tu.CheckPagesShowTheStepFiles)
	t.Run("StepFilesAreGofmt", tu.CheckStepFilesAreGofmt)
	t.Run("LastStepIsTheExample", tu.CheckLastStepIsTheExample)
	t.Run("Reader", tu.Follow)
}
