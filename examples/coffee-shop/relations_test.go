package main

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/loomhq/loom/rest/resttest"
)

// expect fails t unless resp has status want; it returns resp.
func expect(t *testing.T, resp *resttest.Response, want int, what string) *resttest.Response {
	t.Helper()
	if resp.Status != want {
		t.Fatalf("%s = %d %s, want %d", what, resp.Status, resp.Body, want)
	}
	return resp
}

type review struct {
	ID           int     `json:"id"`
	Comments     string  `json:"comments"`
	Rating       float64 `json:"rating"`
	CoffeeShopID *int    `json:"coffeeShopId"`
}

type shop struct {
	ID      int      `json:"id"`
	Name    string   `json:"name"`
	Reviews []review `json:"reviews"`
	Tags    []struct {
		Name string `json:"name"`
	} `json:"tags"`
}

// login signs a reviewer up, logs it in and answers the header pair
// that sends its token.
func login(t *testing.T, app *resttest.App, email string) []string {
	t.Helper()
	expect(t, app.Post("/api/Reviewers", map[string]any{"email": email, "password": "pw"}), 200, "sign up")
	var tok struct {
		ID string `json:"id"`
	}
	expect(t, app.Post("/api/Reviewers/login", map[string]any{"email": email, "password": "pw"}), 200, "login").JSON(t, &tok)
	return []string{"Authorization", tok.ID}
}

// TestRelationEndpoints drives the hasMany and belongsTo endpoints with
// a logged-in Reviewer, on every store.
func TestRelationEndpoints(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			app := start(t, s)
			tok := login(t, app, "relations@example.com")
			var a, b shop
			expect(t, app.Post("/api/CoffeeShops", map[string]any{"name": "Relation A"}), 200, "create A").JSON(t, &a)
			expect(t, app.Post("/api/CoffeeShops", map[string]any{"name": "Relation B"}), 200, "create B").JSON(t, &b)
			reviews := fmt.Sprintf("/api/CoffeeShops/%d/reviews", a.ID)

			// The path's shop wins over a coffeeShopId in the body.
			var r1, r2 review
			resp := expect(t, app.Post(reviews, map[string]any{"comments": "good", "rating": 4, "coffeeShopId": b.ID}, tok...), 200, "POST "+reviews)
			resp.JSON(t, &r1)
			if r1.CoffeeShopID == nil || *r1.CoffeeShopID != a.ID {
				t.Fatalf("the review belongs to %v, want shop %d", r1.CoffeeShopID, a.ID)
			}
			if resp.Header.Get("X-Hook") != "after" {
				t.Errorf("POST %s has no X-Hook: the instance method's after hook did not run", reviews)
			}
			expect(t, app.Post(reviews, map[string]any{"comments": "great", "rating": 5}, tok...), 200, "POST "+reviews).JSON(t, &r2)
			expect(t, app.Post("/api/Reviews", map[string]any{"comments": "elsewhere", "coffeeShopId": b.ID}, tok...), 200, "POST /api/Reviews")
			expect(t, app.Post(reviews, map[string]any{"rating": 1}, tok...), 422, "POST a review without comments")
			expect(t, app.Post("/api/CoffeeShops/999999/reviews", map[string]any{"comments": "x"}, tok...), 404, "POST to an unknown shop")

			var list []review
			expect(t, app.Get(reviews), 200, "GET "+reviews).JSON(t, &list)
			if len(list) != 2 || list[0].ID != r1.ID || list[1].ID != r2.ID {
				t.Fatalf("GET %s = %+v, want reviews %d and %d", reviews, list, r1.ID, r2.ID)
			}
			filter := url.QueryEscape(`{"where":{"rating":{"gt":4}}}`)
			expect(t, app.Get(reviews+"?filter="+filter), 200, "GET with a filter").JSON(t, &list)
			if len(list) != 1 || list[0].ID != r2.ID {
				t.Fatalf("GET %s?filter=rating>4 = %+v, want review %d", reviews, list, r2.ID)
			}
			var count struct{ Count int }
			expect(t, app.Get(reviews+"/count"), 200, "GET count").JSON(t, &count)
			if count.Count != 2 {
				t.Fatalf("count = %d, want 2", count.Count)
			}

			var got review
			expect(t, app.Get(fmt.Sprintf("%s/%d", reviews, r1.ID)), 200, "GET by fk").JSON(t, &got)
			if got.Comments != "good" {
				t.Fatalf("GET by fk = %+v", got)
			}
			expect(t, app.Get(fmt.Sprintf("/api/CoffeeShops/%d/reviews/%d", b.ID, r1.ID)), 404, "GET another shop's review")
			// Changing and deleting reviews through the shop is denied, even
			// to their publisher (CoffeeShop's ACLs).
			expect(t, app.Put(fmt.Sprintf("%s/%d", reviews, r1.ID), map[string]any{"comments": "better"}, tok...), 401, "PUT by fk")
			expect(t, app.Delete(fmt.Sprintf("%s/%d", reviews, r1.ID), tok...), 401, "DELETE by fk")
			expect(t, app.Delete(reviews, tok...), 401, "DELETE all")

			var owner shop
			expect(t, app.Get(fmt.Sprintf("/api/Reviews/%d/coffeeShop", r1.ID)), 200, "GET belongsTo").JSON(t, &owner)
			if owner.ID != a.ID {
				t.Fatalf("the review's shop is %d, want %d", owner.ID, a.ID)
			}

			var withReviews shop
			expect(t, app.Get(fmt.Sprintf("/api/CoffeeShops/%d?filter[include]=reviews", a.ID)), 200, "include").JSON(t, &withReviews)
			if len(withReviews.Reviews) != 2 {
				t.Fatalf("include reviews = %+v", withReviews.Reviews)
			}
			var included []struct {
				ID         int   `json:"id"`
				CoffeeShop *shop `json:"coffeeShop"`
			}
			expect(t, app.Get("/api/Reviews?filter[include]=coffeeShop&filter[order]=id%20ASC"), 200, "include belongsTo").JSON(t, &included)
			for _, r := range included {
				if r.CoffeeShop == nil {
					t.Fatalf("review %d came without its shop", r.ID)
				}
			}

		})
	}
}
