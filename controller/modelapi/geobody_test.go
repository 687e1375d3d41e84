package modelapi_test

import (
	"strings"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// Place has a GeoPoint, whose own decoding refuses a point out of range.
type Place struct {
	ID       int                  `json:"id,omitempty" loom:"id,generated"`
	Name     string               `json:"name"`
	Location *repository.GeoPoint `json:"location,omitempty"`
}

func TestAGeoPointOutOfRangeInABodyIsA422OnItsProperty(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Place, int](modelapi.Path("/api/Places")))
	for body, msg := range map[string]string{
		`{"name":"x","location":{"lat":100,"lng":1}}`: "lat must be <= 90",
		`{"name":"x","location":"abc"}`:               "lat,lng",
	} {
		r := a.Post("/api/Places", strings.NewReader(body), "Content-Type", "application/json")
		text := r.Text()
		if r.Status != 422 || !strings.Contains(text, `"name":"ValidationError"`) || !strings.Contains(text, `"location"`) ||
			!strings.Contains(text, msg) || strings.Contains(text, "repository:") {
			t.Errorf("POST %s = %d %s, want a 422 ValidationError on location saying %q", body, r.Status, text, msg)
		}
	}
}
