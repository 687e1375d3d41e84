package modelapi_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	loomsql "github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Shop, ShopReview and Publisher are the Coffee Shop's CoffeeShop,
// Review and Reviewer, as far as its ACLs need them.
type Shop struct {
	ID      int          `json:"id,omitempty" loom:"id,generated"`
	Name    string       `json:"name" validate:"required"`
	Reviews []ShopReview `json:"reviews,omitempty" loom:"hasMany"`
}

type ShopReview struct {
	ID          int        `json:"id,omitempty" loom:"id,generated"`
	Comments    string     `json:"comments" validate:"required"`
	ShopID      *int       `json:"shopId,omitempty"`
	PublisherID *int       `json:"publisherId,omitempty"`
	Publisher   *Publisher `json:"publisher,omitempty" loom:"belongsTo"`
}

type Publisher struct {
	ID    int    `json:"id,omitempty" loom:"id,generated"`
	Email string `json:"email" validate:"required"`
}

// The Coffee Shop's ACLs (README, "ACLs"), and a static role.
var (
	shopACLs = []acl.Entry{
		{AccessType: acl.Read, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
		{Property: "__create__reviews", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		{Property: "__delete__reviews", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		{Property: "__create__reviews", PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
	}
	reviewACLs = []acl.Entry{
		{Property: "*", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		{AccessType: acl.Read, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
		{Property: "create", PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
		{AccessType: acl.Write, PrincipalType: acl.Role, PrincipalID: acl.Owner, Permission: acl.Allow},
		{Property: "deleteById", PrincipalType: acl.Role, PrincipalID: "moderator", Permission: acl.Allow},
	}
)

// withProfile authenticates the test's requests with HTTP Basic: the
// user name is the profile's id, the password its comma-separated roles;
// the password "wrong" is refused. The models name the strategy with
// [authenticated]. It is the one place that knows how a profile reaches
// the request.
func withProfile() rest.Option {
	return rest.WithAuthentication(authentication.Basic(func(_ context.Context, user, password string) (*authentication.Profile, error) {
		if password == "wrong" {
			return nil, errors.New("Invalid user name or password")
		}
		p := &authentication.Profile{ID: user}
		if password != "" {
			p.Roles = strings.Split(password, ",")
		}
		return p, nil
	}))
}

// authenticated is the models' option that authenticates their requests
// with withProfile's strategy.
var authenticated = modelapi.Authenticate("basic")

// as is the header of a request by user; asWith's carries roles too.
func as(user string) []string { return asWith(user, "") }

func asWith(user, roles string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+roles))}
}

// startACL starts the shop API with the ACLs on a store (memory, or the
// PostgreSQL of url), with role mappings on the same store; user 12 is a
// moderator.
func startACL(t *testing.T, url string, owner string) *resttest.App {
	t.Helper()
	var conn repository.Connector
	if url == "" {
		conn = memory.New(memory.Options{})
	} else {
		c, err := loomsql.Open(url, loomsql.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := lifecycle.Starter(c).Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = lifecycle.Stopper(c).Stop(context.Background()) })
		var models []*repository.Model
		for _, f := range []func() (*repository.Model, error){repository.ModelOf[Shop], repository.ModelOf[ShopReview],
			repository.ModelOf[Publisher], repository.ModelOf[acl.RoleModel], repository.ModelOf[acl.RoleMapping]} {
			m, err := f()
			if err != nil {
				t.Fatal(err)
			}
			models = append(models, m)
		}
		if err := c.Migrate(ctx, models...); err != nil {
			t.Fatal(err)
		}
		conn = c
	}
	roles, err := acl.NewRepository(conn)
	if err != nil {
		t.Fatal(err)
	}
	if err := roles.Grant(context.Background(), "moderator", acl.Principal{Type: acl.User, ID: "12"}); err != nil {
		t.Fatal(err)
	}
	return resttest.Start(t,
		rest.WithDataSource("db", func() repository.Connector { return conn }),
		rest.WithProviders(func() acl.RoleStore { return roles }),
		withProfile(),
		rest.WithModelAPI[Shop, int](modelapi.Path("/api/Shops"), authenticated, modelapi.ACLs(shopACLs...)),
		rest.WithModelAPI[ShopReview, int](modelapi.Path("/api/ShopReviews"), authenticated, modelapi.ACLs(reviewACLs...), modelapi.OwnerKey(owner)),
		rest.WithModelAPI[Publisher, int](modelapi.Private()),
	)
}

func authorizationRequired(t *testing.T, r *resttest.Response) {
	t.Helper()
	if r.Status != 401 || string(r.Body) != `{"error":{"statusCode":401,"name":"Error","message":"Authorization Required","code":"AUTHORIZATION_REQUIRED"}}` {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
}

func TestACLs(t *testing.T) {
	for _, s := range []struct {
		name string
		url  func(t testing.TB) string
	}{{"memory", func(testing.TB) string { return "" }}, {"postgres", postgresURL}} {
		for _, owner := range []string{"publisherId", "publisher"} {
			t.Run(s.name+"/owner "+owner, func(t *testing.T) { testACLs(t, startACL(t, s.url(t), owner)) })
		}
	}
}

func testACLs(t *testing.T, a *resttest.App) {
	shop := object(t, a.Post("/api/Shops", map[string]any{"name": "Bel Cafe"}), 200)
	var review map[string]any
	t.Run("anonymous reads", func(t *testing.T) {
		list(t, a.Get("/api/ShopReviews"))
		object(t, a.Get("/api/ShopReviews/count"), 200)
	})
	t.Run("anonymous create is 401", func(t *testing.T) {
		authorizationRequired(t, a.Post("/api/ShopReviews", map[string]any{"comments": "x", "publisherId": 1}))
	})
	t.Run("$authenticated creates", func(t *testing.T) {
		review = object(t, a.Post("/api/ShopReviews", map[string]any{"comments": "good", "publisherId": 1, "shopId": shop["id"]}, as("1")...), 200)
	})
	path := fmt.Sprintf("/api/ShopReviews/%d", idOf(t, review))
	t.Run("the owner patches", func(t *testing.T) {
		if got := object(t, a.Patch(path, map[string]any{"comments": "better"}, as("1")...), 200); got["comments"] != "better" {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("a non-owner is 401", func(t *testing.T) {
		authorizationRequired(t, a.Patch(path, map[string]any{"comments": "mine"}, as("2")...))
		authorizationRequired(t, a.Patch(path, map[string]any{"comments": "mine"}))
	})
	t.Run("an unknown id on an $owner method is 401, not 404", func(t *testing.T) {
		authorizationRequired(t, a.Patch(fmt.Sprintf("/api/ShopReviews/%d", bigID), map[string]any{"comments": "x"}, as("1")...))
		authorizationRequired(t, a.Delete(fmt.Sprintf("/api/ShopReviews/%d", bigID), as("1")...))
	})
	t.Run("an unknown id on a read is the usual 404", func(t *testing.T) {
		lb3Error(t, a.Get(fmt.Sprintf("/api/ShopReviews/%d", bigID)), 404, "Error", fmt.Sprintf("Unknown \"ShopReview\" id \"%d\".", bigID), "MODEL_NOT_FOUND")
	})
	rel := fmt.Sprintf("/api/Shops/%d/reviews", idOf(t, shop))
	t.Run("relation methods follow the parent's ACLs", func(t *testing.T) {
		list(t, a.Get(rel))
		authorizationRequired(t, a.Post(rel, map[string]any{"comments": "anonymous"}))
		// the Review ACL would deny user 3 nothing here: it is the shop's that decides
		object(t, a.Post(rel, map[string]any{"comments": "via the shop"}, as("3")...), 200)
		authorizationRequired(t, a.Delete(rel, as("3")...))
	})
	t.Run("a static role through a role mapping", func(t *testing.T) {
		authorizationRequired(t, a.Delete(path, as("5")...))
		if r := a.Delete(path, as("12")...); r.Status != 200 {
			t.Fatalf("moderator: %d %s", r.Status, r.Body)
		}
	})
	t.Run("a static role the profile carries", func(t *testing.T) {
		other := object(t, a.Post("/api/ShopReviews", map[string]any{"comments": "x", "publisherId": 1}, as("1")...), 200)
		p := fmt.Sprintf("/api/ShopReviews/%d", idOf(t, other))
		if r := a.Delete(p, asWith("5", "moderator")...); r.Status != 200 {
			t.Fatalf("moderator by profile: %d %s", r.Status, r.Body)
		}
	})
}

func TestACLsOwnerKeyMustExist(t *testing.T) {
	err := startErr(t, rest.WithModelAPI[Shop, int](modelapi.ACLs(shopACLs...), modelapi.OwnerKey("nobody")),
		rest.WithModelAPI[ShopReview, int](modelapi.Private()), rest.WithModelAPI[Publisher, int](modelapi.Private()))
	if err == nil || !strings.Contains(err.Error(), `OwnerKey("nobody")`) {
		t.Fatalf("err %v", err)
	}
}

func TestACLsEntriesAreChecked(t *testing.T) {
	err := startErr(t, rest.WithModelAPI[Publisher, int](modelapi.ACLs(acl.Entry{AccessType: "READS", PrincipalType: acl.Role,
		PrincipalID: acl.Everyone, Permission: acl.Allow})))
	if err == nil || !strings.Contains(err.Error(), `access type "READS"`) {
		t.Fatalf("err %v", err)
	}
}

// A user model owns its own instances: OwnerKey("id"), LoopBack 3's
// $owner on a User.
func TestACLsOwnerByID(t *testing.T) {
	a := startApp(t, withProfile(), rest.WithModelAPI[Publisher, int](authenticated, modelapi.OwnerKey("id"), modelapi.ACLs(
		acl.Entry{Property: "*", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		acl.Entry{Property: "create", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
		acl.Entry{Property: "findById", PrincipalType: acl.Role, PrincipalID: acl.Owner, Permission: acl.Allow},
	)))
	p := object(t, a.Post("/Publishers", map[string]any{"email": "a@example.com"}), 200)
	path := fmt.Sprintf("/Publishers/%d", idOf(t, p))
	object(t, a.Get(path, as(fmt.Sprint(idOf(t, p)))...), 200)
	authorizationRequired(t, a.Get(path, as(fmt.Sprint(idOf(t, p)+1))...))
	authorizationRequired(t, a.Get("/Publishers"))
}

// A method's declared access type is what entries match.
func TestACLsDeclaredAccessType(t *testing.T) {
	start := func(opts ...modelapi.Option) *resttest.App {
		return startApp(t, rest.WithModelAPI[Tag, int](append([]modelapi.Option{
			modelapi.Methods(func() []controller.Route {
				return []controller.Route{controller.Post("/status", shopStatus, controller.Name("status"))}
			}),
			modelapi.ACLs(acl.Entry{AccessType: acl.Write, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny}),
		}, opts...)...))
	}
	// POST makes it EXECUTE, which the WRITE entry does not match,
	if r := start().Post("/Tags/status?hour=7", nil); r.Status != 200 {
		t.Fatalf("undeclared: %d %s", r.Status, r.Body)
	}
	// unless it is declared WRITE.
	authorizationRequired(t, start(modelapi.AccessType("status", acl.Write)).Post("/Tags/status?hour=7", nil))
}

// A model's ACLs name methods by their own names, as LoopBack 3's static
// ACLs do: an alias guards nothing (loopback 3.28.0 answers ALLOW for a
// static DENY on destroyById and DENY for one on deleteById).
func TestACLsNameMethodsNotAliases(t *testing.T) {
	deny := func(method string) modelapi.Option {
		return modelapi.ACLs(acl.Entry{Property: method, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny})
	}
	a := startApp(t, rest.WithModelAPI[Tag, int](deny("destroyById")))
	tag := object(t, a.Post("/Tags", map[string]any{"name": "wifi"}), 200)
	if r := a.Delete(fmt.Sprintf("/Tags/%d", idOf(t, tag))); r.Status != 200 {
		t.Fatalf("alias: %d %s", r.Status, r.Body)
	}
	b := startApp(t, rest.WithModelAPI[Tag, int](deny("deleteById")))
	tag = object(t, b.Post("/Tags", map[string]any{"name": "wifi"}), 200)
	authorizationRequired(t, b.Delete(fmt.Sprintf("/Tags/%d", idOf(t, tag))))
}
