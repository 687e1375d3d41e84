package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// startApp starts the example on a free port over a storage directory of
// its own, and returns its URL and the directory.
func startApp(t testing.TB, cfg Config) (string, string) {
	t.Helper()
	cfg.Host = "127.0.0.1"
	if cfg.StorageDir == "" {
		cfg.StorageDir = t.TempDir()
	}
	app, err := NewApplication(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := app.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return app.URL(), cfg.StorageDir
}

// form is a multipart body of fields (name, value pairs) and files
// (field, file name, content triples).
func form(t *testing.T, fields []string, files ...string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	for i := 0; i+2 < len(files); i += 3 {
		fw, err := w.CreateFormFile(files[i], files[i+1])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, files[i+2])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func send(t *testing.T, method, url, contentType string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(data)
}

func expect(t *testing.T, resp *http.Response, body string, status int, want string) {
	t.Helper()
	if resp.StatusCode != status || body != want {
		t.Errorf("got %d %s\nwant %d %s", resp.StatusCode, body, status, want)
	}
}

func TestFileTransfer_UploadListDownload(t *testing.T) {
	url, dir := startApp(t, Config{})
	// Given an empty storage directory, the list is empty.
	resp, body := send(t, "GET", url+"/files", "", nil)
	expect(t, resp, body, 200, `[]`)

	// When two files and a field are uploaded, both are stored and described.
	buf, ct := form(t, []string{"note", "holiday"}, "file", "b.txt", "bee", "file", "a.txt", "hello")
	resp, body = send(t, "POST", url+"/files", ct, buf)
	expect(t, resp, body, 200, `{"files":[`+
		`{"fieldname":"file","originalname":"b.txt","encoding":"7bit","mimetype":"application/octet-stream","size":3},`+
		`{"fieldname":"file","originalname":"a.txt","encoding":"7bit","mimetype":"application/octet-stream","size":5}],`+
		`"fields":{"note":"holiday"}}`)
	if data, err := os.ReadFile(filepath.Join(dir, "a.txt")); err != nil || string(data) != "hello" {
		t.Errorf("stored a.txt: %q, %v", data, err)
	}

	// Then they are listed, and each downloads as an attachment.
	resp, body = send(t, "GET", url+"/files", "", nil)
	expect(t, resp, body, 200, `["a.txt","b.txt"]`)
	resp, body = send(t, "GET", url+"/files/a.txt", "", nil)
	expect(t, resp, body, 200, "hello")
	if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename=a.txt` {
		t.Errorf("Content-Disposition: %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/octet-stream" {
		t.Errorf("Content-Type: %q", got)
	}
}

func TestFileTransfer_ADownloadOutsideTheStorageIsRefused(t *testing.T) {
	url, dir := startApp(t, Config{})
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"..%2Fsecret.txt", "%2E%2E%2Fsecret.txt", "..", ".uploads", "a%5Cb"} {
		resp, body := send(t, "GET", url+"/files/"+name, "", nil)
		if (resp.StatusCode != 400 && resp.StatusCode != 404) || !strings.HasPrefix(body, `{"error":{"statusCode":`) || strings.Contains(body, "secret") && !strings.Contains(body, "Invalid file name") {
			t.Errorf("%s: got %d %s", name, resp.StatusCode, body)
		}
	}
	resp, body := send(t, "GET", url+"/files/nothing.txt", "", nil)
	expect(t, resp, body, 404, `{"error":{"statusCode":404,"name":"NotFoundError","message":"File not found: nothing.txt","code":"ENTITY_NOT_FOUND"}}`)
}

func TestFileTransfer_AnUploadOverTheLimitsIsRefusedAndNotKept(t *testing.T) {
	url, dir := startApp(t, Config{MaxUploadBytes: 1000, MaxFiles: 2})
	buf, ct := form(t, nil, "file", "big.bin", strings.Repeat("x", 1001))
	resp, body := send(t, "POST", url+"/files", ct, buf)
	if resp.StatusCode != 413 || !strings.HasPrefix(body, `{"error":{"statusCode":413`) {
		t.Errorf("got %d %s", resp.StatusCode, body)
	}
	buf, ct = form(t, nil, "f", "1", "a", "f", "2", "b", "f", "3", "c")
	resp, body = send(t, "POST", url+"/files", ct, buf)
	expect(t, resp, body, 413, `{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"The multipart body has more than 2 files.","code":"LIMIT_FILE_COUNT"}}`)
	resp, body = send(t, "GET", url+"/files", "", nil)
	expect(t, resp, body, 200, `[]`)
	// Nothing is left behind in the uploads' directory either.
	if entries, _ := os.ReadDir(filepath.Join(dir, uploadsDir)); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	buf, ct = form(t, nil, "file", ".hidden", "x")
	resp, body = send(t, "POST", url+"/files", ct, buf)
	expect(t, resp, body, 400, `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid file name: .hidden","code":"INVALID_FILE_NAME"}}`)
	resp, body = send(t, "POST", url+"/files", "application/json", strings.NewReader(`{}`))
	expect(t, resp, body, 415, `{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type application/json does not match [multipart/form-data].","code":"UNSUPPORTED_MEDIA_TYPE"}}`)
}
