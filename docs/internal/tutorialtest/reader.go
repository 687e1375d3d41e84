package tutorialtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Follow follows the tutorial's pages as a reader does, as the package
// overview describes: after Setup, page after page, it writes each file
// a page shows and runs each command of its ```sh blocks, in the page's
// order, and checks what a command prints against the block that follows
// it. Then it runs the page's Prose check. It stops at the end of the
// first page that fails.
//
// It skips on Windows, with -short, and without the go command on PATH.
func (tu *Tutorial) Follow(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test stops servers with Ctrl-C, SIGINT, which Windows cannot send")
	}
	if testing.Short() {
		t.Skip("the tutorial builds Loom and SQLite, minutes from a cold build cache")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	r := newReader(t, goTool, tu)
	if tu.Setup != nil {
		tu.Setup(r)
	}
	for i, page := range tu.Pages {
		n := i + 1
		r.page = page
		r.printed = nil
		for _, b := range blocks(t, page) {
			switch {
			case b.file != "":
				r.write(b.file, b.body)
			case b.info == "sh" && b.notRun == "":
				r.block = b
				for _, line := range strings.Split(strings.TrimSuffix(string(b.body), "\n"), "\n") {
					if strings.TrimSpace(line) != "" {
						r.last = r.Run(line)
					}
				}
				continue
			case b.follows && r.block.line != 0:
				r.expectOutput(b)
			}
			r.block = block{}
		}
		if check, ok := tu.Prose[n]; ok {
			check(r)
		}
		r.StopAll()
		if t.Failed() {
			t.Fatalf("stopped after %s", page)
		}
	}
}

// Reader is the reader's terminals and folders, as [Tutorial.Follow]
// stands in for them. Setup and Prose checks drive it.
type Reader struct {
	t      *testing.T
	ctx    context.Context
	goTool string
	home   string // ~/src
	tmp    string // /tmp
	bin    string // where go run's builds go
	dir    string // the working directory, after cd
	env    []string
	// serving is the tutorial's Serving.
	serving map[string]string
	// built maps a package to its binary, until a file or go.mod changes.
	built map[string]string
	// servers are the commands serving, in the order they started; logs
	// keeps the output of the last one at each page address.
	servers []*server
	logs    map[string]*syncBuffer
	// addrs maps the address a page gives a server to the test's.
	addrs map[string]string

	page    string
	block   block     // the ```sh block being run, or that just ran
	last    string    // what its last command printed
	resp    *response // what its last curl answered
	printed []printed // the page's commands and what they printed
}

type printed struct{ command, output string }

// server is a command serving in a terminal of its own.
type server struct {
	name     string
	pageAddr string
	cmd      *exec.Cmd
	out      *syncBuffer
	exited   chan error
}

func newReader(t *testing.T, goTool string, tu *Tutorial) *Reader {
	root := RepoRoot(t)
	base := t.TempDir()
	r := &Reader{
		t:       t,
		ctx:     context.Background(),
		goTool:  goTool,
		home:    filepath.Join(base, "src"),
		tmp:     filepath.Join(base, "tmp"),
		bin:     filepath.Join(base, "bin"),
		serving: tu.Serving,
		built:   map[string]string{},
		logs:    map[string]*syncBuffer{},
		addrs:   map[string]string{},
	}
	r.dir = r.home
	for _, d := range []string{r.home, r.tmp, r.bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(root, filepath.Join(r.home, "loom")); err != nil {
		t.Skip("no symbolic link to the repository for ../loom:", err)
	}
	if deadline, ok := t.Deadline(); ok {
		// End the commands, with their output, before go test's timeout
		// ends the test without it.
		margin := min(time.Until(deadline)/10, time.Minute)
		ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-margin))
		t.Cleanup(cancel)
		r.ctx = ctx
	}
	r.env = append(readerEnv(), tu.Env...)
	t.Cleanup(func() {
		for _, s := range r.servers {
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	return r
}

// T is the test the reader runs in, for a check's own messages.
func (r *Reader) T() *testing.T { return r.t }

// Home is the reader's ~/src: a temporary folder holding a link named
// loom to this repository.
func (r *Reader) Home() string { return r.home }

// Go runs the go command in dir, with the reader's environment, and
// returns its combined output.
func (r *Reader) Go(dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(r.ctx, r.goTool, args...)
	cmd.Dir = dir
	cmd.Env = r.env
	return cmd.CombinedOutput()
}

// readerEnv is the environment of a reader who has set none of the
// application's variables, with GOFLAGS kept but for a -mod flag, which
// would hide a go.mod or go.sum the pages leave incomplete.
func readerEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "HOST", "PORT", "DATA_FILE", "DATABASE_URL", "GEOCODER_URL", "GOWORK":
			continue
		case "GOFLAGS":
			kept := slices.DeleteFunc(strings.Fields(v), func(f string) bool { return strings.HasPrefix(f, "-mod=") })
			kv = k + "=" + strings.Join(kept, " ")
		}
		env = append(env, kv)
	}
	return append(env, "GOWORK=off")
}

