package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

type checkedTodo struct {
	ID    int     `json:"id,omitempty" loom:"id,generated"`
	Title string  `json:"title" validate:"required"`
	Desc  *string `json:"desc,omitempty"`
}

// TestABlankRequiredPropertyIsJugglersValidationError: a create or a
// replace with a required string "" answers as LoopBack's juggler does,
// before the id is looked up.
func TestABlankRequiredPropertyIsJugglersValidationError(t *testing.T) {
	ctx := context.Background()
	todos, err := repository.NewCrudRepository[checkedTodo, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"create":  func() error { _, err := todos.Create(ctx, checkedTodo{}); return err },
		"replace": func() error { return todos.ReplaceByID(ctx, 99, checkedTodo{}) },
	} {
		err := call()
		var ve *repository.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: got %v, want a ValidationError", name, err)
		}
		if want := "The `checkedTodo` instance is not valid. Details: `title` can't be blank (value: \"\")."; err.Error() != want {
			t.Errorf("%s: message %q\nwant %q", name, err.Error(), want)
		}
		if ve.StatusCode() != 422 || ve.ErrorName() != "ValidationError" || ve.ErrorCode() != "VALIDATION_FAILED" {
			t.Errorf("%s: %d %s %s", name, ve.StatusCode(), ve.ErrorName(), ve.ErrorCode())
		}
		raw, _ := json.Marshal(ve.ErrorDetails())
		if want := `{"context":"checkedTodo","codes":{"title":["presence"]},"messages":{"title":["can't be blank"]}}`; string(raw) != want {
			t.Errorf("%s: details %s\nwant %s", name, raw, want)
		}
	}
	// Blank is "", not white space, as juggler's presence check.
	if _, err := todos.Create(ctx, checkedTodo{Title: "  "}); err != nil {
		t.Fatal(err)
	}
}

func TestValidationErrorWritesJugglersValues(t *testing.T) {
	err := &repository.ValidationError{Model: "Todo", Details: []repository.Detail{
		{Path: "/title", Code: repository.CodePresence, Message: "can't be blank", Info: map[string]any{"value": nil}},
		{Path: "/rank", Code: repository.CodeNumericality, Message: "is not a number", Info: map[string]any{"value": json.RawMessage(`"x"`)}},
		{Path: "/rank", Code: repository.CodeLength, Message: "is too long", Info: map[string]any{"value": json.RawMessage(`"x"`)}},
	}}
	want := "The `Todo` instance is not valid. Details: `title` can't be blank (value: undefined);" +
		" `rank` is not a number (value: \"x\"); `rank` is too long (value: \"x\")."
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err.Error(), want)
	}
	raw, _ := json.Marshal(err.ErrorDetails())
	if want := `{"context":"Todo","codes":{"rank":["numericality","length"],"title":["presence"]},"messages":{"rank":["is not a number","is too long"],"title":["can't be blank"]}}`; string(raw) != want {
		t.Errorf("details %s", raw)
	}
	// AJV's details, without a value, stay a list.
	ajv := &repository.ValidationError{Model: "Todo", Details: []repository.Detail{
		{Path: "/title", Code: "format", Message: "must match format \"email\"", Info: map[string]any{"format": "email"}}}}
	if _, ok := ajv.ErrorDetails().([]repository.Detail); !ok {
		t.Errorf("AJV details: %T", ajv.ErrorDetails())
	}
}
