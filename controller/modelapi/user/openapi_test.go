package user_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTheMethodsAreDocumented checks that the API document shows the
// user methods with their bodies, and the token as a security scheme.
func TestTheMethodsAreDocumented(t *testing.T) {
	f := startApp(t, setup{})
	r := f.Get("/openapi.json")
	wantStatus(t, r, 200)
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas         map[string]json.RawMessage `json:"schemas"`
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	r.JSON(t, &doc)
	for path, verb := range map[string]string{
		"/api/Customers/login": "post", "/api/Customers/logout": "post", "/api/Customers/change-password": "post",
		"/api/Customers/reset": "post", "/api/Customers/reset-password": "post", "/api/Customers/confirm": "get",
		"/api/Customers/{id}/verify": "post",
	} {
		if doc.Paths[path][verb] == nil {
			t.Errorf("%s %s is not documented", verb, path)
		}
	}
	login := string(doc.Paths["/api/Customers/login"]["post"])
	if !json.Valid([]byte(login)) || !strings.Contains(login, "requestBody") || !strings.Contains(login, "password") {
		t.Errorf("login documents no body: %s", login)
	}
	if doc.Components.SecuritySchemes["token"] == nil {
		t.Errorf("no token security scheme: %v", doc.Components.SecuritySchemes)
	}
}
