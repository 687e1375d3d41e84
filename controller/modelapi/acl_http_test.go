package modelapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	loomsql "github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// The acceptance tests of the model API's ACLs: every principal kind and
// LoopBack 3's precedence, over HTTP, on the memory store and PostgreSQL.
// What each request should get is not written here: it is LoopBack 3's
// own decision, read from the acl package's table (testdata/
// lb3_resolve.json, which loopback 3.28.0's ACL.resolvePermission wrote
// for every subset of a few sets of entries).

// Member is the user model: LoopBack 3's User, each of whose instances
// is owned by the user of its id (OwnerKey("id")).
type Member struct {
	ID    int    `json:"id,omitempty" loom:"id,generated"`
	Email string `json:"email"`
}

// Doc is a model owned in two ways: by the user its ownerId names, and by
// the user of its belongsTo relation author.
type Doc struct {
	ID       int     `json:"id,omitempty" loom:"id,generated"`
	Text     string  `json:"text"`
	OwnerID  *int    `json:"ownerId,omitempty"`
	AuthorID *int    `json:"authorId,omitempty"`
	Author   *Member `json:"author,omitempty" loom:"belongsTo"`
}

// lb3Decision is one decision of LoopBack 3's table: the entries whose
// principal the caller is, what is asked, the permission.
type lb3Decision struct {
	Set     string `json:"set"`
	Entries []struct {
		Property      string `json:"property"`
		AccessType    string `json:"accessType"`
		PrincipalType string `json:"principalType"`
		PrincipalID   string `json:"principalId"`
		Permission    string `json:"permission"`
	} `json:"entries"`
	Request struct {
		Property   string `json:"property"`
		AccessType string `json:"accessType"`
	} `json:"request"`
	Permission string `json:"permission"`
}

// lb3Table is LoopBack 3's decisions by decisionKey, and each set's
// entries (those of its largest subset), read once.
var lb3Table = sync.OnceValues(func() (*decisionTable, error) {
	raw, err := os.ReadFile("acl/testdata/lb3_resolve.json")
	if err != nil {
		return nil, err
	}
	var ds []lb3Decision
	if err := json.Unmarshal(raw, &ds); err != nil {
		return nil, err
	}
	t := &decisionTable{decisions: map[string]acl.Permission{}, sets: map[string][]acl.Entry{}}
	for _, d := range ds {
		entries := make([]acl.Entry, len(d.Entries))
		for i, e := range d.Entries {
			entries[i] = acl.Entry{Property: e.Property, AccessType: acl.AccessType(e.AccessType),
				PrincipalType: acl.PrincipalType(e.PrincipalType), PrincipalID: e.PrincipalID, Permission: acl.Permission(e.Permission)}
		}
		t.decisions[decisionKey(d.Set, entries, d.Request.Property, acl.AccessType(d.Request.AccessType))] = acl.Permission(d.Permission)
		if len(entries) > len(t.sets[d.Set]) {
			t.sets[d.Set] = entries
		}
	}
	return t, nil
})

type decisionTable struct {
	decisions map[string]acl.Permission
	sets      map[string][]acl.Entry
}

func decisionKey(set string, entries []acl.Entry, property string, at acl.AccessType) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s", set, property, at)
	for _, e := range entries {
		fmt.Fprintf(&b, "|%s,%s,%s,%s,%s", e.Property, e.AccessType, e.PrincipalType, e.PrincipalID, e.Permission)
	}
	return b.String()
}

// caller is who sends a request, and what LoopBack 3 would see in it.
type caller struct {
	name string
	// user and password are the Basic credentials (see withProfile: the
	// password is the profile's roles); no user is an anonymous request,
	// the password "wrong" a refused one, which is served as anonymous.
	user, password string
	// mapped are the static roles a role mapping gives the user.
	mapped []string
	// owner says the instance asked for is the caller's.
	owner bool
}

func (c caller) anonymous() bool { return c.user == "" || c.password == "wrong" }

// is reports whether the caller is e's principal, for an instance it
// owns or not.
func (c caller) is(e acl.Entry, owner bool) bool {
	switch e.PrincipalType {
	case acl.User:
		return !c.anonymous() && e.PrincipalID == c.user
	case acl.App:
		return false // no request carries an application
	}
	switch e.PrincipalID {
	case acl.Everyone:
		return true
	case acl.Authenticated:
		return !c.anonymous()
	case acl.Unauthenticated:
		return c.anonymous()
	case acl.Owner:
		return !c.anonymous() && owner
	case acl.Related:
		return false
	}
	if c.anonymous() {
		return false
	}
	return slices.Contains(c.mapped, e.PrincipalID) || slices.Contains(strings.Split(c.password, ","), e.PrincipalID)
}

