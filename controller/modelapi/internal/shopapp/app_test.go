package shopapp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to make and drop test schemas

	"github.com/loomhq/loom/controller/modelapi/internal/shopapp"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest/resttest"
)

// store is one of the stores the application runs on in the tests.
type store struct {
	name   string
	url    string
	schema string
}

// stores are the memory store, a SQLite file and, with
// LOOM_TEST_POSTGRES_URL, a PostgreSQL schema of the test's own.
func stores(t *testing.T) []store {
	t.Helper()
	out := []store{
		{name: "memory"},
		{name: "sqlite", url: "sqlite:" + filepath.Join(t.TempDir(), "shop.db")},
	}
	if pg := os.Getenv("LOOM_TEST_POSTGRES_URL"); pg != "" {
		out = append(out, store{name: "postgres", url: pg, schema: pgSchema(t, pg)})
	} else {
		t.Log("PostgreSQL skipped: set LOOM_TEST_POSTGRES_URL (postgres://user@host/db) to run on it too")
	}
	return out
}

// pgSchema creates a schema for the test, dropped when it ends.
func pgSchema(t *testing.T, url string) string {
	t.Helper()
	return sqltest.Schema(t, url, "shoptest")
}

func start(t *testing.T, s store) *resttest.App {
	t.Helper()
	app, err := shopapp.New(shopapp.Config{DatabaseURL: s.url, Schema: s.schema})
	if err != nil {
		t.Fatal(err)
	}
	return resttest.Adopt(t, app)
}

// suiteCases are the cases of LoopBack 3's Coffee Shop suite that the
// application serves: every case but those that sign up or log in a
// Reviewer, LoopBack 3's User, which this application does not have.
var suiteCases = []string{
	"create_returns_200_with_generated_id", "create_echoes_only_sent_properties", "create_array_body_returns_array",
	"create_empty_array_returns_empty_array", "create_coerces_numeric_string", "create_malformed_json_400",
	"find_by_id_returns_instance", "find_by_id_missing_404", "head_existing_200_empty", "head_missing_404_empty",
	"exists_false_for_missing", "upsert_put_without_id_creates", "upsert_put_unknown_id_404",
	"upsert_patch_without_id_creates", "upsert_patch_unknown_id_404", "upsert_patch_validates_422",
	"replace_or_create_with_id_replaces", "replace_or_create_unknown_id_404", "upsert_with_where_updates_single_match",
	"upsert_with_where_multiple_matches_400", "replace_by_id_missing_404", "replace_by_id_post_replace_route",
	"replace_by_id_changed_id_400", "patch_by_id_merges", "patch_by_id_missing_404", "patch_by_id_changed_id_400",
	"delete_by_id_returns_count", "delete_by_id_missing_count_0", "update_all_returns_count", "update_all_exploded_where",
	"count_with_where", "count_exploded_where", "find_one_no_match_404", "tag_find_lists_seed_tags",
	"find_filter_json_where", "find_filter_exploded_percent_encoded_brackets", "find_default_order_is_id_ascending",
	"find_order_exploded_asc", "find_order_without_direction_is_asc", "find_order_invalid_direction_400", "find_limit",
	"find_offset_is_skip_alias", "find_limit_numeric_string_in_json", "find_limit_negative_400", "find_skip_invalid_400",
	"find_fields_array_json", "find_fields_exploded_repeated", "find_malformed_filter_json_400",
	"find_filter_json_not_object_400", "find_by_id_malformed_filter_400", "count_malformed_where_400",
	"where_equality_shorthand", "where_eq", "where_neq_string_includes_missing", "where_gt", "where_lt", "where_lte",
	"where_inq", "where_nin", "where_like_percent_wildcard", "where_like_underscore_wildcard", "where_nlike",
	"where_ilike", "where_regexp_string", "where_regexp_with_flags", "where_neq_null", "where_or",
	"where_multiple_keys_are_anded", "where_string_value_coerced_to_number", "where_exploded_inq_repeated_key",
	"where_exploded_between_indexed", "where_between_needs_two_values_400", "where_inq_not_array_400",
	"near_max_distance_kilometers", "near_default_unit_is_miles", "near_unit_degrees", "near_min_distance",
	"near_exploded_query", "near_with_skip_and_limit", "include_seed_tags", "rel_find_reviews_unknown_shop_404",
	"rel_count_reviews_unknown_shop_404", "rel_belongs_to_unknown_review_404", "habtm_link_returns_through_record",
	"habtm_link_is_idempotent", "habtm_exists_head", "habtm_unlink_204", "habtm_get_linked_by_fk",
	"habtm_get_unlinked_by_fk_404", "habtm_join_model_not_exposed_404", "coffee_shop_writes_open_to_anonymous",
	"status_open_hours", "status_without_hour_uses_server_clock", "status_hour_out_of_range_400",
	"status_hour_not_a_number_400", "status_hour_leading_zero_coerced", "nearby_orders_by_distance",
	"nearby_default_max_50km", "nearby_here_as_string", "nearby_here_as_json", "nearby_missing_here_400",
	"nearby_invalid_lat_400", "nearby_incomplete_point_400", "nearby_max_not_a_number_400", "hook_x_hook_on_204_unlink",
	"hook_no_x_hook_on_static_methods", "hook_x_result_count_on_find", "hook_x_result_count_only_on_find",
	"error_unknown_method_on_model_404", "error_api_root_404", "error_production_envelope_keys", "error_nosniff_header",
	"root_status_document", "seed_coffee_shops", "validation_uniqueness_on_update", "validation_uniqueness_own_name_ok",
	"validation_length_max_422", "validation_length_bounds_inclusive", "validation_null_name", "validation_empty_name",
	"validation_inclusion_allows_listed_blank_and_null", "validation_multiple_properties", "validation_replace_by_id_422",
}

