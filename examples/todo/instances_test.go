package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTwoProcessesOnOnePostgres starts two Todo processes over one
// PostgreSQL database, the scale-out story: what one writes, the other
// reads, updates and deletes.
func TestTwoProcessesOnOnePostgres(t *testing.T) {
	url := postgresURL(t)
	if err := Migrate(t.Context(), Config{DatabaseURL: url}); err != nil {
		t.Fatal(err)
	}
	a, b := startProcess(t, url), startProcess(t, url)

	var created struct{ ID int }
	if err := json.Unmarshal([]byte(send(t, "POST", a+"/todos", `{"title":"written by a"}`, 200)), &created); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(created.ID)

	if got := send(t, "GET", b+"/todos/"+id, "", 200); !strings.Contains(got, `"written by a"`) {
		t.Errorf("b reads %s", got)
	}
	send(t, "PATCH", b+"/todos/"+id, `{"isComplete":true}`, 204)
	if got := send(t, "GET", a+"/todos/"+id, "", 200); !strings.Contains(got, `"isComplete":true`) {
		t.Errorf("a reads %s after b's update", got)
	}
	send(t, "DELETE", b+"/todos/"+id, "", 204)
	send(t, "GET", a+"/todos/"+id, "", 404)
}

// todoProcessEnv makes the test binary the Todo command: it saves
// building the example again, with other flags, from a cold cache.
const todoProcessEnv = "LOOM_TODO_PROCESS"

func TestTodoProcess(t *testing.T) {
	if os.Getenv(todoProcessEnv) == "" {
		t.Skip("run by startProcess")
	}
	os.Args = os.Args[:1] // the command's own arguments: none
	main()
}

// startProcess runs the Todo command on a free port over url and stops
// it with SIGTERM when the test ends; it must exit cleanly.
func startProcess(t *testing.T, url string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestTodoProcess$")
	cmd.Env = append(os.Environ(), todoProcessEnv+"=1",
		"HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port), "DATABASE_URL="+url)
	var log strings.Builder // read only once the process has exited
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-exited
		if waitErr != nil {
			t.Errorf("the process on %s exited with %v:\n%s", base, waitErr, log.String())
		}
	})
	// However long a loaded machine takes to start it, it either answers
	// or exits; go test's timeout bounds a hang.
	for {
		if resp, err := http.Get(base + "/todos/count"); err == nil {
			resp.Body.Close()
			return base
		}
		select {
		case <-exited:
			t.Fatalf("the process on %s exited (%v) before it answered:\n%s", base, waitErr, log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func send(t *testing.T, method, url, body string, status int) string {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s = %d %s, want %d", method, url, resp.StatusCode, b, status)
	}
	return string(b)
}
