package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
	bin := filepath.Join(t.TempDir(), "todo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	a, b := startProcess(t, bin, url), startProcess(t, bin, url)

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

// startProcess runs the built example on a free port over url and stops
// it with SIGTERM when the test ends; it must exit cleanly.
func startProcess(t *testing.T, bin, url string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port), "DATABASE_URL="+url)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("the process on %s exited with %v:\n%s", base, err, log.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(base + "/todos/count"); err == nil {
			resp.Body.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the process on %s did not start:\n%s", base, log.String())
	return ""
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
