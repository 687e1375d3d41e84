package rest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type noteBody struct {
	Title string   `json:"title" validate:"required,max=10"`
	Count int      `json:"count" validate:"max=5"`
	Tags  []string `json:"tags"`
	Done  bool     `json:"done"`
}

type row struct {
	Name  string `json:"name" validate:"required"`
	Count int    `json:"count"`
}

// csvParser is a user's body parser: text/csv with a header line, each
// row an object of the header's names.
type csvParser struct{}

func (csvParser) Name() string                   { return "csv" }
func (csvParser) MediaTypes() []string           { return []string{"text/csv"} }
func (csvParser) Supports(mediaType string) bool { return mediaType == "text/csv" }
func (csvParser) Parse(r *http.Request, data []byte) (any, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("no header line")
	}
	out := []any{}
	for _, rec := range recs[1:] {
		obj := map[string]any{}
		for i, name := range recs[0] {
			if i < len(rec) {
				obj[name] = rec[i]
			}
		}
		out = append(out, obj)
	}
	return out, nil
}

// bodyController echoes each kind of body.
type bodyController struct {
	mu    sync.Mutex
	temps []string // the uploads' temporary files, as the handler saw them
}

func (c *bodyController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/notes", func(ctx context.Context, in noteBody) (noteBody, error) { return in, nil }),
		controller.Post("/rows", func(ctx context.Context, in struct {
			Rows []row `body:"json"`
		}) ([]row, error) {
			return in.Rows, nil
		}),
		controller.Post("/forms", func(ctx context.Context, in noteBody) (noteBody, error) { return in, nil },
			controller.Consumes("application/x-www-form-urlencoded")),
		controller.Post("/text", func(ctx context.Context, in struct {
			Text string `body:"text" validate:"required"`
		}) (string, error) {
			return strings.ToUpper(in.Text), nil
		}),
		controller.Post("/raw", func(ctx context.Context, in struct {
			Data []byte `body:"raw"`
		}) (map[string]int, error) {
			return map[string]int{"bytes": len(in.Data)}, nil
		}, controller.BodyLimit(16)),
		controller.Post("/stream", func(ctx context.Context, in struct {
			Body io.Reader `body:"stream"`
		}) (map[string]int64, error) {
			n, err := io.Copy(io.Discard, in.Body)
			if err != nil {
				return nil, err
			}
			return map[string]int64{"bytes": n}, nil
		}, controller.BodyLimit(1000)),
		controller.Post("/upload", func(ctx context.Context, in struct {
			Form *params.Multipart `body:"multipart"`
		}) (map[string]any, error) {
			c.mu.Lock()
			for _, f := range in.Form.Files {
				c.temps = append(c.temps, f.Path())
			}
			c.mu.Unlock()
			sizes := map[string]int64{}
			for _, f := range in.Form.Files {
				fh, err := f.Open()
				if err != nil {
					return nil, err
				}
				n, _ := io.Copy(io.Discard, fh)
				fh.Close()
				sizes[f.OriginalName] = n
			}
			return map[string]any{"files": in.Form.Files, "fields": in.Form.Fields, "read": sizes}, nil
		}, controller.BodyLimit(1<<20), controller.Uploads(controller.UploadLimits{MaxFiles: 2, MaxFileSize: 100, MaxFields: 2, MaxFieldSize: 10})),
	}
}

func startBodyApp(t *testing.T) (*resttest.App, *bodyController) {
	t.Helper()
	c := &bodyController{}
	app := resttest.Start(t, rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithController(func() *bodyController { return c }),
		rest.WithBodyParser(func() params.BodyParser { return csvParser{} }))
	return app, c
}

const formType = "application/x-www-form-urlencoded"

func TestBodyParsers_AFormFillsTheTypedInputAsJSONDoes(t *testing.T) {
	app, _ := startBodyApp(t)
	resp := app.Post("/notes", []byte("title=milk&count=3&tags=a&tags=b&done=true"), "Content-Type", formType)
	checkEnvelope(t, resp, 200, `{"title":"milk","count":3,"tags":["a","b"],"done":true}`)
	// One item of a list is a list of one.
	checkEnvelope(t, app.Post("/notes", []byte("title=milk&tags=a"), "Content-Type", formType), 200,
		`{"title":"milk","count":0,"tags":["a"],"done":false}`)
}

