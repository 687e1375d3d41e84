package params

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// req builds a request; ctype "-" means no Content-Type header.
func req(method, url, ctype, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	url = strings.NewReplacer(`"`, "%22", " ", "%20").Replace(url)
	r := httptest.NewRequest(method, url, rd)
	if ctype == "" {
		ctype = "application/json"
	}
	if ctype != "-" {
		r.Header.Set("Content-Type", ctype)
	}
	return r
}

func mustCompile[T any](t testing.TB, opts Options) *Decoder {
	t.Helper()
	d, err := Compile(reflect.TypeFor[T](), opts)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return d
}

// decode decodes r into a new T.
func decode[T any](t testing.TB, d *Decoder, r *http.Request, path loomctx.Params) (T, error) {
	t.Helper()
	var v T
	err := d.Decode(r, path, &v)
	return v, err
}

// wantErr is the expected envelope of an error; Details is JSON, "" for
// none, "*" for not checked.
type wantErr struct {
	Status  int
	Name    string
	Code    string
	Message string
	Details string
}

func checkErr(t *testing.T, err error, w wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d %s", w.Status, w.Message)
	}
	var he *httperr.Error
	if !asHTTPErr(err, &he) {
		t.Fatalf("error %T %v is not *httperr.Error", err, err)
	}
	b := httperr.EnvelopeOf(err, false).Error
	if b.StatusCode != w.Status || b.Name != w.Name || b.Code != w.Code || (w.Message != "*" && b.Message != w.Message) {
		t.Errorf("got %d %q %q %q\nwant %d %q %q %q", b.StatusCode, b.Name, b.Code, b.Message, w.Status, w.Name, w.Code, w.Message)
	}
	if w.Details == "*" {
		return
	}
	got := ""
	if b.Details != nil {
		raw, _ := json.Marshal(b.Details)
		got = string(raw)
	}
	if w.Details != "" {
		var norm any
		if e := json.Unmarshal([]byte(w.Details), &norm); e != nil {
			t.Fatalf("bad want details %s: %v", w.Details, e)
		}
		raw, _ := json.Marshal(norm)
		w.Details = string(raw)
		var gn any
		_ = json.Unmarshal([]byte(got), &gn)
		raw, _ = json.Marshal(gn)
		got = string(raw)
	}
	if got != w.Details {
		t.Errorf("details\n got %s\nwant %s", got, w.Details)
	}
}

func asHTTPErr(err error, he **httperr.Error) bool {
	e, ok := err.(*httperr.Error)
	*he = e
	return ok
}

// Shorthands for the expected errors.
func invalid(name, data, details string) wantErr {
	return wantErr{400, "BadRequestError", "INVALID_PARAMETER_VALUE", "Invalid data " + data + " for parameter \"" + name + "\".", details}
}

func missing(name string) wantErr {
	return wantErr{400, "BadRequestError", "MISSING_REQUIRED_PARAMETER", "Required parameter " + name + " is missing!", ""}
}

func failed(details string) wantErr {
	return wantErr{422, "UnprocessableEntityError", "VALIDATION_FAILED", "The request body is invalid. See error object `details` property for more info.", details}
}

func syntaxDetail(msg string) string {
	b, _ := json.Marshal(map[string]string{"syntaxError": msg})
	return string(b)
}

func errorDetails(err error) any { return httperr.DetailsOf(err) }
