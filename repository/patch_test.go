package repository_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/loomhq/loom/repository"
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
	for _, in := range []string{`{"nope":1}`, `{"priority":"high"}`, `{"title":null}`, `{"title":""}`, `[1]`} {
		var p repository.Patch[Todo]
		err := json.Unmarshal([]byte(in), &p)
		var ve *repository.ValidationError
		if !errors.As(err, &ve) || ve.StatusCode() != 422 || ve.ErrorCode() != repository.CodeValidationFailed {
			t.Errorf("given %s: got %v, want a 422 ValidationError", in, err)
		}
	}
}

func TestPatchOfAndSetBuildPatchesInCode(t *testing.T) {
	p := repository.PatchOf[Todo](map[string]any{"isComplete": true}).Set("desc", "done")
	if b, _ := json.Marshal(p); string(b) != `{"desc":"done","isComplete":true}` {
		t.Fatalf("got %s", b)
	}
}
