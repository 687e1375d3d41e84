package params

import (
	"strings"
	"testing"
)

type bulkInput struct {
	Where  map[string]any `query:"where"`
	Filter map[string]any `query:"filter"`
	Data   struct {
		Title string `json:"title"`
	} `body:"json"`
}

type noQueryInput struct {
	Data struct {
		Title string `json:"title"`
	} `body:"json"`
}

// A decoder that refuses unknown query parameters names the first one,
// accepts its own in every form, and one that does not ignores them.
func TestRefuseUnknownQuery(t *testing.T) {
	d := mustCompile[bulkInput](t, Options{RefuseUnknownQuery: true})
	for _, ok := range []string{"/t", `/t?where={"id":5}`, "/t?where[id]=5&filter[limit]=1", "/t?where[or][0][id]=1&&"} {
		if _, err := decode[bulkInput](t, d, req("PATCH", ok, "", `{"title":"x"}`), nil); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	_, err := decode[bulkInput](t, d, req("PATCH", "/t?where[id]=5&id=5", "", `{"title":"x"}`), nil)
	checkErr(t, err, wantErr{Status: 400, Name: "BadRequestError", Code: CodeUnknownQueryParameter,
		Message: `Unknown query parameter "id": this operation changes every instance its parameters select, so it refuses a parameter ` +
			`it does not declare rather than ignore it (it declares "where", "filter").`,
		Details: `{"parameter":"id"}`})
	_, err = decode[bulkInput](t, d, req("PATCH", "/t?wHere[id]=5", "", `{"title":"x"}`), nil)
	checkErr(t, err, wantErr{Status: 400, Name: "BadRequestError", Code: CodeUnknownQueryParameter, Message: "*", Details: `{"parameter":"wHere"}`})

	// A route without query parameters refuses every one; a long name
	// is cut in the message.
	d = mustCompile[noQueryInput](t, Options{RefuseUnknownQuery: true})
	_, err = decode[noQueryInput](t, d, req("DELETE", "/t?"+strings.Repeat("a", 5000)+"=1", "", `{}`), nil)
	checkErr(t, err, wantErr{Status: 400, Name: "BadRequestError", Code: CodeUnknownQueryParameter,
		Message: `Unknown query parameter "` + strings.Repeat("a", 32) + `…": this operation changes every instance its parameters select, ` +
			`so it refuses a parameter it does not declare rather than ignore it.`,
		Details: `{"parameter":"` + strings.Repeat("a", 32) + `…"}`})

	d = mustCompile[bulkInput](t, Options{})
	if _, err := decode[bulkInput](t, d, req("PATCH", "/t?id=5", "", `{"title":"x"}`), nil); err != nil {
		t.Errorf("without RefuseUnknownQuery: %v", err)
	}
}
