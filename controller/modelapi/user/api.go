package user

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"reflect"
	"sync/atomic"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/repository"
)

// ACLs are LoopBack 3's ACLs of the User model, which [API] adds to the
// model's own: nothing is allowed but signing up, logging in and out,
// the password reset and the email verification; a user may read,
// change and delete itself ($owner); changing one's password needs a
// login. Setting a new password after a reset is open to everyone at the
// ACL: the reset token, checked by the method, is what authorizes it.
func ACLs() []acl.Entry {
	allow := func(principal, method string, at acl.AccessType) acl.Entry {
		return acl.Entry{PrincipalType: acl.Role, PrincipalID: principal, Permission: acl.Allow, Property: method, AccessType: at}
	}
	return []acl.Entry{
		{PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		allow(acl.Everyone, "create", ""),
		allow(acl.Owner, "deleteById", ""),
		allow(acl.Everyone, "login", ""),
		allow(acl.Everyone, "logout", ""),
		allow(acl.Owner, "findById", ""),
		allow(acl.Owner, "patchAttributes", ""),
		allow(acl.Owner, "replaceById", ""),
		allow(acl.Everyone, "verify", acl.Execute),
		allow(acl.Everyone, "confirm", ""),
		allow(acl.Everyone, "resetPassword", acl.Execute),
		allow(acl.Authenticated, "changePassword", acl.Execute),
		allow(acl.Everyone, "setPassword", acl.Execute),
	}
}

// API turns the model API of T, a user model embedding [Base], into
// LoopBack 3's User API: its ACLs ([ACLs], with the model's own), each
// user the owner of itself, the password hashed on every write and never
// answered, emailVerified never set by a client, and the methods
//
//	POST /login            login ({email|username, password[, ttl]}; ?include=user)
//	ALL  /logout           logout (the request's token)
//	POST /change-password  changePassword ({oldPassword, newPassword})
//	POST /reset            resetPassword ({email}: mails a reset token)
//	POST /reset-password   setPassword ({newPassword}, with the reset token)
//	GET  /confirm          confirm (?uid&token[&redirect]: verifies the email)
//	POST /{id}/verify      prototype.verify (mails the verification link)
//
// The tokens are those of the token strategy registered with
// rest.WithAuthentication([TokenStrategy]):
//
//	rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{})),
//	rest.WithModelAPI[Customer, int](modelapi.Path("/api/Customers"), user.API[Customer, int](user.Options{})),
//
// Call API once per application: the option holds that application's
// throttle.
func API[T any, ID comparable](opts Options) modelapi.Option {
	opts = opts.withDefaults()
	k := &kit[T, ID]{opts: opts, throttle: newThrottler(opts.Throttle)}
	if _, ok := any(new(T)).(Model); !ok {
		return modelapi.Methods(func() ([]controller.Route, error) {
			return nil, fmt.Errorf("user: %v does not embed user.Base", reflect.TypeFor[T]())
		})
	}
	return modelapi.Combine(
		modelapi.Authenticate(opts.Strategy),
		modelapi.ACLs(ACLs()...),
		modelapi.OwnerKey("id"),
		modelapi.Writable("password"),
		modelapi.BeforeWrite(k.beforeWrite),
		modelapi.AfterDelete(k.afterDelete),
		modelapi.Methods(k.constructor()),
	)
}

// kit is the user API of model T at work.
type kit[T any, ID comparable] struct {
	opts     Options
	throttle *throttler
	// ready is set by the methods' constructor as the application starts.
	ready atomic.Pointer[deps[T, ID]]
}

// deps is what the user API takes from the container.
type deps[T any, ID comparable] struct {
	repo     *repository.DefaultCrudRepository[T, ID]
	model    *repository.Model
	strategy *token.Strategy
	store    *token.Store
	mailer   Mailer
}

// constructor builds the methods' constructor, which takes the data
// source, the strategies and, when there is one, the Mailer.
func (k *kit[T, ID]) constructor() any {
	in := reflect.StructOf([]reflect.StructField{
		{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true},
		{Name: "Conn", Type: reflect.TypeFor[repository.Connector](),
			Tag: reflect.StructTag(repository.DataSourceTag(k.opts.DataSource) + ` optional:"true"`)},
		{Name: "Strategies", Type: reflect.TypeFor[*authentication.Strategies](), Tag: `optional:"true"`},
		{Name: "Mailer", Type: reflect.TypeFor[Mailer](), Tag: `optional:"true"`},
	})
	ft := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{reflect.TypeFor[[]controller.Route](), reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		conn, _ := args[0].Field(1).Interface().(repository.Connector)
		strategies, _ := args[0].Field(2).Interface().(*authentication.Strategies)
		mailer, _ := args[0].Field(3).Interface().(Mailer)
		routes, err := k.start(conn, strategies, mailer)
		errv := reflect.Zero(reflect.TypeFor[error]())
		if err != nil {
			errv = reflect.ValueOf(err)
		}
		return []reflect.Value{reflect.ValueOf(routes), errv}
	}).Interface()
}

