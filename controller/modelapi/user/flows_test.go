package user_test

import (
	"encoding/json"
	"testing"
)

func TestSignupAndLogin(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			f := startApp(t, setup{conn: store(t)})
			id := f.signup(t, map[string]any{"email": "ann@example.com", "password": "secret", "username": "ann", "emailVerified": true})

			r := f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "secret"})
			wantStatus(t, r, 200)
			var keys map[string]json.RawMessage
			r.JSON(t, &keys)
			if len(keys) != 4 || keys["id"] == nil || keys["ttl"] == nil || keys["created"] == nil || string(keys["userId"]) != jsonInt(id) {
				t.Fatalf("login answered %s", r.Body)
			}

			a := f.login(t, map[string]any{"username": "ann", "password": "secret"})
			if a.UserID != id || len(a.ID) != 64 || a.TTL != 1209600 {
				t.Fatalf("login by username: %+v", a)
			}
			self := f.Get("/api/Customers/"+jsonInt(id), auth(a.ID)...)
			wantStatus(t, self, 200)
			if got := self.Text(); got != `{"id":`+jsonInt(id)+`,"username":"ann","email":"ann@example.com","emailVerified":false}` {
				t.Fatalf("GET self: %s", got)
			}

			inc := f.login(t, map[string]any{"email": "ann@example.com", "password": "secret"})
			_ = inc
			r = f.Post("/api/Customers/login?include=user", map[string]any{"email": "ann@example.com", "password": "secret"})
			wantStatus(t, r, 200)
			var withUser loginAnswer
			r.JSON(t, &withUser)
			if string(withUser.User) == "" || jsonHas(withUser.User, "password") {
				t.Fatalf("include=user: %s", r.Body)
			}

			wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "ann@example.com", "password": "wrong"}), 401, "LOGIN_FAILED", "login failed")
			wantError(t, f.Post("/api/Customers/login", map[string]any{"email": "nobody@example.com", "password": "x"}), 401, "LOGIN_FAILED", "login failed")
			wantError(t, f.Post("/api/Customers/login", map[string]any{"password": "x"}), 400, "USERNAME_EMAIL_REQUIRED", "username or email is required")
		})
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

func jsonHas(raw json.RawMessage, key string) bool {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	_, ok := m[key]
	return ok
}