func TestBodyParsers_AFormIsRefusedWithTheDetailsOfJSON(t *testing.T) {
	app, _ := startBodyApp(t)
	// Given the same mistakes as a form and as JSON, the 422s are one.
	form := app.Post("/notes", []byte("title=much+too+long+a+title&count=9&color=red"), "Content-Type", formType)
	js := app.Post("/notes", `{"title":"much too long a title","count":9,"color":"red"}`)
	if form.Status != 422 || form.Text() != js.Text() {
		t.Errorf("form answered %d %s\njson answered %d %s", form.Status, form.Text(), js.Status, js.Text())
	}
	// A number that is not one is a type detail, as in JSON.
	resp := app.Post("/notes", []byte("title=a&count=many"), "Content-Type", formType)
	checkEnvelope(t, resp, 422, `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object `+"`details`"+` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"/count","code":"type","message":"must be integer","info":{"type":"integer"}}]}}`)
	// __proto__ is refused in a form as in JSON.
	if resp := app.Post("/notes", []byte("__proto__[x]=1&title=a"), "Content-Type", formType); resp.Status != 400 {
		t.Errorf("__proto__: got %d %s", resp.Status, resp.Text())
	}
}

func TestBodyParsers_A415ListsTheRouteTypes(t *testing.T) {
	app, _ := startBodyApp(t)
	checkEnvelope(t, app.Post("/notes", []byte("<x/>"), "Content-Type", "application/xml"), 415,
		`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type application/xml does not match [application/json,text/csv,application/x-www-form-urlencoded].","code":"UNSUPPORTED_MEDIA_TYPE"}}`)
	// A route restricted by Consumes takes only its types.
	checkEnvelope(t, app.Post("/forms", `{"title":"a"}`), 415,
		`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type application/json does not match [application/x-www-form-urlencoded].","code":"UNSUPPORTED_MEDIA_TYPE"}}`)
	checkEnvelope(t, app.Post("/forms", []byte("title=a"), "Content-Type", formType), 200,
		`{"title":"a","count":0,"tags":null,"done":false}`)
	checkEnvelope(t, app.Post("/text", []byte("hi"), "Content-Type", "application/json"), 415,
		`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type application/json does not match [text/*].","code":"UNSUPPORTED_MEDIA_TYPE"}}`)
}

func TestBodyParsers_ARegisteredParserReadsItsType(t *testing.T) {
	app, _ := startBodyApp(t)
	resp := app.Post("/rows", []byte("name,count\na,1\nb,2\n"), "Content-Type", "text/csv")
	checkEnvelope(t, resp, 200, `[{"name":"a","count":1},{"name":"b","count":2}]`)
	// Its rows are validated as JSON's are.
	resp = app.Post("/rows", []byte("name,count\n,x\n"), "Content-Type", "text/csv; charset=utf-8")
	if resp.Status != 422 || !strings.Contains(resp.Text(), `"path":"/0/count","code":"type"`) {
		t.Errorf("got %d %s", resp.Status, resp.Text())
	}
	// What it cannot parse is a 400 naming it.
	resp = app.Post("/rows", []byte("name,count\n\"a,1\n"), "Content-Type", "text/csv")
	if resp.Status != 400 || !strings.Contains(resp.Text(), "The csv body cannot be parsed") {
		t.Errorf("got %d %s", resp.Status, resp.Text())
	}
}

func TestBodyParsers_TextIsAString(t *testing.T) {
	app, _ := startBodyApp(t)
	checkEnvelope(t, app.Post("/text", []byte("héllo"), "Content-Type", "text/plain; charset=utf-8"), 200, "HÉLLO")
	checkEnvelope(t, app.Post("/text", []byte("a,b"), "Content-Type", "text/csv"), 200, "A,B")
	resp := app.Post("/text", []byte(""), "Content-Type", "text/plain")
	checkEnvelope(t, resp, 400, `{"error":{"statusCode":400,"name":"BadRequestError","message":"Request body is required","code":"MISSING_REQUIRED_PARAMETER"}}`)
	if resp := app.Post("/text", []byte("x"), "Content-Type", "text/plain; charset=latin1"); resp.Status != 415 {
		t.Errorf("latin1: got %d %s", resp.Status, resp.Text())
	}
}

func TestBodyParsers_RawIsBytesUnderTheLimit(t *testing.T) {
	app, _ := startBodyApp(t)
	checkEnvelope(t, app.Post("/raw", []byte("0123456789abcdef"), "Content-Type", "image/png"), 200, `{"bytes":16}`)
	checkEnvelope(t, app.Post("/raw", []byte("0123456789abcdefg"), "Content-Type", "image/png"), 413,
		`{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`)
}