// start takes the container's parts and answers the methods' routes.
func (k *kit[T, ID]) start(conn repository.Connector, strategies *authentication.Strategies, mailer Mailer) ([]controller.Route, error) {
	name := reflect.TypeFor[T]().Name()
	if conn == nil {
		return nil, fmt.Errorf("user: %s: no data source %q: register it with rest.WithDataSource, or set user.Options.DataSource", name, k.opts.DataSource)
	}
	var st *token.Strategy
	if strategies != nil {
		if s, ok := strategies.Get(k.opts.Strategy); ok {
			st, _ = s.(*token.Strategy)
		}
	}
	if st == nil {
		return nil, fmt.Errorf("user: %s: no token strategy %q: register it with rest.WithAuthentication(user.TokenStrategy(user.TokenOptions{}))",
			name, k.opts.Strategy)
	}
	repo, err := repository.NewCrudRepository[T, ID](conn)
	if err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	if k.opts.Mailer != nil {
		mailer = k.opts.Mailer
	}
	k.ready.Store(&deps[T, ID]{repo: repo, model: repo.Model(), strategy: st, store: st.Store(), mailer: mailer})
	return k.routes(), nil
}

// beforeWrite is the user model's setter: the password is checked and
// hashed, an email checked, emailVerified kept from the client; a change
// of password or email revokes the user's other tokens once stored.
func (k *kit[T, ID]) beforeWrite(ctx context.Context, w *modelapi.Write) error {
	d := w.Data
	if raw, ok := d["emailVerified"]; ok {
		if w.Create {
			if string(raw) == "true" {
				d["emailVerified"] = json.RawMessage("false")
			}
		} else {
			delete(d, "emailVerified")
		}
	}
	if err := checkEmail(d, reflect.TypeFor[T]().Name()); err != nil {
		return err
	}
	raw, sent := d["password"]
	_, emailSent := d["email"]
	if !w.Create && w.ID == nil && (sent || emailSent) {
		// A write of users it does not name (updateAll) could not revoke
		// their tokens nor unverify their emails.
		return httperr.BadRequest("The password and the email of users can only be changed one user at a time.").
			WithName("Error").WithCode(CodeCredentialsNotChangeable)
	}
	if sent && !w.Create && k.opts.RejectPasswordChangesViaPatchOrReplace {
		return httperr.BadRequest("Changing user password via patch/replace API is not allowed. Use changePassword() or setPassword() instead.").
			WithName("Error").WithCode(CodePasswordChangeNotAllowed)
	}
	if sent && !(w.Create && string(raw) == "null") {
		var plain string
		if json.Unmarshal(raw, &plain) != nil {
			return httperr.UnprocessableEntity("Invalid password.").WithName("Error").WithCode(CodeInvalidPassword)
		}
		hash, err := HashPassword(plain, k.opts.Cost)
		if err != nil {
			return err
		}
		d["password"], _ = json.Marshal(hash)
	}
	if w.Create || !(sent || emailSent) {
		return nil
	}
	// LoopBack 3 revokes a user's other sessions when the password or the
	// email changes, and a changed email is no longer verified.
	dp := k.ready.Load()
	if dp == nil {
		return nil
	}
	revoke := sent
	if emailSent {
		old, err := dp.repo.FindByID(ctx, w.ID.(ID), nil)
		if err != nil && !repository.IsNotFound(err) {
			return err
		}
		if old != nil && any(old).(Model).UserBase().Email != stringOf(d["email"]) {
			revoke = true
			if k.opts.EmailVerificationRequired {
				d["emailVerified"] = json.RawMessage("false")
			}
		}
	}
	if !revoke {
		return nil
	}
	keep := ""
	if t, ok := token.TokenFrom(ctx); ok {
		keep = t.ID
	}
	// Only once the write is stored: a refused one logs nobody out.
	id := idString(w.ID)
	w.AfterWrite(func(ctx context.Context) error {
		_, err := dp.store.DeleteUser(ctx, id, keep)
		return err
	})
	return nil
}

// afterDelete revokes a deleted user's tokens, as LoopBack 3 does.
func (k *kit[T, ID]) afterDelete(ctx context.Context, id any) error {
	dp, err := k.deps()
	if err != nil {
		return err
	}
	_, err = dp.store.DeleteUser(ctx, idString(id), "")
	return err
}

// stringOf is raw's string; "" when it is none.
func stringOf(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// checkEmail refuses an email that is not an address: LoopBack 3's
// custom.email "is invalid".
func checkEmail(d repository.Data, model string) error {
	raw, ok := d["email"]
	if !ok {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return nil // a type or presence error, which validation reports
	}
	if a, err := mail.ParseAddress(s); err == nil && a.Address == s && a.Name == "" {
		return nil
	}
	return &repository.ValidationError{Model: model, Details: []repository.Detail{{
		Path: "/email", Code: "custom.email", Message: "is invalid", Info: map[string]any{"value": raw},
	}}}
}

// idString is a user id as a token's userId and a profile's ID: a string
// as it is, anything else as its JSON text.
func idString(id any) string {
	if s, ok := id.(string); ok {
		return s
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// parseID reads a profile's ID, or an id of a path or query, as the
// model's id type; only its canonical text ([idString]) is one, so that
// an id has one spelling (" 5" and "5.0" are not 5).
func parseID[ID any](s string) (ID, bool) {
	var id ID
	if p, ok := any(&id).(*string); ok {
		*p = s
		return id, s != ""
	}
	if json.Unmarshal([]byte(s), &id) != nil || idString(id) != s {
		return id, false
	}
	return id, true
}
