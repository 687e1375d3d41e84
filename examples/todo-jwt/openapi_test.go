package main

import (
	"testing"
)

// The API document declares the jwt scheme, LoopBack's
// SECURITY_SCHEME_SPEC, and asks for it on exactly the operations that
// need a token, so that the explorer's Authorize button sends it.
func TestOpenAPIDeclaresTheJWTScheme(t *testing.T) {
	c := stores[0].start(t)
	r := c.Get("/openapi.json")
	expectStatus(t, r, 200)
	var doc struct {
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	r.JSON(t, &doc)
	s := doc.Components.SecuritySchemes["jwt"]
	if s["type"] != "http" || s["scheme"] != "bearer" || s["bearerFormat"] != "JWT" {
		t.Fatalf("securitySchemes.jwt = %v", s)
	}
	open := map[string]bool{"POST /signup": true, "POST /users/signup": true, "POST /users/login": true}
	n := 0
	for path, ops := range doc.Paths {
		for verb, op := range ops {
			name := map[string]string{"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}[verb] + " " + path
			secured := len(op.Security) == 1 && op.Security[0]["jwt"] != nil
			if secured == open[name] {
				t.Errorf("%s: security %v", name, op.Security)
			}
			n++
		}
	}
	if n != 12 {
		t.Errorf("%d operations, want 12 (8 todo, signup twice, login, whoAmI)", n)
	}
}
