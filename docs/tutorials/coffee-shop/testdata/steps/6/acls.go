package main

import "github.com/loomhq/loom/controller/modelapi/acl"

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
