package shopapp

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/controller/modelapi/user"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/rest"
)

// Config says where the application listens and what it stores in.
type Config struct {
	// Port is where it listens; 0 picks a free one.
	Port int
	// DatabaseURL names the store: "" for the memory store, sqlite:… or
	// postgres://… (see sql.FromURL).
	DatabaseURL string
	// Schema is the PostgreSQL schema of the tables.
	Schema string
	// PasswordCost is the bcrypt cost of the reviewers' passwords; 0 is
	// LoopBack 3's 10. Tests lower it: they check behaviour, not
	// strength.
	PasswordCost int
}

// New builds the application: the four models' APIs under /api, in
// LoopBack 3's conventions, over the db data source, with the remote
// methods, hooks and ACLs of LoopBack 3's app and its access tokens,
// seeded when the store is empty.
func New(cfg Config, opts ...rest.Option) (*rest.Application, error) {
	base := []rest.Option{
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Port: cfg.Port}),
		rest.WithDataSource("db", func() (repository.Connector, error) {
			return sql.FromURL(cfg.DatabaseURL, sql.Options{Schema: cfg.Schema, AutoMigrate: true})
		}),
		rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
		rest.WithRepository(NewShops),
		rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops"), modelapi.Authenticate("token"), modelapi.Methods(NewMethods),
			modelapi.ACLs(CoffeeShopACLs()...)),
		rest.WithModelAPI[Review, int](modelapi.Path("/api/Reviews"), modelapi.Authenticate("token"), modelapi.ACLs(ReviewACLs()...),
			modelapi.OwnerKey("reviewer"), modelapi.BeforeWrite(reviewCreated(time.Now))),
		rest.WithModelAPI[Reviewer, int](modelapi.Path("/api/Reviewers"), user.API[Reviewer, int](user.Options{Cost: cfg.PasswordCost}),
			modelapi.ACLs(ReviewerACLs()...), modelapi.Disable("prototype.verify")),
		rest.WithModelAPI[Tag, int](modelapi.Path("/api/Tags"), modelapi.Authenticate("token"), modelapi.ACLs(TagACLs()...)),
		rest.WithController(NewRoot),
		rest.WithObserver(NewSeed, "seed"),
		rest.WithObserverGroups(repository.DataSourceGroup, "seed"),
		rest.WithInterceptors(
			interceptor.After("CoffeeShop.prototype.*", setHookHeader),
			interceptor.After("*.find", setResultCount),
		),
	}
	return rest.New(append(base, opts...)...)
}

// reviewCreated is Review.beforeRemote('create'): a review is dated now
// and published by the caller, whatever the client sent, each element of
// an array too.
func reviewCreated(now func() time.Time) modelapi.WriteHook {
	return func(ctx context.Context, w *modelapi.Write) error {
		if w.Method != "create" {
			return nil
		}
		date, err := json.Marshal(DateOf(now()))
		if err != nil {
			return err
		}
		w.Data["date"] = date
		delete(w.Data, "publisherId")
		if t, ok := token.TokenFrom(ctx); ok {
			if id, err := strconv.Atoi(t.UserID); err == nil {
				w.Data["publisherId"] = json.RawMessage(strconv.Itoa(id))
			}
		}
		return nil
	}
}

// allow and deny are ACL entries of a role.
func allow(role, method string, at acl.AccessType) acl.Entry {
	return acl.Entry{PrincipalType: acl.Role, PrincipalID: role, Permission: acl.Allow, Property: method, AccessType: at}
}

func deny(role, method string, at acl.AccessType) acl.Entry {
	return acl.Entry{PrincipalType: acl.Role, PrincipalID: role, Permission: acl.Deny, Property: method, AccessType: at}
}

// CoffeeShopACLs are CoffeeShop's: everyone reads; the review and tag
// relation methods that write need a login, and those that change or
// delete reviews through the shop are denied.
func CoffeeShopACLs() []acl.Entry {
	out := []acl.Entry{allow(acl.Everyone, "", acl.Read)}
	for _, m := range []string{"__create__reviews", "__updateById__reviews", "__destroyById__reviews", "__delete__reviews",
		"__create__tags", "__updateById__tags", "__destroyById__tags", "__delete__tags"} {
		out = append(out, deny(acl.Everyone, m, ""))
	}
	for _, m := range []string{"__create__reviews", "__create__tags", "__updateById__tags", "__destroyById__tags", "__delete__tags"} {
		out = append(out, allow(acl.Authenticated, m, ""))
	}
	return out
}

// ReviewACLs are Review's: everyone reads, a logged-in reviewer creates,
// the publisher writes.
func ReviewACLs() []acl.Entry {
	return []acl.Entry{
		deny(acl.Everyone, acl.All, ""),
		allow(acl.Everyone, "", acl.Read),
		allow(acl.Authenticated, "create", ""),
		allow(acl.Owner, "", acl.Write),
	}
}