// where names the page and block being run, for messages.
func (r *Reader) where() string {
	if r.block.line == 0 {
		return r.page + " (its prose)"
	}
	return fmt.Sprintf("%s:%d", r.page, r.block.line)
}

// write copies a file from the page into the folder.
func (r *Reader) write(name string, body []byte) {
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, body, 0o644); err != nil {
		r.t.Fatal(err)
	}
	clear(r.built)
}

var (
	envAssignment = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
	pageAddress   = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
)

// Run runs one line of an ```sh block and returns what it printed.
func (r *Reader) Run(line string) string {
	r.t.Helper()
	if first, rest, ok := strings.Cut(line, " && "); ok {
		r.Run(first)
		return r.Run(rest)
	}
	r.t.Logf("%s: $ %s", r.where(), line)
	words, err := shellWords(line)
	if err != nil {
		r.t.Fatalf("%s: %q: %v", r.where(), line, err)
	}
	var env []string
	for len(words) > 0 && envAssignment.MatchString(words[0]) {
		env = append(env, r.rewrite(words[0]))
		words = words[1:]
	}
	if len(words) == 0 {
		r.t.Fatalf("%s: %q runs nothing", r.where(), line)
	}
	for i := range words {
		words[i] = r.rewrite(words[i])
	}
	var out string
	if words[0] == "curl" {
		out = r.curl(line, words[1:])
	} else if pageAddr, ok := r.serving[strings.Join(words, " ")]; ok {
		r.serve(pageAddr, env, words)
	} else {
		r.StopAll()
		out = r.command(line, env, words)
	}
	r.printed = append(r.printed, printed{line, out})
	return out
}

// rewrite maps what names the reader's machine in a word to the test's:
// ~/src/ and /tmp/ to its folders, the pages' addresses to its servers'.
func (r *Reader) rewrite(word string) string {
	prefix, value := "", word
	if envAssignment.MatchString(word) {
		k, v, _ := strings.Cut(word, "=")
		prefix, value = k+"=", v
	}
	if rest, ok := strings.CutPrefix(value, "~/src/"); ok {
		value = filepath.Join(r.home, rest)
	} else if rest, ok := strings.CutPrefix(value, "/tmp/"); ok {
		value = filepath.Join(r.tmp, rest)
	}
	return prefix + r.rewriteAddrs(value)
}

func (r *Reader) rewriteAddrs(s string) string {
	return pageAddress.ReplaceAllStringFunc(s, func(a string) string {
		addr, ok := r.addrs[a]
		if !ok {
			r.t.Fatalf("%s: %s names %s, where nothing the pages started serves", r.where(), s, a)
		}
		return addr
	})
}

// command runs a command to its end and fails unless it succeeds.
func (r *Reader) command(line string, env, words []string) string {
	r.t.Helper()
	var cmd *exec.Cmd
	switch {
	case words[0] == "mkdir" && len(words) == 2:
		if err := os.Mkdir(r.path(words[1]), 0o755); err != nil {
			r.t.Fatalf("%s: %s: %v", r.where(), line, err)
		}
		return ""
	case words[0] == "cd" && len(words) == 2:
		r.dir = r.path(words[1])
		return ""
	case words[0] == "cp" && len(words) == 4 && words[1] == "-r":
		if err := os.CopyFS(r.path(words[3]), os.DirFS(r.path(words[2]))); err != nil {
			r.t.Fatalf("%s: %s: %v", r.where(), line, err)
		}
		clear(r.built)
		return ""
	case words[0] == "rm" && len(words) > 1:
		for _, name := range words[1:] {
			if err := os.Remove(r.path(name)); err != nil {
				r.t.Fatalf("%s: %s: %v", r.where(), line, err)
			}
		}
		clear(r.built)
		return ""
	case words[0] == "head" && len(words) == 3 && strings.HasPrefix(words[1], "-"):
		n, err := strconv.Atoi(words[1][1:])
		data, rerr := os.ReadFile(r.path(words[2]))
		if err != nil || rerr != nil {
			r.t.Fatalf("%s: %s: %v", r.where(), line, firstError(err, rerr))
		}
		lines := strings.SplitAfter(string(data), "\n")
		return strings.Join(lines[:min(n, len(lines))], "")
	case words[0] == "go" && len(words) >= 3 && words[1] == "run":
		cmd = exec.CommandContext(r.ctx, r.build(words[2]), words[3:]...)
	case words[0] == "go":
		cmd = exec.CommandContext(r.ctx, r.goTool, words[1:]...)
		clear(r.built)
	default:
		r.t.Fatalf("%s: the test does not know how to run %q", r.where(), line)
	}
	cmd.Dir = r.dir
	cmd.Env = append(slices.Clip(r.env), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("%s: %s: %v\n%s", r.where(), line, err, out)
	}
	return string(out)
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// path resolves a path the page gives, after rewrite.
func (r *Reader) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.dir, filepath.FromSlash(p))
}

