package params

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller/httperr"
)

func TestFormBody_DeepObjectsAndListsFillTheTypedInput(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	body := "title=milk&count=3&isComplete=1&tags[]=a&tags[]=b&address[city]=Oslo&address[zip]=01234&price=1.25"
	v, err := decode[todoIn](t, d, req("POST", "/todos/7", formMediaType, body), id7)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Title, "milk")
	eq(t, v.Count, int8(3))
	eq(t, v.IsComplete, true)
	eq(t, v.Tags, []string{"a", "b"})
	eq(t, *v.Address, address{City: "Oslo", Zip: "01234"})
	eq(t, v.Price, 1.25)
}

func TestFormBody_MistakesAreTheDetailsOfJSON(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	form := "title=much+too+long&count=-1&address[city]=O&color=red"
	js := `{"title":"much too long","count":-1,"address":{"city":"O"},"color":"red"}`
	_, ferr := decode[todoIn](t, d, req("POST", "/todos/7", formMediaType, form), id7)
	_, jerr := decode[todoIn](t, d, req("POST", "/todos/7", "application/json", js), id7)
	if ferr == nil || !reflect.DeepEqual(httperr.EnvelopeOf(ferr, false), httperr.EnvelopeOf(jerr, false)) {
		t.Errorf("form: %v %s\njson: %v %s", ferr, errDetails(ferr), jerr, errDetails(jerr))
	}
}

func TestFormBody_ItsPairsAreCappedAsTheQueryIs(t *testing.T) {
	d := mustCompile[todoIn](t, Options{MaxQueryParams: 3})
	_, err := decode[todoIn](t, d, req("POST", "/todos/7", formMediaType, "a=1&b=2&c=3&d=4"), id7)
	if httperr.CodeOf(err) != CodeTooManyQueryParameters {
		t.Errorf("got %v", err)
	}
}

func TestConsumes_ATypeNothingReadsFailsCompile(t *testing.T) {
	type in struct {
		Title string `json:"title"`
	}
	_, err := Compile(reflect.TypeFor[in](), Options{Consumes: []string{"text/csv"}})
	if err == nil || !strings.Contains(err.Error(), `consumes "text/csv", which no body parser reads`) {
		t.Errorf("got %v", err)
	}
	type text struct {
		Text string `body:"text"`
	}
	_, err = Compile(reflect.TypeFor[text](), Options{Consumes: []string{"image/png"}})
	if err == nil || !strings.Contains(err.Error(), `which a body:"text" field does not read`) {
		t.Errorf("got %v", err)
	}
	type none struct {
		ID int `query:"id"`
	}
	if _, err := Compile(reflect.TypeFor[none](), Options{Consumes: []string{"text/plain"}}); err == nil {
		t.Error("a route without a body consumes nothing")
	}
}

func TestBodyKinds_WrongFieldTypesFailCompile(t *testing.T) {
	for _, tc := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[struct {
			A []byte `body:"text"`
		}](), `body:"text" wants a string field`},
		{reflect.TypeFor[struct {
			A io.ReadCloser `body:"stream"`
		}](), `body:"stream" wants a io.Reader field`},
		{reflect.TypeFor[struct {
			A Multipart `body:"multipart"`
		}](), `body:"multipart" wants a *params.Multipart field`},
		{reflect.TypeFor[struct {
			A string `body:"text" validate:"max=3"`
		}](), `takes no validate rule but required`},
		{reflect.TypeFor[struct {
			A string `body:"text"`
			B string `json:"b"`
		}](), `two body sources`},
	} {
		if _, err := Compile(tc.t, Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.t, err, tc.want)
		}
	}
}

func TestLimitBody_ExactlyTheLimitPassesOneByteMoreIs413(t *testing.T) {
	n, err := io.Copy(io.Discard, LimitBody(strings.NewReader("12345"), 5))
	if n != 5 || err != nil {
		t.Errorf("at the limit: %d, %v", n, err)
	}
	n, err = io.Copy(io.Discard, LimitBody(strings.NewReader("123456"), 5))
	if n != 5 || httperr.StatusOf(err) != http.StatusRequestEntityTooLarge {
		t.Errorf("over the limit: %d, %v", n, err)
	}
}

func TestMultipart_FilesAreOnDiskUntilRemoved(t *testing.T) {
	type in struct {
		Form *Multipart `body:"multipart"`
	}
	dir := t.TempDir()
	d := mustCompile[in](t, Options{Uploads: UploadLimits{Dir: dir}})
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("doc", `C:\Users\me\a.txt`)
	io.WriteString(fw, "hello")
	w.WriteField("note", "x")
	w.Close()
	v, err := decode[in](t, d, req("POST", "/", w.FormDataContentType(), buf.String()), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	f := v.Form.Files[0]
	eq(t, f.FieldName, "doc")
	eq(t, f.OriginalName, "a.txt")
	eq(t, f.Size, int64(5))
	eq(t, v.Form.Fields, map[string][]string{"note": {"x"}})
	if data, err := os.ReadFile(f.Path()); err != nil || string(data) != "hello" {
		t.Fatalf("on disk: %q %v", data, err)
	}
	v.Form.RemoveAll()
	if _, err := os.Stat(f.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("still there after RemoveAll: %v", err)
	}
}

func BenchmarkDecode_formBody(b *testing.B) {
	d := mustCompile[todoIn](b, Options{})
	const body = "title=milk&count=3&isComplete=1&tags[]=a&address[city]=Oslo"
	b.ReportAllocs()
	for b.Loop() {
		r := req("POST", "/todos/7", formMediaType, body)
		var v todoIn
		if err := d.Decode(r, id7, &v); err != nil {
			b.Fatal(err)
		}
	}
}
