// Package tutorial_test keeps the Todo tutorial honest: the code on its
// pages is the code under testdata/steps, every step builds and vets in a
// module of its own, the running steps answer as the pages say, and the
// last step is examples/todo.
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: controller.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/controller.go,
// where n is the number the page's name starts with.
package tutorial_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/format"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pages are the tutorial's steps, in order.
var pages = []string{
	"1-create-the-app.md",
	"2-model.md",
	"3-datasource.md",
	"4-repository.md",
	"5-controller.md",
	"6-putting-it-together.md",
	"7-geocoding.md",
	"8-database.md",
}

// setup is what the first page tells the reader to run in an empty folder
// beside a clone of Loom, before and after writing the first files.
var (
	setup = []string{
		"go mod init example.com/todo",
		"go mod edit -replace github.com/loomhq/loom=../loom",
	}
	tidy = "go mod tidy"
)

// stepFiles reads testdata/steps/<n>: the files step n adds or changes,
// by slash-separated path.
func stepFiles(t *testing.T, n int) map[string][]byte {
	t.Helper()
	dir := filepath.Join("testdata", "steps", strconv.Itoa(n))
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

// filesUpTo is the reader's folder after step n: every step's files, later
// steps replacing earlier ones.
func filesUpTo(t *testing.T, n int) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for i := 1; i <= n; i++ {
		maps.Copy(files, stepFiles(t, i))
	}
	return files
}

// block is a fenced code block that a page marks with a file name.
type block struct {
	file string
	line int
	body []byte
}

const marker = "<!-- file: "

// markedBlocks returns the page's marked blocks, failing on a marker not
// followed by a fence or a fence that is never closed.
func markedBlocks(t *testing.T, page string) []block {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var blocks []block
	for i := 0; i < len(lines); i++ {
		name, ok := strings.CutPrefix(lines[i], marker)
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, " -->")
		if !ok || name == "" {
			t.Errorf("%s:%d: malformed marker %q", page, i+1, lines[i])
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			t.Errorf("%s:%d: the marker for %s is not followed by a fence", page, i+1, name)
			continue
		}
		start := i + 2
		end := start
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		if end == len(lines) {
			t.Fatalf("%s:%d: the block of %s is never closed", page, i+2, name)
		}
		body := strings.Join(lines[start:end], "\n") + "\n"
		blocks = append(blocks, block{file: name, line: i + 1, body: []byte(body)})
		i = end
	}
	return blocks
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

// TestFirstPageHasTheSetupCommands checks that the commands this test runs
// to make each step's module are the ones the first page gives.
func TestFirstPageHasTheSetupCommands(t *testing.T) {
	data, err := os.ReadFile(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, cmd := range append(slices.Clone(setup), tidy) {
		if !slices.Contains(lines, cmd) {
			t.Errorf("%s has no line %q", pages[0], cmd)
		}
	}
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
// step holds examples/todo, tests aside.
func TestLastStepIsTheExample(t *testing.T) {
	example := filepath.Join(repoRoot(t), "examples", "todo")
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
			t.Errorf("examples/todo/%s is not in the tutorial", name)
			continue
		}
		if !bytes.Equal(withoutDocComment(src), withoutDocComment(want[name])) {
			t.Errorf("the tutorial's %s differs from examples/todo/%s:\n%s",
				name, name, firstDifference(withoutDocComment(src), withoutDocComment(want[name])))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("the tutorial's %s is not in examples/todo", name)
		}
	}
}