func (c caller) header() []string {
	if c.user == "" {
		return nil
	}
	return asWith(c.user, c.password)
}

// callers are one of each kind of principal, alone or together: user 9
// is an admin through a role mapping, user 7 the one a USER entry names.
var callers = []caller{
	{name: "anonymous"},
	{name: "refused credentials", user: "8", password: "wrong"},
	{name: "user 8", user: "8"},
	{name: "user 8, owner", user: "8", owner: true},
	{name: "user 8, admin by its profile", user: "8", password: "admin"},
	{name: "user 8, admin by its profile, owner", user: "8", password: "admin", owner: true},
	{name: "user 9, admin by a role mapping", user: "9", mapped: []string{"admin"}},
	{name: "user 9, admin by a role mapping, owner", user: "9", mapped: []string{"admin"}, owner: true},
	{name: "user 7", user: "7"},
	{name: "user 7, owner", user: "7", owner: true},
	{name: "user 7, admin by its profile", user: "7", password: "admin"},
}

// aclRequest is a model method as a request: its LoopBack 3 name and
// access type, its verb and path (below the model's), its body.
type aclRequest struct {
	property   string
	accessType acl.AccessType
	verb, path string // {id} is an instance's id
	body       map[string]any
}

func (r aclRequest) hasID() bool { return strings.Contains(r.path, "{id}") }

// aclRequests are the methods of a model with the table's requests.
func aclRequests(body map[string]any) []aclRequest {
	return []aclRequest{
		{"find", acl.Read, "GET", "", nil},
		{"create", acl.Write, "POST", "", body},
		{"patchOrCreate", acl.Write, "PATCH", "", body},
		{"findById", acl.Read, "GET", "/{id}", nil},
		{"patchAttributes", acl.Write, "PATCH", "/{id}", body},
		{"deleteById", acl.Write, "DELETE", "/{id}", nil},
		{"status", acl.Execute, "POST", "/status", nil},
	}
}

// statusMethod is a remote method of the model, status: EXECUTE.
func statusMethod() modelapi.Option {
	return modelapi.Methods(func() []controller.Route {
		return []controller.Route{controller.Post("/status", func(context.Context, struct{}) (map[string]string, error) {
			return map[string]string{"status": "open"}, nil
		}, controller.Name("status"))}
	})
}