// suitePath finds LoopBack 3's Coffee Shop suite: $LOOM_SHARED, else the
// shared folder beside the repository's root.
func suitePath(t *testing.T) string {
	t.Helper()
	const rel = "conformance/coffee-shop/lb3_conformance.py"
	if dir := os.Getenv("LOOM_SHARED"); dir != "" {
		return filepath.Join(dir, rel)
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", rel)
		}
	}
	return rel
}

var summary = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`)

// TestLB3Suite runs LoopBack 3's Coffee Shop suite against the application
// on every store: each case it runs must pass as it passes against
// LoopBack 3.
func TestLB3Suite(t *testing.T) {
	suite := suitePath(t)
	if _, err := os.Stat(suite); err != nil {
		t.Skipf("LoopBack 3's Coffee Shop suite is not at %s: set LOOM_SHARED to the shared folder that holds conformance/coffee-shop", suite)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the Coffee Shop suite needs it")
	}
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			app := start(t, s)
			out, err := exec.CommandContext(t.Context(), python, suite, app.URL(), "--only", strings.Join(suiteCases, ",")).CombinedOutput()
			m := summary.FindSubmatch(out)
			if m == nil {
				t.Fatalf("the suite did not finish (%v):\n%s", err, out)
			}
			if string(m[2]) != "0" || err != nil {
				var failed []string
				for _, line := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(line, "FAIL ") {
						failed = append(failed, line)
					}
				}
				t.Errorf("%s passed, %s failed:\n%s", m[1], m[2], strings.Join(failed, "\n"))
			}
			if n := atoi(m[1]) + atoi(m[2]); n != len(suiteCases) {
				t.Errorf("the suite ran %d cases, want %d", n, len(suiteCases))
			}
		})
	}
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// changeStream opens url's change stream and returns a function that
// reads its next change.
func changeStream(t *testing.T, url string) func() streamChange {
	t.Helper()
	// A change that never arrives fails the test rather than hanging it;
	// the bound is far above any wait a change has.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("change-stream answered %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := bufio.NewReader(resp.Body)
	if line, err := events.ReadString('\n'); err != nil || line != ":ok\n" {
		t.Fatalf("the stream began with %q, %v", line, err)
	}
	return func() streamChange {
		t.Helper()
		event := ""
		for {
			line, err := events.ReadString('\n')
			if err != nil {
				t.Fatalf("the stream ended before the change arrived: %v", err)
			}
			if name, ok := strings.CutPrefix(line, "event: "); ok {
				event = strings.TrimSpace(name)
				continue
			}
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok || event != "data" {
				continue
			}
			var change streamChange
			if err := json.Unmarshal([]byte(data), &change); err != nil {
				t.Fatalf("event data %q: %v", data, err)
			}
			return change
		}
	}
}

// streamChange is one change of a change stream.
type streamChange struct {
	Type   string `json:"type"`
	Target int    `json:"target"`
	Where  struct {
		ID int `json:"id"`
	} `json:"where"`
	Data *struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"data"`
}

// TestChangeStream watches the tags on every store while one is created,
// renamed and deleted.
func TestChangeStream(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			app := start(t, s)
			next := changeStream(t, app.URL()+"/api/Tags/change-stream")
			var tag struct {
				ID int `json:"id"`
			}
			expect(t, app.Post("/api/Tags", map[string]any{"name": "decaf"}), 200, "POST /api/Tags").JSON(t, &tag)
			expect(t, app.Patch(fmt.Sprintf("/api/Tags/%d", tag.ID), map[string]any{"name": "half-caf"}), 200, "PATCH")
			expect(t, app.Delete(fmt.Sprintf("/api/Tags/%d", tag.ID)), 200, "DELETE")
			for _, want := range []struct{ typ, name string }{{"create", "decaf"}, {"update", "half-caf"}, {"remove", ""}} {
				c := next()
				if c.Type != want.typ || c.Target != tag.ID || c.Where.ID != tag.ID {
					t.Fatalf("change %+v, want %s of %d", c, want.typ, tag.ID)
				}
				if want.name != "" && (c.Data == nil || c.Data.Name != want.name || c.Data.ID != tag.ID) {
					t.Fatalf("%s carries %+v, want the tag named %s", c.Type, c.Data, want.name)
				}
				if want.name == "" && c.Data != nil {
					t.Fatalf("remove carries data %+v", c.Data)
				}
			}
		})
	}
}

// TestChangeStreamAcrossInstances runs two instances of the application
// on one PostgreSQL database: a tag created through one arrives on a
// change stream of the other.
func TestChangeStreamAcrossInstances(t *testing.T) {
	pg := os.Getenv("LOOM_TEST_POSTGRES_URL")
	if pg == "" {
		t.Skip("set LOOM_TEST_POSTGRES_URL (postgres://user@host/db) to run the two instances on PostgreSQL")
	}
	s := store{name: "postgres", url: pg, schema: pgSchema(t, pg)}
	one := start(t, s)
	other := start(t, s)
	next := changeStream(t, other.URL()+"/api/Tags/change-stream")

	var tag struct {
		ID int `json:"id"`
	}
	expect(t, one.Post("/api/Tags", map[string]any{"name": "decaf"}), 200, "POST /api/Tags").JSON(t, &tag)
	c := next()
	if c.Type != "create" || c.Target != tag.ID || c.Data == nil || c.Data.Name != "decaf" {
		t.Fatalf("the other instance's stream saw %+v, want the create of tag %d", c, tag.ID)
	}
}