// TestStepsBuild makes the reader's folder as it is after each step, in a
// module of its own beside a link to Loom, as the first page does, and
// builds and vets it. The steps that serve requests are started and asked
// what their page asks.
func TestStepsBuild(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	root := repoRoot(t)
	for i := range pages {
		n := i + 1
		t.Run(fmt.Sprintf("step%d", n), func(t *testing.T) {
			t.Parallel()
			dir := makeModule(t, goTool, root, filesUpTo(t, n))
			run(t, dir, goTool, "build", "-o", exe("todo"), ".")
			run(t, dir, goTool, "vet", ".")
			if check, ok := checks[n]; ok {
				if runtime.GOOS == "windows" {
					t.Skip("the running checks stop the server with SIGTERM")
				}
				serve(t, filepath.Join(dir, exe("todo")), check)
			}
		})
	}
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// makeModule lays files into <tmp>/todo, beside <tmp>/loom, a link to the
// repository, and runs the first page's commands there.
func makeModule(t *testing.T, goTool, root string, files map[string][]byte) string {
	t.Helper()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "todo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var cmds [][]string
	for _, c := range setup {
		cmds = append(cmds, strings.Fields(c)[1:])
	}
	if err := os.Symlink(root, filepath.Join(tmp, "loom")); err != nil {
		// No symbolic links here: point the replace at the repository.
		cmds[1] = []string{"mod", "edit", "-replace", "github.com/loomhq/loom=" + root}
	}
	for _, args := range cmds {
		run(t, dir, goTool, args...)
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, goTool, strings.Fields(tidy)[1:]...)
	return dir
}

// goMu runs one go command at a time: the steps build the same packages,
// and the go command is quickest, and most reliable, when one of them fills
// the build cache and the others find it there.
var goMu sync.Mutex

// run runs the go command in dir, failing the test with its output.
func run(t *testing.T, dir, goTool string, args ...string) {
	t.Helper()
	goMu.Lock()
	defer goMu.Unlock()
	cmd := exec.Command(goTool, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// server is a started step.
type server struct {
	t   *testing.T
	url string
}

// check asks a running step what its page asks; after looks at the data
// file and the server's output once it has stopped.
type check struct {
	ask    func(s *server)
	after  func(t *testing.T, dataFile, output string)
	signal os.Signal // SIGTERM when nil
	// prepare runs before the server starts and returns more of its
	// environment: step 8 migrates a database and names it.
	prepare func(t *testing.T, binary string) []string
	// again, when set, is asked of the server started a second time, on
	// the same data, after ask's server stopped.
	again func(s *server)
}

// seedTitles are LoopBack's four seed todos.
const seedTitles = "[Take over the galaxy destroy alderaan play space invaders crush rebels]"

var checks = map[int]check{
	1: {ask: func(s *server) {
		doc := decode[map[string]any](s, s.expect("GET", "/openapi.json", "", 200))
		info, _ := doc["info"].(map[string]any)
		if info["title"] != "@loopback/example-todo" || fmt.Sprint(doc["paths"]) != "map[]" {
			s.t.Errorf("the document's info %v, paths %v", info, doc["paths"])
		}
		s.expect("GET", "/explorer/", "", 200)
	}, signal: os.Interrupt, after: func(t *testing.T, _, output string) {
		// The log lines the page quotes, for a start and a Ctrl-C.
		for _, want := range []string{
			"server is running\t{\"url\": \"http://127.0.0.1:",
			"stopping\t{\"signal\": \"interrupt signal received\"}",
			"server stopped",
		} {
			if !strings.Contains(output, want) {
				t.Errorf("the log has no %q:\n%s", want, output)
			}
		}
	}},
	5: {ask: func(s *server) {
		askCRUD(s)
		// The refusal the page shows.
		r := s.expect("POST", "/todos", `{"desc":"no title"}`, 422)
		if want := `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object ` +
			"`details`" + ` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]}}`; r.body != want {
			s.t.Errorf("a todo without a title:\n%s\nwant\n%s", r.body, want)
		}
	}, after: expectStored},
	6: {ask: func(s *server) {
		askCRUD(s)
		r := s.expect("GET", "/", "", 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			s.t.Errorf("GET / is %s", ct)
		}
		if r := s.expect("GET", "/todos/1", "", 200); r.Header.Get("X-Response-Time") == "" {
			s.t.Error("no X-Response-Time header")
		}
		s.expect("GET", "/explorer/", "", 200)
	}, after: func(t *testing.T, dataFile, output string) {
		expectStored(t, dataFile, output)
		if !strings.Contains(output, `"url": "/todos/1", "status": 200`) {
			t.Errorf("no access log line for GET /todos/1 in:\n%s", output)
		}
	}},
	7: {ask: func(s *server) {
		askCRUD(s)
		got := decode[map[string]any](s, s.expect("POST", "/todos",
			`{"title":"Visit IBM","remindAtAddress":"1 New Orchard Road, Armonk, 10504"}`, 200))
		if got["remindAtGeo"] != "41.1101,-73.7215" {
			s.t.Errorf("created %v, want remindAtGeo 41.1101,-73.7215", got)
		}
		r := s.expect("POST", "/todos", `{"title":"Nowhere","remindAtAddress":"123 Nowhere Lane"}`, 400)
		if r.body != `{"error":{"statusCode":400,"name":"BadRequestError","message":"Address not found: 123 Nowhere Lane"}}` {
			s.t.Errorf("a create with an unknown address: %s", r.body)
		}
	}, after: expectStored},
	8: {prepare: migrateSQLite, ask: func(s *server) {
		if r := s.expect("GET", "/todos", "", 200); r.body != "[]" {
			s.t.Errorf("GET /todos on a new database: %s, want []", r.body)
		}
		created := s.expect("POST", "/todos", `{"title":"Learn Loom","desc":"Keep the todos in SQLite"}`, 200)
		if created.body != sqliteTodo {
			s.t.Errorf("POST /todos: %s, want %s", created.body, sqliteTodo)
		}
		if r := s.expect("GET", "/todos/1", "", 200); r.body != sqliteTodo {
			s.t.Errorf("GET /todos/1: %s, want %s", r.body, sqliteTodo)
		}
	}, again: func(s *server) {
		// A new process, so the todo comes from the SQLite file.
		if r := s.expect("GET", "/todos/1", "", 200); r.body != sqliteTodo {
			s.t.Errorf("GET /todos/1 after a restart: %s, want %s", r.body, sqliteTodo)
		}
		if r := s.expect("GET", "/todos", "", 200); r.body != "["+sqliteTodo+"]" {
			s.t.Errorf("GET /todos after a restart: %s", r.body)
		}
	}, after: func(t *testing.T, dataFile, _ string) {
		if _, err := os.Stat(dataFile); !os.IsNotExist(err) {
			t.Errorf("with DATABASE_URL set, the data file %s is there (%v)", dataFile, err)
		}
	}},
}

// sqliteTodo is the todo step 8 creates in an empty database.
const sqliteTodo = `{"id":1,"title":"Learn Loom","desc":"Keep the todos in SQLite"}`

// migrateSQLite runs the binary's migrate command, as step 8 does, on a
// new SQLite database, twice since a migration must be safe to repeat, and
// returns the DATABASE_URL naming it.
func migrateSQLite(t *testing.T, binary string) []string {
	t.Helper()
	dbFile := filepath.Join(t.TempDir(), "todo.db")
	env := append(os.Environ(), "DATABASE_URL=sqlite:"+dbFile)
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, binary, "migrate")
		cmd.Dir = filepath.Dir(binary)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s migrate: %v\n%s", filepath.Base(binary), err, out)
		}
	}
	if info, err := os.Stat(dbFile); err != nil || info.Size() == 0 {
		t.Fatalf("migrate left no database in %s: %v", dbFile, err)
	}
	return []string{"DATABASE_URL=sqlite:" + dbFile}
}

