package repository_test

import (
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestSetDefaultLimitsKeepsBuiltinsForZeroFields(t *testing.T) {
	before := repository.DefaultLimits()
	t.Cleanup(func() { repository.SetDefaultLimits(before) })

	repository.SetDefaultLimits(repository.Limits{MaxInq: 2})
	got := repository.DefaultLimits()
	if got.MaxInq != 2 || got.MaxDepth != before.MaxDepth || got.MaxPattern != before.MaxPattern {
		t.Fatalf("got %+v", got)
	}
	var w repository.Where[Todo]
	if err := w.UnmarshalJSON([]byte(`{"id":{"inq":[1,2,3]}}`)); err == nil {
		t.Fatal("an inq of 3 passed a cap of 2")
	}
}

type cappedTodo struct {
	ID int `json:"id" loom:"id"`
}

func (cappedTodo) FilterLimits() repository.Limits { return repository.Limits{MaxInq: 1} }

func TestAModelSetsItsOwnLimits(t *testing.T) {
	var w repository.Where[cappedTodo]
	if err := w.UnmarshalJSON([]byte(`{"id":{"inq":[1,2]}}`)); err == nil {
		t.Fatal("an inq of 2 passed the model's cap of 1")
	}
}
