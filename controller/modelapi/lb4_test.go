package modelapi_test

import (
	"fmt"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/rest"
)

func TestLoopBack4Conventions(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Tag, int](modelapi.Conventions(modelapi.LoopBack4)))
	tag := object(t, a.Post("/tags", map[string]any{"name": "wifi"}), 200)
	id := idOf(t, tag)
	path := fmt.Sprintf("/tags/%d", id)
	t.Run("PATCH, PUT and DELETE by id answer 204", func(t *testing.T) {
		for _, r := range []struct {
			method string
			body   any
		}{{"PATCH", map[string]any{"name": "wifi6"}}, {"PUT", map[string]any{"name": "wifi7"}}} {
			if res := a.Do(r.method, path, r.body); res.Status != 204 {
				t.Errorf("%s: %d %s", r.method, res.Status, res.Body)
			}
		}
		if got := object(t, a.Get(path), 200); got["name"] != "wifi7" {
			t.Errorf("stored %v", got)
		}
		if res := a.Delete(path); res.Status != 204 {
			t.Errorf("DELETE: %d %s", res.Status, res.Body)
		}
	})
	t.Run("errors are LoopBack 4's", func(t *testing.T) {
		e := object(t, a.Get(path), 404)["error"].(map[string]any)
		if e["code"] != "ENTITY_NOT_FOUND" || e["message"] != fmt.Sprintf("Entity not found: Tag with id %d", id) {
			t.Errorf("got %v", e)
		}
		if r := a.Post("/tags", map[string]any{}); r.Status != 422 {
			t.Errorf("invalid create: %d %s", r.Status, r.Body)
		}
	})
	t.Run("PATCH / updates all and answers the count; GET /count counts", func(t *testing.T) {
		object(t, a.Post("/tags", map[string]any{"name": "a"}), 200)
		object(t, a.Post("/tags", map[string]any{"name": "b"}), 200)
		if got := object(t, a.Patch("/tags", map[string]any{"name": "c"}), 200); got["count"] != float64(2) {
			t.Errorf("updateAll %v", got)
		}
		if got := object(t, a.Get("/tags/count?where[name]=c"), 200); got["count"] != float64(2) {
			t.Errorf("count %v", got)
		}
	})
	t.Run("LoopBack 3's extra endpoints are not there", func(t *testing.T) {
		if r := a.Get("/tags/findOne"); r.Status == 200 {
			t.Errorf("findOne: %d", r.Status)
		}
	})
}
