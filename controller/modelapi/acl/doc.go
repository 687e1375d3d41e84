// Package acl is LoopBack 3's access control for the model REST API:
// ACL entries (model, property, access type, principal, permission),
// resolved with LoopBack 3's precedence rules, and the roles they name,
// the built-in $everyone, $authenticated, $unauthenticated and $owner and
// static roles whose members are stored as role mappings in a repository.
//
// It lives under controller/modelapi because its decisions are keyed by
// LoopBack 3 model method names (create, prototype.__create__reviews) and
// answered with LoopBack 3's 401; modelapi.ACLs checks them before each
// route of a model. LoopBack 4-style authorizers for hand-written
// controllers are a different shape (voters per route) and do not belong
// here.
//
// The precedence follows loopback@3.28.0 common/models/acl.js: every
// entry that matches the request and whose principal the caller is gets a
// score (exact property > "*", exact access type > "*", USER > APP > ROLE,
// a static role > $owner > $related > $authenticated/$unauthenticated >
// $everyone, and DENY over ALLOW at equal specificity); the highest
// scored entry decides, and with no entry the default permission (ALLOW)
// applies.
package acl
