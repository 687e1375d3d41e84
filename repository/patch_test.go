package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

func TestPatchTellsAbsentFromZero(t *testing.T) {
	// given a PATCH body setting false and leaving the title out
	var p repository.Patch[Todo]
	if err := json.Unmarshal([]byte(`{"isComplete":false}`), &p); err != nil {
		t.Fatal(err)
	}

	// then the patch holds isComplete only
	if !p.Has("isComplete") || p.Has("title") || len(p.Props()) != 1 {
		t.Fatalf("props %v", p.Props())
	}
	if b, _ := json.Marshal(p); string(b) != `{"isComplete":false}` {
		t.Fatalf("patch writes %s", b)
	}
}

func TestPatchRejectsWhatTheModelCannotHold(t *testing.T) {
	for _, in := range []string{`{"nope":1}`, `{"priority":"high"}`, `{"title":null}`, `[1]`} {
		var p repository.Patch[Todo]
		err := json.Unmarshal([]byte(in), &p)
		var ve *repository.ValidationError
		if !errors.As(err, &ve) || ve.StatusCode() != 422 || ve.ErrorCode() != repository.CodeValidationFailed {
			t.Errorf("given %s: got %v, want a 422 ValidationError", in, err)
		}
	}
}

func TestABlankRequiredPropertyIsRefusedWhenThePatchIsUsed(t *testing.T) {
	// given a patch blanking the required title: of the right type, so
	// decoded, and refused by the repository as juggler's presence
	var p repository.Patch[Todo]
	if err := json.Unmarshal([]byte(`{"title":""}`), &p); err != nil {
		t.Fatal(err)
	}
	repo, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.UpdateAll(context.Background(), p, nil)
	want := "The `Todo` instance is not valid. Details: `title` can't be blank (value: \"\")."
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestPatchOfAndSetBuildPatchesInCode(t *testing.T) {
	p := repository.PatchOf[Todo](map[string]any{"isComplete": true}).Set("desc", "done")
	if b, _ := json.Marshal(p); string(b) != `{"desc":"done","isComplete":true}` {
		t.Fatalf("got %s", b)
	}
}

type patchAddress struct {
	City string `json:"city" validate:"required,min=2"`
	Zip  string `json:"zip,omitempty" validate:"omitempty,len=4"`
}

type patchTodo struct {
	ID         int             `json:"id,omitempty" loom:"id,generated"`
	Title      string          `json:"title" validate:"required,max=5"`
	Desc       *string         `json:"desc,omitempty"`
	IsComplete *bool           `json:"isComplete,omitempty"`
	Tags       []string        `json:"tags,omitempty" validate:"dive,min=2"`
	Address    *patchAddress   `json:"address,omitempty"`
	Tag        any             `json:"tag,omitempty"`
	Raw        json.RawMessage `json:"raw,omitempty"`
	Secret     string          `json:"-" loom:"hidden"`
}

// patchDetails decodes in as a Patch[patchTodo] and returns its details
// as JSON, or "ok".
func patchDetails(t *testing.T, in string) string {
	t.Helper()
	var p repository.Patch[patchTodo]
	err := json.Unmarshal([]byte(in), &p)
	if err == nil {
		return "ok"
	}
	var ve *repository.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("given %s: got %v, want a ValidationError", in, err)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ve.Details); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestPatchIsStrictAtEveryDepth(t *testing.T) {
	tests := []struct{ in, want string }{
		// encoding/json would fold CITY into city and store it raw
		{`{"address":{"CITY":"Oslo"}}`, `[{"path":"/address","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"CITY"}},{"path":"/address","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`},
		{`{"address":{"city":"Oslo","isAdmin":true}}`, `[{"path":"/address","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"isAdmin"}}]`},
		{`{"Title":"x"}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"Title"}}]`},
		{`{"secret":"x"}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"secret"}}]`},
		{`{"desc":"a","desc":"b"}`, `[{"path":"","code":"duplicateProperty","message":"must NOT have duplicate property 'desc'","info":{"duplicateProperty":"desc"}}]`},
		{`{"address":{"city":"Oslo","city":"Rome"}}`, `[{"path":"/address","code":"duplicateProperty","message":"must NOT have duplicate property 'city'","info":{"duplicateProperty":"city"}}]`},
		{"{\"desc\":\"\xff\"}", `[{"path":"","code":"format","message":"must be valid UTF-8 text","info":{}}]`},
		// the nested rules run, with the body decoder's details, all at once
		{`{"title":"toolong","tags":["a","bb"],"address":{"city":"O","zip":"1"}}`, `[{"path":"/title","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}},{"path":"/tags/0","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},{"path":"/address/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},{"path":"/address/zip","code":"minLength","message":"must NOT have fewer than 4 characters","info":{"limit":4}}]`},
		// a nested object given is checked whole; the top level is partial
		{`{"address":{"zip":"0150"}}`, `[{"path":"/address","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`},
		{`{"address":{"city":"Oslo"}}`, `ok`},
		// messages speak JSON, never Go
		{`{"tags":[1e999],"isComplete":"yes"}`, `[{"path":"/tags/0","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`},
	}
	for _, tc := range tests {
		if got := patchDetails(t, tc.in); got != tc.want {
			t.Errorf("given %s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestPatchNullIsATypeErrorForTypedPropertiesAndAValueForAny(t *testing.T) {
	// given null for typed properties, pointers included, as LoopBack answers
	for in, want := range map[string]string{
		`{"desc":null}`:       `[{"path":"/desc","code":"type","message":"must be string","info":{"type":"string"}}]`,
		`{"isComplete":null}`: `[{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`,
		`{"title":null}`:      `[{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`,
	} {
		if got := patchDetails(t, in); got != want {
			t.Errorf("given %s:\n got %s\nwant %s", in, got, want)
		}
	}

	// given null for properties of type any and json.RawMessage
	var p repository.Patch[patchTodo]
	if err := json.Unmarshal([]byte(`{"tag":null,"raw":null}`), &p); err != nil {
		t.Fatal(err)
	}
	// then null is a value the patch keeps
	if b, _ := json.Marshal(p); string(b) != `{"raw":null,"tag":null}` {
		t.Fatalf("patch writes %s", b)
	}
	// and hands to the connector as a null to store, not a removal
	if d := p.Data(); string(d["tag"]) != "null" || string(d["raw"]) != "null" {
		t.Fatalf("data %q", d)
	}
}

func TestPatchUnsetRemovesAPropertyInCode(t *testing.T) {
	p := repository.PatchOf[patchTodo](map[string]any{"desc": "x"}).Unset("desc").Set("tag", nil)
	if !p.Has("desc") || !p.Has("tag") {
		t.Fatalf("props %v", p.Props())
	}
	// an unset property is an empty value in Data, which connectors remove
	d := p.Data()
	if _, ok := d["desc"]; !ok || len(d["desc"]) != 0 || len(d["tag"]) != 0 {
		t.Fatalf("data %q", d)
	}
	if u := p.Unsets(); len(u) != 2 || u[0] != "desc" || u[1] != "tag" {
		t.Fatalf("unsets %v", u)
	}

}