// build is the first half of go run: it builds pkg, once until the
// folder changes, and returns the binary.
func (r *Reader) build(pkg string) string {
	r.t.Helper()
	if binary, ok := r.built[pkg]; ok {
		return binary
	}
	name := path.Base(pkg)
	if pkg == "." {
		name = filepath.Base(r.dir)
	}
	binary := filepath.Join(r.bin, name)
	cmd := exec.CommandContext(r.ctx, r.goTool, "build", "-o", binary, pkg)
	cmd.Dir = r.dir
	cmd.Env = r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("%s: go run %s: %v\n%s", r.where(), pkg, err, out)
	}
	r.built[pkg] = binary
	return binary
}

// serve starts a serving command on a free port and waits until it
// answers, as a reader waits for its log to say so. A server already at
// the same page address gets its Ctrl-C first.
func (r *Reader) serve(pageAddr string, env, words []string) {
	r.t.Helper()
	for i, s := range r.servers {
		if s.pageAddr == pageAddr {
			r.stop(s)
			r.servers = slices.Delete(r.servers, i, i+1)
			break
		}
	}
	binary := r.build(words[2])
	// The free port is free when asked, not always when the server binds
	// it; another try gets another port.
	for try := 1; ; try++ {
		s, err := r.start(pageAddr, env, words, binary)
		if s != nil {
			r.servers = append(r.servers, s)
			return
		}
		if try == 3 || !strings.Contains(err.Error(), "address already in use") {
			r.t.Fatalf("%s: %v", r.where(), err)
		}
	}
}

// start runs a server on a free port and waits until it answers. On
// failure, it returns an error holding the server's output.
func (r *Reader) start(pageAddr string, env, words []string, binary string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, port, _ := net.SplitHostPort(addr)

	cmd := exec.Command(binary, words[3:]...)
	cmd.Dir = r.dir
	cmd.Env = append(append(slices.Clip(r.env), "HOST=127.0.0.1", "PORT="+port), env...)
	s := &server{name: strings.Join(words, " "), pageAddr: pageAddr, cmd: cmd,
		out: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	go func() { s.exited <- cmd.Wait() }()
	r.logs[pageAddr] = s.out
	r.addrs[pageAddr] = addr

	// A generous bound: a busy machine can be slow to start a binary,
	// and a server that never answers must not hang the test.
	deadline := time.Now().Add(2 * time.Minute)
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		resp, err := client.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("%s exited before serving: %v\n%s", s.name, err, s.out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.cmd.Process.Kill()
			<-s.exited
			return nil, fmt.Errorf("%s did not answer at %s: %v\n%s", s.name, addr, err, s.out)
		}
	}
}

// StopAll presses Ctrl-C in each terminal that serves, the last started
// first.
func (r *Reader) StopAll() {
	r.t.Helper()
	for len(r.servers) > 0 {
		s := r.servers[len(r.servers)-1]
		r.servers = r.servers[:len(r.servers)-1]
		r.stop(s)
	}
}

// stop sends a server Ctrl-C and expects it to exit cleanly.
func (r *Reader) stop(s *server) {
	r.t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		r.t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			r.t.Errorf("%s: after Ctrl-C, %s exited with %v\n%s", r.page, s.name, err, s.out)
		}
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.exited
		r.t.Errorf("%s: %s did not stop within a minute of Ctrl-C\n%s", r.page, s.name, s.out)
	}
}

// LogHas checks the log of the last server at a page address.
func (r *Reader) LogHas(pageAddr string, want ...string) {
	r.t.Helper()
	log := r.logs[pageAddr].String()
	for _, w := range want {
		if !strings.Contains(log, w) {
			r.t.Errorf("%s: the log of the server at %s has no %q:\n%s", r.page, pageAddr, w, log)
		}
	}
}

// response is what curl received.
type response struct {
	status string // "200 OK"
	header http.Header
	body   string
}

