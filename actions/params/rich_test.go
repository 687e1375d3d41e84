package params

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller/httperr"
)

// strictFilter refuses some input with a code and details of its own, as
// a repository's filter type does.
type strictFilter struct{ Limit int }

type filterErr struct {
	code    string
	details any
}

func (e filterErr) Error() string     { return "bad filter" }
func (e filterErr) ErrorCode() string { return e.code }
func (e filterErr) ErrorDetails() any { return e.details }

func (f *strictFilter) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if _, ok := raw["$gt"]; ok {
		return filterErr{code: "OPERATOR_NOT_ALLOWED_IN_QUERY"}
	}
	if raw["limit"] == "0" || raw["limit"] == json.Number("0") || raw["limit"] == float64(0) {
		return filterErr{details: []map[string]any{{"path": "/limit", "code": "minimum"}}}
	}
	if _, ok := raw["plain"]; ok {
		return errors.New("plain failure")
	}
	return nil
}

func TestObjectParam_UnmarshalerErrorsKeepTheirCodeAndDetails(t *testing.T) {
	type in struct {
		Filter strictFilter `query:"filter"`
	}
	dec, err := Compile(reflect.TypeFor[in](), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query, code, details string
	}{
		{`filter={"$gt":1}`, "OPERATOR_NOT_ALLOWED_IN_QUERY", ""},
		{`filter[limit]=0`, "INVALID_PARAMETER_VALUE", `"path":"/limit"`},
		{`filter={"limit":0}`, "INVALID_PARAMETER_VALUE", `"code":"minimum"`},
		{`filter={"plain":1}`, "INVALID_PARAMETER_VALUE", `"message":"plain failure"`},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/?"+strings.NewReplacer("{", "%7B", "}", "%7D", `"`, "%22").Replace(c.query), nil)
		err := dec.Decode(r, nil, new(in))
		var he *httperr.Error
		if !errors.As(err, &he) || he.StatusCode() != 400 || he.ErrorCode() != c.code {
			t.Errorf("%s: err = %v (%T)", c.query, err, err)
			continue
		}
		b, _ := json.Marshal(he.ErrorDetails())
		if !strings.Contains(string(b), c.details) {
			t.Errorf("%s: details %s lack %s", c.query, b, c.details)
		}
	}
}

// partial is a body type that checks itself, as a repository's Patch does.
type partial map[string]any

func (p *partial) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if _, ok := m["color"]; ok {
		return filterErr{code: "VALIDATION_FAILED", details: []map[string]any{
			{"path": "", "code": "additionalProperties", "info": map[string]any{"additionalProperty": "color"}}}}
	}
	*p = m
	return nil
}

func TestBody_UnmarshalerErrorsWithDetailsAreThe422sDetails(t *testing.T) {
	type in struct {
		Patch partial `body:"json"`
	}
	dec, err := Compile(reflect.TypeFor[in](), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("PATCH", "/", strings.NewReader(`{"color":"red"}`))
	r.Header.Set("Content-Type", "application/json")
	err = dec.Decode(r, nil, new(in))
	var he *httperr.Error
	if !errors.As(err, &he) || he.StatusCode() != 422 || he.ErrorCode() != "VALIDATION_FAILED" {
		t.Fatalf("err = %v", err)
	}
	if b, _ := json.Marshal(he.ErrorDetails()); !strings.Contains(string(b), `"additionalProperty":"color"`) {
		t.Errorf("details = %s", b)
	}
}