// askCRUD lists the seed todos, creates one and reads it back.
func askCRUD(s *server) {
	var titles []string
	for _, todo := range decode[[]map[string]any](s, s.expect("GET", "/todos", "", 200)) {
		titles = append(titles, fmt.Sprint(todo["title"]))
	}
	if fmt.Sprint(titles) != seedTitles {
		s.t.Errorf("GET /todos: %q, want %s", titles, seedTitles)
	}
	created := s.expect("POST", "/todos", `{"title":"Learn Loom","desc":"Build the Todo tutorial"}`, 200)
	if created.body != `{"id":5,"title":"Learn Loom","desc":"Build the Todo tutorial"}` {
		s.t.Errorf("POST /todos: %s", created.body)
	}
	s.expect("PATCH", "/todos/5", `{"isComplete":true}`, 204)
	if r := s.expect("GET", "/todos/count?where[isComplete]=true", "", 200); r.body != `{"count":1}` {
		s.t.Errorf("the count of complete todos: %s", r.body)
	}
}

// expectStored checks that the data file kept the created and patched
// todo.
func expectStored(t *testing.T, dataFile, _ string) {
	data, err := os.ReadFile(dataFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`Learn Loom`)) || !bytes.Contains(data, []byte(`\"isComplete\":true`)) {
		t.Errorf("the data file does not hold the new todo:\n%s", data)
	}
}