// ReviewerACLs are Reviewer's, besides the User's: a reviewer reads its
// own reviews.
func ReviewerACLs() []acl.Entry {
	return []acl.Entry{
		allow(acl.Owner, "__get__reviews", acl.Read),
		allow(acl.Owner, "__count__reviews", acl.Read),
	}
}

// TagACLs are Tag's: everyone reads, a logged-in user writes.
func TagACLs() []acl.Entry {
	return []acl.Entry{
		deny(acl.Everyone, "", acl.Write),
		allow(acl.Authenticated, "", acl.Write),
	}
}

// ShopsParams asks for the db data source.
type ShopsParams struct {
	fx.In
	DB repository.Connector `name:"datasources.db"`
}

// NewShops is the CoffeeShop repository over the db data source.
func NewShops(p ShopsParams) (*Shops, error) {
	return repository.NewCrudRepository[CoffeeShop, int](p.DB)
}

// setHookHeader is CoffeeShop.afterRemote('prototype.*'): every instance
// method answers with X-Hook: after.
func setHookHeader(ic *interceptor.InvocationContext, result any) (any, error) {
	if ic.Request != nil {
		ic.Request.Response.Header().Set("X-Hook", "after")
	}
	return result, nil
}

// setResultCount is app.remotes().after('*.find'): every model's find
// answers with the number of items in X-Result-Count.
func setResultCount(ic *interceptor.InvocationContext, result any) (any, error) {
	if v := reflect.ValueOf(result); ic.Request != nil && v.Kind() == reflect.Slice {
		ic.Request.Response.Header().Set("X-Result-Count", strconv.Itoa(v.Len()))
	}
	return result, nil
}

// Status is the document GET / answers: when the server started and for
// how many seconds it has run, LoopBack 3's loopback.status().
type Status struct {
	Started string  `json:"started"`
	Uptime  float64 `json:"uptime"`
}

// NewRoot is the controller of GET /.
func NewRoot() controller.Controller {
	started := time.Now()
	return controller.Func{Label: "Root", List: []controller.Route{
		controller.Get("/", func(context.Context, struct{}) (Status, error) {
			return Status{Started: started.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Uptime: time.Since(started).Seconds()}, nil
		}, controller.Name("status"), controller.Hidden()),
	}}
}

// SeedParams asks for what seeding writes through.
type SeedParams struct {
	fx.In
	DB    repository.Connector `name:"datasources.db"`
	Shops *Shops
}

// NewSeed is the observer that seeds an empty store with LoopBack 3's
// seed data: three tags and five coffee shops, with their links.
func NewSeed(p SeedParams) (lifecycle.Hooks, error) {
	tags, err := repository.NewCrudRepository[Tag, int](p.DB)
	if err != nil {
		return lifecycle.Hooks{}, err
	}
	links, err := repository.NewCrudRepository[CoffeeShopTag, int](p.DB)
	if err != nil {
		return lifecycle.Hooks{}, err
	}
	return lifecycle.Hooks{Name: "seed", OnStart: func(ctx context.Context) error {
		n, err := tags.Count(ctx, nil)
		if err != nil || n.Count > 0 {
			return err
		}
		return seed(ctx, p.Shops, tags, links)
	}}, nil
}

type seedShop struct {
	name, city    string
	lat, lng      float64
	opens, closes float64
	tags          []string
}

var seedShops = []seedShop{
	{"Bel Cafe", "Vancouver", 49.2838, -123.1123, 7, 19, []string{"espresso", "wifi"}},
	{"Caffe Artigiano", "Vancouver", 49.2856, -123.1209, 6, 21, []string{"espresso"}},
	{"Three Bees Coffee House", "San Mateo", 37.5630, -122.3255, 7, 17, []string{"wifi", "outdoor-seating"}},
	{"Blue Bottle Coffee", "San Francisco", 37.7764, -122.4232, 7, 18, []string{"espresso", "outdoor-seating"}},
	{"Victrola Coffee Roasters", "Seattle", 47.6145, -122.3278, 6, 20, nil},
}

func seed(ctx context.Context, shops *Shops, tags *repository.DefaultCrudRepository[Tag, int], links *repository.DefaultCrudRepository[CoffeeShopTag, int]) error {
	created, err := tags.CreateAll(ctx, []Tag{{Name: "espresso"}, {Name: "wifi"}, {Name: "outdoor-seating"}})
	if err != nil {
		return fmt.Errorf("seed tags: %w", err)
	}
	tagID := map[string]int{}
	for _, t := range created {
		tagID[t.Name] = t.ID
	}
	for _, s := range seedShops {
		shop, err := shops.Create(ctx, CoffeeShop{
			Name: s.name, City: repository.NullableOf(s.city), Location: &repository.GeoPoint{Lat: s.lat, Lng: s.lng},
			OpeningHour: &s.opens, ClosingHour: &s.closes,
		})
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.name, err)
		}
		for _, name := range s.tags {
			if _, err := links.Create(ctx, CoffeeShopTag{CoffeeShopID: shop.ID, TagID: tagID[name]}); err != nil {
				return fmt.Errorf("seed %s's tag %s: %w", s.name, name, err)
			}
		}
	}
	return nil
}