func TestBodyParsers_AStreamIsReadByTheHandlerUnderTheLimit(t *testing.T) {
	app, _ := startBodyApp(t)
	checkEnvelope(t, app.Post("/stream", bytes.Repeat([]byte("x"), 1000), "Content-Type", "application/octet-stream"), 200, `{"bytes":1000}`)
	// A declared length over the limit is refused before the handler runs.
	checkEnvelope(t, app.Post("/stream", bytes.Repeat([]byte("x"), 1001)), 413,
		`{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`)
	// A chunked body over the limit fails the handler's read with the 413.
	chunked := io.MultiReader(strings.NewReader(strings.Repeat("y", 600)), strings.NewReader(strings.Repeat("y", 600)))
	checkEnvelope(t, app.Post("/stream", struct{ io.Reader }{chunked}), 413,
		`{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`)
}

// multipartBody is a form of fields (name, value pairs) and files
// (field, filename, content triples).
func multipartBody(t *testing.T, fields []string, files ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
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
	return buf.Bytes(), w.FormDataContentType()
}

func TestBodyParsers_AMultipartFormStoresItsFilesOnDiskForTheRequest(t *testing.T) {
	app, c := startBodyApp(t)
	body, ct := multipartBody(t, []string{"note", "hi"}, "file", "a.txt", "hello", "file", "../../b.bin", "0123456789")
	resp := app.Post("/upload", body, "Content-Type", ct)
	checkEnvelope(t, resp, 200, `{"fields":{"note":["hi"]},"files":[`+
		`{"fieldname":"file","originalname":"a.txt","encoding":"7bit","mimetype":"application/octet-stream","size":5},`+
		`{"fieldname":"file","originalname":"b.bin","encoding":"7bit","mimetype":"application/octet-stream","size":10}],`+
		`"read":{"a.txt":5,"b.bin":10}}`)
	// The temporary files are removed once the request is over.
	c.mu.Lock()
	temps := append([]string(nil), c.temps...)
	c.mu.Unlock()
	if len(temps) != 2 {
		t.Fatalf("the handler saw %d files", len(temps))
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, p := range temps {
		for {
			if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still exists", p)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func TestBodyParsers_AMultipartFormOverItsLimitsIs413(t *testing.T) {
	app, _ := startBodyApp(t)
	cases := []struct {
		name   string
		fields []string
		files  []string
		code   string
	}{
		{"a file too large", nil, []string{"f", "big", strings.Repeat("x", 101)}, "LIMIT_FILE_SIZE"},
		{"too many files", nil, []string{"f", "1", "a", "f", "2", "b", "f", "3", "c"}, "LIMIT_FILE_COUNT"},
		{"too many fields", []string{"a", "1", "b", "2", "c", "3"}, nil, "LIMIT_FIELD_COUNT"},
		{"a field too long", []string{"a", "01234567890"}, nil, "LIMIT_FIELD_VALUE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, tc.fields, tc.files...)
			resp := app.Post("/upload", body, "Content-Type", ct)
			if resp.Status != 413 || !strings.Contains(resp.Text(), `"code":"`+tc.code+`"`) {
				t.Errorf("got %d %s", resp.Status, resp.Text())
			}
		})
	}
	resp := app.Post("/upload", []byte("--x\r\nnot a part"), "Content-Type", "multipart/form-data; boundary=x")
	if resp.Status != 400 {
		t.Errorf("malformed: got %d %s", resp.Status, resp.Text())
	}
}

func TestBodyParsers_TheAPIDocumentListsEachRouteTypes(t *testing.T) {
	app, _ := startBodyApp(t)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(app.Get("/openapi.json").Body, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/notes":  "application/json,application/x-www-form-urlencoded,text/csv",
		"/forms":  "application/x-www-form-urlencoded",
		"/text":   "text/*",
		"/raw":    "*/*",
		"/stream": "*/*",
		"/upload": "multipart/form-data",
	}
	for path, types := range want {
		content := doc.Paths[path]["post"].RequestBody.Content
		var got []string
		for _, mt := range strings.Split(types, ",") {
			if _, ok := content[mt]; ok {
				got = append(got, mt)
			}
		}
		if len(got) != len(content) || strings.Join(got, ",") != types {
			t.Errorf("%s: content %v, want %s", path, content, types)
		}
	}
	if s := doc.Paths["/raw"]["post"].RequestBody.Content["*/*"].Schema; s["format"] != "binary" {
		t.Errorf("raw schema %v", s)
	}
	if s := doc.Paths["/text"]["post"].RequestBody.Content["text/*"].Schema; s["type"] != "string" || s["format"] != nil {
		t.Errorf("text schema %v", s)
	}
}
