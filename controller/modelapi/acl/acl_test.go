package acl_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/loomhq/loom/controller/modelapi/acl"
	"github.com/loomhq/loom/repository/memory"
)

// lb3Case is one decision of loopback@3.28.0, recorded by
// testdata/gen_lb3.js (node gen_lb3.js lb3_resolve.json with loopback
// installed): entries the caller matches, a request, LoopBack 3's scores
// and permission.
type lb3Case struct {
	Set     string `json:"set"`
	Entries []struct {
		Model         string `json:"model"`
		Property      string `json:"property"`
		AccessType    string `json:"accessType"`
		PrincipalType string `json:"principalType"`
		PrincipalID   string `json:"principalId"`
		Permission    string `json:"permission"`
	} `json:"entries"`
	Request struct {
		Model       string   `json:"model"`
		Property    string   `json:"property"`
		AccessType  string   `json:"accessType"`
		MethodNames []string `json:"methodNames"`
	} `json:"request"`
	Scores     []int  `json:"scores"`
	Permission string `json:"permission"`
}

func TestResolveAgreesWithLoopBack3(t *testing.T) {
	raw, err := os.ReadFile("testdata/lb3_resolve.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []lb3Case
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 1000 {
		t.Fatalf("only %d cases", len(cases))
	}
	denied := 0
	for i, c := range cases {
		r := acl.Request{Model: c.Request.Model, Property: c.Request.Property,
			AccessType: acl.AccessType(c.Request.AccessType), MethodNames: c.Request.MethodNames}
		entries := make([]acl.Entry, len(c.Entries))
		for j, e := range c.Entries {
			entries[j] = acl.Entry{Model: e.Model, Property: e.Property, AccessType: acl.AccessType(e.AccessType),
				PrincipalType: acl.PrincipalType(e.PrincipalType), PrincipalID: e.PrincipalID, Permission: acl.Permission(e.Permission)}
			if got := acl.Score(entries[j], r); got != c.Scores[j] {
				t.Errorf("case %d (%s): score of %+v for %+v = %d, LoopBack 3 %d", i, c.Set, entries[j], r, got, c.Scores[j])
			}
		}
		got := acl.Resolve(entries, r, "")
		if string(got) != c.Permission {
			t.Errorf("case %d (%s): %+v for %+v: %s, LoopBack 3 %s", i, c.Set, entries, r, got, c.Permission)
		}
		if got == acl.Deny {
			denied++
		}
	}
	if denied == 0 || denied == len(cases) {
		t.Fatalf("%d of %d denied: the table does not exercise both", denied, len(cases))
	}
}

func TestMethodAccessType(t *testing.T) {
	for _, c := range []struct {
		name, verb string
		want       acl.AccessType
		names      int
	}{
		{"find", "GET", acl.Read, 1},
		{"create", "POST", acl.Write, 1},
		{"patchOrCreate", "PATCH", acl.Write, 3},
		{"prototype.patchAttributes", "PATCH", acl.Write, 2},
		{"deleteById", "DELETE", acl.Write, 3},
		{"createChangeStream", "POST", acl.Read, 1},
		{"prototype.__create__reviews", "POST", acl.Write, 1},
		{"prototype.__get__reviews", "GET", acl.Read, 1},
		{"prototype.__exists__tags", "HEAD", acl.Read, 1},
		{"prototype.__link__tags", "PUT", acl.Write, 1},
		{"status", "GET", acl.Read, 1},
		{"greet", "POST", acl.Execute, 1},
	} {
		r := acl.MethodAccessType("M", c.name, c.verb)
		if r.AccessType != c.want || len(r.MethodNames) != c.names || r.Property == "" || r.Property[0] == 'p' && r.Property != "patchOrCreate" && r.Property != "patchAttributes" {
			t.Errorf("%s %s: %+v, want %s with %d names", c.verb, c.name, r, c.want, c.names)
		}
	}
}

// reviewACLs are the Coffee Shop's Review entries.
var reviewACLs = []acl.Entry{
	{Model: "Review", Property: "*", AccessType: "*", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
	{Model: "Review", AccessType: acl.Read, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
	{Model: "Review", Property: "create", PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
	{Model: "Review", AccessType: acl.Write, PrincipalType: acl.Role, PrincipalID: acl.Owner, Permission: acl.Allow},
	{Model: "Review", Property: "deleteById", PrincipalType: acl.Role, PrincipalID: "moderator", Permission: acl.Allow},
	{Model: "Review", Property: "deleteById", PrincipalType: acl.User, PrincipalID: "13", Permission: acl.Deny},
	{Model: "Review", Property: "replaceById", PrincipalType: acl.Role, PrincipalID: acl.Unauthenticated, Permission: acl.Allow},
}

func TestCheckPrincipals(t *testing.T) {
	ctx := context.Background()
	roles, err := acl.NewRepository(memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"12", "13"} {
		if err := roles.Grant(ctx, "moderator", acl.Principal{Type: acl.User, ID: u}); err != nil {
			t.Fatal(err)
		}
	}
	c := &acl.Checker{Entries: reviewACLs, Roles: roles}
	owners := func(ids ...string) func(context.Context) ([]string, error) {
		return func(context.Context) ([]string, error) { return ids, nil }
	}
	user := func(id string) []acl.Principal { return []acl.Principal{{Type: acl.User, ID: id}} }
	for _, tc := range []struct {
		name       string
		method     string
		principals []acl.Principal
		owners     func(context.Context) ([]string, error)
		want       acl.Permission
	}{
		{"$everyone reads", "find", nil, nil, acl.Allow},
		{"$everyone may not create", "create", nil, nil, acl.Deny},
		{"$authenticated creates", "create", user("1"), nil, acl.Allow},
		{"$owner patches", "prototype.patchAttributes", user("1"), owners("1"), acl.Allow},
		{"a non-owner may not patch", "prototype.patchAttributes", user("2"), owners("1"), acl.Deny},
		{"no instance, no owner", "prototype.patchAttributes", user("1"), owners(), acl.Deny},
		{"a static role through a mapping", "deleteById", user("12"), owners("1"), acl.Allow},
		{"a USER entry beats the role", "deleteById", user("13"), nil, acl.Deny},
		{"a role the profile carries", "deleteById", []acl.Principal{{Type: acl.User, ID: "5"}, {Type: acl.Role, ID: "moderator"}}, nil, acl.Allow},
		{"no role, no mapping", "deleteById", user("5"), nil, acl.Deny},
		{"$unauthenticated", "replaceById", nil, nil, acl.Allow},
		{"$unauthenticated is not a logged-in user", "replaceById", user("5"), nil, acl.Deny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ac := &acl.Context{Request: acl.MethodAccessType("Review", tc.method, "POST"), Principals: tc.principals, Owners: tc.owners}
			got, err := c.Check(ctx, ac)
			if err != nil || got != tc.want {
				t.Fatalf("%s: %s, %v; want %s", tc.method, got, err, tc.want)
			}
		})
	}
	t.Run("an owner lookup error is an error", func(t *testing.T) {
		boom := errors.New("boom")
		ac := &acl.Context{Request: acl.MethodAccessType("Review", "prototype.patchAttributes", "PATCH"), Principals: user("1"),
			Owners: func(context.Context) ([]string, error) { return nil, boom }}
		if _, err := c.Check(ctx, ac); !errors.Is(err, boom) {
			t.Fatalf("err %v", err)
		}
	})
}
