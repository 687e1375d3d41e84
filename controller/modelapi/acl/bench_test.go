package acl_test

import (
	"context"
	"testing"

	"github.com/loomhq/loom/controller/modelapi/acl"
)

// BenchmarkCheck is one request's decision with the Review ACLs and no
// store round trip: the cost every guarded route pays.
func BenchmarkCheck(b *testing.B) {
	c := &acl.Checker{Entries: reviewACLs[:4]}
	req := acl.MethodAccessType("Review", "create", "POST")
	ctx := context.Background()
	principals := []acl.Principal{{Type: acl.User, ID: "1"}}
	b.ReportAllocs()
	for b.Loop() {
		perm, err := c.Check(ctx, &acl.Context{Request: req, Principals: principals})
		if err != nil || perm != acl.Allow {
			b.Fatal(perm, err)
		}
	}
}
