package acl_test

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/controller/modelapi/acl"
)

// The Coffee Shop's Review ACLs decide who may create and who may patch
// a review, with LoopBack 3's precedence.
func Example() {
	checker := &acl.Checker{Entries: []acl.Entry{
		{Model: "Review", Property: "*", PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Deny},
		{Model: "Review", AccessType: acl.Read, PrincipalType: acl.Role, PrincipalID: acl.Everyone, Permission: acl.Allow},
		{Model: "Review", Property: "create", PrincipalType: acl.Role, PrincipalID: acl.Authenticated, Permission: acl.Allow},
		{Model: "Review", AccessType: acl.Write, PrincipalType: acl.Role, PrincipalID: acl.Owner, Permission: acl.Allow},
	}}
	publisher := func(context.Context) ([]string, error) { return []string{"1"}, nil }
	ask := func(method, verb, user string) {
		ac := &acl.Context{Request: acl.MethodAccessType("Review", method, verb), Owners: publisher}
		if user != "" {
			ac.Principals = []acl.Principal{{Type: acl.User, ID: user}}
		}
		perm, err := checker.Check(context.Background(), ac)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-26s user %q %s\n", method, user, perm)
	}
	ask("find", "GET", "")
	ask("create", "POST", "")
	ask("create", "POST", "2")
	ask("prototype.patchAttributes", "PATCH", "1")
	ask("prototype.patchAttributes", "PATCH", "2")
	// Output:
	// find                       user "" ALLOW
	// create                     user "" DENY
	// create                     user "2" ALLOW
	// prototype.patchAttributes  user "1" ALLOW
	// prototype.patchAttributes  user "2" DENY
}