// aclStore opens the store a test's app and role mappings share: the
// memory store for "", else the PostgreSQL of url (its tables made as
// they are first used); user 9 is an admin in it.
func aclStore(t *testing.T, url string) repository.Connector {
	t.Helper()
	conn, err := loomsql.FromURL(url, loomsql.Options{AutoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := conn.(lifecycle.Starter); ok {
		if err := st.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if st, ok := conn.(lifecycle.Stopper); ok {
		t.Cleanup(func() { _ = st.Stop(context.Background()) })
	}
	roles, err := acl.NewRepository(conn)
	if err != nil {
		t.Fatal(err)
	}
	if err := roles.Grant(context.Background(), "admin", acl.Principal{Type: acl.User, ID: "9"}); err != nil {
		t.Fatal(err)
	}
	return conn
}

// startOn starts an app on conn whose role store is conn's, with the
// Basic strategy of withProfile.
func startOn(t *testing.T, conn repository.Connector, opts ...rest.Option) *resttest.App {
	t.Helper()
	roles, err := acl.NewRepository(conn)
	if err != nil {
		t.Fatal(err)
	}
	return resttest.Start(t, append([]rest.Option{
		rest.WithDataSource("db", func() repository.Connector { return conn }),
		rest.WithProviders(func() acl.RoleStore { return roles }),
		withProfile(),
	}, opts...)...)
}

// aclStores are the stores of the acceptance tests: a URL for
// sql.FromURL.
var aclStores = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"memory", func(*testing.T) string { return "" }},
	{"postgres", func(t *testing.T) string { return sqltest.PostgresURL(t, "modelapiacl") }},
}

// aclScenario is a model guarded by some entries of one of the table's
// sets, and how its instances are owned.
type aclScenario struct {
	name string
	set  string
	// only lists the set's entries the model has; nil is all of them.
	only []int
	// owner is the model's OwnerKey: ownerId (a property), author (a
	// belongsTo relation to Member), id (Member itself).
	owner string
}

var aclScenarios = []aclScenario{
	// $everyone, $authenticated, $owner, a more specific property beats
	// a wildcard, READ beats *.
	{name: "review, owner by property", set: "review", owner: "ownerId"},
	{name: "review, owner by belongsTo", set: "review", owner: "author"},
	// The user model: $owner is the id itself.
	{name: "user, owner by id", set: "user", owner: "id"},
	// DENY beats ALLOW at equal specificity.
	{name: "ties, equal entries", set: "ties", only: []int{0, 1}, owner: "ownerId"},
	// An exact access type beats *, even for a more specific principal.
	{name: "ties, exact access type", set: "ties", only: []int{1, 2}, owner: "ownerId"},
	{name: "ties", set: "ties", owner: "ownerId"},
	// USER, static roles (by profile and by mapping), $owner,
	// $authenticated, $unauthenticated; APP and $related match no caller.
	{name: "principals", set: "principals", owner: "ownerId"},
	{name: "principals, no USER entry", set: "principals", only: []int{1, 2, 3, 4, 5, 6}, owner: "author"},
	// Each principal kind beats the one below it: USER, a static role,
	// $owner, $authenticated, $everyone.
	{name: "kinds", set: "kinds", owner: "ownerId"},
	{name: "kinds, owner by id", set: "kinds", owner: "id"},
	// EXECUTE matches any access type; a named method beats it.
	{name: "exec", set: "exec", owner: "ownerId"},
}

func TestACLsOverHTTP(t *testing.T) {
	table, err := lb3Table()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range aclStores {
		t.Run(s.name, func(t *testing.T) {
			for _, sc := range aclScenarios {
				t.Run(sc.name, func(t *testing.T) { testScenario(t, table, sc, aclStore(t, s.url(t))) })
			}
		})
	}
}

func testScenario(t *testing.T, table *decisionTable, sc aclScenario, conn repository.Connector) {
	set := table.sets[sc.set]
	entries := set
	if sc.only != nil {
		entries = nil
		for _, i := range sc.only {
			entries = append(entries, set[i])
		}
	}
	guarded := []modelapi.Option{authenticated, modelapi.ACLs(entries...), modelapi.OwnerKey(sc.owner), statusMethod()}
	var a *resttest.App
	var newInstance func(owner int) int
	var base string
	var body map[string]any
	if sc.owner == "id" {
		a = startOn(t, conn, rest.WithModelAPI[Member, int](guarded...))
		members, err := repository.NewCrudRepository[Member, int](conn)
		if err != nil {
			t.Fatal(err)
		}
		// Members 1 to 10 are there first, so that a new member's id is
		// no caller's.
		for range 10 {
			if _, err := members.Create(context.Background(), Member{Email: "early@example.com"}); err != nil {
				t.Fatal(err)
			}
		}
		newInstance = func(int) int {
			m, err := members.Create(context.Background(), Member{Email: "m@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			return m.ID
		}
		base, body = "/Members", map[string]any{"email": "new@example.com"}
	} else {
		a = startOn(t, conn, rest.WithModelAPI[Doc, int](guarded...), rest.WithModelAPI[Member, int](modelapi.Private()))
		docs, err := repository.NewCrudRepository[Doc, int](conn)
		if err != nil {
			t.Fatal(err)
		}
		newInstance = func(owner int) int {
			d := Doc{Text: "a doc"}
			if sc.owner == "ownerId" {
				d.OwnerID = &owner
			} else {
				d.AuthorID = &owner
			}
			created, err := docs.Create(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			return created.ID
		}
		base, body = "/Docs", map[string]any{"text": "new"}
	}
	for _, who := range callers {
		for _, r := range aclRequests(body) {
			c := who
			path := base + r.path
			owns := c.owner && r.hasID()
			if r.hasID() {
				owner := 99 // someone else
				if c.owner {
					owner, _ = strconv.Atoi(c.user)
				}
				id := newInstance(owner)
				if c.owner && sc.owner == "id" {
					// The member the caller owns is itself: a new user,
					// whom no role mapping names.
					c.user, c.mapped = strconv.Itoa(id), nil
				}
				path = strings.Replace(path, "{id}", strconv.Itoa(id), 1)
			}
			var mine []acl.Entry
			for _, e := range entries {
				if c.is(e, owns) {
					mine = append(mine, e)
				}
			}
			want, ok := table.decisions[decisionKey(sc.set, mine, r.property, r.accessType)]
			if !ok {
				t.Fatalf("the table has no decision for %s of %s with %v", sc.set, r.property, mine)
			}
			res := a.Do(r.verb, path, r.body, c.header()...)
			if want == acl.Deny {
				if res.Status != 401 || string(res.Body) != `{"error":{"statusCode":401,"name":"Error","message":"Authorization Required","code":"AUTHORIZATION_REQUIRED"}}` {
					t.Errorf("%s: %s %s (%s): %d %s, want LoopBack 3's 401", c.name, r.verb, path, r.property, res.Status, res.Body)
				}
				continue
			}
			if res.Status != 200 {
				t.Errorf("%s: %s %s (%s): %d %s, want it served", c.name, r.verb, path, r.property, res.Status, res.Body)
			}
		}
	}
}

// TestACLsBeforeRemoteHooks proves LoopBack 3's order: the ACLs are
// checked before every hook, so a denied call runs no beforeRemote hook
// and no afterRemote hook sees it, on CRUD, relation and remote methods
// alike; an allowed one runs both.
func TestACLsBeforeRemoteHooks(t *testing.T) {
	var before, after, global atomic.Int64
	conn := aclStore(t, "")
	a := startOn(t, conn,
		rest.WithInterceptors(
			interceptor.Before("Doc.**", func(*interceptor.InvocationContext) error {
				before.Add(1)
				return nil
			}),
			interceptor.After("Doc.**", func(_ *interceptor.InvocationContext, result any) (any, error) {
				after.Add(1)
				return result, nil
			}),
			interceptor.NewGlobal(func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
				global.Add(1)
				return next()
			}, "logging"),
		),
		rest.WithModelAPI[Doc, int](authenticated, statusMethod(), modelapi.ACLs(
			acl.Entry{PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
			acl.Entry{PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
		)),
		rest.WithModelAPI[Member, int](modelapi.Private()),
	)
	docs, err := repository.NewCrudRepository[Doc, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	members, err := repository.NewCrudRepository[Member, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	author, err := members.Create(context.Background(), Member{Email: "author@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := docs.Create(context.Background(), Doc{Text: "a doc", AuthorID: &author.ID})
	if err != nil {
		t.Fatal(err)
	}
	requests := []struct{ verb, path string }{
		{"POST", "/Docs"},
		{"GET", fmt.Sprintf("/Docs/%d", doc.ID)},
		{"GET", fmt.Sprintf("/Docs/%d/author", doc.ID)},
		{"POST", "/Docs/status"},
	}
	for _, r := range requests {
		for _, who := range []caller{{name: "anonymous"}, {name: "refused credentials", user: "8", password: "wrong"}} {
			res := a.Do(r.verb, r.path, map[string]any{"text": "x"}, who.header()...)
			authorizationRequired(t, res)
			if n, m, g := before.Load(), after.Load(), global.Load(); n+m+g != 0 {
				t.Fatalf("%s %s by %s was denied after running %d before hooks, %d after hooks, %d interceptors", r.verb, r.path, who.name, n, m, g)
			}
		}
	}
	for i, r := range requests {
		res := a.Do(r.verb, r.path, map[string]any{"text": "x"}, as("8")...)
		if res.Status != 200 && res.Status != 204 {
			t.Fatalf("%s %s: %d %s", r.verb, r.path, res.Status, res.Body)
		}
		if n, m, g := before.Load(), after.Load(), global.Load(); n != int64(i+1) || m != int64(i+1) || g != int64(i+1) {
			t.Fatalf("%s %s allowed: %d before hooks, %d after hooks, %d interceptors ran, want %d each", r.verb, r.path, n, m, g, i+1)
		}
	}
}

// The API document says a model's operations take the strategies'
// credentials or none.
func TestAuthenticateDocumentsOptionalCredentials(t *testing.T) {
	a := startOn(t, aclStore(t, ""), rest.WithModelAPI[Doc, int](authenticated), rest.WithModelAPI[Member, int](modelapi.Private()))
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	a.Get("/openapi.json").JSON(t, &doc)
	got := doc.Paths["/Docs/{id}"]["get"].Security
	if len(got) != 2 || got[0]["basic"] == nil || len(got[1]) != 0 {
		t.Errorf("GET /Docs/{id} security = %v, want basic or nothing", got)
	}
}
