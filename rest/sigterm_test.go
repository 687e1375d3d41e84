package rest_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// The test binary serves as the child process of the SIGTERM test when
// this variable is set.
const childServerEnv = "LOOM_TEST_CHILD_SERVER"

// busyController's route costs CPU, so that the server is loaded.
type busyController struct{}

func (busyController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/work", func(ctx context.Context, in struct{}) (map[string]int, error) {
			sum := sha256.Sum256([]byte("work"))
			for range 300 {
				sum = sha256.Sum256(sum[:])
			}
			return map[string]int{"sum": int(sum[0])}, nil
		}),
	}
}

// runChildServer serves busyController until SIGTERM, having printed its
// URL on stdout; its exit status is Run's outcome.
func runChildServer() int {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() busyController { return busyController{} }),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	go func() {
		for app.URL() == "" {
			time.Sleep(time.Millisecond)
		}
		fmt.Println(app.URL())
	}()
	if err := app.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startChild starts the test binary as a server and returns it and its
// address.
func startChild(t *testing.T) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childServerEnv+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
		io.Copy(io.Discard, out)
	}()
	select {
	case url := <-line:
		if !strings.HasPrefix(url, "http://") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child server printed %q, not its URL", url)
		}
		return cmd, strings.TrimPrefix(url, "http://")
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child server did not start")
	}
	return nil, ""
}

const workRequest = "GET /work HTTP/1.1\r\nHost: loom\r\n\r\n"

// loadClient sends requests until the signal flag is set, over a new
// connection each time or over one kept alive, and counts the requests
// that were fully written before the flag and got no full response.
type loadClient struct {
	addr       string
	keepAlive  bool
	signalled  *atomic.Bool
	answered   *atomic.Int64
	late       *atomic.Int64 // answered, sent before the signal, read after it
	unanswered *atomic.Int64
	failures   chan<- string
}

func (c *loadClient) run(until time.Time) {
	var conn net.Conn
	var br *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for n := 0; n < 10000 && !c.signalled.Load() && time.Now().Before(until); n++ {
		if conn == nil {
			var err error
			if conn, err = net.DialTimeout("tcp", c.addr, 10*time.Second); err != nil {
				return // refused or reset: no request was sent
			}
			br = bufio.NewReader(conn)
		}
		_, werr := io.WriteString(conn, workRequest)
		sentBefore := werr == nil && !c.signalled.Load()
		if werr != nil {
			return
		}
		// Bounds a lost response; the server answers within its grace period.
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		closeAfter, err := readResponse(br)
		switch {
		case err == nil:
			c.answered.Add(1)
			if sentBefore && c.signalled.Load() {
				c.late.Add(1)
			}
		case sentBefore:
			c.unanswered.Add(1)
			select {
			case c.failures <- fmt.Sprintf("keep-alive=%v request %d from %s: %v", c.keepAlive, n, conn.LocalAddr(), err):
			default:
			}
			return
		default:
			return
		}
		if !c.keepAlive || closeAfter {
			conn.Close()
			conn = nil
		}
	}
}

// readResponse reads one whole response; it reports whether the server
// closes the connection after it.
func readResponse(br *bufio.Reader) (closeAfter bool, err error) {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return false, fmt.Errorf("reading the body of a %d: %w", resp.StatusCode, err)
	}
	return resp.Close, nil
}

func TestSIGTERM_UnderLoad_AnswersEveryRequestSentBeforeIt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process five times")
	}
	const rounds = 5
	clients := 8 * runtime.NumCPU()
	for round := 1; round <= rounds; round++ {
		cmd, addr := startChild(t)
		var signalled atomic.Bool
		var answered, late, unanswered atomic.Int64
		failures := make(chan string, clients)
		var wg sync.WaitGroup
		until := time.Now().Add(20 * time.Second)
		for i := range clients {
			c := &loadClient{addr: addr, keepAlive: i%2 == 0, signalled: &signalled,
				answered: &answered, late: &late, unanswered: &unanswered, failures: failures}
			wg.Go(func() { c.run(until) })
		}
		// Signal once the server is busy, or after a bounded wait.
		for end := time.Now().Add(5 * time.Second); answered.Load() < int64(4*clients) && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
		signalled.Store(true)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("round %d: the server exited with %v", round, err)
			}
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Fatalf("round %d: the server did not exit after SIGTERM", round)
		}
		close(failures)
		for f := range failures {
			t.Errorf("round %d: %s", round, f)
		}
		if n := unanswered.Load(); n > 0 {
			t.Errorf("round %d: %d requests sent before SIGTERM got no answer (%d answered)", round, n, answered.Load())
		} else {
			t.Logf("round %d: %d requests answered, %d of them sent before SIGTERM and answered after it",
				round, answered.Load(), late.Load())
		}
	}
}
