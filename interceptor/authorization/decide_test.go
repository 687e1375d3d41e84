package authorization_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor/authorization"
)

// votes returns authorizers that vote ds in order and a count of those
// that ran.
func votes(ds ...authorization.Decision) ([]authorization.Authorizer, *int) {
	ran := new(int)
	out := make([]authorization.Authorizer, len(ds))
	for i, d := range ds {
		out[i] = authorization.AuthorizerFunc(func(*authorization.Context, *authorization.Metadata) (authorization.Decision, error) {
			*ran++
			return d, nil
		})
	}
	return out, ran
}

func TestDecide_IsLoopBack4sVote(t *testing.T) {
	const (
		A = authorization.Allow
		D = authorization.Deny
		X = authorization.Abstain
	)
	cases := []struct {
		name     string
		opts     authorization.Options
		votes    []authorization.Decision
		want     authorization.Decision
		wantRuns int
	}{
		{"no authorizer: default Deny", authorization.Options{}, nil, D, 0},
		{"all abstain: default Deny", authorization.Options{}, []authorization.Decision{X, X}, D, 2},
		{"all abstain: default Allow", authorization.Options{DefaultDecision: A}, []authorization.Decision{X, X}, A, 2},
		{"deny precedence: a Deny ends the vote", authorization.Options{}, []authorization.Decision{A, D, A}, D, 2},
		{"deny precedence: Allows only", authorization.Options{}, []authorization.Decision{X, A, A}, A, 3},
		{"deny precedence: an Allow beats default Deny", authorization.Options{}, []authorization.Decision{A}, A, 1},
		{"allow precedence: an Allow ends the vote", authorization.Options{Precedence: A}, []authorization.Decision{D, A, D}, A, 2},
		{"allow precedence: Denies only", authorization.Options{Precedence: A}, []authorization.Decision{D, X}, D, 2},
		{"allow precedence: a Deny beats default Allow", authorization.Options{Precedence: A, DefaultDecision: A}, []authorization.Decision{X, D}, D, 2},
	}
	for _, c := range cases {
		as, ran := votes(c.votes...)
		got, err := authorization.Decide(c.opts, as, &authorization.Context{}, &authorization.Metadata{})
		if err != nil || got != c.want || *ran != c.wantRuns {
			t.Errorf("%s: %v, %v after %d votes; want %v after %d", c.name, got, err, *ran, c.want, c.wantRuns)
		}
	}
}

func TestDecide_ErrorsEndTheVote(t *testing.T) {
	boom := errors.New("boom")
	failing := authorization.AuthorizerFunc(func(*authorization.Context, *authorization.Metadata) (authorization.Decision, error) {
		return authorization.Allow, boom
	})
	if _, err := authorization.Decide(authorization.Options{}, []authorization.Authorizer{failing}, &authorization.Context{}, &authorization.Metadata{}); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	odd, _ := votes(authorization.Decision(9))
	if d, err := authorization.Decide(authorization.Options{}, odd, &authorization.Context{}, &authorization.Metadata{}); err == nil || d != authorization.Deny {
		t.Errorf("an unknown vote: %v, %v", d, err)
	}
	if _, err := authorization.Decide(authorization.Options{Precedence: 5}, nil, &authorization.Context{}, &authorization.Metadata{}); err == nil {
		t.Error("a bad precedence is accepted")
	}
}

func TestRoles(t *testing.T) {
	admin := &authorization.Context{Principals: []*authentication.Profile{{ID: "1", Roles: []string{"admin"}}}}
	plain := &authorization.Context{Principals: []*authentication.Profile{{ID: "2"}}}
	anon := &authorization.Context{}
	A, D, X := authorization.Allow, authorization.Deny, authorization.Abstain
	cases := []struct {
		name               string
		md                 authorization.Metadata
		admin, plain, anon authorization.Decision
	}{
		{"no roles", authorization.Metadata{Scopes: []string{"read"}}, X, X, X},
		{"allowed", authorization.Metadata{AllowedRoles: []string{"admin"}}, A, D, D},
		{"denied", authorization.Metadata{DeniedRoles: []string{"admin"}}, D, X, X},
		{"everyone", authorization.Metadata{AllowedRoles: []string{authorization.Everyone}}, A, A, A},
		{"authenticated", authorization.Metadata{AllowedRoles: []string{authorization.Authenticated}}, A, A, D},
		{"unauthenticated denied", authorization.Metadata{DeniedRoles: []string{authorization.Unauthenticated}}, X, X, D},
		{"anonymous allowed", authorization.Metadata{AllowedRoles: []string{authorization.Anonymous}}, D, D, A},
		{"denyAllExcept", authorization.Metadata{AllowedRoles: []string{"admin"}, DeniedRoles: []string{authorization.Everyone}}, A, D, D},
		{"allowAllExcept", authorization.Metadata{AllowedRoles: []string{authorization.Everyone}, DeniedRoles: []string{"admin"}}, D, A, A},
		{"both, a tie: denied", authorization.Metadata{AllowedRoles: []string{"admin"}, DeniedRoles: []string{"admin"}}, D, D, D},
	}
	for _, c := range cases {
		for _, who := range []struct {
			ctx  *authorization.Context
			want authorization.Decision
			name string
		}{{admin, c.admin, "admin"}, {plain, c.plain, "plain"}, {anon, c.anon, "anonymous"}} {
			if got, err := authorization.Roles.Authorize(who.ctx, &c.md); err != nil || got != who.want {
				t.Errorf("%s, %s: %v, %v; want %v", c.name, who.name, got, err, who.want)
			}
		}
	}
}

func TestAuthorize_DeclarationsAddUp(t *testing.T) {
	base := []controller.Option{authorization.AllowRoles("a", "b")}
	r1 := controller.Get("/1", answer("1"), append(base, authorization.AllowRoles("b", "c"), authorization.Scope("read"),
		authorization.Authorize(authorization.Metadata{Resource: "doc"}))...)
	r2 := controller.Get("/2", answer("2"), append(base, authorization.Skip())...)
	md, ok := authorization.MetadataOf(&r1)
	want := authorization.Metadata{AllowedRoles: []string{"a", "b", "c"}, Scopes: []string{"read"}, Resource: "doc"}
	if !ok || !reflect.DeepEqual(md, want) {
		t.Errorf("r1: %+v, %v; want %+v", md, ok, want)
	}
	md, ok = authorization.MetadataOf(&r2)
	if !ok || !md.Skip || !reflect.DeepEqual(md.AllowedRoles, []string{"a", "b"}) {
		t.Errorf("r2: %+v, %v", md, ok)
	}
	r3 := controller.Get("/3", answer("3"))
	if _, ok := authorization.MetadataOf(&r3); ok {
		t.Error("a route without a declaration has metadata")
	}
}
