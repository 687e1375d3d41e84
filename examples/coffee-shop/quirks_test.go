package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestWhereLoomDiffersFromLB3 pins the answers the README's table "Where
// Loom answers differently from LoopBack 3" gives for the quirks of
// LoopBack 3's Coffee Shop suite: a status and a part of the body each.
func TestWhereLoomDiffersFromLB3(t *testing.T) {
	app := start(t, store{name: "memory"})
	tok := login(t, app, "quirks@example.com")
	var rev struct{ ID int }
	expect(t, app.Post("/api/Reviews", map[string]any{"comments": "no shop"}, tok...), 200, "a review without a shop").JSON(t, &rev)
	expect(t, app.Post("/api/CoffeeShops/2/reviews", map[string]any{"comments": "nice"}, tok...), 200, "a review of shop 2")
	q := func(filter string) string { return url.QueryEscape(filter) }
	form := strings.NewReader("name=Form Cafe")
	cases := []struct {
		name         string
		method, path string
		body         any
		header       []string
		status       int
		want         string
	}{
		{"create_array_with_invalid_element", "POST", "/api/CoffeeShops", []map[string]any{{"name": "Array Cafe"}, {"name": "x"}}, nil, 422, "too short"},
		{"array create keeps nothing", "GET", "/api/CoffeeShops/count?where=" + q(`{"name":"Array Cafe"}`), nil, nil, 200, `{"count":0}`},
		{"create_unknown_properties_persisted", "POST", "/api/CoffeeShops", map[string]any{"name": "Extra Cafe", "extra": 1}, nil, 422, "is not defined in the model"},
		{"create_non_numeric_string_becomes_null", "POST", "/api/CoffeeShops", map[string]any{"name": "Abc Cafe", "openingHour": "abc"}, nil, 422, "is not a valid number"},
		{"create_number_name_coerced_to_string", "POST", "/api/CoffeeShops", map[string]any{"name": 12345}, nil, 422, "is not a valid string"},
		{"create_form_urlencoded_body", "POST", "/api/CoffeeShops", form, []string{"Content-Type", "application/x-www-form-urlencoded"}, 200, `"name":"Form Cafe"`},
		{"create_text_plain_body_ignored_422", "POST", "/api/CoffeeShops", strings.NewReader(`{"name":"Text Cafe"}`), []string{"Content-Type", "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"create_json_null_body_422", "POST", "/api/CoffeeShops", "null", nil, 422, "can't be blank"},
		{"find_by_id_non_numeric_404", "GET", "/api/CoffeeShops/abc", nil, nil, 400, "Value is not a number."},
		{"upsert_with_where_validates_body_alone", "POST", "/api/CoffeeShops/upsertWithWhere?where=" + q(`{"name":"Caffe Artigiano"}`), map[string]any{"city": "Vancouver"}, nil, 200, `"name":"Caffe Artigiano"`},
		{"upsert_with_where_same_name_not_unique", "POST", "/api/CoffeeShops/upsertWithWhere?where=" + q(`{"name":"Caffe Artigiano"}`), map[string]any{"name": "Caffe Artigiano"}, nil, 200, `"name":"Caffe Artigiano"`},
		{"upsert_with_where_without_where_500", "POST", "/api/CoffeeShops/upsertWithWhere", map[string]any{"name": "No Where Cafe"}, nil, 400, "where is a required argument"},
		{"update_all_skips_validation", "POST", "/api/CoffeeShops/update?where=" + q(`{"name":"Bel Cafe"}`), map[string]any{"city": "Atlantis"}, nil, 422, "is not included in the list"},
		{"find_one_no_match_message_undefined", "GET", "/api/CoffeeShops/findOne?filter=" + q(`{"where":{"name":"none"}}`), nil, nil, 404, `No \"CoffeeShop\" instance matches the filter.`},
		{"find_order_unknown_property_ignored", "GET", "/api/CoffeeShops?filter[order]=nope%20ASC", nil, nil, 400, `has no property \"nope\"`},
		{"find_limit_zero_400", "GET", "/api/CoffeeShops?filter[limit]=0", nil, nil, 400, `The limit parameter \"0\" is not valid`},
		{"find_mixed_json_and_exploded_filter_400", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"name":"Bel Cafe"}}`) + "&filter[limit]=1", nil, nil, 200, `"name":"Bel Cafe"`},
		{"find_unknown_filter_key_ignored", "GET", "/api/CoffeeShops?filter=" + q(`{"foo":1}`), nil, nil, 400, `unknown filter property \"foo\"`},
		{"where_like_is_unanchored", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"name":{"like":"^Bottle"}}}`), nil, nil, 200, `[]`},
		{"where_unknown_operator_matches_nothing", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"openingHour":{"foo":6}}}`), nil, nil, 400, `unknown operator \"foo\"`},
		{"where_unknown_property_matches_nothing", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"nope":1}}`), nil, nil, 400, `has no property \"nope\"`},
		{"where_number_property_non_numeric_value_matches_nothing", "GET", "/api/CoffeeShops?filter[where][openingHour]=abc", nil, nil, 400, "must be a number"},
		{"near_ignores_order", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"location":{"near":"49.28,-123.11"}},"order":"name DESC","limit":1}`), nil, nil, 200, `"name":"Victrola Coffee Roasters"`},
		{"near_ignored_by_count", "GET", "/api/CoffeeShops/count?where=" + q(`{"location":{"near":"49.28,-123.11","maxDistance":1}}`), nil, nil, 200, `{"count":2}`},
		{"near_invalid_point_500", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"location":{"near":"abc"}}}`), nil, nil, 400, "lat,lng"},
		{"geopoint_invalid_in_body_500", "POST", "/api/CoffeeShops", map[string]any{"name": "Geo Cafe", "location": map[string]any{"lat": 100, "lng": 0}}, nil, 422, "lat must be <= 90"},
		{"include_scope_fields_keeps_foreign_key", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"id":2},"include":{"relation":"reviews","scope":{"fields":["comments"]}}}`), nil, nil, 200, `"reviews":[{"comments":"nice"}]`},
		{"include_unknown_relation_500", "GET", "/api/CoffeeShops?filter[include]=nope", nil, nil, 400, `Invalid \"filter.include\" entries`},
		{"include_unknown_relation_on_empty_result_200", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"name":"none"},"include":"nope"}`), nil, nil, 400, `Invalid \"filter.include\" entries`},
		{"include_with_fields_missing_id_400", "GET", "/api/CoffeeShops?filter=" + q(`{"where":{"id":2},"fields":["name"],"include":"reviews"}`), nil, nil, 200, `"comments":"nice"`},
		{"rel_belongs_to_null_fk_empty_object", "GET", fmt.Sprintf("/api/Reviews/%d/coffeeShop", rev.ID), nil, nil, 404, "has no coffeeShop"},
		{"habtm_link_unknown_tag_creates_dangling_link", "PUT", "/api/CoffeeShops/1/tags/rel/99999", nil, tok, 404, "No instance with id 99999 found for Tag"},
		{"signup_email_verified_forced_false", "POST", "/api/Reviewers", map[string]any{"email": "v@example.com", "password": "pw", "emailVerified": true}, nil, 200, `"emailVerified":false`},
		{"login_ttl_capped_at_one_year", "POST", "/api/Reviewers/login", map[string]any{"email": "quirks@example.com", "password": "pw", "ttl": 999999999}, nil, 200, `"ttl":31556926`},
		{"token_bearer_must_be_base64", "POST", "/api/Tags", map[string]any{"name": "bearer"}, []string{"Authorization", "Bearer " + tok[1]}, 200, `"name":"bearer"`},
		{"status_hour_exotic_numbers_coerced", "GET", "/api/CoffeeShops/status?hour=0x10", nil, nil, 400, "Value is not a number."},
		{"nearby_max_zero_means_unlimited", "GET", "/api/CoffeeShops/nearby?here=49.28,-123.11&max=0", nil, nil, 400, "INVALID_MAX"},
		{"error_html_when_accept_html", "GET", "/api/CoffeeShops/99999", nil, []string{"Accept", "text/html"}, 404, `{"error":{"statusCode":404`},
		{"success_with_accept_html_406", "GET", "/api/CoffeeShops/1", nil, []string{"Accept", "text/html"}, 406, `"code":"NOT_ACCEPTABLE"`},
		{"model_path_case_insensitive", "GET", "/api/coffeeshops/1", nil, nil, 404, "There is no method to handle GET /coffeeshops/1"},
	}
	for _, c := range cases {
		resp := app.Do(c.method, c.path, c.body, c.header...)
		if resp.Status != c.status || !strings.Contains(resp.Text(), c.want) {
			t.Errorf("%s: %s %s = %d %s, want %d with %s", c.name, c.method, c.path, resp.Status, resp.Body, c.status, c.want)
		}
	}
}