// curl sends the request a curl command describes and returns what curl
// prints: the body, after the status line and headers with -i.
func (r *Reader) curl(line string, args []string) string {
	r.t.Helper()
	var (
		method, url, data string
		hasData, include  bool
		header            = http.Header{}
	)
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-g":
		case arg == "-i":
			include = true
		case (arg == "-H" || arg == "-d" || arg == "-X") && i+1 < len(args):
			i++
			switch arg {
			case "-H":
				k, v, ok := strings.Cut(args[i], ":")
				if !ok {
					r.t.Fatalf("%s: %s: malformed header %q", r.where(), line, args[i])
				}
				header.Add(k, strings.TrimSpace(v))
			case "-d":
				data, hasData = args[i], true
			case "-X":
				method = args[i]
			}
		case !strings.HasPrefix(arg, "-") && url == "":
			url = arg
		default:
			r.t.Fatalf("%s: %s: the test's curl does not know %q", r.where(), line, arg)
		}
	}
	if method == "" {
		method = http.MethodGet
		if hasData {
			method = http.MethodPost
		}
	}
	if hasData && header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req, err := http.NewRequestWithContext(r.ctx, method, url, strings.NewReader(data))
	if err != nil {
		r.t.Fatalf("%s: %s: %v", r.where(), line, err)
	}
	req.Header = header
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		r.t.Fatalf("%s: %s: %v", r.where(), line, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("%s: %s: %v", r.where(), line, err)
	}
	r.resp = &response{status: resp.Status, header: resp.Header, body: string(body)}
	if !include {
		return string(body)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%s %s\n", resp.Proto, resp.Status)
	resp.Header.Write(&out)
	out.WriteString("\n")
	out.Write(body)
	return out.String()
}

// PrintedBy returns what the page's one command containing part printed.
func (r *Reader) PrintedBy(part string) string {
	r.t.Helper()
	var found []printed
	for _, p := range r.printed {
		if strings.Contains(p.command, part) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		r.t.Fatalf("%s: %d commands contain %q, want 1", r.page, len(found), part)
	}
	return found[0].output
}

// Expect compares what a command printed with what the page says.
func (r *Reader) Expect(got, want string) {
	r.t.Helper()
	if got != want {
		r.t.Errorf("%s: printed\n%s\nthe page says\n%s", r.page, got, want)
	}
}

// varies are the headers whose values an output block shows as an
// example: the page says "your time and date will differ".
var varies = []string{"Date", "X-Response-Time"}

// expectOutput checks what the block's last command printed against the
// output block after it. An indented JSON block is compared as JSON (curl
// prints it on one line); an http block by its status, its headers and
// its body.
func (r *Reader) expectOutput(b block) {
	r.t.Helper()
	want := r.rewriteAddrs(strings.TrimSuffix(string(b.body), "\n"))
	got := strings.TrimSuffix(r.last, "\n")
	where := fmt.Sprintf("%s:%d", r.page, b.line)
	switch {
	case b.info == "http":
		r.expectHTTP(where, want)
	case got == want:
	case b.info == "json" && strings.Contains(want, "\n"):
		var g, w any
		if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil || !reflect.DeepEqual(g, w) {
			r.t.Errorf("%s: the command printed\n%s\nthe page shows\n%s", where, got, want)
		}
	default:
		r.t.Errorf("%s: the command printed\n%s\nthe page shows\n%s", where, got, want)
	}
}

func (r *Reader) expectHTTP(where, want string) {
	r.t.Helper()
	if r.resp == nil || !strings.HasPrefix(r.last, "HTTP/") {
		r.t.Fatalf("%s: an http block follows no curl -i", where)
	}
	head, body, _ := strings.Cut(want, "\n\n")
	lines := strings.Split(head, "\n")
	if _, status, _ := strings.Cut(lines[0], " "); status != r.resp.status {
		r.t.Errorf("%s: the status is %s, the page shows %s", where, r.resp.status, status)
	}
	shown := http.Header{}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ":")
		shown.Add(k, strings.TrimSpace(v))
	}
	for k := range r.resp.header {
		if _, ok := shown[k]; !ok {
			r.t.Errorf("%s: the answer has %s: %s, which the page does not show", where, k, r.resp.header.Get(k))
		}
	}
	for k, v := range shown {
		got, ok := r.resp.header[k]
		if !ok {
			r.t.Errorf("%s: the answer has no %s header", where, k)
		} else if !slices.Contains(varies, k) && !slices.Equal(got, v) {
			r.t.Errorf("%s: %s is %q, the page shows %q", where, k, got, v)
		}
	}
	if r.resp.body != body {
		r.t.Errorf("%s: the body is\n%s\nthe page shows\n%s", where, r.resp.body, body)
	}
}

// shellWords splits a command line as sh does, knowing only the words and
// single quotes the pages use.
func shellWords(line string) ([]string, error) {
	var (
		words  []string
		word   bytes.Buffer
		inWord bool
	)
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed quote")
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case strings.IndexByte("\"\\$`|&;<>()#", c) >= 0:
			return nil, fmt.Errorf("the test's shell does not know %q", c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// syncBuffer is a server's output, written by the process while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