type response struct {
	Status int
	Header http.Header
	body   string
}

// expect sends a request and checks its status.
func (s *server) expect(method, path, body string, status int) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, body: string(data)}
	if r.Status != status {
		s.t.Errorf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.body)
	}
	return r
}

func decode[T any](s *server, r response) T {
	s.t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		s.t.Errorf("%v in %s", err, r.body)
	}
	return v
}

// serve starts the binary as the pages do, on a free port with a data file
// of its own and a fake geocoder, runs the check, stops it with SIGTERM (or
// the check's signal) and expects a clean exit. With an again, it starts
// the binary once more on the same data and asks that.
func serve(t *testing.T, binary string, c check) {
	t.Helper()
	dataFile := filepath.Join(t.TempDir(), "data", "db.json")
	env := append(os.Environ(),
		"HOST=127.0.0.1",
		"DATA_FILE="+dataFile,
		"GEOCODER_URL="+fakeGeocoder(t))
	if c.prepare != nil {
		env = append(env, c.prepare(t, binary)...)
	}
	output := serveOnce(t, binary, env, c.ask, c.signal)
	if c.again != nil && !t.Failed() {
		output += serveOnce(t, binary, env, c.again, c.signal)
	}
	if c.after != nil {
		c.after(t, dataFile, output)
	}
	if t.Failed() {
		t.Logf("the server's output:\n%s", output)
	}
}

// serveOnce starts the binary with env on a free port, asks it, stops it
// and returns its output.
func serveOnce(t *testing.T, binary string, env []string, ask func(*server), sig os.Signal) string {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(binary)
	cmd.Dir = filepath.Dir(binary)
	cmd.Env = append(slices.Clip(env), "PORT="+strconv.Itoa(port))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			<-exited
		}
	}()

	s := &server{t: t, url: "http://127.0.0.1:" + strconv.Itoa(port)}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.url + "/openapi.json")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case err := <-exited:
			stopped = true
			t.Fatalf("the server exited before answering: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not answer within 20s: %v", err)
		}
	}

	ask(s)

	if sig == nil {
		sig = syscall.SIGTERM
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("after SIGTERM the server exited with %v\n%s", err, out.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the server did not stop within 15s of SIGTERM\n%s", out.String())
	}
	return out.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// fakeGeocoder answers like the US Census geocoder: one match for the
// address it knows, none for the others.
func fakeGeocoder(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/geocoder/locations/onelineaddress" || r.URL.Query().Get("format") != "json" {
			http.NotFound(w, r)
			return
		}
		matches := []any{}
		if addr := r.URL.Query().Get("address"); addr == "1 New Orchard Road, Armonk, 10504" {
			matches = append(matches, map[string]any{
				"matchedAddress": "1 NEW ORCHARD RD, ARMONK, NY, 10504",
				"coordinates":    map[string]float64{"x": -73.7215, "y": 41.1101},
			})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"addressMatches": matches}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
