package acl

import (
	"slices"
	"strings"
)

// AccessType is what a method does to the model's data.
type AccessType string

// The access types.
const (
	Read      AccessType = "READ"
	Write     AccessType = "WRITE"
	Execute   AccessType = "EXECUTE"
	Replicate AccessType = "REPLICATE"
	// AllAccess is "*", any access type.
	AllAccess AccessType = "*"
)

// Permission is an entry's decision.
type Permission string

// The permissions.
const (
	Allow Permission = "ALLOW"
	Deny  Permission = "DENY"
	// Default is the decision when no entry matches; Resolve settles it
	// to the default permission.
	Default Permission = "DEFAULT"
)

// PrincipalType is the kind of principal an entry names.
type PrincipalType string

// The principal types.
const (
	// Role names a role: a built-in one ($everyone, ...) or a static one.
	Role PrincipalType = "ROLE"
	// User names one user by id.
	User PrincipalType = "USER"
	// App names one application by id.
	App PrincipalType = "APP"
)

// The built-in roles.
const (
	Everyone        = "$everyone"
	Authenticated   = "$authenticated"
	Unauthenticated = "$unauthenticated"
	Owner           = "$owner"
	// Related is LoopBack 3's $related, which no caller is in.
	Related = "$related"
)

// All is "*": any model, any property.
const All = "*"

// Entry is one ACL entry, as in a LoopBack 3 model's "acls".
type Entry struct {
	// Model is the model's name; "" or "*" is any model.
	Model string
	// Property is a method name (create, __create__reviews); "" or "*"
	// is any method.
	Property string
	// AccessType is READ, WRITE, EXECUTE; "" or "*" is any.
	AccessType AccessType
	// PrincipalType and PrincipalID are who the entry is about: a ROLE
	// and a role name, or a USER and a user id.
	PrincipalType PrincipalType
	PrincipalID   string
	// Permission is ALLOW or DENY.
	Permission Permission
}

// Request is what is asked: a model's method with an access type.
type Request struct {
	// Model is the model's name.
	Model string
	// Property is the method's name.
	Property string
	// MethodNames are the method's name and its aliases (patchOrCreate,
	// upsert, updateOrCreate); an entry naming any of them matches.
	MethodNames []string
	// AccessType is the method's access type.
	AccessType AccessType
}

// permissionOrder is LoopBack 3's AccessContext.permissionOrder.
func permissionOrder(p Permission) int {
	switch p {
	case Allow, "":
		return 1
	case "ALARM":
		return 2
	case "AUDIT":
		return 3
	case Deny:
		return 4
	}
	return 0
}

func orAll(s string) string {
	if s == "" {
		return All
	}
	return s
}

// Score is LoopBack 3's ACL.getMatchingScore: -1 when e does not match
// r's model, property or access type, otherwise how specific e is for r.
// The principal is not checked here.
func Score(e Entry, r Request) int {
	score := 0
	fields := [3][2]string{
		{orAll(e.Model), orAll(r.Model)},
		{orAll(e.Property), orAll(r.Property)},
		{orAll(string(e.AccessType)), orAll(string(r.AccessType))},
	}
	for i, f := range fields {
		score *= 4
		rule, req := f[0], f[1]
		exact := rule == req
		if i == 1 && slices.Contains(r.MethodNames, rule) {
			exact = true
		}
		if i == 2 && !exact {
			switch AccessType(rule) {
			case Execute:
				exact = true
			case Write:
				exact = AccessType(req) == Replicate
			}
		}
		switch {
		case exact:
			score += 3
		case rule == All:
			score += 2
		case req == All:
			score++
		default:
			return -1
		}
	}
	score *= 4
	switch e.PrincipalType {
	case User:
		score += 4
	case App:
		score += 3
	case Role:
		score += 2
	default:
		score++
	}
	score *= 8
	if e.PrincipalType == Role {
		switch e.PrincipalID {
		case Owner:
			score += 4
		case Related:
			score += 3
		case Authenticated, Unauthenticated:
			score += 2
		case Everyone:
			score++
		default:
			score += 5
		}
	}
	score *= 4
	p := e.Permission
	if p == "" {
		p = Allow
	}
	score += permissionOrder(p) - 1
	return score
}

