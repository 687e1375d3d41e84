package modelapi

import (
	"fmt"
	"strings"

	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/repository"
)

// Convention is the REST convention a model's API follows: its paths,
// statuses, method names and error texts.
type Convention uint8

// The conventions.
const (
	// LoopBack3 is LoopBack 3's model REST API (strong-remoting's route
	// table of a PersistedModel), the default.
	LoopBack3 Convention = iota
	// LoopBack4 is LoopBack 4's @loopback/rest-crud: POST / answers the
	// instance, PATCH, PUT and DELETE by id answer 204, errors take
	// LoopBack 4's texts (ENTITY_NOT_FOUND).
	LoopBack4
)

// String names the convention.
func (c Convention) String() string {
	if c == LoopBack4 {
		return "LoopBack4"
	}
	return "LoopBack3"
}

// DefaultMaxChangeStreams is how many change streams a model serves at
// once when [MaxChangeStreams] does not say: as many as a connector lets
// watch one model by default ([repository.DefaultMaxWatchers]).
const DefaultMaxChangeStreams = repository.DefaultMaxWatchers

// Option configures one model's API. Options compose; later ones win.
type Option interface{ apply(*settings) }

type optionFunc func(*settings)

func (f optionFunc) apply(s *settings) { f(s) }

type settings struct {
	path       string
	dataSource string
	disabled   []string
	private    bool
	convention Convention
	methods    []any
	maxStreams int
	acls       []acl.Entry
	ownerKey   string
	// accessTypes are the declared access types of methods, by name.
	accessTypes map[string]acl.AccessType
	// authentication names the strategies of the model's routes.
	authentication []string
	// writeHooks run on each object a write method reads.
	writeHooks []WriteHook
	// writable are the hidden properties a request body may set.
	writable map[string]bool
	// deleteHooks run after deleteById deleted an instance.
	deleteHooks []DeleteHook
}

func newSettings(opts []Option) settings {
	s := settings{dataSource: "db", maxStreams: DefaultMaxChangeStreams}
	for _, o := range opts {
		if o != nil {
			o.apply(&s)
		}
	}
	return s
}

// Path sets the model's base path, such as "/api/CoffeeShops"; the
// default is "/" and LoopBack 3's plural of the model's name
// (/CoffeeShops), or its lower-case kebab plural under [LoopBack4]
// (/coffee-shops).
func Path(p string) Option { return optionFunc(func(s *settings) { s.path = p }) }

// DataSource names the data source whose connector stores the model when
// the container has no *repository.DefaultCrudRepository of it; the
// default is "db" (bound as "datasources.db").
func DataSource(name string) Option { return optionFunc(func(s *settings) { s.dataSource = name }) }

// Disable leaves methods out of the API, LoopBack 3's
// disableRemoteMethodByName: "create", "deleteById",
// "prototype.patchAttributes", "prototype.__get__reviews",
// "createChangeStream", ... A name the model does not have fails the
// start, so a typo cannot leave a method exposed.
func Disable(methods ...string) Option {
	return optionFunc(func(s *settings) { s.disabled = append(s.disabled, methods...) })
}

// Private registers the model without endpoints of its own (LoopBack 3's
// public: false): other models' relation endpoints can still reach it.
func Private() Option { return optionFunc(func(s *settings) { s.private = true }) }

// Conventions chooses the REST convention, [LoopBack3] by default.
func Conventions(c Convention) Option { return optionFunc(func(s *settings) { s.convention = c }) }

// Methods adds the model's own methods (LoopBack 3's remote methods):
// constructor's parameters are injected and it returns []controller.Route
// (optionally with an error). Their paths are relative to the model's base
// path, their names LoopBack 3's method names; they are served under the
// model's controller name, with its error conventions. Methods may be
// given more than once (a kit such as controller/modelapi/user adds its
// own): the routes of every constructor add up.
func Methods(constructor any) Option {
	return optionFunc(func(s *settings) { s.methods = append(s.methods, constructor) })
}

// Combine makes one option of several, so that a kit can hand an
// application a single option that sets many things.
func Combine(opts ...Option) Option {
	return optionFunc(func(s *settings) {
		for _, o := range opts {
			if o != nil {
				o.apply(s)
			}
		}
	})
}

// MaxChangeStreams caps the change streams the model serves at once
// (default [DefaultMaxChangeStreams]); one more is a 503. Each open
// stream holds a connection and one of the connector's watchers, which
// the connector caps too (per model, [repository.DefaultMaxWatchers] by
// default): past either cap the answer is the same 503.
func MaxChangeStreams(n int) Option { return optionFunc(func(s *settings) { s.maxStreams = n }) }

// basePath is the model's base path under the settings.
func (s *settings) basePath(model string) (string, error) {
	p := s.path
	if p == "" {
		if s.convention == LoopBack4 {
			p = "/" + kebab(Plural(model))
		} else {
			p = "/" + Plural(model)
		}
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "{}?#") {
		return "", fmt.Errorf("modelapi: %s: path %q must start with / and hold no parameters", model, p)
	}
	if p == "/" {
		return "", nil
	}
	return strings.TrimSuffix(p, "/"), nil
}

// Plural is the plural LoopBack 3 gives a model's name for its path:
// CoffeeShop → CoffeeShops, Category → Categories, Box → Boxes.
func Plural(name string) string {
	lower := strings.ToLower(name)
	switch {
	case name == "":
		return ""
	case strings.HasSuffix(lower, "s") || strings.HasSuffix(lower, "x") || strings.HasSuffix(lower, "z") ||
		strings.HasSuffix(lower, "ch") || strings.HasSuffix(lower, "sh"):
		return name + "es"
	case strings.HasSuffix(lower, "y") && len(lower) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return name[:len(name)-1] + "ies"
	}
	return name + "s"
}

// kebab writes CoffeeShops as coffee-shops.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
