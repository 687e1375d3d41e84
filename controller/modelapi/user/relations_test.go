package user_test

import (
	"context"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Team has members, a user model: its relation endpoints write users.
type Team struct {
	ID      int          `json:"id,omitempty" loom:"id,generated"`
	Name    string       `json:"name"`
	Members []TeamMember `json:"members,omitempty" loom:"hasMany,keyTo=teamId"`
}

// TeamMember is a user model that belongs to a team.
type TeamMember struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	user.Base
	TeamID int `json:"teamId,omitempty"`
}

// TestRelationWritesRunTheUserHooks: a Team's relation methods that
// create or update a TeamMember hash its password and keep emailVerified
// from the client, as the TeamMember's own methods do.
func TestRelationWritesRunTheUserHooks(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			conn := store(t)
			a := resttest.Start(t,
				rest.WithDataSource("db", conn),
				rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{Store: token.StoreOptions{Now: newClock().Now}})),
				rest.WithModelAPI[Team, int](),
				rest.WithModelAPI[TeamMember, int](user.API[TeamMember, int](user.Options{Cost: 4, Mailer: &user.MemoryMailer{}})),
			)
			c, err := conn()
			if err != nil {
				t.Fatal(err)
			}
			if sc, ok := c.(*sql.Connector); ok {
				if err := sc.Start(t.Context()); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = sc.Stop(context.Background()) })
			}
			repo, err := repository.NewCrudRepository[TeamMember, int](c)
			if err != nil {
				t.Fatal(err)
			}
			stored := func(id int) TeamMember {
				t.Helper()
				m, err := repo.FindByID(t.Context(), id, nil)
				if err != nil {
					t.Fatal(err)
				}
				return *m
			}
			wantStatus(t, a.Post("/Teams", map[string]any{"name": "blue"}), 200)

			r := a.Post("/Teams/1/members", map[string]any{"email": "ann@example.com", "password": "pw", "emailVerified": true})
			wantStatus(t, r, 200)
			if strings.Contains(r.Text(), "password") || strings.Contains(r.Text(), `"emailVerified":true`) {
				t.Fatalf("create answered %s", r.Body)
			}
			m := stored(1)
			if m.Password == "pw" || !user.CheckPassword(m.Password, "pw") {
				t.Fatalf("stored password %q is not a hash of pw", m.Password)
			}
			if m.EmailVerified != nil && *m.EmailVerified {
				t.Fatal("a client verified the email through the relation")
			}
			if m.TeamID != 1 {
				t.Fatalf("teamId %d", m.TeamID)
			}

			chosen := "$2a$04$abcdefghijklmnopqrstuu5Hz3ymS1hpvSkK0jy4Yx2WQbIRWs9Py"
			wantStatus(t, a.Put("/Teams/1/members/1", map[string]any{"password": chosen, "emailVerified": true, "teamId": 7}), 200)
			m = stored(1)
			if m.Password == chosen || !user.CheckPassword(m.Password, chosen) {
				t.Fatalf("updateById stored %q, not a hash of the text sent", m.Password)
			}
			if m.EmailVerified != nil && *m.EmailVerified {
				t.Fatal("a client verified the email through updateById")
			}
			if m.TeamID != 1 {
				t.Fatalf("updateById moved the member to team %d", m.TeamID)
			}

			// A new email through the relation is checked and stored.
			wantStatus(t, a.Put("/Teams/1/members/1", map[string]any{"email": "ann2@example.com"}), 200)
			if m := stored(1); m.Email != "ann2@example.com" {
				t.Fatalf("email %q", m.Email)
			}

			// The hook's refusals are the answers.
			wantError(t, a.Post("/Teams/1/members", map[string]any{"email": "bob@example.com", "password": 5}), 422, user.CodeInvalidPassword, "")
			wantError(t, a.Put("/Teams/1/members/1", map[string]any{"password": 5}), 422, user.CodeInvalidPassword, "")
			if r := a.Post("/Teams/1/members", map[string]any{"email": "not an address", "password": "pw"}); r.Status != 422 {
				t.Fatalf("a bad email: %d %s", r.Status, r.Body)
			}
		})
	}
}