// Resolve is LoopBack 3's ACL.resolvePermission: the permission of the
// highest scored entry of entries (those whose principal the caller is)
// for r. A wildcard request (property or access type "*") takes, as
// LoopBack 3 does, the first of the sorted entries that matches it
// exactly or has a permission. With no matching entry it is def, or ALLOW when def is
// "" (a model's defaultPermission).
func Resolve(entries []Entry, r Request, def Permission) Permission {
	type scored struct {
		e Entry
		s int
	}
	list := make([]scored, len(entries))
	for i, e := range entries {
		list[i] = scored{e, Score(e, r)}
	}
	slices.SortStableFunc(list, func(a, b scored) int { return b.s - a.s })
	perm := Default
	wildcard := orAll(r.Model) == All || orAll(r.Property) == All || orAll(string(r.AccessType)) == All
	for _, c := range list {
		if c.s < 0 {
			break
		}
		if !wildcard {
			perm = c.e.Permission
			break
		}
		if exactly(r, c.e) {
			perm = c.e.Permission
			break
		}
		if permissionOrder(c.e.Permission) > permissionOrder(perm) {
			perm = c.e.Permission
			break
		}
	}
	if perm == Default || perm == "" {
		perm = def
		if perm == "" || perm == Default {
			perm = Allow
		}
	}
	return perm
}

// exactly is LoopBack 3's AccessRequest.exactlyMatches.
func exactly(r Request, e Entry) bool {
	if orAll(r.Model) != orAll(e.Model) || orAll(string(r.AccessType)) != orAll(string(e.AccessType)) {
		return false
	}
	return orAll(e.Property) == orAll(r.Property) || slices.Contains(r.MethodNames, e.Property)
}

// AccessTypeOf is the access type LoopBack 3 gives a method with no
// declared one (Model._getAccessTypeForMethod): READ for GET and HEAD
// and the reading methods, WRITE for the writing ones, EXECUTE
// otherwise. The persisted model's own methods and relation methods have
// their declared types; see [MethodAccessType].
func AccessTypeOf(name, verb string) AccessType {
	if v := strings.ToUpper(verb); v == "GET" || v == "HEAD" {
		return Read
	}
	switch strings.TrimPrefix(name, "prototype.") {
	case "create", "updateOrCreate", "upsertWithWhere", "upsert", "destroyById", "deleteById", "removeById":
		return Write
	case "exists", "findById", "find", "findOne", "count":
		return Read
	}
	return Execute
}

// methods are LoopBack 3.28's PersistedModel methods: their access types
// and aliases.
var methods = map[string]struct {
	at      AccessType
	aliases []string
}{
	"create":             {Write, nil},
	"patchOrCreate":      {Write, []string{"upsert", "updateOrCreate"}},
	"replaceOrCreate":    {Write, nil},
	"upsertWithWhere":    {Write, []string{"patchOrCreateWithWhere"}},
	"exists":             {Read, nil},
	"findById":           {Read, nil},
	"replaceById":        {Write, nil},
	"find":               {Read, nil},
	"findOne":            {Read, nil},
	"updateAll":          {Write, []string{"update"}},
	"deleteById":         {Write, []string{"destroyById", "removeById"}},
	"count":              {Read, nil},
	"patchAttributes":    {Write, []string{"updateAttributes"}},
	"createChangeStream": {Read, nil},
}

// relationAccess are the access types of relation methods, by the
// prefix of their names.
var relationAccess = map[string]AccessType{
	"get": Read, "findById": Read, "count": Read, "exists": Read,
	"create": Write, "delete": Write, "updateById": Write, "destroyById": Write,
	"link": Write, "unlink": Write, "update": Write, "destroy": Write,
}

// MethodAccessType is the request for the model API's method name (as
// routes name them: create, prototype.patchAttributes,
// prototype.__create__reviews) under verb: LoopBack 3's property (the
// name without "prototype."), its aliases and its access type.
func MethodAccessType(model, name, verb string) Request {
	prop := strings.TrimPrefix(name, "prototype.")
	r := Request{Model: model, Property: prop, MethodNames: []string{prop}}
	if m, ok := methods[prop]; ok {
		r.AccessType = m.at
		r.MethodNames = append(r.MethodNames, m.aliases...)
		return r
	}
	if rest, ok := strings.CutPrefix(prop, "__"); ok {
		if op, _, ok := strings.Cut(rest, "__"); ok {
			if at, ok := relationAccess[op]; ok {
				r.AccessType = at
				return r
			}
		}
	}
	r.AccessType = AccessTypeOf(prop, verb)
	return r
}
