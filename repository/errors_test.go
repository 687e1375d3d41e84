package repository_test

import (
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestEntityNotFoundReadsAsLoopBacksError(t *testing.T) {
	// given a missing id, numeric or text
	err := error(&repository.EntityNotFoundError{Model: "Todo", ID: 7})
	wrapped := fmt.Errorf("find: %w", &repository.EntityNotFoundError{Model: "Note", ID: "x"})

	// then the message, status, code and name are LoopBack's
	nf := err.(*repository.EntityNotFoundError)
	if err.Error() != "Entity not found: Todo with id 7" || nf.StatusCode() != 404 ||
		nf.ErrorCode() != "ENTITY_NOT_FOUND" || nf.ErrorName() != "Error" {
		t.Fatalf("got %q %d %s %s", err, nf.StatusCode(), nf.ErrorCode(), nf.ErrorName())
	}
	if !repository.IsNotFound(wrapped) || wrapped.Error() != `find: Entity not found: Note with id "x"` {
		t.Fatalf("wrapped: %v", wrapped)
	}
}

func TestValidationErrorListsEachProperty(t *testing.T) {
	err := &repository.ValidationError{Model: "Todo", Details: []repository.Detail{
		{Path: "/title", Message: "can't be blank"},
		{Info: map[string]any{"additionalProperty": "nope"}, Message: "must NOT have additional properties"},
	}}
	want := "The `Todo` instance is not valid. Details: `title` can't be blank; `nope` must NOT have additional properties."
	if err.Error() != want || err.StatusCode() != 422 {
		t.Fatalf("got %q", err)
	}
}

func TestFilterErrorDetailIsAJSONPointer(t *testing.T) {
	err := &repository.FilterError{Path: "where.and[1].title", Message: "x", Keyword: "type"}
	d := err.ErrorDetails().([]repository.Detail)[0]
	if d.Path != "/where/and/1/title" || err.ErrorCode() != repository.CodeInvalidFilter {
		t.Fatalf("got %+v %s", d, err.ErrorCode())
	}
}
